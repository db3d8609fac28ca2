"""What the finder judges beyond plain phrases: a cancel reported as done, threatened or only meant is no
request, a conditional request is; retractions, redirects, the address book, nothing pending, orders placed
twice on purpose, and requests written without their key word."""

from __future__ import annotations

import pytest

from tests.support import MODEL
from triage.understand.classify import mail_parts, request_text
from triage.understand.requests import BLOCKED, LEXICONS, MENTION, REQUEST, Hit, RequestFinder, Title


@pytest.fixture(scope="module")
def finder() -> RequestFinder:
    return RequestFinder.load(MODEL / "lemmas", LEXICONS)


def read(finder: RequestFinder, text: str) -> dict[str, Hit]:
    """The finder's reading of a one-message text, split into clauses as classify splits it."""
    return finder.find(request_text(*mail_parts("", text))[1])


@pytest.mark.parametrize(
    ("clause", "why"),
    [
        ("Why was my order cancelled?", "already cancelled"),
        ("It says order 4409 has been cancelled because of a payment issue.", "already cancelled"),
        ("I cancelled order 16672 in the app within the hour.", "already cancelled"),
        ("I'm still waiting for the money from the cancelled jacket, order 61093.", "already cancelled"),
        ("Someone from your team cancelled my order 50213 yesterday.", "the shop's cancellation"),
        ("Die Bestellung 18833 wurde gestern automatisch storniert.", "already cancelled"),
        # Cancelled by a system, whoever the clause names (s29).
        ("Meine Bestellung 27045 hat das System gestern automatisch storniert.", "already cancelled"),
        ("My order 27045 (size 39. blue) got automatically cancelled yesterday, can you undo it?", "already cancelled"),
        ("Mi pedido 27045 aparece cancelado automáticamente. ¿Lo pueden reactivar?", "already cancelled"),
        ("Ma commande 27045 apparaît annulée automatiquement, pouvez-vous la réactiver ?", "already cancelled"),
        ("El pedido 5120 fue cancelado sin avisarme.", "already cancelled"),
        ("Ma commande 3310 a été annulée sans raison.", "already cancelled"),
        ("If it doesn't come tomorrow morning I'm going to cancel the whole order.", "threat"),
        ("if this isnt here tmrw im cancelling and never ordering again", "threat"),
        ("Wenn das Paket bis Freitag nicht da ist, trete ich vom Kauf zurück.", "threat"),
        ("Si no llega el lunes, lo cancelo y lo compro en otra tienda.", "threat"),
        ("Si elle n'est pas livrée vendredi, j'annule.", "threat"),
        ("I was going to cancel order 55870, but it arrives tomorrow.", "only meant to"),
        ("Iba a cancelar el pedido 5120, pero ya no hace falta.", "only meant to"),
        ("J'allais annuler la commande 3310, mais elle est arrivée.", "only meant to"),
    ],
)
def test_a_cancel_that_happened_or_is_threatened_is_blocked(finder: RequestFinder, clause: str, why: str) -> None:
    hit = finder.find([clause])["cancel"]
    assert (hit.kind, hit.why) == (BLOCKED, why)


@pytest.mark.parametrize(
    "clause",
    [
        "If you can't change the address, please just cancel it.",
        "Can order 2291 still be cancelled?",
        "I'd like to have order 5512 cancelled, please.",
        "Können Sie die Bestellung 4410 bitte stornieren, falls sie noch nicht verschickt ist?",
        "Si no es posible cambiar la dirección, cancelen el pedido 7781.",
        "Si vous ne pouvez pas livrer avant lundi, annulez la commande 4410 s'il vous plaît.",
    ],
)
def test_a_conditional_or_passive_request_still_asks(finder: RequestFinder, clause: str) -> None:
    assert finder.find([clause])["cancel"].kind == REQUEST


