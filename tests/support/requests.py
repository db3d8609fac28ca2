"""The per-language request tables' one check: classify a mail, compare labels, and find the evidence clause."""

from __future__ import annotations

from triage.understand.classify import IntentModel, mail_parts


def check(model: IntentModel, subject: str, body: str, expected: dict[str, str]) -> None:
    """`expected` maps each intent to a phrase its evidence clause must contain; {} means `other`."""
    result = model.classify([mail_parts(subject, body)])[0]
    assert set(result.intents) == (set(expected) or {"other"}), (result.intents, result.evidence)
    for intent, phrase in expected.items():
        assert phrase.lower() in result.evidence[intent].lower(), (intent, result.evidence)
