"""Spanish requests and look-alikes (see test_requests_en.py)."""

from __future__ import annotations

import pytest

from tests.support.requests import check
from triage.understand.classify import IntentModel

QUOTE = "\n\nEl mar, 4 mar 2025 a las 9:12, Hoja de Roble <ayuda@hojaroble.example> escribió:\n> {}"

CASES = [
    (
        "",
        "Hola,\nquiero cancelar el pedido 4410, ya encontré la lámpara en una tienda.\nSaludos",
        {"cancel": "cancelar el pedido"},
    ),
    ("", "¿Todavía puedo cancelar mi pedido 2291?", {"cancel": "cancelar"}),
    ("", "Devolví las botas hace dos semanas y todavía no tengo el reembolso.", {"refund": "reembolso"}),
    (
        "",
        "Me equivoqué al escribir la dirección, ¿pueden cambiar la dirección de envío a Calle Mayor 12?",
        {"address_fix": "cambiar la dirección"},
    ),
    (
        "",
        "Hice el pedido dos veces por error, por favor cancelen uno.",
        {"duplicate": "dos veces", "cancel": "cancelen"},
    ),
    ("", "Por favor no cancelen mi pedido, lo quiero de todas formas.", {}),
    ("", "¿Cuál es su política de cancelación?", {}),
    ("", "Quiero cancelar mi suscripción al boletín.", {}),
    (
        "RE: Pregunta sobre tallas",
        "Mejor cancelen el pedido, por favor. Gracias." + QUOTE.format("La chaqueta es de talla pequeña."),
        {"cancel": "cancelen el pedido"},
    ),
    # Causes found on the train split (issue 14, r5).
    ("", "pedí 2 veces lo mismo: 8811 8812. borren el 8812", {"duplicate": "2 veces", "cancel": "borren"}),
    (
        "",
        "Solicitamos la devolución del pago del pedido 50602, que fue anulado por ustedes.",
        {"refund": "devolución del pago"},
    ),
    ("", "Perdón, me equivoqué: no era un pedido duplicado, eran dos pedidos distintos.", {}),
    # Money chases and things done twice that are not orders (issue 14, this stop's out-of-fold causes).
    ("", "¿Y mi dinero? Devolví las zapatillas del pedido 8812 hace un mes.", {"refund": "y mi dinero"}),
    ("", "Le escribí a su chat dos veces y nadie me contesta, ¿qué pasa?", {}),
    # Pronouns glued to the verb; a signature's confidentiality notice (issue 14, w14's train and dev rows).
    (
        "",
        "Compré dos veces el mismo cargador, el 4410 y el 4412. El segundo anúlenmelo, por favor.",
        {"duplicate": "dos veces", "cancel": "anúlenmelo"},
    ),
    (
        "",
        "¿Me pueden mandar la factura del pedido 3390?\n\nSaludos,\nLuis\n"
        "Este mensaje es confidencial. Si usted no es el destinatario, por favor elimínelo.",
        {},
    ),
    ("", "Le escribí a su chat dos veces por el pedido 5520 y nadie me contesta.", {}),
    ("", "Quería cancelar el pedido 3381… bueno, no, mejor no. Déjenlo como está.", {}),
    ("", "Hace tres semanas cancelé el pedido 5510 y el reembolso todavía no llega.", {"refund": "reembolso"}),
    (
        "",
        "Devolví la lámpara del pedido 4410 hace un mes y no he recibido ningún reembolso.",
        {"refund": "ningún reembolso"},
    ),
    # An impersonal question ("se puede cancelar un pedido …") asks about the writer's order when the clause names
    # it (issue 14, s29).
    ("", "¿Se puede cancelar un pedido ya pagado, el 55120?", {"cancel": "55120"}),
    ("", "¿Uno puede cancelar todavía mi pedido de ayer?", {"cancel": "mi pedido"}),
    ("", "¿Se puede cancelar un pedido después de pagarlo? Todavía no compré nada.", {}),
    ("", "Como no llegue el martes lo cancelo y listo.", {}),
    ("", "Si no llega el martes, cancélenlo.", {"cancel": "cancélenlo"}),
    ("", "Como no llegue el martes, anúlenla por favor.", {"cancel": "anúlenla"}),
    ("", "¿Aceptan cancelaciones de pedidos ya enviados?", {}),
    ("", "¿Se pueden anular los pedidos una vez confirmados?", {}),
    # The order named around the object, parts added (issue 14, s29: the German shapes' counterparts).
    ("", "Ya no necesita la lupa del pedido 30771.", {"cancel": "ya no necesita"}),
    ("", "Por favor, añadan el número de portal al pedido 83515: es el 12.", {"address_fix": "añadan"}),
    ("", "Ya no necesito ayuda, la lámpara del pedido 30771 funciona otra vez.", {}),
    ("", "Los dos pedidos son a propósito, por favor no los junten ni cancelen.", {}),
]


@pytest.mark.parametrize(("subject", "body", "expected"), CASES)
def test_spanish(intent_model: IntentModel, subject: str, body: str, expected: dict[str, str]) -> None:
    check(intent_model, subject, body, expected)
