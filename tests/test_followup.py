"""Nudges inherit the thread's request; new statements in a thread do not."""

from __future__ import annotations

import pytest

from triage.understand.followup import is_nudge


@pytest.mark.parametrize(
    "text",
    [
        "Hello, did you get my email? Nobody has answered yet.",
        "Any update on this?",
        "Still waiting for an answer...",
        "Haben Sie meine E-Mail erhalten? Ich warte noch auf eine Antwort.",
        "Hola de nuevo, ¿recibieron mi correo de ayer? Nadie me ha contestado.",
        "Bonjour, avez-vous reçu mon message ? Toujours pas de réponse.",
    ],
)
def test_nudges(text: str) -> None:
    assert is_nudge(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please DON'T cancel, I changed my mind and want to keep the order.",
        "Thanks, the parcel arrived today!",
        "Could you also add a second mug to the order?",
        "I was waiting for the sale but bought it anyway. " * 8 + "Did you get my email?",
    ],
)
def test_not_nudges(text: str) -> None:
    assert not is_nudge(text)
