"""Passwords, sessions and CSRF: argon2 hashes, a signed cookie naming a server-side session, tokens per session.

The cookie holds a random token signed with a key kept in the store (so every
process serving the same store accepts it); the store keeps only the token's
hash, so removing a user or changing a password ends their sessions at once.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer

from triage.errors import UsageError
from triage.store import Session, Store

SESSION_COOKIE = "triage_session"
LOGIN_CSRF_COOKIE = "triage_login"
SESSION_MAX_AGE = timedelta(hours=12)
# Failed logins within ATTEMPT_WINDOW before refusing: per account, and per address (one address, many accounts).
ATTEMPT_WINDOW = timedelta(minutes=15)
MAX_FAILED_PER_ACCOUNT = 5
MAX_FAILED_PER_ADDRESS = 20
MIN_PASSWORD = 10

_hasher = PasswordHasher()
# Compared against when the user does not exist, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password anyone has")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def signing_key(store: Store) -> str:
    """The store's cookie-signing key, made once (every process serving the store shares it)."""
    key = store.get_meta("web_signing_key")
    if key is None:
        with store.transaction():
            key = store.get_meta("web_signing_key")
            if key is None:
                key = secrets.token_urlsafe(32)
                store.set_meta("web_signing_key", key)
    return key


class Signer:
    """Signs what goes into cookies; anything tampered with or too old reads as None."""

    def __init__(self, key: str) -> None:
        self._s = URLSafeTimedSerializer(key, salt="triage-web")

    def sign(self, value: str) -> str:
        return self._s.dumps(value)

    def unsign(self, signed: str | None, max_age: timedelta = SESSION_MAX_AGE) -> str | None:
        if not signed:
            return None
        try:
            value = self._s.loads(signed, max_age=int(max_age.total_seconds()))
        except BadSignature:
            return None
        return value if isinstance(value, str) else None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def login_allowed(store: Store, name: str, address: str) -> bool:
    per_account, per_address = store.failed_logins(name, address, ATTEMPT_WINDOW)
    return per_account < MAX_FAILED_PER_ACCOUNT and per_address < MAX_FAILED_PER_ADDRESS


def session_for(store: Store, signer: Signer, cookie: str | None) -> tuple[str, Session] | None:
    """The token and live session behind a session cookie, or None."""
    token = signer.unsign(cookie)
    if token is None:
        return None
    found = store.session(token, SESSION_MAX_AGE)
    return (token, found) if found else None
