"""German phrase pools for build_corpus.py (same keys and policy as phrases_en.py)."""

FILL = {
    "item": [
        "Kapuzenpullover",
        "Wollschal",
        "Rucksack",
        "Lautsprecher",
        "Wasserkocher",
        "Regenschirm",
        "Mantel",
        "Teppich",
        "Spiegel",
        "Kaffeebecher",
        "Koffer",
        "Gürtel",
        "Schreibtischstuhl",
        "Hundekorb",
        "Wecker",
        "Toaster",
        "Bilderrahmen",
        "Fahrradhelm",
        "Topf",
        "Laufschuh",
        "Wintermantel",
        "Kerzenständer",
    ],
    "when": [
        "gestern",
        "heute Morgen",
        "gestern Abend",
        "am Montag",
        "vor zwei Tagen",
        "letzte Woche",
        "am 3.",
        "vor einer Stunde",
        "am Freitagabend",
        "vorhin",
        "am 12. März",
        "vor ein paar Minuten",
        "am Wochenende",
        "letzten Dienstag",
    ],
    "name": [
        "Anna Müller",
        "Jonas Schmidt",
        "Lena Fischer",
        "Markus Weber",
        "Sabine Becker",
        "Tobias Wagner",
        "Julia Hoffmann",
        "Stefan Koch",
        "Katrin Schulz",
        "Felix Braun",
        "Miriam Zimmermann",
        "Lukas Krüger",
    ],
    "street": [
        "Lindenstraße 14",
        "Hauptstraße 7a",
        "Bahnhofstraße 22",
        "Gartenweg 3",
        "Schillerplatz 9",
        "Am Markt 5",
        "Bergstraße 41",
        "Goethestraße 18",
        "Rosenweg 2",
        "Kirchgasse 11",
    ],
    "city": [
        "10115 Berlin",
        "80331 München",
        "50667 Köln",
        "20095 Hamburg",
        "04109 Leipzig",
        "1010 Wien",
        "8001 Zürich",
        "60311 Frankfurt",
        "70173 Stuttgart",
        "01067 Dresden",
    ],
    "zip": ["10115", "80331", "50667", "20095", "04109", "60311", "70173", "01067"],
    "amount": ["24,99 €", "59,00 €", "35 €", "129,95 €", "12,50 €", "89 €", "64,90 EUR"],
    "country": ["die Schweiz", "Österreich", "Dänemark", "Polen", "Italien"],
    "shop": ["Northwind Goods", "Little Fern", "Brightside Home", "Oak & Ash", "Pebble Store"],
}

OPENINGS = [
    "Hallo,",
    "Guten Tag,",
    "Sehr geehrte Damen und Herren,",
    "Hi,",
    "Liebes {shop}-Team,",
    "Moin,",
    "Guten Morgen,",
    "Hallo zusammen,",
    "Servus,",
    "Sehr geehrtes Team,",
    "Grüß Gott,",
]

CLOSINGS = [
    "Viele Grüße\n{name}",
    "Mit freundlichen Grüßen\n{name}",
    "Danke und Gruß\n{name}",
    "LG {name}",
    "Beste Grüße,\n{name}",
    "Vielen Dank!",
    "Gruß\n{name}",
    "Danke im Voraus\n{name}",
    "Von meinem iPhone gesendet",
    "MfG {name}",
    "Schöne Grüße\n{name}",
    "Danke!",
]

FOLLOWUPS = [
    "Bitte geben Sie mir kurz Bescheid.",
    "Vielen Dank im Voraus für Ihre Hilfe.",
    "Bitte bestätigen Sie mir das kurz.",
    "Ich freue mich auf Ihre Antwort.",
    "Entschuldigen Sie die Umstände.",
    "Danke für die schnelle Bearbeitung.",
    "Melden Sie sich gern, falls Sie noch etwas brauchen.",
    "Bitte antworten Sie mir per E-Mail.",
]

CONTEXT = [
    "Meine Bestellnummer ist {order}.",
    "Ich habe {when} den {item} bestellt.",
    "Die Bestellung läuft auf {name}.",
    "Ich habe mit PayPal bezahlt.",
    "Ich habe per Kreditkarte bezahlt.",
    "Ich bin Stammkundin bei Ihnen.",
    "Es sollte ein Geschenk für meine Schwester sein.",
    "Ich habe den Gutscheincode FRUEHLING10 benutzt.",
    "Ich habe über die App bestellt.",
    "Der Gesamtbetrag war {amount}.",
    "Ich habe als Gast bestellt.",
    "Bestellnr. {order}",
    "Die Bestellbestätigung habe ich bekommen.",
    "Es geht um Bestellung {order}.",
]

STORY = [
    "Kurz zur Vorgeschichte.",
    "Ich bin seit Jahren Kunde und hatte nie Probleme.",
    "Letzte Woche habe ich abends noch schnell ein paar Sachen bei Ihnen ausgesucht.",
    "Meine Tochter hat sich den {item} für ihr Zimmer ausgesucht.",
    "Ich war beim Bestellen ziemlich in Eile.",
    "Eine Freundin hat mir Ihren Shop empfohlen.",
    "Ich arbeite Schicht und komme selten an meine Mails.",
    "Ich habe versucht anzurufen, bin aber nicht durchgekommen.",
    "In den FAQ habe ich leider nichts gefunden.",
    "Der {item} war für den 70. Geburtstag meines Vaters gedacht.",
    "Ich versuche, mich kurz zu fassen.",
    "Normalerweise kaufe ich bei Ihnen im Laden, diesmal online.",
    "Ich schreibe von meiner Arbeitsadresse.",
]

