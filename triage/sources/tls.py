"""The one place TLS client contexts are made: verification on unless the config explicitly turns it off."""

from __future__ import annotations

import ssl


def client_context(verify: bool, ca_file: str = "") -> ssl.SSLContext:
    """System trust store (or `ca_file`); `verify=False` is for a loopback test server only."""
    ctx = ssl.create_default_context(cafile=ca_file or None)
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx
