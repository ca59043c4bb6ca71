"""E-mail the briefs that are new or updated since the last catalogue build (optional distribution).

One message per run lists every new or updated brief (Chinese and English titles, publisher, date, links) and
attaches the PDF briefs that fit under a size limit. Use it with :func:`ccpipe.catalog.update_catalogue`::

    catalogue = update_catalogue(output_dir, base_url=site)
    send_new_briefs(catalogue.changed, settings, ["team@example.org"], output_dir, base_url=site)
"""

from __future__ import annotations

import smtplib
import ssl as tls
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from pydantic import BaseModel, ConfigDict, SecretStr, model_validator

from ccpipe.errors import CcpipeError

if TYPE_CHECKING:  # the settings import SmtpSettings: the catalogue (Jinja, feedgen) loads when mail is sent
    from ccpipe.catalog.manifest import Entry

# Mail servers commonly refuse messages over 10-25 MB; base64 adds a third. Keep each PDF and the total modest.
ATTACHMENT_LIMIT = 5 * 1024 * 1024
TOTAL_ATTACHMENT_LIMIT = 10 * 1024 * 1024


class NotifyError(CcpipeError):
    """Sending the e-mail failed; the message names the server as host:port."""

    code = "NOTIFY_SMTP_FAILED"
    advice = "check the SMTP host, port and TLS settings (starttls or ssl), the login, and that the server is up"


class SmtpSettings(BaseModel):
    """How to reach the mail server. ``ssl`` is implicit TLS (usually port 465), ``starttls`` upgrades (587)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str
    port: int = 587
    username: str | None = None
    password: SecretStr | None = None  # SecretStr keeps it out of reprs and logs
    starttls: bool = True
    ssl: bool = False
    sender: str
    timeout: float = 30.0

    @model_validator(mode="after")
    def _one_tls_mode(self) -> SmtpSettings:
        if self.starttls and self.ssl:
            raise ValueError("choose starttls or ssl, not both (ssl is TLS from the first byte, starttls upgrades)")
        return self

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def _link(entry: Entry, name: str, output_dir: Path, base_url: str | None) -> str:
    from ccpipe.catalog.index import href

    if base_url:
        return urljoin(base_url if base_url.endswith("/") else base_url + "/", href(entry, name))
    # Without a site the reader gets the path on the shared drive or machine that holds the output folder.
    return str(output_dir / entry.dir / name)


def _describe(number: int, entry: Entry, output_dir: Path, base_url: str | None) -> str:
    lines = [f"{number}. {entry.title}"]
    if entry.title_en:
        lines.append(f"   {entry.title_en}")
    facts = [
        f"发布机构 Publisher: {entry.publisher}" if entry.publisher else "",
        f"日期 Date: {entry.date}" if entry.date else "",
    ]
    if any(facts):
        lines.append("   " + " · ".join(fact for fact in facts if fact))
    for name, label in (("brief.html", "简报 Brief"), ("brief.pdf", "PDF"), ("brief.docx", "Word")):
        if entry.has(name):
            lines.append(f"   {label}: {_link(entry, name, output_dir, base_url)}")
    return "\n".join(lines)


def _subject(entries: Sequence[Entry]) -> str:
    first = entries[0].title
    if len(entries) == 1:
        return f"新简报：{first} · New climate-policy brief"
    return f"新简报：{first}等 {len(entries)} 份 · {len(entries)} new or updated climate-policy briefs"


def brief_message(
    entries: Sequence[Entry],
    smtp: SmtpSettings,
    recipients: Sequence[str],
    output_dir: Path,
    *,
    base_url: str | None = None,
    attachment_limit: int = ATTACHMENT_LIMIT,
) -> EmailMessage:
    """The message announcing ``entries``: UTF-8 text, PDF briefs attached while they fit the limits."""
    message = EmailMessage()
    message["Subject"] = _subject(entries)
    message["From"] = smtp.sender
    # Recipients go in the envelope only (like Bcc): people on the list do not see each other's addresses.
    message["To"] = smtp.sender
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or None)
    intro = (
        f"以下 {len(entries)} 份气候政策简报为新发布或已更新。\n{len(entries)} climate-policy brief(s) new or updated."
    )
    body = [intro, *(_describe(i, e, output_dir, base_url) for i, e in enumerate(entries, start=1))]
    skipped: list[str] = []
    attachments: list[tuple[str, bytes]] = []
    total = 0
    for entry in entries:
        pdf = output_dir / entry.dir / "brief.pdf"
        if not pdf.is_file():
            continue
        size = pdf.stat().st_size
        if size > attachment_limit or total + size > TOTAL_ATTACHMENT_LIMIT:
            skipped.append(entry.title)
            continue
        total += size
        attachments.append((f"{entry.id}.pdf", pdf.read_bytes()))
    if skipped:
        body.append("以下 PDF 过大，未附上，请用链接 / PDFs too large to attach, use the links: " + "；".join(skipped))
    message.set_content("\n\n".join(body) + "\n", charset="utf-8")
    for filename, data in attachments:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=filename)
    return message


def send_new_briefs(
    entries: Sequence[Entry],
    smtp: SmtpSettings,
    recipients: list[str],
    output_dir: Path,
    *,
    base_url: str | None = None,
    attachment_limit: int = ATTACHMENT_LIMIT,
) -> int:
    """Send one message listing ``entries`` to ``recipients``; return how many briefs it announced.

    Nothing is sent (0) when there is nothing new or nobody to tell. Raises :class:`NotifyError` when the
    server cannot be reached, refuses the login, or refuses any recipient.
    """
    if not entries or not recipients:
        return 0
    message = brief_message(
        entries, smtp, recipients, Path(output_dir), base_url=base_url, attachment_limit=attachment_limit
    )
    try:
        if smtp.ssl:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=smtp.timeout, context=tls.create_default_context()
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with client:
            if smtp.starttls:
                client.starttls(context=tls.create_default_context())
            if smtp.username:
                client.login(smtp.username, smtp.password.get_secret_value() if smtp.password else "")
            refused = client.send_message(message, from_addr=smtp.sender, to_addrs=recipients)
    except smtplib.SMTPAuthenticationError as exc:
        raise NotifyError(smtp.address, f"login refused for {smtp.username!r}: {_reply(exc)}") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise NotifyError(smtp.address, f"every recipient refused: {', '.join(exc.recipients)}") from exc
    except smtplib.SMTPException as exc:
        raise NotifyError(smtp.address, f"{type(exc).__name__}: {exc}") from exc
    except OSError as exc:  # refused, unreachable, timed out, TLS handshake
        raise NotifyError(smtp.address, f"cannot connect: {exc}") from exc
    if refused:
        # The others did get it; say so, so the caller does not resend to everyone.
        raise NotifyError(smtp.address, f"sent, but refused for: {', '.join(sorted(refused))}")
    return len(entries)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    error = exc.smtp_error
    text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
    return f"{exc.smtp_code} {text}"