QUOTE_HEADERS = [
    "Am {date} um {time} schrieb {shop} <support@shop.example>:",
    "Am {weekday}, {date} schrieb {shop} <support@shop.example>:",
]

OUTLOOK = (
    "-----Ursprüngliche Nachricht-----\nVon: {shop} <support@shop.example>\nGesendet: {date} {time}\nBetreff: {subject}"
)

QUOTED = [
    "Vielen Dank für Ihre Bestellung {order}! Wir melden uns, sobald sie versendet wird. Änderungen oder "
    "Stornierungen sind möglich, solange das Paket nicht gepackt ist.",
    "Ihre Bestellung {order} ist unterwegs. Mit dem Link unten können Sie die Sendung verfolgen.",
    "Hallo {first}, danke für Ihre Nachricht. Können Sie uns bitte Ihre Bestellnummer schicken?",
    "Wir haben Ihre Rücksendung erhalten. Erstattungen dauern in der Regel 5 bis 7 Werktage.",
]

SUBJECTS = {
    "cancel": [
        "Stornierung",
        "Bestellung stornieren",
        "Storno {order}",
        "Bitte stornieren",
        "Stornierung meiner Bestellung",
        "Auftrag stornieren",
        "storno",
        "Bestellung {order} stornieren",
    ],
    "duplicate": [
        "Doppelte Bestellung",
        "Zweimal bestellt",
        "Doppelt abgebucht",
        "Bestellung doppelt",
        "Doppelte Zahlung",
    ],
    "address_fix": [
        "Adressänderung",
        "Falsche Lieferadresse",
        "Lieferadresse ändern",
        "Adresse korrigieren",
        "Neue Adresse",
        "Falsche Postleitzahl",
    ],
    "refund": [
        "Rückerstattung",
        "Erstattung",
        "Geld zurück",
        "Wo bleibt meine Erstattung?",
        "Rückerstattung {order}",
        "Rücksendung und Erstattung",
    ],
    "other": [
        "Frage",
        "Kurze Frage",
        "Wo ist meine Bestellung?",
        "Lieferzeit",
        "Frage zum Produkt",
        "Großhandel",
        "Rechnung",
        "Größe",
        "Sendungsnummer",
        "Gutschein funktioniert nicht",
    ],
    "neutral": [
        "Bestellung {order}",
        "Meine Bestellung",
        "Hilfe",
        "AW: Ihre Bestellung {order}",
        "Problem mit Bestellung",
        "Anfrage",
        "WG: Ihre Bestellung bei {shop}",
        "Dringend",
        "Hallo",
    ],
}

REQUESTS = {
    "cancel": [
        "Bitte stornieren Sie meine Bestellung {order}.",
        "Ich möchte die Bestellung {order} stornieren.",
        "Können Sie meine Bestellung stornieren?",
        "Bestellung {order} bitte stornieren.",
        "Wie kann ich meine Bestellung stornieren?",
        "Ich würde gern meinen Auftrag von {when} stornieren.",
        "Bitte die Bestellung nicht verschicken, ich möchte sie stornieren.",
        "Ich habe es mir anders überlegt, bitte stornieren.",
        "Ich brauche den {item} doch nicht mehr, bitte stornieren.",
        "Bitte storniert meine Bestellung, danke!",
        "Ich möchte vom Kauf zurücktreten.",
        "Ich widerrufe hiermit meine Bestellung {order}.",
        "Kann ich die Bestellung von {when} noch stornieren?",
        "storno bitte",
        "Bitte alles stornieren.",
        "Ich möchte meine Bestellung rückgängig machen.",
        "Bitte die komplette Bestellung stornieren.",
        "Könnten Sie den Auftrag {order} bitte canceln?",
        "Ich will meine Bestellung stornieren",
        "Bitte nur den {item} aus der Bestellung {order} stornieren.",
        "Hiermit storniere ich meine Bestellung.",
        "Bestellung bitte sofort stornieren!",
        "wie storniere ich eine bestellung",
        "Bitte die Bestellung abbrechen, ich habe mich vertan.",
        "Ich möchte den Kauf stornieren lassen.",
        "Geht eine Stornierung noch? Dann bitte stornieren.",
        "bestellung stornieren",
        "Ich bitte um Stornierung der Bestellung {order}.",
        "Bitte stoppen Sie den Versand und stornieren Sie die Bestellung.",
    ],
    "duplicate": [
        "Ich habe aus Versehen zweimal bestellt.",
        "Meine Bestellung ist doppelt eingegangen.",
        "Mir wurde der Betrag doppelt abgebucht.",
        "Ich habe zwei Bestätigungen bekommen, {order} und {order2}.",
        "Die Seite hing und ich habe nochmal geklickt, jetzt gibt es zwei Bestellungen.",
        "Die gleiche Bestellung ist zweimal in meinem Konto.",
        "Sie haben mir {amount} zweimal berechnet.",
        "Ich sehe eine doppelte Abbuchung auf meinem Konto.",
        "doppelt bestellt",
        "Die Zahlung wurde zweimal eingezogen.",
        "Ich habe den {item} versehentlich zweimal gekauft.",
        "Bestellung {order2} ist ein Duplikat von {order}.",
        "Es sind zwei identische Bestellungen rausgegangen.",
        "Meine Karte wurde zweimal belastet.",
        "Die Bestellung wurde doppelt ausgelöst.",
        "Ich glaube, ich habe dieselbe Bestellung zweimal abgeschickt.",
        "zweimal abgebucht für eine bestellung",
    ],
    "address_fix": [
        "Ich muss die Lieferadresse meiner Bestellung {order} ändern.",
        "Bitte ändern Sie die Lieferadresse auf {addr}.",
        "Ich habe eine falsche Adresse angegeben, richtig ist {addr}.",
        "Die Hausnummer ist falsch, richtig ist {street}.",
        "In der Postleitzahl ist ein Tippfehler, es muss {zip} heißen.",
        "Bitte schicken Sie das Paket an {addr}.",
        "Wir sind umgezogen, bitte liefern Sie an {addr}.",
        "Wie kann ich die Lieferadresse meiner Bestellung ändern?",
        "Falsche Adresse bei Bestellung {order}!",
        "Bitte korrigieren Sie die Straße: {street}.",
        "Kann die Lieferanschrift noch geändert werden? Neue Adresse: {addr}.",
        "Lieferadresse ändern bitte",
        "Ich habe meine alte Adresse eingegeben, bitte an {addr} liefern.",
        "Bitte an meine Arbeitsadresse schicken: {addr}.",
        "Die Adresse ist unvollständig, es fehlt der Zusatz {n}. OG.",
        "Können Sie die Bestellung an {addr} umleiten?",
        "Der Ort ist falsch, richtig ist {city}.",
        "Bitte die Adresse in der Bestellung korrigieren.",
        "adresse ist falsch, bitte ändern",
        "Ich möchte die Versandadresse ändern.",
        "Bitte die Lieferung an meine Nachbarin schicken: {addr}.",
    ],
    "refund": [
        "Ich hätte gern eine Rückerstattung für Bestellung {order}.",
        "Bitte erstatten Sie mir den Betrag.",
        "Ich möchte mein Geld zurück.",
        "Wann bekomme ich meine Erstattung?",
        "Wo bleibt meine Rückerstattung?",
        "Ich habe den {item} {when} zurückgeschickt und noch kein Geld bekommen.",
        "Der {item} kam kaputt an, ich möchte eine Erstattung.",
        "Kann ich eine Rückerstattung bekommen?",
        "Rückerstattung bitte",
        "Bitte erstatten Sie die Versandkosten.",
        "Ich möchte den {item} zurückgeben und mein Geld zurück.",
        "Die Erstattung ist immer noch nicht auf meinem Konto.",
        "Mir fehlen noch {amount} von der Erstattung.",
        "Bitte überweisen Sie mir das Geld zurück.",
        "Wie bekomme ich mein Geld zurück?",
        "Die Rücksendung ist angekommen, wann wird erstattet?",
        "Ich verlange eine Rückerstattung.",
        "Bitte den Kaufpreis auf PayPal zurückbuchen.",
        "Status meiner Erstattung?",
        "geld zurück bitte",
        "Ich warte seit drei Wochen auf meine Rückerstattung.",
        "Bitte den Betrag von {amount} erstatten.",
    ],
}

COMBOS = {
    ("duplicate", "cancel"): [
        "Ich habe aus Versehen zweimal bestellt, bitte stornieren Sie eine Bestellung.",
        "Bestellung {order2} ist doppelt, bitte stornieren.",
        "Doppelt bestellt, bitte die zweite Bestellung stornieren.",
        "Bitte die doppelte Bestellung {order2} stornieren und {order} behalten.",
    ],
    ("duplicate", "refund"): [
        "Mir wurde doppelt abgebucht, bitte erstatten Sie den zweiten Betrag.",
        "Zweimal bezahlt, bitte einmal zurückerstatten.",
    ],
    ("duplicate", "cancel", "refund"): [
        "Ich habe zweimal bestellt und zweimal bezahlt, bitte eine Bestellung stornieren und das Geld erstatten.",
    ],
    ("cancel", "refund"): [
        "Bitte stornieren Sie die Bestellung und erstatten Sie mir das Geld.",
        "Stornieren und Geld zurück bitte.",
        "Ich möchte die Bestellung {order} stornieren und den Betrag zurückbekommen.",
    ],
    ("address_fix", "cancel"): [
        "Falls die Adresse nicht mehr geändert werden kann, stornieren Sie bitte die Bestellung.",
    ],
}

NEGATIONS = {
    "cancel": [
        "Bitte nicht stornieren, ich möchte die Bestellung behalten.",
        "Ich habe versehentlich storniert, können Sie das rückgängig machen?",
        "Vergessen Sie meine letzte Mail zur Stornierung, ich will die Bestellung doch.",
        "Ich will nicht stornieren, nur eine Frage stellen.",
        "Meine Stornierung war ein Versehen, bitte die Bestellung wiederherstellen.",
        "Bitte die Stornierung zurücknehmen.",
        "Nicht stornieren!",
    ],
    "duplicate": [
        "Das ist kein Duplikat, ich wollte wirklich zwei Bestellungen.",
        "Beide Bestellungen sind gewollt, bitte beide verschicken.",
    ],
    "address_fix": [
        "Die Adresse ist richtig, bitte nichts ändern.",
        "Vergessen Sie die Adressänderung, die alte Adresse stimmt doch.",
    ],
    "refund": [
        "Ich möchte keine Erstattung, lieber einen Ersatz.",
        "Ich will kein Geld zurück, sondern den Artikel.",
        "Bitte nicht erstatten, ich warte gern auf die Nachlieferung.",
    ],
}

LOOKALIKES = {
    "cancel": [
        "Bitte kündigen Sie meinen Newsletter.",
        "Wie kann ich mein Kundenkonto löschen?",
        "Ist die Bestellung stornierbar?",
        "Wie sind Ihre Stornobedingungen?",
        "Kostet eine Stornierung etwas?",
        "Bis wann kann man eine Bestellung stornieren?",
        "Warum wurde meine Bestellung storniert? Das wollte ich nicht.",
        "Bitte den Newsletter abbestellen.",
        "Meine Reise wurde abgesagt, ich bin also doch zu Hause für die Lieferung.",
        "Ich möchte mein Abo für die E-Mails kündigen.",
    ],
    "duplicate": [
        "Ich möchte den {item} noch einmal bestellen, ist er wieder da?",
        "Ich habe schon zweimal nach der Sendungsnummer gefragt.",
        "Gibt es Rabatt, wenn ich zwei Stück kaufe?",
        "Ich habe schon zweimal bei Ihnen bestellt und war immer zufrieden.",
    ],
    "address_fix": [
        "Wie füge ich eine neue Adresse in meinem Konto hinzu?",
        "Ich möchte meine E-Mail-Adresse ändern.",
        "Wie lautet Ihre Rücksendeadresse?",
        "Wo ist Ihr Laden? Ich würde gern abholen.",
        "Bitte die Firmenadresse auf die Rechnung schreiben.",
        "Liefern Sie auch an Packstationen?",
    ],
    "refund": [
        "Wie sind Ihre Rückgabebedingungen?",
        "Sind reduzierte Artikel erstattungsfähig?",
        "Wie lange dauert eine Erstattung normalerweise?",
        "Kann ich den {item} gegen eine andere Farbe umtauschen?",
        "Das Geld ist angekommen, vielen Dank!",
        "Ich möchte den {item} in einer anderen Größe umtauschen.",
    ],
}

OTHER = [
    "Wo ist meine Bestellung?",
    "Wann kommt meine Bestellung {order} an?",
    "Ist meine Bestellung schon verschickt?",
    "Können Sie mir die Sendungsnummer schicken?",
    "Gibt es den {item} auch in Größe L?",
    "Wann ist der {item} wieder lieferbar?",
    "Aus welchem Material ist der {item}?",
    "Liefern Sie auch in {country}?",
    "Was kostet der Versand nach {country}?",
    "Bieten Sie Großhandelspreise an?",
    "Wir haben einen kleinen Laden und würden Ihre Produkte gern führen.",
    "Können Sie mir eine Rechnung mit Firmenanschrift schicken?",
    "Welche Zahlungsarten akzeptieren Sie?",
    "Mein Gutscheincode funktioniert nicht.",
    "Ich kann mich nicht einloggen.",
    "Bieten Sie Geschenkverpackung an?",
    "Der {item} ist heute angekommen und ist wunderschön, danke!",
    "Wie wasche ich den {item}?",
    "Haben Sie ein Ladengeschäft?",
    "Kann ich die Größe in meiner Bestellung noch ändern?",
    "Meine Bestellung ist noch nicht da, gibt es ein Update?",
    "Das Paket hängt beim Zoll fest.",
    "Kann ich per Rechnung zahlen?",
    "Wie lange ist die Lieferzeit?",
    "Ich brauche eine Rechnung für Bestellung {order}.",
    "Kann ich noch einen {item} zur Bestellung hinzufügen?",
    "wo ist mein paket",
    "Lieferzeit nach {country}?",
    "Kann ich mit jemandem telefonieren?",
    "Die Verpackung war beschädigt, der Inhalt ist aber in Ordnung.",
    "Ich möchte mich über den Paketboten beschweren.",
    "Gibt es einen Studentenrabatt?",
]

REASONS = {
    "cancel": [
        "Ich habe es woanders günstiger gefunden.",
        "Ich habe die falsche Größe gewählt.",
        "Meine Pläne haben sich geändert.",
    ],
    "duplicate": ["Die Seite hat beim Bezahlen gehangen.", "Ich dachte, die erste Bestellung sei nicht durchgegangen."],
    "address_fix": ["Wir sind letzten Monat umgezogen.", "Die Autovervollständigung hat meine alte Adresse genommen."],
    "refund": ["Die Naht ist nach einer Wäsche aufgegangen.", "Es sieht ganz anders aus als auf den Fotos."],
}

TYPO_EXTRA = {"bitte": ["bite", "bitet"], "Bestellung": ["Bestelung", "Bestllung"]}

OTHER += [
    "Wie kann ich ein Kundenkonto anlegen?",
    "Bitte löschen Sie mein Konto.",
    "Passwort vergessen",
    "Ich komme nicht in mein Konto.",
    "Wo finde ich meine Rechnungen?",
    "Können Sie mir die Rechnung noch einmal schicken?",
    "Meine Kartenzahlung wurde abgelehnt.",
    "Kann ich mit Apple Pay bezahlen?",
    "Welche Versandoptionen gibt es?",
    "Sendung verfolgen {order}",
    "Wie ist der Status meiner Bestellung?",
    "Ich möchte den {item} kaufen, wie bestelle ich?",
    "Kann ich die Farbe in meiner Bestellung ändern?",
    "Wie melde ich mich für den Newsletter an?",
    "Ich möchte mit einem Mitarbeiter sprechen.",
    "Wo kann ich eine Bewertung schreiben?",
    "Ist der {item} waschbar?",
    "Haben Sie Treuepunkte?",
    "Kann ich im Laden abholen?",
    "Wir möchten 300 Stück für eine Firmenfeier bestellen.",
]
LOOKALIKES["cancel"] += ["Was kostet eine Stornierung?", "Ich möchte meine Mitgliedschaft kündigen."]
LOOKALIKES["address_fix"] += ["Wie lege ich eine Lieferadresse in meinem Konto an?"]
LOOKALIKES["refund"] += ["Unter welchen Bedingungen erstatten Sie?"]

