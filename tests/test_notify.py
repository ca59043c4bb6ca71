"""E-mail distribution against a real SMTP server (aiosmtpd) listening on localhost."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from pydantic import SecretStr

from ccpipe.catalog import Entry, update_catalogue
from ccpipe.runs.notify import NotifyError, SmtpSettings, brief_message, send_new_briefs
from ccpipe.runs.pipeline import Resources, default_source_options, process_file

from .conftest import publish_options, shared_file

SENDER = "briefs@example.org"
RECIPIENTS = ["analyst@example.org", "编辑@example.org"]
SITE = "https://briefs.example.org/"


class Collector:
    """An aiosmtpd handler that keeps every envelope it is given."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _only_user(server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"ccpipe", b"s3cret")
    # handled=False: aiosmtpd then answers a failure with 535 itself (its default leaves the client waiting).
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def server() -> Iterator[tuple[Collector, int]]:
    collector = Collector()
    port = _free_port()
    # Plain SMTP with AUTH allowed without TLS: only ever on the loopback interface, for the test.
    controller = Controller(
        collector, hostname="127.0.0.1", port=port, authenticator=_only_user, auth_require_tls=False
    )
    controller.start()
    try:
        yield collector, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def briefs(resources: Resources, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Entry]]:
    """Two published documents, one with a PDF brief; their catalogue entries are all new."""
    out = tmp_path_factory.mktemp("notify-output")
    source = default_source_options()
    docx_file = shared_file("docx", "sichuan-2025-government-work-report.docx")
    docx = process_file(docx_file, resources, source, publish_options(out, ("json",)))
    pdf_file = shared_file("pdf", "merged-cell-table.pdf")
    pdf = process_file(pdf_file, resources, source, publish_options(out, ("json", "html", "pdf")))
    assert docx.ok and pdf.ok, (docx.error, pdf.error)
    return out, update_catalogue(out).changed


def _settings(port: int, **extra: Any) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender=SENDER, timeout=10, **extra)


def _parse(raw: bytes | str | None) -> EmailMessage:
    assert isinstance(raw, bytes)
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_one_message_to_every_recipient_with_chinese_subject_and_pdf(
    server: tuple[Collector, int], briefs: tuple[Path, list[Entry]]
) -> None:
    collector, port = server
    out, entries = briefs

    assert send_new_briefs(entries, _settings(port), RECIPIENTS, out, base_url=SITE) == 2

    assert len(collector.envelopes) == 1
    envelope = collector.envelopes[0]
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == RECIPIENTS
    message = _parse(envelope.content)
    assert message["Subject"] == "新简报：2025年四川省政府工作报告等 2 份 · 2 new or updated climate-policy briefs"
    assert "analyst@example.org" not in message["To"]  # recipients travel in the envelope only
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "2025年四川省政府工作报告" in text
    assert f"{SITE}merged-cell-table/brief.html" in text
    attachments = list(message.iter_attachments())
    assert [(a.get_content_type(), a.get_filename()) for a in attachments] == [
        ("application/pdf", "merged-cell-table.pdf")
    ]
    assert attachments[0].get_content() == (out / "merged-cell-table" / "brief.pdf").read_bytes()


def test_login_is_used_and_a_refused_login_is_reported(
    server: tuple[Collector, int], briefs: tuple[Path, list[Entry]]
) -> None:
    collector, port = server
    out, entries = briefs
    assert send_new_briefs(entries[:1], _settings(port, username="ccpipe", password="s3cret"), RECIPIENTS, out) == 1
    assert len(collector.envelopes) == 1

    with pytest.raises(NotifyError, match="login refused for 'ccpipe'"):
        send_new_briefs(entries, _settings(port, username="ccpipe", password="wrong"), RECIPIENTS, out)
    assert len(collector.envelopes) == 1


def test_refused_connection_names_the_server() -> None:
    port = _free_port()  # nothing listens there
    with pytest.raises(NotifyError) as failure:
        send_new_briefs([_entry()], _settings(port), RECIPIENTS, Path("."))
    assert failure.value.code == "NOTIFY_SMTP_FAILED"
    assert f"NOTIFY_SMTP_FAILED: 127.0.0.1:{port}: cannot connect" in str(failure.value)


def test_nothing_new_sends_nothing(server: tuple[Collector, int], briefs: tuple[Path, list[Entry]]) -> None:
    collector, port = server
    out, entries = briefs
    assert send_new_briefs([], _settings(port), RECIPIENTS, out) == 0
    assert send_new_briefs(entries, _settings(port), [], out) == 0
    assert collector.envelopes == []


def test_pdf_over_the_limit_is_linked_not_attached(briefs: tuple[Path, list[Entry]]) -> None:
    out, entries = briefs
    message = brief_message(entries, _settings(25), RECIPIENTS, out, attachment_limit=100)
    assert list(message.iter_attachments()) == []
    body = message.get_body(("plain",))
    assert body is not None
    assert "PDFs too large to attach" in body.get_content()
    assert str(out / "merged-cell-table" / "brief.pdf") in body.get_content()


def test_settings_refuse_two_tls_modes() -> None:
    with pytest.raises(ValueError, match="starttls or ssl"):
        SmtpSettings(host="smtp.example.org", port=465, ssl=True, starttls=True, sender=SENDER)
    assert "s3cret" not in repr(SmtpSettings(host="h", password=SecretStr("s3cret"), sender=SENDER))


def _entry() -> Entry:
    return Entry.model_validate(
        {
            "dir": "d",
            "id": "d",
            "title": "标题",
            "source": {"path": "d.pdf", "sha256": "0" * 64, "pages": 1},
            "files": [],
            "feed_id": "urn:sha256:" + "0" * 64,
            "first_published": "2025-01-01T00:00:00Z",
            "updated": "2025-01-01T00:00:00Z",
        }
    )
