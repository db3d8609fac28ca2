"""Nudges inherit the thread's request; new statements in a thread do not."""

from __future__ import annotations

import pytest

from triage.understand.followup import follow_up_kind, is_nudge, withdrawn_intents


@pytest.mark.parametrize(
    "text",
    [
        "Hello, did you get my email? Nobody has answered yet.",
        "Any update on this?",
        "Still waiting for an answer...",
        "Haben Sie meine E-Mail erhalten? Ich warte noch auf eine Antwort.",
        "Hola de nuevo, ¿recibieron mi correo de ayer? Nadie me ha contestado.",
        "Bonjour, avez-vous reçu mon message ? Toujours pas de réponse.",
        "Hello?? It is urgent, is anyone there?",
        "This is the third time I am writing. Please answer.",
        "Hallo?? Ist da jemand? Bitte melden Sie sich.",
        "¿Hola?? ¿Hay alguien? Por favor respondan.",
        "Allô ?? Il y a quelqu'un ? Merci de me répondre.",
        # Asking for news, and re-sending one's own mail (the thread probe's shapes, other words).
        "Is there any progress with my order?",
        "Sending this again as I think it got lost.",
        "Gibt es inzwischen etwas Neues zu meiner Bestellung?",
        "Ich sende Ihnen die Mail erneut, falls sie untergegangen ist.",
        "Buenas, ¿hay novedades sobre lo que les pedí?",
        "Les reenvío mi correo por si no les llegó.",
        "Bonjour, des nouvelles de ma commande ?",
        "Je vous renvoie mon message, au cas où il se serait perdu.",
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
        "Hello, what size is the blue jumper?",
        "Please reply with the tracking link when it ships.",
        "I was waiting for the sale but bought it anyway. " * 8 + "Did you get my email?",
        "J'ai commandé des nouvelles chaises pour la terrasse.",
        "Ich habe neue Schuhe bestellt, gibt es die auch in Braun?",
    ],
)
def test_not_nudges(text: str) -> None:
    assert not is_nudge(text)


# -- retractions: what a follow-up takes back -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "withdrawn"),
    [
        ("Please DON'T cancel it after all.", ("cancel", "refund")),
        ("Hi again, no need to cancel, I'll keep it.", ("cancel", "refund")),
        ("Ignore my last email, I'll keep it.", ("*",)),
        ("Please ignore my previous message, ship it to my sister instead.", ("*",)),
        ("Never mind, all sorted!", ("*",)),
        ("Bitte doch nicht stornieren, ich behalte sie.", ("cancel", "refund")),
        ("Ignorieren Sie bitte meine letzte Mail.", ("*",)),
        ("Por favor, no la cancelen, me la quedo.", ("cancel", "refund")),
        ("Ignoren mi último correo, por favor.", ("*",)),
        ("N'annulez pas ma commande finalement, je la garde.", ("cancel", "refund")),
        ("Ignorez mon dernier mail, merci.", ("*",)),
        ("I don't need a refund any more, thanks.", ("refund",)),
        ("Disregard the refund request, the parcel was at my neighbour's.", ("refund",)),
        ("Please do not refund me after all, it turned up.", ("refund",)),
        ("Die Erstattung ist doch nicht nötig, das Paket ist da.", ("refund",)),
        ("Olviden la solicitud de reembolso, ya apareció el paquete.", ("refund",)),
        ("Pas la peine de me rembourser, le colis est arrivé.", ("refund",)),
        ("Annulez ma demande de remboursement, tout est rentré dans l'ordre.", ("refund",)),
        ("Please cancel order #1047.", ()),
        ("Did you get my email?", ()),
        ("Please keep me posted about the delivery.", ()),
    ],
)
def test_withdrawn_intents(text: str, withdrawn: tuple[str, ...]) -> None:
    assert withdrawn_intents(text) == withdrawn


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("did you get my email?", "chaser"),
        ("¿recibieron mi correo?", "chaser"),
        ("haben Sie meine Mail erhalten?", "chaser"),
        ("avez-vous reçu mon mail ?", "chaser"),
        ("Please don't cancel after all", "retraction"),
        ("Also, could you gift-wrap it?", None),
    ],
)
def test_follow_up_kind(text: str, kind: str | None) -> None:
    assert follow_up_kind(text)[0] == kind