FRAMES_SELF = [
    "Ich möchte {act}.",
    "Ich will {act}.",
    "Ich muss {act}.",
    "Ich würde gern {act}.",
    "Ich würde gerne {act}.",
    "Wie kann ich {act}?",
    "Kann ich {act}?",
    "Wie kann man {act}?",
    "Ich möchte bitte {act}.",
    "Können Sie mir sagen, wie ich {act} kann?",
    "Hilfe, ich möchte {act}!",
    "Wo kann ich {act}?",
    "wie kann ich {act}",
]
FRAMES_SHOP = [
    "Können Sie {act}?",
    "Könnten Sie bitte {act}?",
    "Würden Sie bitte {act}?",
    "Bitte {act}.",
    "bitte {act}",
    "Kannst du {act}?",
]
ACTS = {
    "cancel": [
        "meine Bestellung stornieren",
        "die Bestellung {order} stornieren",
        "meinen Einkauf stornieren",
        "meine Bestellung canceln",
        "den Auftrag {order} stornieren",
        "meine letzte Bestellung stornieren",
        "die Bestellung von {when} stornieren",
        "meine Bestellung rückgängig machen",
        "den Kauf stornieren",
        "die ganze Bestellung stornieren",
    ],
    "address_fix": [
        "die Lieferadresse ändern",
        "die Lieferadresse meiner Bestellung ändern",
        "die Adresse für Bestellung {order} korrigieren",
        "meine Versandadresse aktualisieren",
        "die Hausnummer in meiner Bestellung korrigieren",
        "die Bestellung an {addr} schicken",
        "die Postleitzahl in der Bestellung ändern",
        "meine Lieferanschrift ändern",
    ],
    "refund": [
        "S:eine Rückerstattung bekommen",
        "S:mein Geld zurückbekommen",
        "S:eine Erstattung für Bestellung {order} beantragen",
        "den Status meiner Erstattung prüfen",
        "P:mir das Geld erstatten",
        "P:den Betrag zurücküberweisen",
        "P:meine Bestellung erstatten",
        "S:den Kaufpreis zurückbekommen",
    ],
    "other": [
        "meine Bestellung verfolgen",
        "S:ein Konto anlegen",
        "mein Konto löschen",
        "mein Passwort zurücksetzen",
        "S:eine Rechnung bekommen",
        "S:mit PayPal bezahlen",
        "S:eine Bewertung schreiben",
        "S:mit einem Mitarbeiter sprechen",
        "S:einen Gutschein einlösen",
        "die Größe in meiner Bestellung ändern",
        "S:den {item} kaufen",
        "P:mir die Sendungsnummer schicken",
        "P:mir eine Rechnung schicken",
        "S:im Laden abholen",
        "S:Großhändler werden",
        "S:meine Zahlungsart ändern",
    ],
    "lookalike": [
        "den Newsletter abbestellen",
        "mein Kundenkonto kündigen",
        "S:eine neue Adresse in meinem Konto speichern",
        "meine E-Mail-Adresse ändern",
        "S:die Stornogebühren erfahren",
        "meine Stornierung rückgängig machen",
        "S:den {item} noch einmal bestellen",
        "den {item} umtauschen",
    ],
}
DUP_FRAMES = [
    "{stmt}",
    "Ich glaube, {stmt}.",
    "Hallo, {stmt}.",
    "Hilfe, {stmt}!",
    "{stmt}, können Sie das prüfen?",
    "Anscheinend {stmt}.",
]
DUP_STMTS = [
    "ich habe zweimal bestellt",
    "meine Bestellung ist doppelt",
    "mir wurde zweimal abgebucht",
    "ich habe doppelt bezahlt",
    "die Bestellung {order} ist zweimal drin",
    "ich habe versehentlich zwei gleiche Bestellungen aufgegeben",
]

# Word order "ov": German infinitive at the end ("meine Bestellung stornieren").
GROUPS = {
    "cancel": [
        (
            "",
            ["stornieren", "canceln", "rückgängig machen", "abbrechen", "zurückziehen"],
            [
                "meine Bestellung",
                "die Bestellung {order}",
                "meinen Einkauf",
                "den Auftrag {order}",
                "meine letzte Bestellung",
                "die Bestellung von {when}",
                "den Kauf",
                "die ganze Bestellung",
                "meine Onlinebestellung",
                "die Vorbestellung",
            ],
        )
    ],
    "address_fix": [
        (
            "",
            ["ändern", "korrigieren", "aktualisieren", "anpassen", "berichtigen"],
            [
                "die Lieferadresse",
                "die Lieferadresse meiner Bestellung",
                "die Adresse für Bestellung {order}",
                "meine Versandadresse",
                "die Hausnummer in meiner Bestellung",
                "die Postleitzahl in der Bestellung",
                "meine Lieferanschrift",
                "die Empfängeradresse",
            ],
        )
    ],
    "refund": [
        (
            "S",
            ["bekommen", "beantragen", "erhalten", "anfordern"],
            [
                "eine Rückerstattung",
                "mein Geld zurück",
                "eine Erstattung für Bestellung {order}",
                "die Erstattung",
                "eine Gutschrift auf meine Karte",
                "den Kaufpreis zurück",
            ],
        ),
        (
            "",
            ["prüfen", "nachverfolgen", "klären"],
            ["den Status meiner Erstattung", "meine Rückerstattung", "die Erstattung für {order}"],
        ),
    ],
    "other": [
        (
            "",
            ["kündigen", "löschen", "abbestellen", "beenden"],
            ["den Newsletter", "mein Kundenkonto", "meine Mitgliedschaft", "die Werbe-Mails"],
        ),
        (
            "",
            ["ändern", "aktualisieren", "zurücksetzen"],
            [
                "mein Passwort",
                "meine E-Mail-Adresse",
                "meine Telefonnummer",
                "meine Zahlungsart",
                "die Größe in meiner Bestellung",
            ],
        ),
        (
            "",
            ["verfolgen", "finden", "prüfen"],
            ["meine Bestellung", "mein Paket", "die Sendung {order}", "meine Rechnung"],
        ),
        (
            "S",
            ["anlegen", "speichern", "hinzufügen"],
            ["eine neue Lieferadresse im Konto", "ein Kundenkonto", "eine zweite Adresse"],
        ),
    ],
}