def test_a_question_subject_is_a_topic_and_a_strong_question_still_asks(finder: RequestFinder) -> None:
    assert finder.find([Title("Adresse nachträglich ändern?")])["address_fix"].kind == MENTION
    assert finder.find([Title("Can I still cancel my order?")])["cancel"].kind == REQUEST


def test_an_address_for_the_account_stays_the_accounts_in_the_next_clause(finder: RequestFinder) -> None:
    clauses = ["I want to change the saved address on my account for future orders.", "New address is Larch Walk."]
    assert finder.find(clauses)["address_fix"].kind != REQUEST
    named = ["I want to change the saved address on my account.", "Please send order 5512 to my new address."]
    assert finder.find(named)["address_fix"].kind == REQUEST


@pytest.mark.parametrize(
    "clause",
    [
        "Ich möchte kein Geld zurück, schickt mir bitte einfach ein neues Glas.",
        "Rather than money back I would like store credit, please.",
        "Die Erstattung ist heute auf meinem Konto eingegangen, vielen Dank!",
        "Sólo para confirmar que ya me llegó el reembolso del pedido 81120.",
        "Le remboursement est bien arrivé sur mon compte ce matin.",
    ],
)
def test_money_not_wanted_or_already_back_is_no_refund_request(finder: RequestFinder, clause: str) -> None:
    hit = finder.find([clause]).get("refund")
    assert hit is None or hit.kind != REQUEST


@pytest.mark.parametrize(
    "clause",
    [
        "Ich habe immer noch kein Geld zurück bekommen für Bestellung 4410.",
        "I still have not received my refund for order 5512.",
        "Todavía no me ha llegado el reembolso del pedido 7781.",
    ],
)
def test_a_refund_still_owed_is_chased(finder: RequestFinder, clause: str) -> None:
    assert finder.find([clause])["refund"].kind == REQUEST


def test_the_substring_prefilter_never_hides_a_match() -> None:
    """cancel_not_asked skips the patterns when a clause holds none of the substrings they need: on every
    clause of our training mail (and the tables above) the result equals the patterns' own."""
    from triage.model.data import load_mail
    from triage.text import fold
    from triage.understand.requests.finder import clause_spans
    from triage.understand.requests.tense import (
        INTENDED_CANCEL,
        REPORTED_CANCEL,
        SHOP_CANCELLED,
        THREATENED_CANCEL,
        cancel_not_asked,
    )

    def full(text: str) -> str | None:
        for why, pattern in (
            ("the shop's cancellation", SHOP_CANCELLED),
            ("already cancelled", REPORTED_CANCEL),
            ("only meant to", INTENDED_CANCEL),
            ("threat", THREATENED_CANCEL),
        ):
            if pattern.search(text):
                return why
        return None

    clauses = [row.body[a:b] for row in load_mail() for a, b in clause_spans(row.body)]
    assert len(clauses) > 10_000
    folded = [fold(c).replace("n't", " nt") for c in clauses]
    assert [cancel_not_asked(f, 0, len(f)) for f in folded] == [full(f) for f in folded]
    assert sum(full(f) is not None for f in folded) > 50


def test_a_redaction_markers_words_are_not_the_customers(finder: RequestFinder) -> None:
    """ "[expiry removed]" holds "removed", a cancel word; the marker is triage's, so it is not read."""
    clause = "My card is [card •••• 1111] exp [expiry removed] cvv [cvv removed], can you charge it please?"
    assert "cancel" not in finder.find([clause])
    assert finder.find(["Please remove the lamp from order 5512."])["cancel"].kind == REQUEST


@pytest.mark.parametrize(
    "clause",
    [
        "Where can I add a second delivery address?",
        "I keep getting an error when I try to enter my new shipping address.",
        "how do i set a new delivery address up",
        "Wie kann ich eine zweite Lieferadresse hinterlegen?",
        "¿Cómo puedo añadir otra dirección de envío?",
        "Je n'arrive pas à enregistrer une nouvelle adresse de livraison.",
    ],
)
def test_adding_an_address_is_the_address_books_not_an_orders(finder: RequestFinder, clause: str) -> None:
    hit = finder.find([clause])["address_fix"]
    assert hit.kind == BLOCKED and hit.why == "not an order"


