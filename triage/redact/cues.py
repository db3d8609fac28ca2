"""Cue words: where "CVV", "exp", "sort code", "password is", "PIN", "seed phrase"… stand, and of which kind.

One first-letter trie over every cue, built once from the table below, scans a mail in a single pass.
"""

from __future__ import annotations

import re
from typing import Final

from triage.redact.iban import IBAN_COUNTRIES

# Cue words, lower case, each alternative starting with a literal letter so the
# scanner below can be a first-letter trie (several times faster than one big
# case-insensitive alternation). Order matters within a kind and between kinds:
# one-time codes come before passwords so "one-time password" is an OTP cue.
_GOT: Final = ("sent", "got", "received")
_BANKING: Final = (r"online[\s-]?", r"internet[\s-]?", r"e-?", r"net[\s-]?", r"home[\s-]?", "tele", "")
_BANK_LOGIN: Final = (
    r"(?:user(?:\s?name|[\s-]?id)?|login(?:\s+(?:name|id))?|benutzer(?:name|kennung)?|anmelde(?:name|kennung)"
    r"|zugangsnummer|identifiant|usuario|customer[\s-]?(?:id|number|no\.?)|client[\s-]?(?:id|number)|id"
    r"|pass(?:word|wort)?|pin)"
)
# What may follow "3 digits" in a CVV cue ("the 3 digits on the back", "os 3 dígitos atrás do cartão").
_ON_BACK_EN: Final = r"(?:\s+(?:on|at)\s+(?:the\s+)?(?:back|reverse|rear)(?:\s+of\s+(?:the|my)\s+card)?)?"
_ON_BACK_DE: Final = r"(?:\s+(?:auf|an)\s+der\s+r[üu]ckseite)?"
_ON_BACK_ES_PT: Final = (
    r"(?:\s+(?:del|de\s+atr[áa]s|en\s+el|atr[áa]s|no\s+verso|nas\s+costas)"
    r"(?:\s+(?:reverso|dorso|do\s+(?:meu\s+)?cart[ãa]o))?)?"
)
_ON_BACK_FR: Final = r"(?:\s+(?:au|du|sur\s+le)\s+(?:dos|verso))?"
# "ES-IBAN", "de iban": one alternative per first letter of the registry's countries (a trie bucket holds one
# more alternative, not one per country, which the cue scan would try at every candidate).
_COUNTRY_IBAN: Final = "|".join(
    rf"{first}[{''.join(sorted(cc[1].lower() for cc in IBAN_COUNTRIES if cc[0].lower() == first))}][\s\-]?iban"
    for first in sorted({cc[0].lower() for cc in IBAN_COUNTRIES})
)
# After a card word: its number label, then a number's first digits up to a letter typed for a digit ("5l48",
# "33lO", "S162") or to a hyphen that ends the line ("656822-").
_CARD_LABEL: Final = r"[ \t]*(?:(?:no\.?|number|nr\.?|nummer|n[º°]|num[ée]ro|n[úu]mero|numero|\#|:)[ \t]*){0,2}"
# (Probe 5: also q and g for 9, b and G for 6, z for 2, A for 4, "|" and "!" for 1, "&" for 8.)
_OCR_LEAD: Final = r"[ \t]*(?:[0-9][0-9 \-]{0,14}(?:[oliqgsbza|!&]+|-[ \t]*(?=\n))|[oliqgsbza|!&]{1,2}[0-9])"
_CUES: tuple[tuple[str, str], ...] = (
    ("banklogin", "|".join(f"{w}banking[\\s-]+{_BANK_LOGIN}" for w in _BANKING)),
    (
        "banklogin",
        r"anmeldename|legitimations[\s-]?id|verf[üu]gernummer|zugangsnummer|vertragsnummer\s+online[\s-]?banking"
        # "VR-NetKey 12345678901", "Customer ID for the bank app: 20384756"
        r"|vr[\s-]?netkey|netkey|customer\s+(?:id|number|no\.?)\s+(?:for|of)\s+(?:the\s+|my\s+)?bank(?:ing)?"
        r"(?:\s+app)?|client\s+(?:id|number|no\.?)\s+(?:for|of)\s+(?:the\s+|my\s+)?bank(?:ing)?(?:\s+app)?",
    ),
    # bank-login labels of one bank or country: "VR-Kennung", "Postbank ID", "numéro d'abonné", "número de
    # adesão", "code d'accès client", "identifiant client banque", the DNI one logs in with
    (
        "banklogin",
        r"vr[\s-]?kennung|postbank[\s-]?(?:id|kennung)|num[ée]ro\s+d['’]abonn[ée]|n[úu]mero\s+de\s+ades[ãa]o"
        r"|code\s+d['’]acc[èe]s\s+client|identifiant\s+client\s+(?:(?:de\s+)?(?:la\s+|ma\s+)?banque|bancaire)"
        r"(?:\s+en\s+ligne)?"
        # a Spanish bank's login is often the DNI: "mi DNI para entrar en la banca es …"
        r"|dni\s+para\s+(?:entrar|acceder)\s+(?:en|a)\s+(?:la\s+)?banca(?:\s+(?:online|en\s+l[íi]nea|electr[óo]nica))?",
    ),
    # "customer number for online banking 12345678", "Kundennummer für das Online-Banking 12345678": the
    # banking words are the cue (rarer than "customer"), the label before them is checked in secrets.
    (
        "bankid",
        r"online[\s-]?banking(?=\s+\d)|internet[\s-]?banking(?=\s+\d)|e-?banking(?=\s+\d)"
        r"|banca\s+(?:online|en\s+l[íi]nea|electr[óo]nica)(?=\s+\d)|banque\s+en\s+ligne(?=\s+\d)",
    ),
    (
        "banklogin",
        r"usuario\s+de\s+(?:la\s+)?banca(?:\s+(?:online|en\s+l[íi]nea|electr[óo]nica|por\s+internet))?"
        r"|usuario\s+del\s+banco|identifiant\s+(?:de\s+)?(?:banque|bancaire)(?:\s+en\s+ligne)?",
    ),
    ("otp", r"one[\s-]?time[\s-]?(?:code|pass(?:word|code)|pin)"),
    ("otp", r"otp|2fa(?:\s+code)?|two[\s-]factor\s+code|verification\s+code|login\s+code|sign[\s-]?in\s+code"),
    ("otp", r"access\s+code|auth(?:entication)?\s+code|sms[\s-]code|mtan|itan|tan"),
    (
        "otp",
        r"code\s+(?:from|in|of|aus|in\s+der|de|del|du|dans)\s+(?:the\s+|my\s+|der\s+|die\s+|la\s+|le\s+|el\s+|l')?"
        r"(?:sms|text(?:\s+message)?|message|nachricht|app|mensaje|texto)",
    ),
    ("otp", r"sms[\s-]?(?:tan|pin|token)|code\s+(?:par|per|por)\s+sms|c[óo]digo\s+(?:sms|por\s+sms)"),
    ("otp", r"einmal(?:code|passwort|kennwort)|best[äa]tigungscode|verifizierungscode"),
    # a bank's or a card scheme's own name for the code: "pushTAN 587273", "Freigabecode: 701614", "clave SMS",
    # "código MB WAY", "Visa Secure code", "Mastercard ID Check code", "code de confirmation"
    (
        "otp",
        r"push[\s-]?tan|chip[\s-]?tan|sms[\s-]?tan|photo[\s-]?tan|app[\s-]?tan|freigabe[\s-]?(?:code|tan|nummer)"
        r"|securecode|secure\s+code|visa\s+secure(?:\s+code)?|mastercard\s+id\s+check(?:\s+code)?"
        r"|id\s+check\s+code|clave\s+(?:sms|por\s+sms|de\s+(?:un\s+solo\s+uso|confirmaci[óo]n|firma))"
        r"|c[óo]digo\s+(?:mb[\s-]?way|de\s+autoriza[çc][ãa]o)|code\s+de\s+confirmation"
        r"(?!\s+(?:de\s+(?:la\s+|votre\s+|ma\s+)?)?(?:commande|r[ée]servation|livraison))",
    ),
    ("otp", r"code\s+[àa]\s+usage\s+unique|code\s+you\s+(?:texted|sent|emailed)(?:\s+me)?"),
    # A code someone texted: "the 6 digits you texted me: 482913" (the code follows the cue).
    (
        "sent",
        r"texted(?:\s+(?:to\s+)?me)?",
    ),
    # "by text", "per SMS", "par SMS", "por SMS": the code before or after it, with a word for sending near
    # ("you sent me 482913 by text", "me mandaron por SMS el 482913", "vous m'avez envoyé 482913 par SMS", "Sie
    # haben mir 482913 per SMS geschickt"; see secrets). The cue is the rare word alone: a trigger for every
    # "by|per|par|por" before it costs the prescan more than all the other new cues together.
    ("bytext", r"by\s+text(?:\s+message)?|sms|texto"),
    # A code with no word for what it is ("the code is 482913", "código: 482913", "Ihr Code lautet 482913",
    # "votre code est 482913"): digits only, and a bare "code" only after a possessive or at a line's start
    # (see secrets).
    (
        "code",
        r"the\s+code(?!\s+(?:you|from|in|on|of|at|for|sent|texted))|your\s+code(?!\s+(?:you|from|in|on|of|at|for))"
        r"|my\s+code(?!\s+(?:you|from|in|on|of|at|for))|c[óo]digo(?=\s*:|\s+(?:es|era)\b)"
        r"|code(?=\s{0,32}:|\s+(?:is|ist|lautet|est|es|was|war|[ée]tait)\b)",
    ),
    ("otp", r"code\s+de\s+v[ée]rification|c[óo]digo\s+de\s+(?:verificaci[óo]n|acceso)"),
    # one-time codes in pl/sv/tr/pt/fr, and "code de validation 3D Secure" (probe 4)
    (
        "otp",
        r"kod\s+(?:sms|weryfikacyjny|jednorazowy|potwierdzaj[ąa]cy|autoryzacyjny)|engångskod(?:en)?"
        r"|verifieringskod(?:en)?|sms[\s-]?kod(?:en|u)?|do[ğg]rulama\s+kod(?:u|unu)|onay\s+kod(?:u|unu)"
        r"|tek\s+kullan[ıi]ml[ıi]k\s+(?:kod|[şs]ifre)|c[óo]digo\s+que\s+recebi(?:\s+por\s+(?:sms|mensagem))?"
        r"|code\s+de\s+validation(?:\s+3d[\s-]?secure)?|code\s+3d[\s-]?secure",
    ),
    # Italian, Dutch, Portuguese one-time codes
    (
        "otp",
        r"codice\s+(?:di\s+(?:verifica|conferma|accesso)|otp|sms|ricevuto\s+(?:via|per)\s+sms)"
        r"|verificatiecode|bevestigingscode|eenmalige\s+code|sms[\s-]?code"
        r"|c[óo]digo\s+de\s+(?:confirma[çc][ãa]o|verifica[çc][ãa]o|ativa[çc][ãa]o)",
    ),
    (
        "otp",
        r"code\s+(?:re[çc]u|envoy[ée])\s+par\s+(?:sms|texto|message)"
        r"|c[óo]digo\s+que\s+me\s+(?:lleg[óo]|enviaron|mandaron)(?:\s+(?:por|al|en\s+el)\s+(?:sms|mensaje|m[óo]vil|celular))?",
    ),
    # "I got a text with 730 551", "The bank sent me a code, 991204": the code follows (see secrets._sent_code)
    (
        "sent",
        r"text(?:\s+message)?\s+with(?:\s+(?:the|a)\s+code)?"
        r"|sent\s+me\s+(?:a|the|this)\s+(?:code|pin|one[\s-]time\s+code)\s*,?",
    ),
    ("seed", r"secret\s+(?:recovery|seed|backup|mnemonic|wallet)\s+(?:phrase|words)"),
    ("seed", r"recovery\s+(?:phrase|words)|seed\s+(?:phrase|words)|backup\s+(?:phrase|words)"),
    ("seed", r"wallet\s+(?:phrase|words)|mnemonic(?:\s+phrase)?|wiederherstellungsphrase"),
    ("seed", r"phrase\s+de\s+r[ée]cup[ée]ration|frase\s+(?:semilla|de\s+recuperaci[óo]n)"),
    ("codes", r"recovery\s+codes?|backup\s+codes?|wiederherstellungscodes?"),
    ("cvv", r"card\s+(?:security|verification)\s+(?:code|value|number)|cvv2?|cvc2?|cid|csc|cvn|cav2"),
    (
        "cvv",
        r"verification\s+(?:number|value)|security\s+number(?:\s+on\s+the\s+back)?|kartenpr[üu]f(?:nummer|ziffer|code)"
        r"|pr[üu]f(?:ziffer|nummer)",
    ),
    ("cvv", r"cryptogramme(?:\s+visuel)?|c[óo]digo\s+(?:cvv|cvc)|num[ée]ro\s+(?:cvv|cvc|de\s+s[ée]curit[ée])"),
    (
        "cvv",
        r"digits\s+(?:on|at)\s+(?:the\s+)?(?:back|reverse|rear)(?:\s+of\s+(?:the|my)\s+card)?"
        r"|numbers\s+on\s+the\s+back(?:\s+of\s+(?:the|my)\s+card)?"
        r"|code\s+(?:at|on)\s+the\s+back(?!\s+of\s+(?!(?:the|my|your)\s+card))(?:\s+of\s+(?:the|my|your)\s+card)?"
        r"|c\.v\.v\.?|c\.v\.c\.?",
    ),
    ("cvv", r"ziffern\s+(?:auf|an)\s+der\s+r[üu]ckseite|zahlen\s+auf\s+der\s+r[üu]ckseite|pr[üu]fnummer"),
    # described by where it is printed: "die drei Zahlen hinten drauf", "code on the signature strip", "le code
    # derrière la carte", an Amex's "4 digits on the front"; "pruefnr=382" in a URL
    (
        "cvv",
        r"zahlen\s+hinten(?:\s+(?:drauf|auf\s+der\s+karte))?|ziffern\s+hinten(?:\s+drauf)?"
        # (not the back of something else: "der Code auf der Rückseite der Packung")
        r"|nummer\s+(?:auf|an)\s+der\s+r[üu]ckseite(?!\s+(?:der|des)\s+(?!karte))(?:\s+der\s+karte)?"
        r"|zahl\s+(?:auf|an)\s+der\s+r[üu]ckseite(?!\s+(?:der|des)\s+(?!karte))(?:\s+der\s+karte)?"
        r"|code\s+(?:auf|an)\s+der\s+r[üu]ckseite(?!\s+(?:der|des)\s+(?!karte))(?:\s+der\s+karte)?"
        r"|code\s+(?:on|in)\s+the\s+signature\s+(?:strip|panel)|number\s+(?:on|in)\s+the\s+signature\s+(?:strip|panel)"
        r"|digits\s+(?:on|in)\s+the\s+signature\s+(?:strip|panel)|signature[\s-](?:strip|panel)\s+code"
        r"|code\s+(?:derri[èe]re|au\s+dos\s+de)\s+(?:la|ma)\s+carte|chiffres\s+derri[èe]re\s+(?:la|ma)\s+carte"
        r"|codice\s+(?:sul|nel|dietro\s+al)\s+retro(?!\s+(?:della|del|dello)\s+(?!carta))(?:\s+della\s+carta)?"
        r"|code\s+(?:op\s+de\s+achterkant|achterop)(?!\s+van\s+(?!(?:de|mijn)\s+(?:kaart|pas)))"
        r"(?:\s+van\s+(?:de|mijn)\s+(?:kaart|pas))?"
        r"|c[óo]digo\s+(?:no\s+verso|nas\s+costas|atr[áa]s)(?!\s+d[aoe]\s+(?!(?:meu\s+)?cart[ãa]o))"
        r"(?:\s+do\s+(?:meu\s+)?cart[ãa]o)?"
        r"|digits\s+on\s+the\s+front(?!\s+of\s+(?!(?:the|my|your)\s+card))(?:\s+of\s+(?:the|my|your)\s+card)?"
        r"|pruef(?:nr|nummer|ziffer|code)|pr[üu]fnr",
    ),
    (
        "cvv",
        r"d[íi]gitos\s+(?:del|en\s+el|de\s+atr[áa]s)\s*(?:reverso|dorso|frente|anverso)?"
        r"|n[úu]meros\s+del\s+(?:reverso|dorso)",
    ),
    ("cvv", r"chiffres\s+(?:au|du|sur\s+le)\s+(?:dos|verso)"),
    ("cvv", r"n[úu]meros\s+de\s+atr[áa]s|c[óo]digo\s+de\s+atr[áa]s|tres\s+n[úu]meros\s+de\s+atr[áa]s"),
    # "the 3-digit code", "3-stelliger Prüfcode", "código de 3 dígitos", "code à 3 chiffres", "crypto 456"
    # ("sec": a CVV if 3-4 digits follow, else a code; a code "from the SMS" is left to its own cue above)
    (
        "sec",
        r"digit\s+(?:security\s+)?(?:code|number)(?!\s+(?:from|in|of|via|by|sent|per|aus|de|del|du|par|por)\b)"
        r"|stellige[rn]?\s+(?:pr[üu]f|sicherheits)?(?:code|nummer|zahl)(?:\s+(?:vorne|auf\s+der\s+vorderseite))?",
    ),
    (
        "cvv",
        r"c[óo]digo\s+de\s+(?:3|4|tres|cuatro)\s+d[íi]gitos|code\s+(?:à|a|de)\s+(?:3|4|trois|quatre)\s+chiffres"
        r"(?:\s+(?:au|du|sur\s+le)\s+(?:recto|dos|verso))?|crypto",
    ),
    ("sec", r"security[\s_]?code|sicherheitscode|code\s+de\s+s[ée]curit[ée]|c[óo]digo\s+de\s+seguridad"),
    ("sec", r"codice\s+di\s+sicurezza"),
    # Polish, Swedish, Turkish security codes; a code "au dos" (probe 4)
    (
        "sec",
        r"s[äa]kerhetskod(?:en)?|kontrollsiffr(?:a|or|orna)|g[üu]venlik\s+kod(?:u|unu)|kod\s+(?:zabezpieczaj[ąa]cy"
        r"|bezpiecze[ńn]stwa|cvv|cvc)|cvv[\s-]?kod(?:en|u)?|code\s+(?:au|du)\s+(?:dos|verso)",
    ),
    ("sec", r"beveiligingscode|veiligheidscode|controlecode|c[óo]digo\s+de\s+seguran[çc]a"),
    # "le tre cifre sul retro", "de 3 cijfers achterop", "os 3 dígitos atrás do cartão", "the code from the back"
    (
        "cvv",
        r"cifre\s+(?:sul|del|nel|dietro\s+(?:il|al))\s+(?:retro|dorso)(?:\s+della\s+carta)?"
        r"|cijfers\s+(?:achterop|op\s+de\s+achterkant)(?:\s+van\s+(?:de|mijn)\s+(?:kaart|creditcard|pas))?"
        r"|d[íi]gitos\s+(?:atr[áa]s|no\s+verso|nas\s+costas)(?:\s+do\s+(?:meu\s+)?cart[ãa]o)?"
        r"|code\s+(?:on|at|from|off)\s+(?:the\s+)?back(?!\s+of\s+(?!(?:the|my|your)\s+card))"
        # "what's the 3 digits?" (not "the last 3 digits": see secrets)
        rf"|3\s+digits{_ON_BACK_EN}|three\s+digits{_ON_BACK_EN}|3\s+ziffern{_ON_BACK_DE}|drei\s+ziffern{_ON_BACK_DE}"
        rf"|3\s+d[íi]gitos{_ON_BACK_ES_PT}|tres\s+d[íi]gitos{_ON_BACK_ES_PT}|3\s+chiffres{_ON_BACK_FR}"
        rf"|trois\s+chiffres{_ON_BACK_FR}",
    ),
    ("expjson", r"exp(?:iry|iration)?_?(?:month|year|yr|mm|yy|yyyy|date)|expiry_?date|expiration_?date"),
    ("exp", r"mm\s*/\s*(?:yy(?:yy)?|jj(?:jj)?|aa(?:aa)?)|expire\s+(?:fin|le|en|à\s+la\s+fin\s+de)"),
    (
        "exp",
        r"exp(?:iry|iration|ires?|\.)?(?:\s+date)?|valid\s+(?:thru|through|till|until|to)(?:\s+(?:the\s+)?end\s+of)?",
    ),
    ("exp", r"good\s+(?:thru|through|until|till)|expir(?:e|ation)"),
    (
        "exp",
        r"g[üu]ltig\s+bis(?:\s+(?:ende|zum))?|ablaufdatum|verfallsdatum|l[äa]uft\s+(?:am\s+"
        r"|im\s+)?ab(?:\s+(?:am|im|zum))?",
    ),
    (
        "exp",
        r"date\s+d'expiration|date\s+de\s+validit[ée]|valable\s+jusqu(?:'|’|e\s+)?(?:au|à|a)?|fin\s+de\s+validit[ée]",
    ),
    ("exp", r"vencimiento|vence(?:\s+(?:el|en))?|caduca(?:\s+(?:el|en))?|v[áa]lida\s+hasta|scadenza"),
    ("exp", r"fecha\s+de\s+(?:vencimiento|caducidad)"),
    ("exp", r"expiring|verf[äa]llt|verloopt(?:\s+(?:in|op|eind))?|scadr[àa]|expire[sd]?\s+(?:at\s+the\s+)?end\s+of"),
    ("exp", r"expira(?:\s+(?:el|en))?|ablauf(?:\s+(?:am|im))?"),
    # "Month 09, year 2028", "Monat 09, Jahr 2028": month and year as labelled fields
    (
        "exp",
        # (the month's digits are part of the cue, so its trigger fires on "month 09", not on every "month")
        r"month[ \t]{0,2}:?[ \t]{0,2}[0-9]{1,2}[ \t]{0,2}[,/]?(?=[ \t]{0,2}(?:year|yr)\b)"
        r"|monat[ \t]{0,2}:?[ \t]{0,2}[0-9]{1,2}[ \t]{0,2}[,/]?(?=[ \t]{0,2}jahr\b)",
    ),
    # Dutch, Portuguese, Italian expiry labels ("vervalt in juni 2028", "validade 10/29", "scade il 08/27")
    (
        "exp",
        r"vervaldatum|vervalt(?:\s+(?:in|op|eind))?|geldig\s+(?:tot|t/m)|validade|v[áa]lido\s+at[ée]|expira\s+em"
        r"|scade(?:\s+(?:il|a|nel))?|valid[ao]\s+fino\s+a(?:l)?",
    ),
    # a bare label with a colon: "Valid: 12/27", "Gültig: 12/27", "Válida: 12/27", "Valable : 12/27"
    ("exp", r"valid\s{0,32}:|g[üu]ltig\s{0,32}:|v[áa]lid[ao]\s{0,32}:|valable\s{0,32}:"),
    (
        "bank",
        r"bank\s+account(?:\s+(?:number|no\.?|nr\.?|\#))?|account\s+(?:number|no\.?|nr\.?|\#)"
        r"|account(?=\s{0,32}[:#])",
    ),
    ("bank", r"acct\.?(?:\s*(?:number|no\.?|\#))?|a/c(?:\s*no\.?)?"),
    ("bank", r"numer\s+(?:konta|rachunku)|nr\.?\s+(?:konta|rachunku)|hesap\s+numaras[ıi]"),
    ("bank", r"checking\s+account(?:\s+(?:number|no\.?))?|savings\s+account(?:\s+(?:number|no\.?))?"),
    ("bank", r"current\s+account(?:\s+(?:number|no\.?))?|routing(?:\s+(?:number|no\.?|\#))?"),
    ("bank", r"aba(?:\s+routing)?(?:\s+(?:number|no\.?|\#))?|rtn|sort\s*code|bsb(?:\s+number)?"),
    (
        "bank",
        r"transit(?:\s+(?:number|no\.?|\#))?|institution\s+number|blz|bankleitzahl|konto(?:nummer|\s*nr\.?|-nr\.?)?",
    ),
    ("bank", r"kto\.?(?:\s*-?nr\.?)?|num[ée]ro\s+de\s+compte|n[úu]mero\s+de\s+cuenta|rekeningnummer|clabe|rib"),
    (
        "bank",
        r"conto(?:\s+corrente)?(?=\s{0,32}(?:n[°º.]|no\.?|num|:|#))|numero\s+di\s+conto|nib"
        r"|n[úu]mero\s+de\s+conta|conta(?=\s{0,32}(?:n[°º.]|:|#))|bankrekening(?:nummer)?",
    ),
    ("bank", r"compte(?:\s+bancaire)?(?=\s{0,32}(?:n[°º]|no\.?|num[ée]ro|:|#))|cuenta(?=\s{0,32}(?:n[°º]|no\.?|:|#))"),
    ("acct", r"account|acc\.?|compte|cuenta"),
    (
        "pin",
        r"pin\s+de\s+la\s+tarjeta|pin\s+(?:do|da|de\s+mi|del|della|van\s+(?:de|mijn))\s+(?:cart[ãa]o|tarjeta|carta|kaart|pas)"
        r"|pin\s+dispositivo|pin(?:[\s-]?(?:code|nummer|number|no\.?|nr\.?))?|pincode|geheimzahl|code\s+pin"
        r"|code\s+secret(?:\s+(?:de\s+(?:ma\s+|la\s+)?)?(?:cb|carte(?:\s+bleue|\s+bancaire)?))?",
    ),
    ("pin", r"c[óo]digo\s+pin|n[úu]mero\s+secreto|code\s+confidentiel"),
    # a card's or an online bank's PIN by its local name ("PIN do cartão", "code secret CB", "PIN dispositivo":
    # in the row above, before the bare "pin"), "clave de la tarjeta", "code d'accès banque en ligne",
    # "inlogcode", "código multicanal"
    (
        "pin",
        r"clave\s+de\s+(?:la\s+|mi\s+)?tarjeta|clave\s+de\s+acceso(?:\s+a\s+la\s+banca(?:\s+(?:online|en\s+l[íi]nea"
        r"|electr[óo]nica))?)?|code\s+d['’]acc[èe]s\s+(?:[àa]\s+)?(?:la\s+|ma\s+)?banque(?:\s+en\s+ligne)?"
        r"|inlogcode|c[óo]digo\s+multicanal|codice\s+pin",
    ),
    # Polish, Swedish, Turkish PINs (issue 13, probe 4): "pinkoden är 8826", "kart şifrem 4550", "kod PIN: 1234"
    (
        "pin",
        r"pinkod(?:en)?|pin[\s-]kod(?:en|u)?|kod\s+pin|numer\s+pin|pin\s+numaras[ıi]|kart\s+[şs]ifre(?:m|si|niz)?",
    ),
    # The answer to a bank's security question, which opens the account like a password (removed as one). A bare
    # "Answer:" holds its colon, so its trigger does not fire on every "answer" of a mail.
    (
        "answer",
        r"mother['’]?s\s+maiden\s+name|maiden\s+name|memorable\s+(?:word|name|answer)|security\s+answer"
        r"|answer\s+to\s+(?:the\s+|my\s+)?security\s+question|name\s+of\s+my\s+first\s+(?:pet|dog|cat|school)"
        r"|first\s+(?:pet|dog|cat)['’]?s\s+name|answer[ \t]*[:=]",
    ),
    (
        "answer",
        r"geburtsname\s+(?:der|meiner)\s+mutter|m[äa]dchenname\s+(?:der|meiner)\s+mutter|sicherheitsantwort"
        r"|antwort\s+auf\s+die\s+sicherheitsfrage|name\s+meines\s+ersten\s+haustier(?:e?s)?|antwort[ \t]*[:=]",
    ),
    (
        "answer",
        r"apellido\s+de\s+soltera\s+de\s+mi\s+madre|nombre\s+de\s+mi\s+primera\s+mascota|respuesta\s+(?:secreta"
        r"|de\s+seguridad|a\s+la\s+pregunta\s+(?:secreta|de\s+seguridad))|respuesta[ \t]*[:=]"
        r"|nom\s+de\s+jeune\s+fille\s+de\s+ma\s+m[èe]re|nom\s+de\s+mon\s+premier\s+animal(?:\s+de\s+compagnie)?"
        r"|r[ée]ponse\s+(?:secr[èe]te|[àa]\s+(?:la|ma)\s+question\s+(?:secr[èe]te|de\s+s[ée]curit[ée]))"
        r"|r[ée]ponse[ \t]*[:=]",
    ),
    (
        "answer",
        r"cognome\s+(?:da\s+nubile|di\s+nascita)\s+di\s+mia\s+madre|nome\s+del\s+mio\s+primo\s+animale"
        r"|risposta\s+(?:segreta|di\s+sicurezza)|risposta[ \t]*[:=]|meisjesnaam\s+van\s+mijn\s+moeder"
        r"|naam\s+van\s+mijn\s+eerste\s+huisdier|antwoord\s+op\s+de\s+beveiligingsvraag|antwoord[ \t]*[:=]"
        r"|nome\s+de\s+solteira\s+da\s+minha\s+m[ãa]e|nome\s+do\s+meu\s+primeiro\s+animal|resposta\s+secreta"
        r"|resposta[ \t]*[:=]",
    ),
    # A password after a log-in verb: "I log in with Bayern1900", "je me connecte avec …", "entro con …", "ich
    # melde mich mit … an" (only a token mixing letters with digits or symbols: see secrets)
    (
        "pwverb",
        r"log\s?in\s+with|logging\s+in\s+with|sign\s+in\s+with|me\s+connecte\s+avec|entro\s+con"
        r"|melde\s+mich\s+(?:immer\s+|normalerweise\s+)?mit|logge\s+mich\s+(?:immer\s+|normalerweise\s+)?mit"
        r"|accedo\s+con|log\s+in\s+met|inloggen\s+met",
    ),
    ("pw", r"pass(?:wor[dt]s?|code|phrase|wd)|pass\s+(?:word|phrase)|kennwort|pwd|pw|mot\s+de\s+passe|mdp|motdepasse"),
    ("pw", r"şifre(?:m|miz|si|niz)?|sifre(?:m|miz|si|niz)?|parolam|parolas[ıi]|has[łl]o\s+do\s+(?:konta|banku)"),
    ("pw", r"contrase[ñn]a|clave|wachtwoord|senha|has[łl]o|l[öo]senord|passord|adgangskode|salasana|heslo"),
    ("pw", r"pass(?=\s{0,32}(?:is\b|was\b|[:=]))"),
    ("pw", r"parola\s+d['’]ordine|palavra[\s-](?:passe|chave)|mijn\s+ww|p/w"),
    # A user name or login ID label: its value is removed (kind "login"); see secrets for what counts as one.
    (
        "login",
        r"log[\s-]?in(?:[\s-]+(?:name|id))?|user(?:\s?name|[\s-]?id)?|benutzer(?:name|kennung|-?id)?"
        r"|nutzer(?:name|kennung|-?id)|anmelde(?:name|kennung)|zugangskennung|credentials|creds|zugangsdaten"
        r"|identifiant(?:\s+(?:de\s+connexion|client|utilisateur))?|id\s+utilisateur|nom\s+d['’]utilisateur"
        r"|nombre\s+de\s+usuario|usuario|identificador(?:\s+de\s+usuario)?|id\s+de\s+usuario",
    ),
    (
        "login",
        r"codice\s+(?:utente|cliente)(?:\s+(?:(?:del|dell['’]|di)\s*)?(?:home|internet|online)[\s-]?banking)?"
        r"|nome\s+utente(?:\s+(?:(?:del|dell['’]|di)\s*)?(?:home|internet|online)[\s-]?banking)?"
        r"|gebruikersnaam(?:\s+(?:(?:voor|van)\s+)?(?:internet|online|mobiel)[\s-]?bankieren|\s+(?:bij|van|voor)\s+(?:de|mijn)\s+bank)?"
        r"|nome\s+de\s+utilizador|utilizador(?:\s+(?:do\s+)?(?:home|net|internet|online)[\s-]?banking)?"
        r"|nome\s+de\s+usu[áa]rio|usu[áa]rio(?:\s+(?:do\s+)?(?:home|net|internet)[\s-]?banking)?",
    ),
    # a user name and password in a URL ("https://jdoe:S3cret!@bank.example/"): the cue runs on to the end of the
    # host's first label, so its trigger fires only on a URL with a password in it; see secrets
    (
        "urlcreds",
        r"https?://[a-z0-9\-._~%!$&'()*+,;=À-ɏ]+:[a-z0-9\-._~%!$&'()*+,;=À-ɏ]+@[a-z0-9\-_À-ɏ]*",
    ),
    # an IBAN cue naming its country, for an IBAN written without the country letters ("ES-IBAN: 7445…"): see iban
    ("ibancc", _COUNTRY_IBAN),
    # "Meine IBAN (ohne DE): 5843…": the country named in brackets as left out (see iban.iban_without_country)
    (
        "ibancc",
        r"iban[ \t]*\((?:ohne|without|minus|sin|sans|senza|zonder|sem|bez|utan)[ \t]+[a-z]{2}\)",
    ),
    # a card word, for a number typed off a photo ("card no. 5l48 8142 O642 3614") or broken by a hyphen at a line
    # end: the cue runs on to the first letter typed for a digit (or to the hyphen), so its trigger fires only
    # there, not at every card word; see cards.card_after_word
    (
        "cardno",
        rf"card{_CARD_LABEL}{_OCR_LEAD}|kaart(?:nummer)?{_CARD_LABEL}{_OCR_LEAD}|kartennummer{_CARD_LABEL}{_OCR_LEAD}"
        rf"|kartennr\.?{_CARD_LABEL}{_OCR_LEAD}"
        rf"|karte{_CARD_LABEL}{_OCR_LEAD}|carte{_CARD_LABEL}{_OCR_LEAD}|tarjeta{_CARD_LABEL}{_OCR_LEAD}"
        rf"|cart[ãa]o{_CARD_LABEL}{_OCR_LEAD}|carta{_CARD_LABEL}{_OCR_LEAD}|creditcard{_OCR_LEAD}"
        rf"|visa{_CARD_LABEL}{_OCR_LEAD}|mastercard{_CARD_LABEL}{_OCR_LEAD}",
    ),
)
# What may stand right before a cue: spelled out (an explicit set is faster to skip to than [\W_]).
_CUE_BEFORE: Final = r"""[\s!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~\ue000«»“”„‚‘’¿¡–—…·•]"""
# A cue ends where a letter cannot follow; a digit may ("CVV123", "account #12345678").
_CUE_END: Final = r"(?![^\W\d_])"