ORDER_OBJECTS = [
    "meine Bestellung",
    "die Bestellung {order}",
    "meinen Einkauf",
    "den Auftrag {order}",
    "meine letzte Bestellung",
    "die Bestellung von {when}",
    "meine Onlinebestellung",
]
GROUPS["other"] += [
    ("", ["verfolgen", "prüfen", "bezahlen", "bewerten", "finden", "umbuchen auf Expressversand"], ORDER_OBJECTS)
]

NEUTRAL = [
    "Hallo?",
    "Können Sie mir helfen?",
    "Ich habe eine Frage.",
    "Bitte rufen Sie mich zurück.",
    "Gibt es Neuigkeiten?",
    "Ich brauche Hilfe.",
    "Siehe Anhang.",
    "Es geht um meine Bestellung {order}.",
    "Ich habe ein Problem mit meiner Bestellung.",
    "Bitte melden Sie sich.",
    "Ich hatte Ihnen letzte Woche geschrieben.",
]

REQUESTS["cancel"] += [
    "Ich möchte meine Bestellung zurückziehen.",
    "Bitte die Bestellung {order} annullieren.",
    "Stornierung der Bestellung {order}, bitte.",
    "Können Sie die Bestellung noch stoppen? Ich brauche sie nicht mehr.",
    "Ich trete vom Kaufvertrag zurück.",
    "Bitte Auftrag {order} canceln.",
    "Ich möchte die Bestellung widerrufen.",
    "Bestellung stornieren, danke.",
    "Kann ich meinen Einkauf von {when} noch stornieren?",
    "Bitte storniere meine Bestellung.",
    "Ich brauche eine Stornierung für {order}.",
    "Bitte nichts verschicken, ich storniere.",
]
REQUESTS["refund"] += [
    "Bitte zahlen Sie mir den Betrag zurück.",
    "Ich möchte eine Gutschrift auf meine Karte.",
    "Wann wird mir das Geld erstattet?",
    "Die Erstattung fehlt noch.",
    "Ich bitte um Rückzahlung von {amount}.",
    "Bitte das Geld zurücküberweisen.",
    "Ich hätte gern mein Geld zurück für den {item}.",
    "Rückzahlung bitte",
    "Wann kommt die Rückzahlung?",
]
REQUESTS["address_fix"] += [
    "Bitte die Lieferanschrift auf {addr} ändern.",
    "Die Adresse in meiner Bestellung stimmt nicht, richtig ist {addr}.",
    "Ich bin umgezogen, neue Adresse: {addr}.",
    "Bitte an eine andere Adresse liefern: {addr}.",
    "Lieferadresse falsch, bitte korrigieren.",
]
REQUESTS["duplicate"] += [
    "Ich habe die Bestellung aus Versehen doppelt abgeschickt.",
    "Es wurde zweimal abgebucht.",
    "Die Bestellung ist zweimal im Konto.",
    "Ich habe zwei Bestellbestätigungen für einen Einkauf.",
    "Der Betrag wurde doppelt belastet.",
]
OTHER += [
    "Wann wird meine Bestellung verschickt?",
    "Haben Sie den {item} auch in Schwarz?",
    "Kann ich per Vorkasse zahlen?",
    "Meine Zahlung wurde abgelehnt, was kann ich tun?",
    "Wie lange dauert der Versand nach {country}?",
    "Gibt es Mengenrabatt?",
    "Ich möchte eine Rechnung mit Umsatzsteuer.",
    "Können Sie mir ein Angebot für 100 Stück machen?",
    "Wie erreiche ich den Kundenservice?",
    "Ich möchte eine Beschwerde einreichen.",
    "Die Lieferung ist verspätet.",
    "Ist der {item} noch vorrätig?",
]
FRAMES_SELF += ["Ich müsste {act}.", "Können Sie mir helfen? Ich möchte {act}."]
FRAMES_SHOP += ["Würden Sie {act}?", "Bitte umgehend {act}."]
GROUPS["cancel"][0][1].extend(["annullieren", "widerrufen", "stoppen"])
GROUPS["cancel"][0][2].extend(
    ["meinen Auftrag", "den Einkauf von {when}", "meine Bestellung vom {when}", "die Bestellung mit der Nummer {order}"]
)
GROUPS["refund"][0][2].extend(["mein Geld", "eine Rückzahlung", "die Erstattung für den {item}"])
GROUPS["other"] += [
    (
        "",
        ["stornieren", "kündigen"],
        ["meinen Newsletter", "mein Abo für die Werbung", "die Mitgliedschaft im Kundenclub"],
    )
]

GROUPS["other"] += [
    (
        "S",
        ["anlegen", "hinzufügen", "speichern", "hinterlegen"],
        ["eine Lieferadresse im Kundenkonto", "eine neue Adresse für künftige Bestellungen", "meine Rechnungsadresse"],
    ),
    (
        "S",
        ["verstehen", "nachlesen", "erfahren"],
        ["die Erstattungsbedingungen", "die Stornogebühren", "die Rückgaberegeln", "was eine Stornierung kostet"],
    ),
]

