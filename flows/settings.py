"""Prefect settings for an embedded (ephemeral) server on a machine without network access.

Imported before Prefect so the environment is in place when Prefect reads its settings; anything
already set in the environment (e.g. PREFECT_API_URL for a standing server) wins.
"""

from __future__ import annotations

import os

DEFAULTS = {
    # No network here: analytics would only time out.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # The first start of the embedded server takes ~15 s on 2 cores; the default 20 s is too tight.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE": "true",
}


def apply() -> None:
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