def _split_alternatives(pattern: str) -> list[str]:
    """Top-level `|` split of a regex, so each alternative can be filed under its first letter."""
    out: list[str] = []
    depth = 0
    cur: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        depth += c == "("
        depth -= c == ")"
        if c == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur))
    return out


def _build_cue_scanner() -> tuple[re.Pattern[str], re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    by_first: dict[str, list[str]] = {}
    kind_res: dict[str, list[str]] = {}
    for kind, pattern in _CUES:
        kind_res.setdefault(kind, []).append(pattern)
        for alt in _split_alternatives(pattern):
            by_first.setdefault(alt[0], []).append(alt[1:])
    trie = "|".join(re.escape(c) + "(?:" + "|".join(rests) + ")" for c, rests in by_first.items())
    # Scanning from the character before the cue lets the engine skip ahead quickly.
    scan = re.compile(_CUE_BEFORE + "((?:" + trie + ")" + _CUE_END + ")")
    at_start = re.compile(r"((?:" + trie + ")" + _CUE_END + ")")
    classify = tuple((k, re.compile("(?:" + "|".join(v) + ")" + _CUE_END, re.IGNORECASE)) for k, v in kind_res.items())
    return scan, at_start, classify


_CUE_SCANNER: Final = _build_cue_scanner()
_CUE_SCAN_RE: Final = _CUE_SCANNER[0]
_CUE_AT_START_RE: Final = _CUE_SCANNER[1]
_CUE_KINDS: Final = _CUE_SCANNER[2]
_CUE_SCAN_I_RE: Final = re.compile(_CUE_SCAN_RE.pattern, re.IGNORECASE)
# Where the scan can match at all: a character that may stand before a cue, then one of the trie's first letters.
_CUE_FIRSTS: Final = "".join(sorted({alt[0] for _, p in _CUES for alt in _split_alternatives(p)}))
_CUE_CANDIDATE_RE: Final = re.compile(f"{_CUE_BEFORE}(?=[{re.escape(_CUE_FIRSTS)}])")
_CUE_CANDIDATE_I_RE: Final = re.compile(_CUE_CANDIDATE_RE.pattern, re.IGNORECASE)
_CUE_AT_START_I_RE: Final = re.compile(_CUE_AT_START_RE.pattern, re.IGNORECASE)


def _kinds_by_first() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    """For each ASCII character, the kinds (in table order) one of whose alternatives can start with it:
    every alternative starts with a literal letter, so no other kind can match a cue starting there."""
    firsts: dict[str, set[str]] = {}
    for kind, pattern in _CUES:
        firsts.setdefault(kind, set()).update(alt[0] for alt in _split_alternatives(pattern))
    if not all(c.isalnum() for v in firsts.values() for c in v):
        raise ValueError("every cue alternative must start with a literal letter or digit")
    starts = {k: re.compile("[" + re.escape("".join(sorted(v))) + "]", re.IGNORECASE) for k, v in firsts.items()}
    return {c: tuple((k, rx) for k, rx in _CUE_KINDS if starts[k].match(c)) for c in map(chr, range(128))}


_KINDS_BY_FIRST: Final = _kinds_by_first()

# Every kind's pattern in one alternation, a named group per kind, in table order. Matched at a cue's start,
# it gives the first kind whose pattern matches there at all, with that pattern's own preferred match (nothing
# follows the alternation, so no branch backtracks into another reading): exactly the first kind the loop over
# `_KINDS_BY_FIRST` would try with success, when that match ends where the cue does. (Kinds that loop skips for
# the first character cannot match there: each of their alternatives starts with another literal letter.) When
# it ends elsewhere, the loop goes on from the next kind, as it did. One C call instead of up to 13.
_CUE_KIND_RE: Final = re.compile("|".join(f"(?P<{k}>{rx.pattern})" for k, rx in _CUE_KINDS), re.IGNORECASE)
_KIND_INDEX: Final = {k: i for i, (k, _) in enumerate(_CUE_KINDS)}
if _CUE_KIND_RE.groups != len(_CUE_KINDS):
    raise ValueError("a cue pattern must not capture: the kind is read from the last group matched")


def _kind_patterns_by_first() -> dict[str, str]:
    """For each ASCII character, `_CUE_KIND_RE`'s pattern with only the alternatives that can start with it.

    Each alternative opens with a literal letter (see `_kinds_by_first`), so one whose letter does not match
    the cue's first character (case-insensitively, as the engine compares) fails there before anything else;
    leaving it out changes neither which kind matches nor its span. The full alternation costs ~4 µs a cue:
    with IGNORECASE, the engine cannot skip a branch by its first literal and enters every one."""
    alts: dict[str, list[str]] = {}
    for kind, pattern in _CUES:
        alts.setdefault(kind, []).extend(_split_alternatives(pattern))
    ascii_chars = [chr(c) for c in range(128)]
    folds = {
        f: {c for c in ascii_chars if re.fullmatch(re.escape(f), c, re.IGNORECASE)}
        for f in {a[0] for v in alts.values() for a in v}
    }
    out: dict[str, str] = {}
    for c in ascii_chars:
        parts = []
        for kind, _ in _CUE_KINDS:  # in _CUE_KIND_RE's order
            keep = [a for a in alts[kind] if c in folds[a[0]]]
            if keep:
                parts.append(f"(?P<{kind}>(?:{'|'.join(keep)}){_CUE_END})")
        if parts:
            out[c] = "|".join(parts)
    return out


_KIND_PATTERNS_BY_FIRST: Final = _kind_patterns_by_first()
_KIND_RES_BY_FIRST: Final[dict[str, re.Pattern[str]]] = {}  # compiled on first use (~1 ms each)


def _kind_re(first: str) -> re.Pattern[str] | None:
    """The kind pattern for a cue starting with `first` (None: no cue starts so); any non-ASCII character: all."""
    if not first.isascii():
        return _CUE_KIND_RE
    rx = _KIND_RES_BY_FIRST.get(first)
    if rx is None:
        pattern = _KIND_PATTERNS_BY_FIRST.get(first)
        if pattern is None:
            return None
        rx = _KIND_RES_BY_FIRST[first] = re.compile(pattern, re.IGNORECASE)
    return rx


def cue_patterns() -> list[str]:
    """Every cue pattern (one per table row): the prescan's cue triggers are made of these."""
    return [p for _, p in _CUES]


# Kinds whose value may also stand before the cue ("Sunshine99 is my password", "G-285013 is your verification
# code", "you sent me 482913 by
# text"): such a cue at the very end of
# a text still yields a value, so the prescan's trigger for their rows must fire there too.
VALUE_BEFORE_KINDS: Final = frozenset({"pw", "bytext", "otp"})


def cue_rows_ending_text() -> list[bool]:
    """For each table row (as in `cue_patterns`), whether its cue can yield a value when it ends the text."""
    # (A row that needs text after its cue, a look-ahead, cannot match at the end: "pass(?=…is|:)".)
    return [k in VALUE_BEFORE_KINDS and "(?=" not in p for k, p in _CUES]


def find_cues(text: str, windows: list[tuple[int, int]] | None = None) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every cue word; `windows`: the prescan's merged cue hits, the only places looked at.

    Scans a lower-cased copy when lower() keeps offsets (an ASCII text needs none: the case-insensitive
    patterns match it the same way). Look-aheads in the table read at most 48 characters past a cue
    (`\\s{0,32}` bounds them), which is what lets a window scan stop `CUE_MARGIN` past its last hit.
    """
    if text.isascii():
        scan, at_start, hay = _CUE_SCAN_I_RE, _CUE_AT_START_I_RE, text
    elif _LONGER_LOWER not in text:  # the only character whose lower() is longer (str.lower keeps offsets)
        if windows is not None:
            return _cues_in_windows(text, windows)
        scan, at_start, hay = _CUE_SCAN_RE, _CUE_AT_START_RE, text.lower()
    else:  # "İ" changed the length when lower-cased: fall back to IGNORECASE, everywhere
        scan, at_start, hay, windows = _CUE_SCAN_I_RE, _CUE_AT_START_I_RE, text, None
    if windows is None:
        matches = list(scan.finditer(hay))
        first = at_start.match(hay)
        if first:
            matches.insert(0, first)
        return _classified(text, hay, [m.span(1) for m in matches])
    spans: list[tuple[int, int]] = []  # (windows on an ASCII text: the case-insensitive patterns)
    n = len(hay)
    for lo, hi in windows:
        if lo == 0 and (first := at_start.match(hay)):
            spans.append(first.span(1))
        spans.extend(_window_spans(scan, _CUE_CANDIDATE_I_RE, hay, max(0, lo - 1), hi, min(n, hi + CUE_MARGIN)))
    return _classified(text, hay, spans)


def _window_spans(
    scan: re.Pattern[str], candidates: re.Pattern[str], hay: str, lo: int, hi: int, endpos: int
) -> list[tuple[int, int]]:
    """The cue spans of `scan.finditer(hay, lo, endpos)` that end by `hi`, found without scanning the margin.

    finditer tries each position in turn from the end of its last match; a match tried at a position is
    `scan.match(hay, pos, endpos)`, and it can succeed only where a character that may stand before a cue is
    followed by a cue's first letter (`candidates`, the same flags as `scan`: the trie's branches each open
    with that literal letter). So the matches are found by trying just those positions, in order, skipping
    any inside the last match. Matches come in order of their ends, so the first that ends past `hi` ends the
    look. The margin past `hi` (64 characters, half the scan's time) is then read only by look-aheads."""
    out: list[tuple[int, int]] = []
    match = scan.match
    last = lo
    for c in candidates.finditer(hay, lo, min(endpos, hi + 1)):
        pos = c.start()
        if pos < last:
            continue
        m = match(hay, pos, endpos)
        if m is None:
            continue
        if m.end(1) > hi:
            break
        out.append(m.span(1))
        last = m.end()
    return out


def _cues_in_windows(text: str, windows: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """find_cues on a non-ASCII text: each window is lower-cased on its own (the whole text need not be)."""
    out: list[tuple[str, int, int]] = []
    n = len(text)
    for lo, hi in windows:
        base = max(0, lo - 1)
        hay = text[base : min(n, hi + CUE_MARGIN)].lower()
        spans = _window_spans(_CUE_SCAN_RE, _CUE_CANDIDATE_RE, hay, 0, hi - base, len(hay))
        if lo == 0 and (first := _CUE_AT_START_RE.match(hay)):
            spans.insert(0, first.span(1))
        piece = text[base : base + len(hay)]
        out.extend((kind, s + base, e + base) for kind, s, e in _classified(piece, hay, spans))
    return out


_LONGER_LOWER: Final = "\u0130"


def _classified(text: str, hay: str, spans: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each cue span of `hay` (`text` lower-cased, or `text` itself)."""
    out: list[tuple[str, int, int]] = []
    for s, e in spans:
        # Which kind: the first whose own pattern matches exactly this span (in place, so look-aheads work).
        rx = _kind_re(hay[s])
        m = rx.match(hay, s) if rx is not None else None
        if m is None:
            continue
        kind = m.lastgroup or ""
        if m.end() != e:  # that kind reads a longer or shorter cue here: the later kinds, one by one
            after = _KIND_INDEX[kind]
            kinds = _KINDS_BY_FIRST.get(hay[s], _CUE_KINDS)  # a non-ASCII first character: every kind
            later = (k for k, rx in kinds if _KIND_INDEX[k] > after and (c := rx.match(hay, s)) and c.end() == e)
            kind = next(later, "")
            if not kind:
                continue
        if kind == "otp" and hay[s:e].lower().endswith("tan") and not text[s:e].endswith("TAN"):
            continue  # "tan" is a colour; the German banking TAN is written in capitals
        out.append((kind, s, e))
    return out


CUE_MARGIN: Final = 64  # more than the 48 characters the farthest look-ahead in the table reads past a cue
