"""English requests, and the look-alikes that are not: negation, retraction, policy, non-order objects, old subjects."""

from __future__ import annotations

import pytest

from tests.support.requests import check
from triage.understand.classify import IntentModel

QUOTE = "\n\nOn Tue, 4 Mar 2025 at 09:12, Oakleaf Support <help@oakleaf.example> wrote:\n> {}"

CASES = [
    # requests, each in its own sentence among others
    (
        "",
        "Hi there,\nI bought a lamp yesterday. Please cancel order 4410, I found one locally.\nCheers",
        {"cancel": "cancel order 4410"},
    ),
    ("", "can u cancel 2291 pls", {"cancel": "cancel 2291"}),
    ("", "Is it too late to cancel my order? It was #8812.", {"cancel": "too late to cancel"}),
    (
        "",
        "The kettle arrived broken. I sent it back on Monday and would like a refund.",
        {"refund": "would like a refund"},
    ),
    ("", "I returned the boots two weeks ago and still haven't been refunded.", {"refund": "refunded"}),
    (
        "",
        "I typed the wrong address on order 7731. It should be 12 Mill Lane, not 21.",
        {"address_fix": "wrong address"},
    ),
    (
        "",
        "Oops, I ordered twice by mistake. Could you cancel the second one?",
        {"duplicate": "ordered twice", "cancel": "cancel the second"},
    ),
    (
        "",
        "My card was charged twice for order 5120, please refund one of the payments.",
        {"duplicate": "charged twice", "refund": "refund one"},
    ),
    # negation and retraction
    ("", "Please don't cancel my order, I still want it.", {}),
    ("", "Ignore my last email, I'll keep it after all.", {}),
    ("", "I'm not asking for a refund, just letting you know the box was dented.", {}),
    # policy and fee questions, hypotheticals
    ("", "What is your cancellation policy for sale items?", {}),
    ("", "Is there a fee to cancel an order once it's paid?", {}),
    ("", "How long do refunds usually take to show up?", {}),
    ("", "If it doesn't arrive by Friday I might have to cancel.", {}),
    # objects that are not orders
    ("", "Please cancel my newsletter subscription, I get too many emails.", {}),
    ("", "How do I change the email address on my account?", {}),
    # a request beside unrelated topics, and one under a misleading reply subject
    (
        "",
        "Please cancel order 3301. Also, I can't log into my account and the password reset never arrives.",
        {"cancel": "cancel order 3301"},
    ),
    (
        "Re: Question about the oak table",
        "Actually, could you just cancel it? I changed my mind." + QUOTE.format("The table is solid oak."),
        {"cancel": "cancel it"},
    ),
    (
        "Re: Refund for order 1180",
        "Thanks, the money arrived today. All good!" + QUOTE.format("We have issued your refund."),
        {},
    ),
    # Causes found on the train split (issue 14, r5): "dont"/"do", English "n" for "and", threats, retractions.
    ("", "My sister gave me hers, so please do cancel 9215 after all.", {"cancel": "please do cancel 9215"}),
    ("", "dont cancel it, I still want the lamp", {}),
    ("", "i sent the dress back 2 weeks ago n still no money back??", {"refund": "still no money back"}),
    ("", "Please ignore my refund request, everything is here.", {}),
    ("", "My order is late. If it isn't here by Monday I'll want my money back.", {}),
    ("", "Please don't send it, I don't need it any more. Order 5512.", {"cancel": "don't send it"}),
    ("", "Hello, please cancel my monthly coffee subscription from April.", {}),
    # r8: a policy or fee phrase blocks only the intent it names; a request beside it in the clause stands.
    ("", "what is your refund policy, and please cancel my order 6604", {"cancel": "please cancel my order 6604"}),
    ("", "Is there a cancellation fee, and please refund order 3310", {"refund": "please refund order 3310"}),
    # r8: an object that is not an order blocks anywhere in the verb's object phrase, not past an order word.
    ("", "Hi, please cancel my Crafty Club monthly box from next month.", {}),
    ("", "Please cancel my order for the mystery gift box.", {"cancel": "please cancel my order"}),
    # r8: a term opening a subject or a heading-like line is a topic, not an imperative; in the body it asks.
    ("Refund", "Hi, I love the mug, thanks!", {}),
    ("Hello", "Refund order 3310 please, it arrived broken.", {"refund": "refund order 3310"}),
    # Slang cancels, deliveries asked elsewhere (issue 14, w14's train and dev rows).
    (
        "",
        "ordered the kettle twice (3310 and 3314), can you kill 3314 please?",
        {"duplicate": "twice", "cancel": "kill"},
    ),
    (
        "",
        "Order 5120 is going to my flat, but I'd like it delivered to my office instead: 4 Mill Lane, Derby DE1 3AF.",
        {"address_fix": "delivered to"},
    ),
    ("", "Please cancel order 3310. No wait, forget it, my daughter wants it after all.", {}),
    (
        "",
        "Two payments of £18 went out for order 6610 and I only ordered once. Please give back the second payment.",
        {"duplicate": "two payments", "refund": "give back the second payment"},
    ),
    ("", "Two parcels came for order 7710, one with the lamp and one with the bulbs. Not charged twice, I hope?", {}),
    ("", "Got two boxes for order 5512 today. Just checking I'm not charged twice?", {}),
    ("", "I have received no refund yet for order 4410, returned three weeks ago.", {"refund": "received no refund"}),
    # An impersonal question ("can one …") asks about the writer's order when the clause names it (issue 14, s29).
    ("", "Can one still cancel order 55120? I found it cheaper elsewhere.", {"cancel": "cancel order 55120"}),
    ("", "Can one still cancel my order from this morning?", {"cancel": "cancel my order"}),
    ("", "Can one cancel orders after they have shipped?", {}),
    # a threat under an inverted condition is no request; an instruction under one is (issue 14, w16)
    ("", "Should it fail to arrive by Friday I'm cancelling.", {}),
    ("", "Should it not be here by Friday, please cancel order 61204.", {"cancel": "please cancel"}),
    ("", "Do you let customers cancel orders after payment, or is it final?", {}),
    ("", "Is it possible to cancel an order once the invoice is out?", {}),
    ("", "Do you allow customers to cancel? If so, please cancel order 44107.", {"cancel": "cancel order 44107"}),
    # A verb and its particle around the object, parts added (issue 14, s29: the German shapes' counterparts).
    ("", "Hi, please take the kettle out of order 60712, I still need the rest.", {"cancel": "take the kettle"}),
    ("", "He doesn't need the magnifier from order 30771 any more.", {"cancel": "any more"}),
    ("", "Please transfer the 69 euros back to my account.", {"refund": "transfer"}),
    ("", "Please add the house number to order 83515: it is 12a.", {"address_fix": "house number"}),
    ("", "We don't need a replacement any more, the lamp works again.", {}),
    ("", "The two orders are on purpose, please don't merge or cancel them.", {}),
]


@pytest.mark.parametrize(("subject", "body", "expected"), CASES)
def test_english(intent_model: IntentModel, subject: str, body: str, expected: dict[str, str]) -> None:
    check(intent_model, subject, body, expected)
