"""What the corpus customers write, per language (en, de, es, fr): requests for every intent, story
filler, greetings, closings, subjects, quoting headers, the shop's earlier reply, pasted card and bank
details, follow-up nudges. Written for this benchmark; bench/corpus.py assembles messages from it.
"""

from __future__ import annotations

# Per language: order reference forms, requests per intent, fillers, greetings, closings.
# {ref} is an order reference, {ref2} a second one, {item}, {addr} an address block, {first}, {name}.
REFS = {
    "en": ("#{n}", "order {n}", "order #{n}", "Order No. {n}", "order number: {n}"),
    "de": ("#{n}", "Bestellung {n}", "Bestellnummer {n}", "Bestellung Nr. {n}"),
    "es": ("#{n}", "pedido {n}", "pedido n.º {n}", "número de pedido {n}"),
    "fr": ("#{n}", "commande {n}", "commande n° {n}", "numéro de commande {n}"),
}
REQUESTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "cancel": (
            "Please cancel my order {ref}.",
            "I'd like to cancel {ref}, I ordered the wrong size.",
            "Can you cancel {ref} before it ships? My sister already bought me the {item}.",
            "cancel {ref} pls",
            "I need to cancel {ref}. I changed my mind about the {item}, sorry for the hassle.",
            "Is it still possible to cancel {ref}? If it hasn't been packed yet please stop it.",
        ),
        "duplicate": (
            "I think I placed the same order twice by mistake: {ref} and {ref2}.",
            "My card was charged twice, there are two orders ({ref} and {ref2}) for the same {item}.",
            "Oops, I clicked the button twice and now have two identical orders, {ref} and {ref2}.",
        ),
        "address_fix": (
            "I made a typo in the shipping address for {ref}. The correct address is:\n\n{addr}",
            "Could you change the delivery address on {ref}? We are moving next week. New address:\n\n{addr}",
            "The postcode on {ref} is wrong, please ship it to:\n{addr}",
            "Please send {ref} to my office instead:\n{addr}",
        ),
        "refund": (
            "I returned the {item} last week. When will I get my refund for {ref}?",
            "The {item} from {ref} arrived broken. I'd like a refund please.",
            "I still haven't received the refund for {ref}, it has been three weeks.",
            "Can I get my money back for {ref}? The {item} is not as described.",
        ),
        "other": (
            "Do you ship to Norway? And how long does it take?",
            "Is the {item} dishwasher safe?",
            "Where is my order {ref}? The tracking number 1Z999AA10123456784 has not moved in 5 days.",
            "Please unsubscribe me from the newsletter.",
            "If I change my mind later, would {ref} still be cancellable?",
            "Will the {item} be back in stock before Christmas?",
            "Thank you so much, the {item} arrived today and it's beautiful!",
            "Do you offer wholesale prices? We run a small café and would need about 120 mugs.",
        ),
    },
    "de": {
        "cancel": (
            "Bitte stornieren Sie meine {ref}.",
            "Ich möchte die {ref} stornieren, ich habe die falsche Größe bestellt.",
            "Können Sie {ref} noch stornieren, bevor sie verschickt wird?",
            "Bitte {ref} stornieren, danke.",
        ),
        "duplicate": (
            "Ich habe aus Versehen zweimal bestellt: {ref} und {ref2}.",
            "Meine Karte wurde doppelt belastet, es gibt zwei gleiche Bestellungen ({ref} und {ref2}).",
        ),
        "address_fix": (
            "Bei {ref} habe ich mich in der Lieferadresse vertippt. Richtig ist:\n\n{addr}",
            "Könnten Sie die Lieferadresse für {ref} ändern? Neue Adresse:\n{addr}",
        ),
        "refund": (
            "Ich habe die {item} letzte Woche zurückgeschickt. Wann bekomme ich mein Geld für {ref} zurück?",
            "Die {item} aus {ref} kam zerbrochen an. Ich hätte gern eine Rückerstattung.",
            "Die Erstattung für {ref} ist immer noch nicht da, es sind schon drei Wochen.",
        ),
        "other": (
            "Liefern Sie auch in die Schweiz?",
            "Ist die {item} spülmaschinenfest?",
            "Wo bleibt meine {ref}? Die Sendungsnummer 00340434161094042557 zeigt seit Tagen nichts Neues.",
            "Bitte melden Sie mich vom Newsletter ab.",
        ),
    },
    "es": {
        "cancel": (
            "Por favor, cancelen mi {ref}.",
            "Quiero cancelar el {ref}, me equivoqué de talla.",
            "¿Pueden cancelar el {ref} antes de que lo envíen?",
        ),
        "duplicate": (
            "Creo que hice el mismo pedido dos veces por error: {ref} y {ref2}.",
            "Me cobraron dos veces, hay dos pedidos iguales ({ref} y {ref2}).",
        ),
        "address_fix": (
            "Me equivoqué en la dirección de envío del {ref}. La dirección correcta es:\n\n{addr}",
            "¿Pueden cambiar la dirección de entrega del {ref}? Nueva dirección:\n{addr}",
        ),
        "refund": (
            "Devolví la {item} la semana pasada. ¿Cuándo recibiré el reembolso del {ref}?",
            "La {item} del {ref} llegó rota. Quisiera un reembolso, por favor.",
        ),
        "other": (
            "¿Hacen envíos a Canarias?",
            "¿La {item} se puede meter en el lavavajillas?",
            "¿Dónde está mi {ref}? El seguimiento no se ha movido en una semana.",
        ),
    },
    "fr": {
        "cancel": (
            "Merci d'annuler ma {ref}.",
            "Je voudrais annuler la {ref}, je me suis trompée de taille.",
            "Pouvez-vous annuler la {ref} avant l'expédition ?",
        ),
        "duplicate": (
            "J'ai passé deux fois la même commande par erreur : {ref} et {ref2}.",
            "J'ai été débitée deux fois, il y a deux commandes identiques ({ref} et {ref2}).",
        ),
        "address_fix": (
            "Je me suis trompé dans l'adresse de livraison de la {ref}. La bonne adresse est :\n\n{addr}",
            "Pouvez-vous modifier l'adresse de livraison de la {ref} ? Nouvelle adresse :\n{addr}",
        ),
        "refund": (
            "J'ai renvoyé le {item} la semaine dernière. Quand serai-je remboursée pour la {ref} ?",
            "Le {item} de la {ref} est arrivé cassé. Je souhaite un remboursement.",
        ),
        "other": (
            "Livrez-vous en Belgique ?",
            "Le {item} passe-t-il au lave-vaisselle ?",
            "Où en est ma {ref} ? Le suivi n'a pas bougé depuis cinq jours.",
        ),
    },
}
# Joins for two intents in one message ("… and please also …").
ALSO = {"en": "Also: ", "de": "Außerdem: ", "es": "Además: ", "fr": "Aussi : "}
STORY = {
    "en": (
        "I ordered it as a birthday present for my mother, and the party is on Saturday.",
        "We only found out tonight when we were comparing notes on the family group chat.",
        "I know it is made to order, so if the potter has already started I understand completely.",
        "Your shop is lovely and I have recommended it to all my friends, so this is a bit embarrassing.",
        "The courier left a note last time but nobody was home, which is why I am writing so early.",
        "I tried to change it myself in my account but the button was greyed out.",
        "My phone number is +44 7700 900587 if it is easier to call, I'm home after 6 pm.",
        "I paid €128.90 including shipping on 14/11/2026, in case that helps you find it.",
    ),
    "de": (
        "Es sollte ein Geburtstagsgeschenk für meine Mutter sein, die Feier ist am Samstag.",
        "Ich habe versucht, es selbst in meinem Konto zu ändern, aber das ging nicht mehr.",
        "Ihr Laden gefällt mir sehr, deshalb ist mir das ein bisschen unangenehm.",
        "Ich habe am 14.11.2026 insgesamt 128,90 € bezahlt, falls Ihnen das hilft.",
    ),
    "es": (
        "Era un regalo de cumpleaños para mi madre y la fiesta es el sábado.",
        "Intenté cambiarlo yo misma en mi cuenta, pero ya no era posible.",
        "Pagué 128,90 € con el envío incluido el 14/11/2026, por si les ayuda a encontrarlo.",
    ),
    "fr": (
        "C'était un cadeau d'anniversaire pour ma mère, la fête est samedi.",
        "J'ai essayé de le modifier moi-même dans mon compte, mais ce n'était plus possible.",
        "J'ai payé 128,90 € frais de port compris le 14/11/2026, si cela peut vous aider.",
    ),
}
GREET = {
    "en": ("Hi,", "Hello,", "Hi there,", "Dear Juniper & Oak team,", ""),
    "de": ("Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,"),
    "es": ("Hola,", "Buenos días,", "Estimados señores:"),
    "fr": ("Bonjour,", "Madame, Monsieur,", "Bonjour à toute l'équipe,"),
}
CLOSE = {
    "en": ("Thanks,\n{first}", "Best regards,\n{name}", "Cheers,\n{first}", "Many thanks\n{name}"),
    "de": ("Viele Grüße\n{first}", "Mit freundlichen Grüßen\n{name}"),
    "es": ("Saludos,\n{first}", "Un saludo,\n{name}", "Gracias,\n{first}"),
    "fr": ("Merci,\n{first}", "Cordialement,\n{name}", "Bien à vous,\n{name}"),
}
SUBJECTS = {
    "en": {
        "cancel": ("Cancel order {ref}", "Please cancel {ref}", "cancellation"),
        "duplicate": ("Ordered twice", "Double order {ref}", "charged twice"),
        "address_fix": ("Wrong address on {ref}", "Change delivery address", "Address correction {ref}"),
        "refund": ("Refund for {ref}", "Broken item - refund", "Where is my refund?"),
        "other": ("Question", "Shipping to Norway", "Quick question about {item}", "Newsletter", "Hello"),
    },
    "de": {
        "cancel": ("Stornierung {ref}", "Bestellung stornieren"),
        "duplicate": ("Doppelt bestellt",),
        "address_fix": ("Falsche Lieferadresse {ref}", "Adressänderung"),
        "refund": ("Rückerstattung {ref}", "Erstattung fehlt"),
        "other": ("Frage zu Ihrem Shop", "Versand in die Schweiz?"),
    },
    "es": {
        "cancel": ("Cancelar {ref}", "Cancelación del pedido"),
        "duplicate": ("Pedido duplicado",),
        "address_fix": ("Dirección incorrecta {ref}",),
        "refund": ("Reembolso {ref}", "Artículo roto"),
        "other": ("Consulta", "Envíos a Canarias"),
    },
    "fr": {
        "cancel": ("Annulation {ref}", "Annuler ma commande"),
        "duplicate": ("Commande en double",),
        "address_fix": ("Erreur d'adresse {ref}",),
        "refund": ("Remboursement {ref}", "Article cassé"),
        "other": ("Question", "Livraison en Belgique ?"),
    },
}
QUOTE_HEAD = {
    "en": "On {date}, {who} wrote:",
    "de": "Am {date} schrieb {who}:",
    "es": "El {date}, {who} escribió:",
    "fr": "Le {date}, {who} a écrit :",
}
SHOP_REPLY = {
    "en": "Dear {first},\n\nthank you for your message. Could you tell us your order number so that we can\n"
    "look into it? You will find it in your confirmation email.\n\nJuniper & Oak\nHomewares, ceramics & linen",
    "de": "Liebe/r {first},\n\nvielen Dank für Ihre Nachricht. Können Sie uns Ihre Bestellnummer nennen?\n\n"
    "Juniper & Oak",
    "es": "Hola {first}:\n\ngracias por su mensaje. ¿Podría indicarnos su número de pedido?\n\nJuniper & Oak",
    "fr": "Bonjour {first},\n\nmerci pour votre message. Pourriez-vous nous indiquer votre numéro de commande ?\n\n"
    "Juniper & Oak",
}
CARD_LINES = {
    "en": (
        "You can charge the difference to my card: {card}, exp {exp}, CVV {cvv}.",
        "Card number {card} expiry {exp} security code {cvv} - please use this one instead.",
    ),
    "de": ("Kartennummer {card}, gültig bis {exp}, Prüfnummer {cvv}.",),
    "es": ("Mi tarjeta es {card}, caduca {exp}, CVV {cvv}.",),
    "fr": ("Ma carte : {card}, expiration {exp}, cryptogramme {cvv}.",),
}
IBAN_LINES = {
    "en": "Please send the refund to my IBAN {iban}.",
    "de": "Bitte überweisen Sie die Erstattung auf IBAN {iban}.",
    "es": "Por favor, hagan el reembolso a mi IBAN {iban}.",
    "fr": "Merci de rembourser sur mon IBAN {iban}.",
}
NUDGES = {
    "en": ("Hi, did you get my email below? I haven't heard back.", "Any news on this? It's urgent."),
    "de": ("Haben Sie meine Nachricht erhalten? Ich warte noch auf eine Antwort.",),
    "es": ("¿Recibieron mi correo? Sigo sin respuesta.",),
    "fr": ("Avez-vous reçu mon message ? Je n'ai pas de réponse.",),
}