@pytest.mark.parametrize(
    "clause",
    [
        "Please add the new address to order 5521: 4 Elm Row, Leeds.",
        "I entered the wrong address, can you change it?",
        "Bitte die neue Lieferadresse für Bestellung 3310 hinterlegen: Hauptstraße 4.",
        "Por favor, añadid la nueva dirección al pedido 7781.",
        "Pouvez-vous ajouter la nouvelle adresse à ma commande 2290 ?",
    ],
)
def test_an_address_for_a_named_order_or_a_wrong_one_is_still_a_fix(finder: RequestFinder, clause: str) -> None:
    assert finder.find([clause])["address_fix"].kind == REQUEST


@pytest.mark.parametrize(
    "text",
    [
        "I was going to cancel it, but it arrives tomorrow.",
        "Sorry, I asked you to cancel order 44028 this morning but I do want it after all.",
        "Ignore the cancel thing, I'll just keep it.",
        "Bitte vergessen Sie meine Mail von gestern wegen der Stornierung.",
        "No tengan en cuenta mi correo sobre la cancelación del pedido 5120.",
        "Ne tenez pas compte de ma demande d'annulation de ce matin.",
        "Ce n'est pas une erreur, n'annulez rien.",
        "Si elle n'est pas arrivée vendredi, je l'annule.",
    ],
)
def test_a_cancel_taken_back_or_only_thought_of_is_no_request(finder: RequestFinder, text: str) -> None:
    hit = read(finder, text).get("cancel")
    assert hit is not None and hit.kind == BLOCKED


@pytest.mark.parametrize(
    "text",
    [
        "Ignore my last email, please cancel order 5512 instead.",
        "Das mit der Adresse hat sich erledigt – bitte stornieren Sie einfach die ganze Bestellung.",
        "Scratch that; please cancel it altogether.",
    ],
)
def test_a_request_after_a_retraction_and_a_break_stands(finder: RequestFinder, text: str) -> None:
    assert read(finder, text)["cancel"].kind == REQUEST


@pytest.mark.parametrize(
    "text",
    [
        "Could you send order 5518 to my mum's instead? 4 Elm Row, Leeds.",
        "Please would you send it to 3 Brook Cottages, Lower Hanley.",
        "send 8101 to 12 Park Row, Leeds instead pls",
        "Please send to my home address, 40 Fairfield Road, Hereford.",
        "Können Sie die Bestellung 4500 bitte ins Büro liefern statt nach Hause?",
        "¿Pueden dejar el pedido 11350 donde mi vecina?",
        "Pourriez-vous livrer la commande 2718 chez ma mère plutôt que chez moi ?",
    ],
)
def test_sending_an_order_somewhere_else_is_an_address_fix(finder: RequestFinder, text: str) -> None:
    assert read(finder, text)["address_fix"].kind == REQUEST


@pytest.mark.parametrize(
    "text",
    [
        "Could you send it to the card I paid with?",
        "Please keep it going to 5 Dale Street, we are not moving after all.",
        "Ich fahre jeden Tag zur Arbeit, statt früher mit dem Auto.",
        "I was looking forward to the new blend in your newsletter.",
        "Hi, I'm about to move house and I've got an order coming next week.",
        "J'ai déménagé et je voudrais mettre à jour l'adresse enregistrée sur mon compte pour la suite.",
    ],
)
def test_money_a_kept_address_or_a_commute_is_no_redirect(finder: RequestFinder, text: str) -> None:
    hit = read(finder, text).get("address_fix")
    assert hit is None or hit.kind != REQUEST