# --- Runde 2: kurze, alltägliche Formulierungen (Policy wie in README.md). ---
REQUESTS["cancel"] += [
    "Ich brauche Hilfe beim Stornieren meiner Bestellung.",
    "Bestellung {order} bitte stornieren",
    "Ich möchte meinen Kauf stornieren.",
    "Wie kann ich meine Bestellung stornieren?",
    "Bitte die ganze Bestellung stornieren, ich brauche sie nicht mehr.",
    "Ich will die Bestellung von {when} nicht mehr, bitte stornieren.",
    "Können Sie den Artikel {item} aus meiner Bestellung streichen?",
    "Stornierung der Bestellung {order}, bitte bestätigen.",
]
REQUESTS["refund"] += [
    "Ich möchte eine Rückerstattung.",
    "Wo bleibt meine Rückerstattung?",
    "Wann bekomme ich mein Geld zurück?",
    "Ich hätte gern mein Geld zurück.",
    "Bitte erstatten Sie mir {amount}.",
    "Status meiner Erstattung?",
    "Ich habe die Ware {when} zurückgeschickt und warte noch auf die Erstattung.",
    "Wie bekomme ich eine Rückzahlung?",
    "Bitte das Geld auf meine Karte zurückbuchen.",
]
REQUESTS["address_fix"] += [
    "Ich muss die Lieferadresse ändern.",
    "Falsche Lieferadresse in der Bestellung, bitte korrigieren.",
    "Bitte die Bestellung an eine andere Adresse schicken: {addr}.",
    "Kann ich die Versandadresse meiner Bestellung noch ändern?",
    "Ich bin umgezogen, bitte Bestellung {order} an {addr} liefern.",
]
OTHER += [
    "Wo ist mein Paket?",
    "Wann kommt meine Bestellung an?",
    "Wie kann ich meine Bestellung verfolgen?",
    "Status meiner Bestellung {order}?",
    "Ich möchte bei meiner Bestellung die Größe ändern.",
    "Kann ich noch einen Artikel zur Bestellung hinzufügen?",
    "Wie lege ich eine neue Lieferadresse in meinem Konto an?",
    "Ich möchte eine Adresse in meinem Kundenkonto speichern.",
    "Kostet eine Stornierung etwas?",
    "Gibt es eine Stornogebühr?",
    "Ich brauche eine Rechnung für meine Bestellung.",
    "Welche Zahlungsarten bieten Sie an?",
    "Meine Zahlung ist fehlgeschlagen.",
    "Ich habe mein Passwort vergessen.",
    "Ich kann mich nicht einloggen.",
    "Wie erstelle ich ein Kundenkonto?",
    "Bitte löschen Sie mein Konto.",
    "Bitte melden Sie mich vom Newsletter ab.",
    "Ich möchte mich beschweren.",
    "Kann ich mit einem Mitarbeiter sprechen?",
    "Wie lange dauert der Versand?",
    "Was kostet der Versand nach {country}?",
    "Ist der Artikel {item} in Größe M verfügbar?",
    "Mein Gutscheincode funktioniert nicht.",
    "Wie sind Ihre Rückgaberegeln?",
    "Bieten Sie Großhandelspreise an?",
]

# --- Round 3 (issue 4, third pass): own wording for the weak spots (see phrases_en.py). ---
REQUESTS["cancel"] += [
    "Ich muss einen Kauf stornieren.",
    "kann man die Bestellung {order} noch stornieren? bitte machen",
    "Bitte den Kauf von {when} rückgängig machen.",
    "Ich will die Bestellung nicht mehr, bitte stornieren.",
    "Storno für Bestellung {order} bitte",
    "Wie storniere ich einen Kauf?",
]
REQUESTS["refund"] += [
    "Ich will mein Geld zurück.",
    "Wann bekomme ich meine Erstattung?",
    "Ist meine Rückerstattung schon unterwegs?",
    "Meine Erstattung ist immer noch nicht da.",
    "Bitte erstatten Sie mir {amount}.",
    "Wie bekomme ich eine Rückerstattung?",
    "Haben Sie mein Geld schon zurücküberwiesen?",
    "Wie ist der Stand meiner Rückerstattung?",
]
OTHER += [
    "Wo ist meine Bestellung {order}?",
    "Ist mein Paket schon verschickt?",
    "Ich hätte gern die Sendungsnummer für meinen Kauf.",
    "Wie richte ich eine zweite Lieferadresse ein?",
    "Ich möchte eine weitere Adresse in meinem Profil hinterlegen.",
    "Wo kann ich meine Adresse im Kundenkonto eintragen?",
]

# --- Round 4 (issue 4, fourth pass): our own synonyms, swapped in by build_corpus.py (see phrases_en.py). ---
SYNONYMS = [
    (
        r"\bRückerstattung\b",
        ["Erstattung", "Rückzahlung", "Gutschrift", "Entschädigung", "Geldrückgabe", "Rückvergütung"],
    ),
    (
        r"\bmein Geld zurück\b",
        ["mein Geld wieder", "eine Erstattung", "eine Rückzahlung", "das Geld zurück", "mein Geld erstattet"],
    ),
    (r"\bBestellung\b", ["Order", "Kauf", "Paket", "Sendung", "Einkauf", "Auftrag", "Lieferung"]),
    (r"\bstornieren\b", ["annullieren", "zurückziehen", "abbrechen", "canceln", "rückgängig machen", "streichen"]),
    (r"\bStornierung\b", ["Annullierung", "Rücknahme", "Abbestellung", "Widerruf", "Stornierung der Bestellung"]),
    (
        r"\bLieferadresse\b",
        ["Versandadresse", "Zustelladresse", "Lieferanschrift", "Anschrift", "Empfängeradresse", "Adresse"],
    ),
    (r"\bändern\b", ["anpassen", "korrigieren", "aktualisieren", "umstellen", "berichtigen", "abändern"]),
    (r"\bIch möchte\b", ["Ich will", "Ich würde gern", "Ich muss", "Ich hätte gern", "Ich wollte"]),
]
GROUPS["refund"].append(
    (
        "",
        ["beantragen", "erhalten", "bekommen", "prüfen", "verfolgen"],
        [
            "eine Erstattung",
            "meine Rückzahlung",
            "eine Entschädigung",
            "mein Geld zurück",
            "die Gutschrift für {order}",
        ],
    )
)
REQUESTS["refund"] += [
    "Ich will mein Geld zurück.",
    "Wo bleibt meine Erstattung?",
    "Wurde meine Rückzahlung schon bearbeitet?",
    "Bitte erstatten Sie mir den Betrag von {amount}.",
    "Ich warte immer noch auf mein Geld.",
    "Gibt es Neuigkeiten zu meiner Rückerstattung?",
]
OTHER += [
    "Wie richte ich eine Lieferadresse in meinem Konto ein?",
    "Ich möchte meine Bestellung ändern, andere Größe bitte.",
    "Wo ist meine Bestellung?",
    "Ich möchte mein Konto löschen.",
    "Wie lange dauert eine Erstattung normalerweise?",
]

