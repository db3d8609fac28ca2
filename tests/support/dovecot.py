"""A real Dovecot on loopback, configured from a temp dir: the IMAP server every IMAP test and benchmark talks
to, with the OAuth2 introspection stub it asks about bearer tokens."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import imapclient

from tests.support.ports import free_port

USER = "test"
PASSWORD = "secret-Passw0rd"
OAUTH_TOKEN = "ya29.test-oauth-token"


class _Introspection(BaseHTTPRequestHandler):
    """The OAuth2 introspection endpoint Dovecot asks whether a bearer token is valid."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(length).decode())
        ok = form.get("token", [""])[0] == OAUTH_TOKEN
        body = json.dumps({"active": True, "username": USER} if ok else {"active": False}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return None


CONF = """\
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
shutdown_clients = yes
listen = 127.0.0.1
ssl = yes
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {d}/oauth2.conf.ext
}}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = static
  args = uid=65534 gid=65534 home={d}/mail/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {tls_port}
    ssl = yes
  }}
}}
"""


def imap_table(settings: dict[str, object]) -> list[str]:
    """The `[imap]` table of an inbox.toml pointing at a test Dovecot, as lines (tests and bench write one)."""
    lines = ["[imap]"]
    for key, value in settings.items():
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, int | float):
            lines.append(f"{key} = {value}")
        else:
            lines.append(f'{key} = "{value}"')
    return lines


class Dovecot:
    """Start, stop and restart a standalone Dovecot; hand out logged-in clients."""

    def __init__(self, root: Path) -> None:
        binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
        if binary is None:
            raise RuntimeError(
                "Dovecot is not installed: the IMAP tests need it. Install it with "
                "`apt-get install -y dovecot-imapd` (the README's test command does this)."
            )
        self.binary = binary
        self.root = root
        self.host = "127.0.0.1"
        self.port = free_port()
        self.tls_port = free_port()
        self.cafile = str(root / "cert.pem")
        self.proc: subprocess.Popen[bytes] | None = None
        (root / "mail").mkdir(parents=True)
        os.chmod(root / "mail", 0o1777)
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "3650",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                str(root / "key.pem"),
                "-out",
                self.cafile,
            ],
            check=True,
            capture_output=True,
        )
        self.oauth = ThreadingHTTPServer(("127.0.0.1", 0), _Introspection)
        threading.Thread(target=self.oauth.serve_forever, daemon=True).start()
        (root / "oauth2.conf.ext").write_text(
            f"introspection_mode = post\n"
            f"introspection_url = http://127.0.0.1:{self.oauth.server_address[1]}/introspect\n"
            "username_attribute = username\nactive_attribute = active\nactive_value = true\n"
        )
        self.conf = root / "dovecot.conf"
        self.conf.write_text(CONF.format(d=root, port=self.port, tls_port=self.tls_port))

    def start(self) -> None:
        with open(self.root / "stdout.log", "ab") as log:
            self.proc = subprocess.Popen([self.binary, "-F", "-c", str(self.conf)], stdout=log, stderr=log)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dovecot exited: {(self.root / 'stdout.log').read_text()[-2000:]}")
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("dovecot did not start listening within 15 s")

    def _descendants(self, pid: int) -> list[int]:
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        out, todo = [], [pid]
        while todo:
            for child in children.get(todo.pop(), []):
                out.append(child)
                todo.append(child)
        return out

    def stop(self) -> None:
        """Stop the master and every process it started, so open client connections really drop."""
        if self.proc is None:
            return
        clients = self._descendants(self.proc.pid)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
        for pid in clients:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        # Children (imap processes) may linger briefly after the master is gone.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.host, self.port), timeout=0.2).close()
                time.sleep(0.1)
            except OSError:
                return

    def restart(self) -> None:
        self.stop()
        self.start()

    def client(self) -> imapclient.IMAPClient:
        ctx = ssl.create_default_context(cafile=self.cafile)
        c = imapclient.IMAPClient(self.host, port=self.port, ssl=False, timeout=30)
        c.starttls(ctx)
        c.login(USER, PASSWORD)
        return c

    def log_text(self) -> str:
        p = self.root / "dovecot.log"
        return p.read_text(errors="replace") if p.exists() else ""


def append(server: Dovecot, folder: str, messages: list[bytes]) -> None:
    """Put `messages` into `folder` as if they had arrived (MULTIAPPEND, 100 to a command)."""
    c = server.client()
    for i in range(0, len(messages), 100):
        c.multiappend(folder, messages[i : i + 100])
    c.logout()