@pytest.mark.parametrize(
    "text",
    [
        "Do you refund the postage too? I haven't returned anything, just asking in general.",
        "Next time, could you send it to my new flat in Leeds instead? I don't have anything on order now.",
        "Erstatten Sie auch die Versandkosten? Ich frage allgemein, aktuell habe ich nichts zurückgeschickt.",
        "¿Si devuelvo un artículo rebajado me devuelven el dinero? Todavía no he comprado nada.",
        "Combien de temps prend un remboursement chez vous ? Je n'ai rien en cours.",
    ],
)
def test_a_question_with_nothing_of_theirs_pending_asks_nothing(finder: RequestFinder, text: str) -> None:
    hits = read(finder, text)
    assert not any(h.kind == REQUEST for h in hits.values())


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I've been charged twice for order 11203. Could you put one of them back please?", "refund"),
        ("geschenkverpackung bezahlt und kam ohne. die 4,95 will ich wiederhaben", "refund"),
        ("¿Cuándo me hacen el reembolso? La devolví hace 10 días, pedido 28833.", "refund"),
        ("Nothing else is on order, but please refund order 4410 now.", "refund"),
    ],
)
def test_money_wanted_back_is_a_refund(finder: RequestFinder, text: str, intent: str) -> None:
    assert read(finder, text)[intent].kind == REQUEST


@pytest.mark.parametrize(
    "text",
    [
        "Payment failed twice and now there's a pending charge on my card. Which is it?",
        "Mon paiement a échoué deux fois, la commande n'est pas passée.",
        "Me dio error el pago dos veces, ¿me cobraron o no?",
        "Die Zahlung ist zweimal fehlgeschlagen, ist die Bestellung jetzt durch?",
        "Can I add a cable to order 87711 before it goes out, rather than paying shipping twice?",
    ],
)
def test_a_payment_that_failed_twice_is_no_duplicate(finder: RequestFinder, text: str) -> None:
    hit = read(finder, text).get("duplicate")
    assert hit is None or hit.kind != REQUEST


