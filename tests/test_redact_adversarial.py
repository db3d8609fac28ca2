"""Redaction as an attacker (or a careless copy-paste) writes secrets: issue 13's shapes, one table each.

SECRETS: (text, values): every value must be gone from the output (compared on ASCII digits and
letters, so a full-width or Arabic-Indic copy of a value counts too). DECOYS: (text, kept): each kept
string must still be in the output, character for character.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from triage.redact import redact

CARD = "4111 1111 1111 1111"


def plain(s: str) -> str:
    """Letters and digits only, every digit in ASCII: what a value reads as, however it was written."""
    out = []
    for c in s:
        d = unicodedata.decimal(c, None)
        if d is not None:
            out.append(str(d))
        elif c.isalnum():
            out.append(c.lower())
    return "".join(out)


SECRETS: list[tuple[str, list[str]]] = [
    # separators and spacing
    ("card 4111/1111/1111/1111", ["4111111111111111"]),
    ("card 4111_1111_1111_1111", ["4111111111111111"]),
    ("card 4111,1111,1111,1111", ["4111111111111111"]),
    ("card 4111\t1111\t1111\t1111", ["4111111111111111"]),
    ("card 4111  1111  1111  1111", ["4111111111111111"]),
    ("card 4111 - 1111 - 1111 - 1111", ["4111111111111111"]),
    ("card 4111–1111–1111–1111", ["4111111111111111"]),
    ("card 4111\u22121111\u22121111\u22121111", ["4111111111111111"]),
    ("card 4111+1111+1111+1111", ["4111111111111111"]),
    ("card 4111.1111 1111-1111", ["4111111111111111"]),
    ("4111- 1111 -1111 - 1111 is the number", ["4111111111111111"]),
    ("+4111 1111 1111 1111", ["4111111111111111"]),
    ("5555 5555 5555 4444", ["5555555555554444"]),
    ("IBAN DE89 3704 0044 0532 0130 00 / 4111/1111/1111/1111", ["de89370400440532013000", "4111111111111111"]),
    ("<td>4111</td><td>1111</td><td>1111</td><td>1111</td>", ["4111111111111111"]),
    ("my card 4111<br>1111<br>1111<br>1111", ["4111111111111111"]),
    # invisible and foreign characters
    ("card 4111\u200b1111\u200b1111\u200b1111", ["4111111111111111"]),
    ("card 4111&#8203;1111&#8203;1111&#8203;1111", ["4111111111111111"]),
    ("card 4111\xad1111\xad1111\xad1111", ["4111111111111111"]),
    ("card 4111\u20601111\u20601111\u20601111", ["4111111111111111"]),
    ("card 4111\u30001111\u30001111\u30001111", ["4111111111111111"]),
    ("card ４１１１ １１１１ １１１１ １１１１", ["4111111111111111"]),
    ("card ٤١١١ ١١١١ ١١١١ ١١١١", ["4111111111111111"]),
    ("card ۴۱۱۱ ۱۱۱۱ ۱۱۱۱ ۱۱۱۱", ["4111111111111111"]),
    ("card ४१११ ११११ ११११ ११११", ["4111111111111111"]),
    # line breaks
    ("my card is 41111111\n11111111 thanks", ["4111111111111111"]),
    ("my card is 4111 1111 1111\n1111 thanks", ["4111111111111111"]),
    ("4111\n1111\n1111\n1111", ["4111111111111111"]),
    ("> my card is 4111 1111\n> 1111 1111\n> exp 12/29", ["4111111111111111", "1229"]),
    (">> 4111 1111\n>> 1111 1111", ["4111111111111111"]),
    # glued to letters, URL-encoded
    ("Card:4111111111111111Exp:12/29", ["4111111111111111", "1229"]),
    ("pan%3D4111111111111111%26exp%3D1229", ["4111111111111111"]),
    ("see attachment visa4111111111111111.png", ["4111111111111111"]),
    ("card first 8: 41111111, last 8: 11111111", ["41111111", "11111111"]),
    # brands without a card word
    ("5018 0000 0009", ["501800000009"]),
    ("card 5018 0000 0009", ["501800000009"]),
    ("6771 7980 2100 0008", ["6771798021000008"]),
    ("6799 9900 0000 0000 011", ["6799990000000000011"]),
    ("6703 4444 4444 4449", ["6703444444444449"]),
    ("6070 0000 0000 0002", ["6070000000000002"]),
    ("5066 9911 1111 1118", ["5066991111111118"]),
    ("9792 0000 0000 0003", ["9792000000000003"]),
    ("5061 0000 0000 0000 007", ["5061000000000000007"]),
    ("622126 0000000000001", ["6221260000000000001"]),
    ("6062 8288 8866 6688", ["6062828888666688"]),
    ("2200 0000 0000 0004", ["2200000000000004"]),
    ("3782 822463 10005", ["378282246310005"]),
    # CVV
    ("the 3 digits on the back are 737", ["737"]),
    ("die 3 Ziffern auf der Rückseite sind 737", ["737"]),
    ("los 3 dígitos del reverso son 737", ["737"]),
    ("les 3 chiffres au dos sont 737", ["737"]),
    ("Amex 3782 822463 10005 CID 1234", ["1234"]),
    ("verification number 737", ["737"]),
    ("CVV-Nummer: 737", ["737"]),
    ("CVV: 7 3 7", ["737"]),
    ('{"pan": "4111111111111111", "cvv": "737"}', ["4111111111111111", "737"]),
    ("4111 1111 1111 1111 and the code is 737", ["737"]),
    ("Prüfziffer 737", ["737"]),
    ("código de seguridad: 737", ["737"]),
    ("cryptogramme 737", ["737"]),
    # expiry
    ("card 4111 1111 1111 1111 expiry 2029-12", ["202912"]),
    ("card 4111 1111 1111 1111 (MM/YY): 12/29", ["1229"]),
    ("my card is good until 12/29", ["1229"]),
    ("card valid to end of 12/2029", ["122029"]),
    ("Verfallsdatum der Karte: 12.2029", ["122029"]),
    ("die Karte läuft ab 12/29", ["1229"]),
    ("la tarjeta vence 12/29", ["1229"]),
    ("la tarjeta caduca el 12/29", ["1229"]),
    ("carte expire fin 12/29", ["1229"]),
    ("carte valable jusqu'au 12/29", ["1229"]),
    ('{"number": "4111111111111111", "exp_month": "12", "exp_year": "2029"}', ["4111111111111111", "2029"]),
    # IBAN
    ("de89 3704 0044 0532 0130 00", ["de89370400440532013000"]),
    ("IBAN DE89 3704 0044\n0532 0130 00", ["de89370400440532013000"]),
    ("IBAN DE89  3704  0044  0532  0130  00", ["de89370400440532013000"]),
    ("IBAN DE89\u200b3704\u200b0044\u200b0532\u200b0130\u200b00", ["de89370400440532013000"]),
    ("IBAN DE89 37O4 OO44 O532 O13O OO", ["de8937o4oo44o532o13ooo"]),
    # bank accounts
    ("sort code 12-34-56 account number 12345678", ["123456", "12345678"]),
    ("routing 021000021 account 123456789", ["021000021", "123456789"]),
    ("BSB 062-000, account 12345678", ["062000", "12345678"]),
    ("transit 12345, institution 003, account 1234567", ["1234567"]),
    ("Acc 12345678", ["12345678"]),
    ("compte n° 12345678901", ["12345678901"]),
    ("Kontonummer 1234567890", ["1234567890"]),
    # passwords, PINs, codes, logins
    ("my password Sunshine2024", ["sunshine2024"]),
    ("password Sunshine", ["sunshine"]),
    ("my pass is hunter22", ["hunter22"]),
    ("the password I use is Tr0ub4dor", ["tr0ub4dor"]),
    ("I changed my password to Bluebird7", ["bluebird7"]),
    ("user: jdoe88 pass: S3cret!", ["s3cret"]),
    ("<p>Password:</p><p>Qwerty123</p>", ["qwerty123"]),
    ("Password:\n\nQwerty123", ["qwerty123"]),
    ("my PIN is 4821", ["4821"]),
    ("the code from the SMS was 482913", ["482913"]),
    ("SMS code 482913", ["482913"]),
    ("my online banking username is jdoe1985", ["jdoe1985"]),
    ("Online-Banking Benutzername: maxmuster77", ["maxmuster77"]),
    ('{"password": "hunter22"}', ["hunter22"]),
    ('{"pin": "4821"}', ["4821"]),
    # round 5: more separators, spelled digits, CVV and login cues in other words
    ("card 4111|1111|1111|1111", ["4111111111111111"]),
    ("card 4111\\1111\\1111\\1111", ["4111111111111111"]),
    ("card 4111:1111:1111:1111", ["4111111111111111"]),
    ("card 4111*1111*1111*1111", ["4111111111111111"]),
    ("my card is 4111 1111 1111 one one one one", ["111111111111", "oneoneoneone"]),
    ("Karte: vier eins eins eins 1111 1111 1111", ["vierein", "111111111111"]),
    ("the 3-digit code is 737", ["737"]),
    ("der 3-stellige Prüfcode ist 737", ["737"]),
    ("carte 4111 1111 1111 1111, crypto 456", ["4111111111111111", "456"]),
    ("usuario de banca: pedro77", ["pedro77"]),
    ("the 6-digit code is 482913", ["482913"]),
    ("tarjeta 4111 1111 1111 1111, expira el 08/27", ["4111111111111111", "0827"]),
    ("Karte 4111 1111 1111 1111, Ablauf 03/28", ["4111111111111111", "0328"]),
    ("security number on the back: 737", ["737"]),
    ("le code reçu par SMS est 482913", ["482913"]),
    ("el código que me llegó por SMS es 482913", ["482913"]),
    ("card no. 4111 1111 1111 1111 expiry 12 29 cvv 123", ["4111111111111111", "1229", "123"]),
    ("card (4111)(1111)(1111)(1111)", ["4111111111111111"]),
    ("card [4111] [1111] [1111] [1111]", ["4111111111111111"]),
    ("CC: 4111 1111 1111 1111 / 1229 / 123", ["4111111111111111", "1229", "123"]),
    ("cvv is one two three", ["onetwothree"]),
    ("meine PIN lautet vier drei zwei eins", ["vierdreizweieins"]),
    ("mi código de seguridad es siete tres siete", ["sietetressiete"]),
    ("Password\nHunter2024", ["hunter2024"]),
    ("Passwort\n\nSommer2024", ["sommer2024"]),
    ("IBAN:DE89370400440532013000BIC:COBADEFFXXX", ["de89370400440532013000"]),
    # round 6, a tester's new shapes
    ("expires 12/27", ["1227"]),
    ("Gültig bis 12/27", ["1227"]),
    ("fecha de caducidad: 11/28", ["1128"]),
    ("CVV (123)", ["123"]),
    ("cvv — 123", ["123"]),
    ("c.v.v. 123", ["123"]),
    ("the code on the back is 123", ["123"]),
    ("The password, it's Blue$ky77, I think", ["bluesky77"]),
    ("password -> Zebra!55", ["zebra55"]),
    ("PIN 1 2 3 4", ["1234"]),
    ("mon code confidentiel est 3141", ["3141"]),
    ("the code is 482913", ["482913"]),
    ("username jsmith88 password Rosebud#1", ["jsmith88", "rosebud1"]),
    ("card4111111111111111exp1227cvv123", ["4111111111111111", "1227", "123"]),
    ("exp: Dec/27", ["dec27"]),
    ("caduca en diciembre de 2027", ["diciembrede2027"]),
    ("PIN de la tarjeta: 2580", ["2580"]),
    ("CC: 4111 1111 1111 1111 (12/27) 123", ["4111111111111111", "1227", "123"]),
    # round 7 (a tester's probe, each shape in every language it exists in)
    # 1. logins
    ("username: jsmith88", ["jsmith88"]),
    ("user name jsmith88", ["jsmith88"]),
    ("login jsmith88", ["jsmith88"]),
    ("my user ID is JSMITH1980", ["jsmith1980"]),
    ("login ID: alice.w", ["alicew"]),
    ("Username:\njsmith88", ["jsmith88"]),
    ("my login name is bob_builder", ["bobbuilder"]),
    ("user-id = 12345678", ["12345678"]),
    ("Benutzername: mmustermann", ["mmustermann"]),
    ("mein Benutzername ist mmuster77", ["mmuster77"]),
    ("Anmeldename für Online-Banking: kfischer77", ["kfischer77"]),
    ("Nutzerkennung: MM1980", ["mm1980"]),
    ("Nutzername: erika.m", ["erikam"]),
    ("Kundennummer für das Online-Banking 12345678", ["12345678"]),
    ("nombre de usuario: mgarcia80", ["mgarcia80"]),
    ("mi usuario es mgarcia80", ["mgarcia80"]),
    ("ID de usuario: MG1980", ["mg1980"]),
    ("número de cliente para la banca online 12345678", ["12345678"]),
    ("identifiant : jdupont75", ["jdupont75"]),
    ("nom d'utilisateur : jdupont", ["jdupont"]),
    ("mon identifiant est jdupont75", ["jdupont75"]),
    ("numéro client pour la banque en ligne 12345678", ["12345678"]),
    ("customer number for online banking 12345678", ["12345678"]),
    ("online banking username: jsmith@example.com", ["jsmithexamplecom"]),
    ("username jsmith88 password Rosebud#1", ["jsmith88", "rosebud1"]),
    # 2. positional
    ("4111111111111111|12|2027|123", ["4111111111111111", "2027", "123"]),
    ("4111111111111111;12;27;123", ["4111111111111111", "1227", "123"]),
    ("4111111111111111\t12\t2027\t123", ["4111111111111111", "2027", "123"]),
    ("4111111111111111,12,2027,123", ["4111111111111111", "2027", "123"]),
    ("Number\n5555555555554444\nExpiry\n09/26\nCode\n737", ["5555555555554444", "0926", "737"]),
    ("Number\n5555555555554444\nExpiry\n09/26\nCVC\n737", ["737"]),
    ("Number\n5555555555554444\nExpiry\n09/26\nSecurity code\n737", ["737"]),
    ("Kartennummer\n5555555555554444\nGültig bis\n09/26\nPrüfziffer\n737", ["0926", "737"]),
    ("Número\n5555555555554444\nCaducidad\n09/26\nCódigo\n737", ["737"]),
    ("Numéro\n5555555555554444\nExpiration\n09/26\nCryptogramme\n737", ["0926", "737"]),
    ("Expiry\n09/26\nCode\n737", ["0926", "737"]),
    ("Visa 4111 1111 1111 1111, exp 12/2027, sec 123", ["4111111111111111", "122027", "123"]),
    ("Visa 4111 1111 1111 1111 exp 12/27 sec code 123", ["123"]),
    ("card 4111 1111 1111 1111 exp 12/27 sc 123", ["123"]),
    ("exp 12/27 sec 123", ["1227", "123"]),
    ("Valid: 12/27", ["1227"]),
    ("Valid thru: 12/27", ["1227"]),
    ("Gültig: 12/27", ["1227"]),
    ("Válida: 12/27", ["1227"]),
    ("Valable : 12/27", ["1227"]),
    ("card expires on the 12/27", ["1227"]),
    ("la tarjeta vence el 12/27", ["1227"]),
    ("la carte expire le 12/27", ["1227"]),
    # 3. codes
    ("Your code is G-482913", ["482913"]),
    ("Ihr Code lautet G-482913", ["482913"]),
    ("code: 482913 (expires in 5 min)", ["482913"]),
    ("Code: 482913", ["482913"]),
    ("code : 482913", ["482913"]),
    ("you sent me 482913 by text", ["482913"]),
    ("the 6 digits you texted me: 482913", ["482913"]),
    ("you texted me 482913", ["482913"]),
    ("me mandaron por SMS el 482913", ["482913"]),
    ("me enviaron el 482913 por SMS", ["482913"]),
    ("vous m'avez envoyé 482913 par SMS", ["482913"]),
    ("vous m'avez envoyé par SMS le code 482913", ["482913"]),
    ("Sie haben mir 482913 per SMS geschickt", ["482913"]),
    ("per SMS bekommen: 482913", ["482913"]),
    ("my PIN (6 digits) is 482913", ["482913"]),
    ("meine PIN (6-stellig) ist 482913", ["482913"]),
    ("mi PIN (6 dígitos) es 482913", ["482913"]),
    ("mon code PIN (6 chiffres) est 482913", ["482913"]),
    # 4. password before
    ("I tried logging in with Sunshine99 as my password", ["sunshine99"]),
    ("Sunshine99 is my password", ["sunshine99"]),
    ("Geheim123! ist mein Passwort", ["geheim123"]),
    ("ich habe Geheim123! als Passwort benutzt", ["geheim123"]),
    ("Sol#2020 es mi contraseña", ["sol2020"]),
    ("Lune!77 c'est mon mot de passe", ["lune77"]),
    ("mein Passwort ist Geheim123!", ["geheim123"]),
    # 5. masked + full
    ("card no. 411111******1111 and the full one is 4111111111111111", ["4111111111111111"]),
    ("Mi usuario es nacho_r y la contraseña la olvidé", ["nachor"]),
    ("Mon identifiant c'est lea.m et le mot de passe aussi", ["leam"]),
    ("Login-ID: jsmith88", ["jsmith88"]),
    ("Benutzerkennung lautet MM1980", ["mm1980"]),
    ("Carte 4111 1111 1111 1111;09;2027;737", ["4111111111111111", "2027", "737"]),
    ("Ihr Einmalcode per SMS: 482913", ["482913"]),
    # issue 13, probe 3. A label word earlier in the sentence names no number: "envio" is "I send"
    ("Olá, envio o meu cartão novo 5125 3982 7920 0171 para o reembolso.", ["5125398279200171"]),
    ("envio os novos dados: cartão 2535 8003 4621 0100, validade 10/29", ["2535800346210100", "1029"]),
    ("Envio em anexo os dados: 4478 6705 0255 5340, obrigado.", ["4478670502555340"]),
    ("I send you my card 4111 1111 1111 1111", ["4111111111111111"]),
    ("te envío mi tarjeta 4111 1111 1111 1111", ["4111111111111111"]),
    ("je vous envoie 4111 1111 1111 1111", ["4111111111111111"]),
    ("ich sende Ihnen 4111 1111 1111 1111", ["4111111111111111"]),
    ("the order was refused, so here again: 4111 1111 1111 1111", ["4111111111111111"]),
    ("Zur Bestellung: meine neue 4111 1111 1111 1111", ["4111111111111111"]),
    ("sobre el pedido, aquí va de nuevo 4111 1111 1111 1111", ["4111111111111111"]),
    ("pour la commande, voici encore 4111 1111 1111 1111", ["4111111111111111"]),
    ("the invoice was paid with 4111 1111 1111 1111", ["4111111111111111"]),
    # Italian, Dutch and Portuguese cue words
    ("4111 1111 1111 1111 — le tre cifre sul retro sono 375", ["375"]),
    ("4111 1111 1111 1111 — beveiligingscode 334", ["334"]),
    ("4111 1111 1111 1111 — de 3 cijfers achterop: 348", ["348"]),
    ("4111 1111 1111 1111 — código de segurança 712", ["712"]),
    ("4111 1111 1111 1111 — os 3 dígitos atrás do cartão são 444", ["444"]),
    ("codice di sicurezza: 518", ["518"]),
    ("4111 1111 1111 1111 vervalt in juni 2028", ["juni 2028"]),
    ("vervaldatum 08/28", ["0828"]),
    ("cartão 4111 1111 1111 1111, validade 10/29", ["1029"]),
    ("la carta scade il 08/27", ["0827"]),
    ("la parola d'ordine è Gondola88", ["gondola88"]),
    ("mijn ww is Tulp2023!", ["tulp2023"]),
    ("wachtwoord: Fiets!42", ["fiets42"]),
    ("a minha palavra-passe é Kx7#rTq2", ["kx7rtq2"]),
    ("senha: Paella#12", ["paella12"]),
    ("verificatiecode 402918", ["402918"]),
    ("código de confirmação 617305", ["617305"]),
    ("codice di verifica: 558120", ["558120"]),
    ("codice utente home banking: GRS7781", ["grs7781"]),
    ("gebruikersnaam internetbankieren: jdbakker", ["jdbakker"]),
    ("utilizador do homebanking: ritasilva9", ["ritasilva9"]),
    ("con home banking nome utente lgarcia.bank, password Paella#12", ["lgarciabank", "paella12"]),
    ("Anmeldename fürs Onlinebanking: HMeier1970", ["hmeier1970"]),
    ("conto corrente n. 000000123456", ["000000123456"]),
    ("NIB 0035 0651 00000211930 71", ["00350651000002119307"]),
    ("me: card 5138389784621584\nme: oh and code on back 903", ["903"]),
    ("P/W: Xy7-Qp2-Lm9", ["xy7qp2lm9"]),
    # label and value apart: HTML elements, JSON keys, form attributes, the next sentence or chat line
    ("<p>Password:</p>\n<p>GrüneWiese77</p>", ["grünewiese77"]),
    ("<tr><td>Kennwort</td><td>Bodensee!19</td></tr>", ["bodensee19"]),
    ("<div>CVV</div><div>842</div>", ["842"]),
    ("<p>Vencimiento: <strong>08/28</strong></p>", ["0828"]),
    ("<tr><th>PIN</th><td>4821</td></tr>", ["4821"]),
    ('{"pan": "2221 3396 5574 2915", "expiry": "2028-03", "security_code": "604"}', ["202803", "604"]),
    ('{"cvc": "604", "exp_date": "03/28"}', ["604", "0328"]),
    ('{"password": "Zebra!55", "pin": "4821"}', ["zebra55", "4821"]),
    ('Nom="Durand" MotDePasse="Chaton_Gris8"', ["chatongris8"]),
    ("I tried to log in with my usual password. It is Herfst2020 by the way.", ["herfst2020"]),
    ("Mi contraseña? Es Churros2025.", ["churros2025"]),
    ("The PIN you asked about. It's 6120.", ["6120"]),
    ("Prüfziffer? Die lautet 481.", ["481"]),
    ("You asked for the code from the back. Here it is: 276.", ["276"]),
    ("Le code PIN ? C'est 7301.", ["7301"]),
    ("[14:01] agent: what's the 3 digits?\n[14:02] me: 624", ["624"]),
    ("CVV: 3O7", ["3o7"]),
    # expiry without a card number beside it
    ("Regarding my credit card: expires 2029-12.", ["202912"]),
    ("The card expires soon. Month 09, year 2028.", ["2028"]),
    # cues of their own
    ("passphrase: correct horse battery staple", ["correct horse battery staple"]),
    ("G-285013 is your Google verification code", ["285013"]),
    ("482913 is your verification code", ["482913"]),
]

DECOYS: list[tuple[str, str]] = [
    ("the voucher is valid thru 12/29", "12/29"),
    ("customer account #58213", "58213"),
    ("tracking number 4111 1111 1111 1111", "4111 1111 1111 1111"),
    ("Sendungsnummer 4111111111111111", "4111111111111111"),
    ("order 1042 was shipped", "1042"),
    ("Order #100234 and #100235", "#100234"),
    ("número de pedido 4111111111111111", "4111111111111111"),
    ("numéro de commande 4111111111111111", "4111111111111111"),
    ("invoice 4111111111111111", "4111111111111111"),
    ("référence 4111111111111111", "4111111111111111"),
    ("call me on +49 151 23456789", "+49 151 23456789"),
    ("phone 0151 2345 6789", "0151 2345 6789"),
    ("delivered 12/03/2026 at 14:30", "12/03/2026"),
    ("it cost 1,299.00 EUR", "1,299.00"),
    ("10115 Berlin", "10115"),
    ("SW1A 1AA London", "SW1A 1AA"),
    ("the parcel weighs 2.5 kg", "2.5"),
    ("Bestellung 12345 vom 03.12.2026", "12345"),
    ("my password is wrong again", "wrong"),
    ("My password doesn't work", "doesn't"),
    ("the passcode won’t work for me", "won’t"),
    ("UPS 1Z999AA10123456784", "1Z999AA10123456784"),
    ("meeting at 10:30:15 on 2026-12-03", "10:30:15"),
    ("| 10421 | 2 | 49.90 |", "| 10421 | 2 | 49.90 |"),
    ("I have one order and two questions, 4 items", "one order and two questions, 4 items"),
    ("My order has a 3 digit number on the label: 123", "123"),
    ("Der Ablauf war chaotisch, 3 Tage Verspätung am 12/03", "12/03"),
    ("the code on the back of the box is 4411", "4411"),
    ("the card expires in 12 days", "12 days"),
    ("see items (12)(3) and [4] of order 1042", "(12)(3) and [4] of order 1042"),
    ("the cvv is on the back, one of the digits is smudged", "one of the digits"),
    ("Password\nreset did not work", "reset did not work"),
    ("Password\nThanks", "Thanks"),
    ("Your subscription expires 12/27", "12/27"),
    ("the code is SUMMER20 for 20% off", "SUMMER20"),
    ("zip code: 10115", "10115"),
    ("ref ABC4111111111111111XYZ99", "ABC4111111111111111XYZ99"),
    ("the offer expires in December 2027", "December 2027"),
    # round 7: what the new login, code and expiry shapes must leave alone
    ("tracking code: 1Z999AA10123456784", "1Z999AA10123456784"),
    ("use code SUMMER20 for 20% off", "SUMMER20"),
    ("discount code: SUMMER20", "SUMMER20"),
    ("order code 4471", "4471"),
    ("order code: 4471", "4471"),
    ("zip code: 10115", "10115"),
    ("error code: 404", "404"),
    ("Postleitzahl / PLZ-Code: 10115", "10115"),
    ("código postal: 28013", "28013"),
    ("your code for the locker is at the desk", "your code for the locker is at the desk"),
    ("my username is the same as my email", "my username is the same as my email"),
    ("username: anna@example.com", "anna@example.com"),
    ("Benutzername: anna@example.com", "anna@example.com"),
    ("the voucher is valid until 12/27", "12/27"),
    ("Voucher valid: 12/27", "12/27"),
    ("Gutschein gültig bis 12/27", "12/27"),
    ("Login page doesn't load", "Login page doesn't load"),
    ("I forgot my login", "I forgot my login"),
    ("I can't log in to my account", "I can't log in to my account"),
    ("log in to my account 12345 fails", "12345"),
    ("what is my username?", "what is my username?"),
    ("my login is not working", "my login is not working"),
    ("my login was slow today", "slow"),
    ("Login: failed twice", "failed"),
    ("the user name field is empty", "the user name field is empty"),
    ("Code 3 in the manual", "Code 3 in the manual"),
    ("the code on the box says ABC-123", "ABC-123"),
    ("you sent me 2 parcels", "2 parcels"),
    ("you sent me the wrong size, order 4471", "4471"),
    ("you sent me 1234 pieces instead of 12", "1234"),
    ("Sie haben mir 3 Pakete geschickt", "3 Pakete"),
    ("Sie haben mir 2024 eine Rechnung geschickt", "2024"),
    ("me enviaron el pedido 4471 por correo", "4471"),
    ("vous m'avez envoyé 2 colis", "2 colis"),
    ("this is my password reset request", "this is my password reset request"),
    ("What is my password?", "What is my password?"),
    ("Order 4471 is my password reset order", "4471"),
    ("Nutzername und Passwort vergessen", "Nutzername und Passwort vergessen"),
    ("Mi usuario no funciona", "Mi usuario no funciona"),
    ("mon identifiant ne marche pas", "mon identifiant ne marche pas"),
    ("identifiant de commande : 12345", "12345"),
    ("4111111111111111 was charged 12 times", "12 times"),
    ("Kundennummer 12345678", "12345678"),
    ("customer number 12345678", "12345678"),
    ("the sec 5 of the terms", "sec 5"),
    ("valid until 12/27 on the gift voucher", "12/27"),
    ("my PIN (the old one) was blocked", "blocked"),
    ("Tracking code: 482913", "482913"),
    ("Promo-Code: 4471", "4471"),
    ("Error code 404 when I log in", "404"),
    ('{"text": "please reset my username for me", "labels": ["other"]}', '"labels": ["other"]'),
    ("hash_user=bd381bed262dce057e5eabee76ca805b&id=6229", "bd381bed262dce057e5eabee76ca805b"),
    ("X-MC-User: 3f21937f0f636c8cec1db30bf", "3f21937f0f636c8cec1db30bf"),
    ("how to restore my user PIN?,recover_password,,,ACCOUNT", "PIN?,recover_password"),
    ("Mon identifiant est le même que mon e-mail", "Mon identifiant est le même que mon e-mail"),
    ("Mi usuario es el mismo que mi correo", "Mi usuario es el mismo que mi correo"),
    ("Mein Benutzername ist meine E-Mail-Adresse", "Mein Benutzername ist meine E-Mail-Adresse"),
    ("I can't login since yesterday", "I can't login since yesterday"),
    ("the login button is grey", "the login button is grey"),
    ("I got 2 SMS today", "I got 2 SMS today"),
    ("Please don't send codes by text", "Please don't send codes by text"),
    ("the code 123 in the manual", "123"),
    ("Der Code 123 im Handbuch ist ein Fehlercode", "123"),
    # issue 13, probe 3: a label that names the number keeps it
    ("Nº de envio CTT: 4092308296633694", "4092308296633694"),
    ("número de envío 4092308296633694", "4092308296633694"),
    ("tracking number: 4092308296633694", "4092308296633694"),
    ("invoice no. 6011603177628794", "6011603177628794"),
    ("order number 5339092575262363", "5339092575262363"),
    ("Bestellung Nr. 4111111111111111", "4111111111111111"),
    ("Sendungsnummer DHL: 4111111111111111", "4111111111111111"),
    ("prazo de validade do produto: 10/2027", "10/2027"),
    ("l'offerta scade il 31/12", "31/12"),
    ("de waardebon vervalt op 12/27", "12/27"),
    ("de code op de achterkant van de doos is 482", "482"),
    ("Qual é a minha senha? Não sei.", "Não sei"),
    ("il nome utente non funziona", "il nome utente non funziona"),
    ("mijn gebruikersnaam is vergeten", "vergeten"),
    ("a conta: 45,90 EUR", "45,90"),
    ("<td>Password</td><td>forgotten</td>", "forgotten"),
    ("<div>CVV</div><div>what is it?</div>", "what is it?"),
    ("<p>Expiry:</p><p>unknown</p>", "unknown"),
    ("My password doesn't work. It is 2024 and I still can't log in.", "2024"),
    ("the last 3 digits are 789", "789"),
    ("What is the PIN? It is printed on the letter.", "printed on the letter"),
    ("I forgot my PIN. It was 3 weeks ago.", "3 weeks"),
    ("Order 4471 is your order number", "4471"),
    ("Month 09 was busy, year 2028 will be better", "year 2028"),
]


@pytest.mark.parametrize(("text", "values"), SECRETS, ids=[t[:40] for t, _ in SECRETS])
def test_secret_shapes_never_survive(text: str, values: list[str]) -> None:
    out = plain(redact(text).text)
    assert [v for v in values if plain(v) in out] == []


@pytest.mark.parametrize(("text", "kept"), DECOYS, ids=[t[:40] for t, _ in DECOYS])
def test_decoys_survive(text: str, kept: str) -> None:
    assert kept in redact(text).text


def test_markers_replace_exactly_the_original_span() -> None:
    text = "a 4111\u200b1111 1111 1111\u200b b"
    r = redact(text)
    (f,) = r.findings
    assert text[f.start : f.end] == "4111\u200b1111 1111 1111"
    assert r.text == "a [card •••• 1111]\u200b b"


def test_report_counts() -> None:
    """The figures the issue asks for: secrets through and decoys destroyed on these tables."""
    through = sum(any(plain(v) in plain(redact(t).text) for v in vs) for t, vs in SECRETS)
    destroyed = sum(k not in redact(t).text for t, k in DECOYS)
    assert (through, destroyed) == (0, 0), re.sub(r"\s+", " ", f"{through} secrets through, {destroyed} decoys lost")


def test_a_masked_card_stays_and_the_full_one_beside_it_goes() -> None:
    """A masked number (first six, last four) is no secret and is what agents match a payment by."""
    text = "card no. 411111******1111 and the full one is 4111111111111111"
    assert redact(text).text == "card no. 411111******1111 and the full one is [card •••• 1111]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("username: jsmith88", "username: [login removed]"),
        ("Benutzername: mmustermann", "Benutzername: [login removed]"),
        ("nombre de usuario: mgarcia80", "nombre de usuario: [login removed]"),
        ("nom d'utilisateur : jdupont", "nom d'utilisateur : [login removed]"),
        ("username: anna@example.com", "username: anna@example.com"),
        ("online banking username: anna@example.com", "online banking username: [login removed]"),
        ("user: jdoe88 pass: S3cret!", "user: [login removed] pass: [password removed]!"),
    ],
)
def test_a_user_name_after_its_label_is_a_login(text: str, expected: str) -> None:
    """Kind "login": half of a bank login, removed like a password; an e-mail address is how the shop finds
    the customer, so it stays unless the sentence names a bank."""
    r = redact(text)
    assert r.text == expected
    assert r.counts().get("login", 0) == (expected != text)
