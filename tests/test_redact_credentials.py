"""Credentials in the shapes a blind probe (issue 13, probe 5) found leaking: security answers, a user and password
in one token, bank-login labels, one-time codes and PINs by their local names, passwords after a log-in verb or
as old and new, CVVs described by place or under a header; and beside each shape what must survive.

SECRETS: (text, values): every value is gone from the output. DECOYS: (text, kept): each kept string is still
in the output, character for character.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.redact import prescan, redact

SECRETS: list[tuple[str, list[str]]] = [
    # security answers, removed like a password
    ("My mother's maiden name is Kowalczyk.", ["Kowalczyk"]),
    ("mothers maiden name: van der Meulen", ["van der Meulen"]),
    ("Security question: name of my first pet.\nAnswer: Flocke", ["Flocke"]),
    ("the name of my first pet is Bello", ["Bello"]),
    ("memorable word = Tangerine", ["Tangerine"]),
    ("Geburtsname der Mutter: Oberhuber", ["Oberhuber"]),
    ("Sicherheitsfrage: Mädchenname der Mutter. Antwort: Leitner", ["Leitner"]),
    ("Antwort auf die Sicherheitsfrage: Brösel", ["Brösel"]),
    ("nom de jeune fille de ma mère : Lefebvre", ["Lefebvre"]),
    ("réponse à la question secrète : Moustique", ["Moustique"]),
    ("el nombre de mi primera mascota es Canelo", ["Canelo"]),
    ("apellido de soltera de mi madre: Etxeberria", ["Etxeberria"]),
    ("respuesta secreta: Rayo", ["Rayo"]),
    ("cognome da nubile di mia madre: Esposito", ["Esposito"]),
    ("meisjesnaam van mijn moeder: Bakker", ["Bakker"]),
    ("nome de solteira da minha mãe é Carvalho", ["Carvalho"]),
    # a user and a password in one token
    ("see https://kbauer:Ostsee!2031@portal.example.net/login", ["Ostsee!2031", "kbauer"]),
    ("Zugang: http://l.moreau:Mistral88@bank.example.fr", ["Mistral88"]),
    ("creds pvermeer/Tulp_4711", ["Tulp_4711"]),
    ("credentials: jgarcia77 / Sevilla#19", ["Sevilla#19"]),
    ("login: anna_k / pw: Kiefer2030", ["anna_k", "Kiefer2030"]),
    # bank-login labels
    ("VR-Kennung hmueller_71", ["hmueller_71"]),
    ("meine Postbank ID lautet 77123490K", ["77123490K"]),
    ("Anmeldename: fritz.schulze", ["fritz.schulze"]),
    ("Verfügernummer 4408812233", ["4408812233"]),
    ("Legitimations-ID: 90871234", ["90871234"]),
    ("identifiant client bancaire : jdupont.44", ["jdupont.44"]),
    ("numéro d'abonné : 61820034", ["61820034"]),
    ("codice cliente home banking: 55120987A", ["55120987A"]),
    ("usuario de banca online: mlopez_82", ["mlopez_82"]),
    ("mijn gebruikersnaam bij de bank is devisser.p", ["devisser.p"]),
    ("número de adesão: 7718290034", ["7718290034"]),
    ("my internet banking customer number is 30918277", ["30918277"]),
    ("el DNI para acceder a la banca online es 48213377K", ["48213377K"]),
    # one-time codes by a bank's or a scheme's name, and a code before its cue
    ("pushTAN: 820417", ["820417"]),
    ("chipTAN 331907", ["331907"]),
    ("smsTAN 574120", ["574120"]),
    ("Freigabecode 640218", ["640218"]),
    ("my SecureCode was 918273", ["918273"]),
    ("Mastercard ID Check code: 402871", ["402871"]),
    ("441906 is your Visa Secure code", ["441906"]),
    ("the 3-D Secure code is 660128", ["660128"]),
    ("clave SMS: 209381", ["209381"]),
    ("código MB WAY 552901", ["552901"]),
    ("code de confirmation : 730164", ["730164"]),
    ("the code you texted me was 118274", ["118274"]),
    # PINs by their local names, 4 to 6 digits
    ("PIN do cartão: 7391", ["7391"]),
    ("mon code secret CB c'est 2684", ["2684"]),
    ("clave de la tarjeta: 0913", ["0913"]),
    ("code d'accès banque en ligne : 528163", ["528163"]),
    ("inlogcode 60417", ["60417"]),
    ("PIN dispositivo: 18264", ["18264"]),
    ("clave de acceso a la banca en línea 70215", ["70215"]),
    # passwords: old and new, after a log-in verb, a framing, a trailing "!"
    ("altes Passwort Winter!2019, neues Fruehling#2027", ["Winter!2019", "Fruehling#2027"]),
    ("old password Gecko_2020, new one: Lizard_2026", ["Gecko_2020", "Lizard_2026"]),
    ("ancien mot de passe Brume.44, nouveau Soleil.55", ["Brume.44", "Soleil.55"]),
    ("contraseña antigua Faro-2018, la nueva Puerto-2026", ["Faro-2018", "Puerto-2026"]),
    ("I always log in with Kestrel77 and it fails", ["Kestrel77"]),
    ("ich melde mich immer mit Zugspitze_9 an", ["Zugspitze_9"]),
    ("je me connecte avec Lavande-31", ["Lavande-31"]),
    ("entro con Girasol_12 y nada", ["Girasol_12"]),
    ("I use the same password everywhere: Quokka!808", ["Quokka!808"]),
    ("Passwort: Herbstlaub2029!", ["Herbstlaub2029!"]),
    ("password is Magnolia77?!", ["Magnolia77?!"]),
    # CVVs by place, under a header line, in a list, in a URL
    ("Amex 3714 496353 98431, the four digits on the front: 4417", ["4417"]),
    ("Amex 3714 496353 98431, die 4-stellige Nummer vorne 2290", ["2290"]),
    ("Amex 3714 496353 98431, code à 4 chiffres au recto : 8816", ["8816"]),
    ("Amex 3714 496353 98431, los 4 dígitos del frente: 5530", ["5530"]),
    ("Karte 4111 1111 1111 1111, die Zahlen hinten drauf: 604", ["604"]),
    ("card 4111 1111 1111 1111, the code on the signature panel is 271", ["271"]),
    ("Karte 4111 1111 1111 1111, Code auf der Rückseite: 319", ["319"]),
    ("carte 4111 1111 1111 1111, le code derrière ma carte : 547", ["547"]),
    ("carta 4111 1111 1111 1111, codice sul retro 802", ["802"]),
    ("Card no.            Valid thru      CVC\n5555 5555 5555 4444     11/29           936", ["936"]),
    ("Kartendaten:\n- 5555 5555 5555 4444\n- 08/31\n- 147", ["147"]),
    ("https://shop.example/pay?kartennr=4111111111111111&pruefnr=538", ["538"]),
]

DECOYS: list[tuple[str, str]] = [
    # the same words, no secret behind them
    ("What is your mother's maiden name? We never ask for it.", "We never ask for it"),
    ("Please answer: did my parcel ship?", "did my parcel ship"),
    ("Antwort: Ja, bitte stornieren.", "Ja, bitte stornieren"),
    ("https://shop.example.com:8443/orders/4412", "https://shop.example.com:8443/orders/4412"),
    ("mailto:anna@example.com and https://example.com/a:b", "https://example.com/a:b"),
    ("I log in with my email address", "my email address"),
    ("je me connecte avec Google", "avec Google"),
    ("VR-Kennung vergessen", "vergessen"),
    ("mi DNI para la factura: 48213377K", "48213377K"),
    ("the code de confirmation de commande 55120", "55120"),
    ("code d'accès immeuble 4512B", "4512B"),
    ("der Code auf der Rückseite der Packung ist 318", "318"),
    ("the digits on the front of the box read 2291", "2291"),
    ("il codice sul retro della scatola è 615", "615"),
    ("o código no verso da caixa é 774", "774"),
    ("Card number\n4111 1111 1111 1111\n\nOrder total: 129 EUR", "129 EUR"),
    # Luhn-valid numbers labelled as invoices, delivery notes, loyalty numbers
    ("Rechnungsnummer 4012888888881881", "4012888888881881"),
    ("Lieferscheinnummer: 4111111111111111", "4111111111111111"),
    ("numero fattura 5555555555554444", "5555555555554444"),
    ("factuurnummer 4012888888881881", "4012888888881881"),
    ("número da fatura 4111111111111111", "4111111111111111"),
    ("my loyalty number is 6011 0009 9013 9424", "6011 0009 9013 9424"),
    # validity dates of vouchers and discount codes, and a full date
    ("Rabattcode HERBST10 gültig bis 10/27", "10/27"),
    ("kortingscode ZOMER5 geldig tot 15-08-2027", "15-08-2027"),
    ("cadeaubon geldig tot 09/28", "09/28"),
    ("Gutschein gültig bis 31-12-2027", "31-12-2027"),
]


def _gone(out: str, value: str) -> bool:
    return value not in out


@pytest.mark.parametrize(("text", "values"), SECRETS, ids=[t[:40] for t, _ in SECRETS])
def test_credential_shapes_never_survive(text: str, values: list[str]) -> None:
    out = redact(text).text
    assert [v for v in values if not _gone(out, v)] == []


@pytest.mark.parametrize(("text", "values"), SECRETS, ids=[t[:40] for t, _ in SECRETS])
def test_credential_shapes_redact_the_same_without_the_prescan(text: str, values: list[str]) -> None:
    with prescan.disabled():
        slow = redact(text)
    assert redact(text) == slow


@pytest.mark.parametrize(("text", "kept"), DECOYS, ids=[t[:40] for t, _ in DECOYS])
def test_credential_decoys_survive(text: str, kept: str) -> None:
    assert kept in redact(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Passwort: Sommer2024!", "Passwort: [password removed]"),
        ("https://jo:Pa55word@x.example/", "https://[login removed]:[password removed]@x.example/"),
        ("altes Passwort Abc123, neues Xyz789", "altes Passwort [password removed], neues [password removed]"),
        ("Answer to my security question: Rex", "Answer to my security question: [password removed]"),
    ],
)
def test_the_marker_covers_the_whole_value_and_keeps_its_label(text: str, expected: str) -> None:
    assert redact(text).text == expected


_USER = st.from_regex(r"[a-z][a-z0-9._]{2,14}", fullmatch=True)
_PASSWORD = st.from_regex(r"[A-Za-z][A-Za-z0-9!$._-]{4,18}[0-9]", fullmatch=True)


@given(user=_USER, password=_PASSWORD, host=st.sampled_from(["bank.example.com", "portal.example.de", "x.example"]))
def test_a_password_in_a_url_never_survives(user: str, password: str, host: str) -> None:
    out = redact(f"log in here: https://{user}:{password}@{host}/start").text
    assert password not in out
    assert host in out


@given(
    old=_PASSWORD,
    new=_PASSWORD,
    frame=st.sampled_from(
        [
            "old password {}, new {}",
            "altes Passwort {}, neues {}",
            "ancien mot de passe {}, nouveau {}",
            "contraseña antigua {}, la nueva {}",
        ]
    ),
)
def test_old_and_new_passwords_both_go(old: str, new: str, frame: str) -> None:
    out = redact(frame.format(old, new)).text
    assert old not in out
    assert new not in out