@pytest.mark.parametrize(
    "text",
    [
        "If they can't find it this time I'll just ask you to cancel.",
        "I was all set to ask you to cancel our order, which is why I rang.",
        "¿Cobran algo por cancelar un pedido si todavía no ha salido?",
    ],
)
def test_a_threat_an_intention_or_a_fee_question_is_no_cancel(finder: RequestFinder, text: str) -> None:
    hit = read(finder, text).get("cancel")
    assert hit is not None and hit.kind == BLOCKED


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Don't bother sending 90044, I found one locally.", "cancel"),
        ("Können Sie die Bestellung 81230 noch anhalten, bevor sie verschickt wird?", "cancel"),
        ("Por favor frenen el envío del 664210.", "cancel"),
        ("Arrêtez la 8812 avant qu'elle parte svp.", "cancel"),
        ("Still waiting for my 49 euros for the returned jumper.", "refund"),
        ("Please reverse the second charge.", "refund"),
        ("Sigo esperando mis 49 euros del abrigo devuelto.", "refund"),
        ("Pouvez-vous me recréditer ma carte ?", "refund"),
        ("Es el portal 5, no el 6.", "address_fix"),
        ("Leave it with the concierge please, order 44019.", "address_fix"),
        ("¿Hay novedades sobre la cancelación del 3391?", "cancel"),
        ("¿Alguna novedad del reembolso? Ya pasaron diez días.", "refund"),
        ("Could you halt order 7712 before it leaves?", "cancel"),
        ("Bei Bestellung 5530 stimmt die Adresse nicht, richtig ist Hausnummer 9.", "address_fix"),
        ("wo bleibt meine kohle für die retoure", "refund"),
        ("Je voudrais qu'on me rende le deuxième paiement.", "refund"),
        ("¿Pueden enviarlo a casa de mi abuela? Pedido 4410.", "address_fix"),
        ("Por favor que no despachen el 5521.", "cancel"),
        ("Bitte beachten: zwei Zahlungen für eine Bestellung.", "duplicate"),
        ("El 3010, por favor anúlenlo, ya no lo necesito porque me mudo a Bogotá.", "cancel"),
    ],
)
def test_requests_without_the_key_word(finder: RequestFinder, text: str, intent: str) -> None:
    assert read(finder, text)[intent].kind == REQUEST


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Ordered twice on purpose, one's a gift.", "duplicate"),
        ("Ich habe die Laufschuhe absichtlich zweimal bestellt.", "duplicate"),
        ("Me llegó un correo diciendo que cancelaron mi pedido 401188 por falta de stock.", "cancel"),
        ("Commande 5521 annulée par vous sans prévenir.", "cancel"),
        ("No pedí ningún reembolso, solo quiero entender.", "refund"),
        ("Beim Holztraktor ist ein Hinterrad abgebrochen.", "cancel"),
        ("Thanks for changing the address so quickly!", "address_fix"),
        ("Gracias por cambiar la dirección del pedido.", "address_fix"),
        ("Laissez tomber le remboursement, je l'ai réparé moi-même.", "refund"),
        ("Olvidad lo que os dije de anular el 3310.", "cancel"),
        ("Kommt das Paket bis Montag nicht, storniere ich.", "cancel"),
        ("¿Puedo cancelar la reserva del sábado?", "cancel"),
        ("Je dois annuler mon inscription à l'atelier de samedi.", "cancel"),
        ("Can I still cancel order 5512, or has it gone to the warehouse already?", "address_fix"),
        ("Before I buy: how do I cancel with you if I change my mind?", "cancel"),
        ("Nos cambiamos a un piso nuevo en el centro.", "address_fix"),
        ("The parcel was delivered to my neighbour, all good.", "address_fix"),
    ],
)
def test_look_alikes_without_a_request(finder: RequestFinder, text: str, intent: str) -> None:
    hit = read(finder, text).get(intent)
    assert hit is None or hit.kind != REQUEST


@pytest.mark.parametrize(
    "text",
    [
        "I ordered the lamp twice, 5406 and 5409. Not a mistake, one is for my sister.",
        "hab zweimal bestellt, war aber absicht, eins ist für meinen bruder",
        "Sí, pedí dos veces la misma mochila, es a propósito: una es para mi hija.",
        "j'ai commandé deux fois mais c'est voulu, un pour ma sœur",
    ],
)
def test_an_order_placed_twice_on_purpose_is_no_duplicate(finder: RequestFinder, text: str) -> None:
    hit = read(finder, text).get("duplicate")
    assert hit is not None and hit.kind == BLOCKED and hit.why == "on purpose"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Please refund the corkscrew from order 21508. The stopper is fine, I'll keep it.", "refund"),
        ("Merci de me rembourser le tire-bouchon. Le bouchon, je le garde.", "refund"),
        ("Bitte erstatten Sie mir die Vase, den Teller behalte ich.", "refund"),
        ("Cancelen las velas de lavanda, las de vainilla me las quedo.", "cancel"),
    ],
)
def test_an_item_kept_leaves_another_clauses_request_standing(finder: RequestFinder, text: str, intent: str) -> None:
    assert read(finder, text)[intent].kind == REQUEST


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for calling back, I'll keep it.",
        "Please cancel order 4410. Actually, I'll keep it.",
        "Cancelen el pedido 3312. Pensándolo bien, me lo quedo.",
        "Bitte die 5521 stornieren. Ach nein, ich behalte sie doch.",
        "Annulez la commande 8810. Finalement, je la garde.",
    ],
)
def test_an_item_kept_after_a_change_of_mind_takes_the_request_back(finder: RequestFinder, text: str) -> None:
    hit = read(finder, text)["cancel"]
    assert (hit.kind, hit.why) == (BLOCKED, "retraction")