# --- Round 5 (issue 4, fifth pass): look-alikes with Storno- und Adresswörtern, die etwas anderes meinen
# (see phrases_en.py): Artikel ändern, Sendung verfolgen, Konto löschen, Stornogebühr und -bedingungen,
# Adresse im Konto anlegen, Newsletter und Mitgliedschaft kündigen, "nicht stornieren". Kurz und als E-Mail.
LOOKALIKES["cancel"] += [
    "Was kostet es, eine Bestellung zu stornieren?",
    "stornogebühr??",
    "Fällt eine Gebühr an, wenn ich storniere?",
    "Wo finde ich Ihre Stornobedingungen?",
    "Kann man Vorbestellungen kostenlos stornieren?",
    "Guten Tag, bevor ich bestelle: Wie lange habe ich Zeit, eine Bestellung zu stornieren, und kostet das etwas?",
    "newsletter kündigen bitte",
    "Bitte kündigen Sie nur den Newsletter, nicht meine Bestellung.",
    "Ich möchte mein Kundenkonto kündigen, die offene Bestellung soll bleiben.",
    "Konto löschen und meine Daten entfernen bitte",
    "Wie kann ich meine Mitgliedschaft im Kundenclub kündigen?",
    "Bitte keine Werbe-SMS mehr, das Abo möchte ich beenden.",
    "Warum kann ich meine Bestellung online nicht mehr stornieren?",
]
LOOKALIKES["address_fix"] += [
    "wie füge ich eine adresse zu meinem konto hinzu",
    "Ich möchte meine Arbeitsadresse im Konto für das nächste Mal speichern.",
    "Wo lege ich vor der Bestellung eine Lieferadresse an?",
    "Kann ich eine zweite Adresse in meinem Profil hinterlegen?",
    "Hallo, ich habe gerade ein Konto erstellt. Wo trage ich meine Lieferadresse für künftige Bestellungen ein?",
    "Standard-Lieferadresse festlegen",
    "Meine Adresse lässt sich im Konto nicht speichern, das Formular zeigt einen Fehler.",
    "Bitte meine E-Mail-Adresse im Konto ändern.",
    "Ich möchte eine alte Adresse aus meinem Adressbuch löschen.",
]
NEGATIONS["cancel"] += [
    "bitte nicht stornieren, ich will den {item} noch",
    "Ich habe nie eine Stornierung verlangt, bitte die Bestellung behalten.",
    "Moment, bitte die Bestellung {order} doch nicht stornieren!",
    "Hallo, bitte ignorieren Sie meine letzte Nachricht. Ich möchte die Bestellung doch behalten. Danke!",
]
NEGATIONS["refund"] += [
    "Ich will keine Erstattung, nur den fehlenden {item}.",
    "Kein Geld zurück bitte, lieber Ersatz.",
]
GROUPS["other"] += [
    (
        "S",
        ["anlegen", "speichern", "hinterlegen", "eintragen"],
        ["eine Adresse in meinem Konto", "meine Arbeitsadresse im Profil", "eine zweite Lieferadresse im Konto"],
    ),
    (
        "",
        ["ändern", "tauschen", "umtauschen"],
        ["die Größe in meiner Bestellung", "die Farbe in meiner Bestellung", "einen Artikel in meiner Bestellung"],
    ),
    (
        "",
        ["löschen", "schließen", "kündigen", "deaktivieren"],
        ["mein Kundenkonto", "mein Konto samt Daten", "mein Profil"],
    ),
    (
        "",
        ["kündigen", "abbestellen", "beenden"],
        ["den Newsletter", "die Werbe-Mails", "meine Mitgliedschaft", "die SMS-Benachrichtigungen"],
    ),
]
OTHER += [
    "Kann ich in meiner Bestellung die Größe vom {item} ändern?",
    "Bitte noch einen {item} zur Bestellung {order} hinzufügen.",
    "Wo ist mein Paket? Die Sendungsverfolgung bewegt sich nicht.",
    "sendungsnummer für bestellung {order} bitte",
    "Ich möchte wissen, wo meine Bestellung gerade ist.",
    "Bitte löschen Sie mein Konto.",
]
REQUESTS["cancel"] += [
    "Bitte stornieren Sie die Bestellung, auch wenn eine Gebühr anfällt.",
    "Bitte den {item} aus meiner Bestellung streichen, den will ich nicht mehr.",
]
REQUESTS["address_fix"] += [
    "Bitte schicken Sie die Bestellung {order} an die neue Adresse, die ich gerade im Konto angelegt habe.",
]
COMBOS[("duplicate", "cancel")] += [
    "Zweimal abgebucht für dieselbe Bestellung, bitte eine stornieren.",
    "doppelte Bestellung, bitte die zweite stornieren",
    "Ich habe den {item} zweimal bestellt, eine davon bitte stornieren.",
]
