"""The one error tree: every failure a user can fix is a TriageError that says how.

TriageError
├── ConfigError        inbox.toml is wrong (exit 2)
├── UsageError         a command was called wrongly (exit 2)
├── NotFoundError      no item with that ID (exit 3)
├── MailboxError       the mail source could not be read
│   └── LoginError     the server refused the credentials
├── ModelError         the intent model is missing or broken
├── DeliveryError      the SMTP server did not take the daily summary
├── StoreError         the SQLite store cannot be opened or written
├── OrdersError        an orders file cannot be read
└── TemplateError      a reply or report template is broken
"""

from __future__ import annotations


class TriageError(Exception):
    """Base of every error triage reports as one line."""

    exit_code = 1


class ConfigError(TriageError):
    exit_code = 2


class UsageError(TriageError):
    exit_code = 2


class NotFoundError(TriageError):
    exit_code = 3


class MailboxError(TriageError):
    pass


class LoginError(MailboxError):
    pass


class ModelError(TriageError):
    pass


class DeliveryError(TriageError):
    pass


class StoreError(TriageError):
    pass


class OrdersError(TriageError):
    pass


class TemplateError(TriageError):
    pass
