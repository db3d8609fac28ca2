"""French requests and look-alikes, elisions included (see test_requests_en.py)."""

from __future__ import annotations

import pytest

from tests.support.requests import check
from triage.understand.classify import IntentModel

QUOTE = "\n\nLe mar. 4 mars 2025 à 09:12, Feuille de Chêne <aide@feuille.example> a écrit :\n> {}"

CASES = [
    (
        "",
        "Bonjour,\nmerci d'annuler ma commande 4410, j'ai trouvé la lampe en magasin.\nCordialement",
        {"cancel": "annuler ma commande"},
    ),
    ("", "Est-il encore possible d'annuler la commande 2291 ?", {"cancel": "annuler"}),
    ("", "J'ai renvoyé les bottes il y a deux semaines, je voudrais être remboursé.", {"refund": "remboursé"}),
    (
        "",
        "Je me suis trompé d'adresse, pouvez-vous changer l'adresse de livraison pour le 12 rue Haute ?",
        {"address_fix": "changer l'adresse"},
    ),
    (
        "",
        "J'ai commandé deux fois par erreur, merci d'annuler la deuxième commande.",
        {"duplicate": "commandé deux fois", "cancel": "annuler"},
    ),
    ("", "Surtout ne pas annuler ma commande, je la veux toujours.", {}),
    ("", "Quelle est votre politique d'annulation ?", {}),
    ("", "Je voudrais annuler mon abonnement à la newsletter.", {}),
    (
        "TR: Question sur la taille",
        "Finalement, veuillez annuler la commande. Merci !" + QUOTE.format("La veste taille petit."),
        {"cancel": "annuler la commande"},
    ),
    # Causes found on the train split (issue 14, r5).
    ("", "Pourquoi avez-vous annulé ma commande ? Je voudrais la récupérer.", {}),
    ("", "Annulez ma demande de remboursement, le colis est finalement arrivé !", {}),
    (
        "",
        "Bonjour, toujours pas remboursé pour la commande 3399, retournée il y a un mois.",
        {"refund": "toujours pas remboursé"},
    ),
    # Withdrawal, money credited back, a courier's details (issue 14, this stop's out-of-fold causes).
    ("", "Je me rétracte de la commande 81120, merci de me le confirmer.", {"cancel": "rétracte"}),
    (
        "",
        "Vous avez débité 19,90 deux fois pour ma commande 4471, vous me recréditez la différence ?",
        {"duplicate": "deux fois", "refund": "recréditez"},
    ),
    ("", "Commande 6203 : j'ai oublié de préciser le digicode, c'est 7781B, bâtiment C.", {"address_fix": "digicode"}),
    ("", "Admettons que je renvoie le manteau, vous me remboursez sous combien de jours ?", {}),
    (
        "",
        "La commande 6610 doit être livrée à mon bureau et non à la maison : 8 rue Colbert, 37000 Tours.",
        {"address_fix": "et non"},
    ),
    ("", "Annulez la commande 7710 s'il vous plaît… Non, oubliez, mon mari la veut finalement.", {}),
    ("", "Encore un retard pour la 4410 : la prochaine fois, c'est moi qui annule.", {}),
    ("", "Je ne demande aucun remboursement, je voulais juste vous signaler le défaut.", {}),
    (
        "",
        "Ma banque montre deux prélèvements de 35 € pour une seule commande, je voudrais récupérer le deuxième.",
        {"duplicate": "deux prélèvements", "refund": "récupérer le deuxième"},
    ),
    ("", "Stoppez la commande 5521 s'il vous plaît, je l'ai trouvée moins chère ailleurs.", {"cancel": "stoppez"}),
    (
        "",
        "Bonjour, les 30 € de la commande que vous avez annulée, ils reviennent quand ?",
        {"refund": "reviennent quand"},
    ),
    (
        "",
        "Je n'ai toujours reçu aucun remboursement pour la commande 4410, renvoyée il y a un mois.",
        {"refund": "aucun remboursement"},
    ),
    # An impersonal question ("peut-on …") asks about the writer's order when the clause names it (issue 14, s29).
    ("", "Peut-on encore annuler la commande 60731 ? J'ai trouvé moins cher ailleurs.", {"cancel": "60731"}),
    ("", "Est-ce qu'on peut encore annuler ma commande d'hier ?", {"cancel": "ma commande"}),
    ("", "Peut-on annuler une commande après l'expédition ? Je n'ai encore rien commandé.", {}),
    ("", "S'il n'est pas là mardi, j'annule.", {}),
    ("", "S'il n'est pas là mardi, annulez la commande 61204.", {"cancel": "annulez"}),
    ("", "Vous acceptez les annulations après le paiement ?", {}),
    ("", "Est-il possible d'annuler une commande une fois payée ?", {}),
    # The order named around the object, parts added (issue 14, s29: the German shapes' counterparts).
    ("", "Il n'a plus besoin de la loupe de la commande 30771.", {"cancel": "plus besoin"}),
    ("", "Merci de me reverser les 69 euros sur mon compte.", {"refund": "reverser"}),
    ("", "Merci d'ajouter le numéro de rue à la commande 83515 : c'est le 12.", {"address_fix": "ajouter"}),
    ("", "Je n'ai plus besoin d'aide, la lampe de la commande 30771 marche de nouveau.", {}),
    ("", "Les deux commandes sont voulues, merci de ne pas les regrouper ou annuler.", {}),
]


@pytest.mark.parametrize(("subject", "body", "expected"), CASES)
def test_french(intent_model: IntentModel, subject: str, body: str, expected: dict[str, str]) -> None:
    check(intent_model, subject, body, expected)
