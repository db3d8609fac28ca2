# ruff: noqa: E501  (data: one phrasing per string; long ones stay unbroken)
"""French phrase pools for build_corpus.py (same keys and policy as phrases_en.py)."""

FILL = {
    "item": [
        "pull bleu",
        "sac à dos",
        "moulin à café",
        "coussin",
        "portefeuille",
        "parapluie",
        "manteau",
        "tapis",
        "miroir",
        "réveil",
        "grille-pain",
        "casque de vélo",
        "jean",
        "foulard",
        "vase",
        "plaid",
        "service à thé",
        "coffret de bougies",
    ],
    "when": [
        "hier",
        "ce matin",
        "hier soir",
        "lundi",
        "il y a deux jours",
        "la semaine dernière",
        "le 3",
        "il y a une heure",
        "vendredi soir",
        "tout à l'heure",
        "le 12 mars",
        "il y a quelques minutes",
        "ce week-end",
    ],
    "name": [
        "Camille Martin",
        "Julien Bernard",
        "Chloé Dubois",
        "Antoine Moreau",
        "Manon Laurent",
        "Hugo Lefebvre",
        "Léa Girard",
        "Nicolas Roux",
        "Sarah Fontaine",
        "Thomas Mercier",
        "Inès Garnier",
        "Mathieu Chevalier",
    ],
    "street": [
        "12 rue des Lilas",
        "7 avenue Jean Jaurès",
        "3 bis rue Victor Hugo",
        "45 boulevard Voltaire",
        "18 place du Marché",
        "9 impasse des Roses",
        "21 rue de la Gare",
        "5 chemin des Vignes",
    ],
    "city": [
        "75011 Paris",
        "69003 Lyon",
        "13001 Marseille",
        "31000 Toulouse",
        "33000 Bordeaux",
        "1000 Bruxelles",
        "1201 Genève",
        "44000 Nantes",
    ],
    "zip": ["75011", "69003", "13001", "31000", "33000", "44000"],
    "amount": ["24,99 €", "59 €", "35,00 €", "129,95 €", "12,50 €", "89 euros"],
    "country": ["la Belgique", "la Suisse", "le Canada", "le Luxembourg", "Monaco"],
    "shop": ["Northwind Goods", "Little Fern", "Brightside Home", "Oak & Ash", "Pebble Store"],
}

OPENINGS = [
    "Bonjour,",
    "Madame, Monsieur,",
    "Bonsoir,",
    "Bonjour à toute l'équipe,",
    "Salut,",
    "Bonjour {shop},",
    "Chère équipe,",
    "Bonjour Madame, Monsieur,",
    "Coucou,",
]

CLOSINGS = [
    "Cordialement,\n{name}",
    "Bien à vous,\n{name}",
    "Merci d'avance,\n{name}",
    "Bonne journée,\n{name}",
    "Merci !",
    "Bien cordialement\n{name}",
    "Envoyé de mon iPhone",
    "Salutations,\n{name}",
    "Merci beaucoup\n{name}",
]

FOLLOWUPS = [
    "Merci de me confirmer quand c'est fait.",
    "Merci d'avance pour votre aide.",
    "Dans l'attente de votre réponse.",
    "Désolé pour le dérangement.",
    "N'hésitez pas si vous avez besoin d'autre chose.",
    "Une réponse rapide serait appréciée.",
]

CONTEXT = [
    "Mon numéro de commande est {order}.",
    "J'ai commandé le {item} {when}.",
    "La commande est au nom de {name}.",
    "J'ai payé par PayPal.",
    "J'ai payé par carte bancaire.",
    "Je suis une cliente fidèle.",
    "C'était un cadeau pour ma sœur.",
    "J'ai utilisé le code promo PRINTEMPS10.",
    "J'ai commandé depuis l'application.",
    "Le total était de {amount}.",
    "J'ai commandé sans créer de compte.",
    "Commande n° {order}",
    "Il s'agit de la commande {order}.",
]

STORY = [
    "Je vous explique la situation.",
    "Je suis cliente depuis des années et je n'ai jamais eu de souci.",
    "La semaine dernière, j'ai fait quelques achats sur votre site un soir.",
    "Ma fille avait choisi le {item} pour sa chambre.",
    "J'ai commandé un peu vite.",
    "Une amie m'a conseillé votre boutique.",
    "J'ai essayé d'appeler mais personne n'a répondu.",
    "J'ai regardé la FAQ sans trouver de réponse.",
    "Le {item} était pour l'anniversaire de mon père.",
    "Je vais faire court.",
    "D'habitude j'achète en magasin.",
]

QUOTE_HEADERS = [
    "Le {date} à {time}, {shop} <support@shop.example> a écrit :",
    "Le {weekday} {date}, {shop} <support@shop.example> a écrit :",
]

OUTLOOK = "-----Message d'origine-----\nDe : {shop} <support@shop.example>\nEnvoyé : {date} {time}\nObjet : {subject}"

QUOTED = [
    "Merci pour votre commande {order} ! Nous vous préviendrons dès son expédition. Pour modifier ou annuler, répondez à ce mail.",
    "Votre commande {order} est en route. Suivez votre colis avec le lien ci-dessous.",
    "Bonjour {first}, merci pour votre message. Pouvez-vous nous envoyer votre numéro de commande ?",
    "Nous avons bien reçu votre retour. Les remboursements prennent en général 5 à 7 jours ouvrés.",
]

SUBJECTS = {
    "cancel": ["Annulation", "Annuler ma commande", "Annulation commande {order}", "Annuler", "Demande d'annulation"],
    "duplicate": [
        "Commande en double",
        "Double commande",
        "Débité deux fois",
        "Commandé deux fois",
        "Paiement en double",
    ],
    "address_fix": ["Changement d'adresse", "Mauvaise adresse", "Modifier l'adresse de livraison", "Erreur d'adresse"],
    "refund": ["Remboursement", "Demande de remboursement", "Où est mon remboursement ?", "Remboursement {order}"],
    "other": [
        "Question",
        "Demande d'information",
        "Où est ma commande ?",
        "Délai de livraison",
        "Vente en gros",
        "Facture",
        "Taille",
    ],
    "neutral": [
        "Commande {order}",
        "Ma commande",
        "Aide",
        "RE: Votre commande {order}",
        "Problème de commande",
        "Urgent",
        "Bonjour",
    ],
}

REQUESTS = {
    "cancel": [
        "Merci d'annuler ma commande {order}.",
        "Je souhaite annuler la commande {order}.",
        "Pouvez-vous annuler ma commande ?",
        "annuler commande {order}",
        "Comment annuler ma commande ?",
        "Je dois annuler la commande passée {when}.",
        "J'ai changé d'avis, merci d'annuler la commande.",
        "Je n'ai plus besoin du {item}, merci d'annuler.",
        "Je voudrais annuler mon achat.",
        "Merci de ne pas expédier la commande, je souhaite l'annuler.",
        "Est-ce que je peux encore annuler ma commande ?",
        "Annulez toute la commande s'il vous plaît.",
        "je veux annuler ma commande",
        "Je demande l'annulation de la commande {order}.",
        "Veuillez annuler la commande {order} au plus vite.",
        "Je me suis trompé en commandant, merci d'annuler.",
        "Vous pouvez m'aider à annuler ma commande ?",
        "Annulez seulement le {item} de la commande {order}, je garde le reste.",
        "Je ne veux plus de cette commande, annulez-la.",
        "J'ai besoin d'annuler ma commande en urgence.",
        "annulation svp",
        "Je me rétracte pour la commande {order}.",
        "Comment faire pour annuler une commande que je viens de passer ?",
    ],
    "duplicate": [
        "J'ai passé la même commande deux fois par erreur.",
        "Ma commande a été enregistrée en double.",
        "J'ai été débité deux fois pour la même commande.",
        "J'ai reçu deux confirmations, {order} et {order2}, pour un seul achat.",
        "J'ai deux commandes identiques sur mon compte.",
        "Vous m'avez prélevé {amount} deux fois.",
        "Le site a planté, j'ai recliqué et maintenant il y a deux commandes.",
        "commande en double {order}",
        "Je vois un double prélèvement sur mon compte.",
        "Le paiement est passé deux fois.",
        "J'ai acheté le {item} deux fois sans le vouloir.",
        "La commande {order2} est un doublon de la {order}.",
        "débité 2 fois",
        "Deux commandes ont été créées au lieu d'une.",
    ],
    "address_fix": [
        "Je dois changer l'adresse de livraison de la commande {order}.",
        "Merci de modifier l'adresse de livraison : {addr}.",
        "Je me suis trompé d'adresse, la bonne est {addr}.",
        "Le numéro de rue est faux, c'est {street}.",
        "Il y a une faute dans le code postal, c'est {zip}.",
        "Merci d'envoyer le colis à {addr}.",
        "J'ai déménagé, livrez plutôt à {addr}.",
        "Comment modifier l'adresse de livraison de ma commande ?",
        "Mauvaise adresse sur la commande {order} !",
        "J'ai oublié le numéro d'appartement : {n}.",
        "Peut-on encore changer l'adresse ? La nouvelle est {addr}.",
        "changer adresse de livraison",
        "J'ai mis mon ancienne adresse, merci de la corriger : {addr}.",
        "Envoyez la commande à mon bureau : {addr}.",
        "La ville est fausse, c'est {city}.",
        "Je voudrais modifier l'adresse de livraison.",
        "adresse incorrecte, merci de corriger",
    ],
    "refund": [
        "Je voudrais être remboursé pour la commande {order}.",
        "Merci de me rembourser.",
        "Je veux récupérer mon argent.",
        "Quand vais-je recevoir mon remboursement ?",
        "Où en est mon remboursement ?",
        "J'ai renvoyé le {item} {when} et je n'ai toujours pas été remboursée.",
        "Le {item} est arrivé cassé, je demande un remboursement.",
        "Est-ce que je peux être remboursé ?",
        "remboursement svp",
        "J'attends toujours le remboursement promis.",
        "Je souhaite retourner le {item} et être remboursé.",
        "Merci de rembourser les frais de port.",
        "Il manque encore {amount} sur le remboursement.",
        "Comment obtenir un remboursement ?",
        "Vous avez reçu mon retour, quand serai-je remboursé ?",
        "J'exige un remboursement complet.",
        "je veux être remboursée",
        "Je demande le remboursement de {amount}.",
    ],
}

COMBOS = {
    ("duplicate", "cancel"): [
        "J'ai commandé deux fois par erreur, merci d'annuler la deuxième commande.",
        "La commande {order2} est en double, annulez-la svp.",
        "J'ai passé la commande deux fois, annulez l'une des deux.",
    ],
    ("duplicate", "refund"): [
        "J'ai été débité deux fois, merci de rembourser le paiement en double.",
        "Payé deux fois, remboursez-en un svp.",
    ],
    ("duplicate", "cancel", "refund"): [
        "J'ai commandé et payé deux fois la même chose : annulez une commande et remboursez-moi.",
    ],
    ("cancel", "refund"): [
        "Merci d'annuler la commande et de me rembourser.",
        "Je veux annuler la commande {order} et être remboursé.",
        "annuler et rembourser svp",
    ],
    ("address_fix", "cancel"): ["Si l'adresse ne peut plus être changée, annulez la commande."],
}

NEGATIONS = {
    "cancel": [
        "Surtout n'annulez pas ma commande, je la veux toujours.",
        "J'ai annulé par erreur, pouvez-vous rétablir la commande ?",
        "Oubliez mon dernier mail sur l'annulation, je garde la commande.",
        "Je ne veux pas annuler, j'ai juste une question.",
        "Ma commande a été annulée par erreur, merci de la réactiver.",
        "N'annulez rien !",
    ],
    "duplicate": [
        "Ce n'est pas un doublon, je voulais bien deux commandes.",
        "Les deux commandes sont voulues, envoyez les deux.",
    ],
    "address_fix": [
        "L'adresse est correcte, inutile de la changer.",
        "Oubliez le changement d'adresse, l'ancienne est bonne.",
    ],
    "refund": [
        "Je ne veux pas de remboursement, plutôt un échange.",
        "Je ne veux pas être remboursé, je veux l'article.",
        "Pas besoin de rembourser, renvoyez-en un autre.",
    ],
}

LOOKALIKES = {
    "cancel": [
        "Je souhaite annuler mon abonnement à la newsletter.",
        "Comment supprimer mon compte ?",
        "La commande est-elle annulable ?",
        "Quelles sont vos conditions d'annulation ?",
        "Y a-t-il des frais d'annulation ?",
        "Pourquoi ma commande a-t-elle été annulée ? Je n'ai rien demandé.",
        "Mon voyage a été annulé, je serai donc là pour la livraison.",
        "Arrêtez de m'envoyer des mails publicitaires.",
    ],
    "duplicate": [
        "Je voudrais recommander le même {item}, il est de nouveau en stock ?",
        "J'ai déjà écrit deux fois pour le suivi de mon colis.",
        "Y a-t-il une remise si j'en achète deux ?",
    ],
    "address_fix": [
        "Comment ajouter une nouvelle adresse à mon compte ?",
        "Je veux changer mon adresse e-mail.",
        "Quelle est l'adresse de retour ?",
        "Où se trouve votre boutique ?",
        "Merci de mettre l'adresse de ma société sur la facture.",
    ],
    "refund": [
        "Quelle est votre politique de remboursement ?",
        "Les articles soldés sont-ils remboursables ?",
        "Combien de temps prend un remboursement en général ?",
        "Puis-je échanger le {item} contre une autre couleur ?",
        "J'ai bien reçu le remboursement, merci !",
    ],
}

OTHER = [
    "Où est ma commande ?",
    "Quand vais-je recevoir la commande {order} ?",
    "Ma commande est-elle partie ?",
    "Pouvez-vous m'envoyer le numéro de suivi ?",
    "Le {item} existe-t-il en taille L ?",
    "Quand le {item} sera-t-il de nouveau disponible ?",
    "En quelle matière est le {item} ?",
    "Livrez-vous en {country} ?",
    "Combien coûte la livraison vers {country} ?",
    "Proposez-vous des tarifs de gros ?",
    "Nous avons une boutique et aimerions vendre vos produits.",
    "J'ai besoin d'une facture au nom de mon entreprise.",
    "Quels moyens de paiement acceptez-vous ?",
    "Mon code promo ne marche pas.",
    "Je n'arrive pas à me connecter.",
    "Faites-vous des emballages cadeaux ?",
    "Le {item} est arrivé aujourd'hui, il est magnifique, merci !",
    "Comment laver le {item} ?",
    "Puis-je changer la taille dans ma commande ?",
    "Ma commande a du retard, des nouvelles ?",
    "Mon colis est bloqué en douane.",
    "Quel est le délai de livraison ?",
    "Puis-je ajouter un {item} à ma commande ?",
    "il est où mon colis",
    "Puis-je parler à quelqu'un ?",
    "Je voudrais me plaindre du livreur.",
    "Avez-vous une réduction étudiante ?",
]

REASONS = {
    "cancel": ["Je l'ai trouvé moins cher ailleurs.", "Je me suis trompé de taille.", "Mes projets ont changé."],
    "duplicate": ["La page a bloqué pendant le paiement.", "Je pensais que la première commande n'était pas passée."],
    "address_fix": ["Nous avons déménagé le mois dernier.", "Le remplissage automatique a mis mon ancienne adresse."],
    "refund": ["La couture a lâché après un lavage.", "Ça ne ressemble pas du tout aux photos."],
}

TYPO_EXTRA = {"s'il vous plaît": ["svp", "stp"], "commande": ["comande", "commade"]}

OTHER += [
    "Comment créer un compte ?",
    "Merci de supprimer mon compte.",
    "Mot de passe oublié",
    "Je n'arrive plus à me connecter à mon compte.",
    "Où trouver mes factures ?",
    "Pouvez-vous me renvoyer la facture ?",
    "Ma carte a été refusée au paiement.",
    "Acceptez-vous Apple Pay ?",
    "Quelles sont les options de livraison ?",
    "suivi de la commande {order}",
    "Où en est ma commande ?",
    "Je voudrais acheter le {item}, comment commander ?",
    "Puis-je changer la couleur dans ma commande ?",
    "Comment s'inscrire à la newsletter ?",
    "Je voudrais parler à un conseiller.",
    "Où laisser un avis ?",
    "Le {item} passe-t-il en machine ?",
    "Avez-vous un programme de fidélité ?",
    "Puis-je retirer ma commande en magasin ?",
    "Nous voudrions commander 300 pièces pour un événement d'entreprise.",
]
LOOKALIKES["cancel"] += ["Combien coûte une annulation ?", "Je veux résilier mon abonnement premium."]
LOOKALIKES["address_fix"] += ["Comment enregistrer une adresse de livraison dans mon compte ?"]
LOOKALIKES["refund"] += ["Quelles sont les conditions de remboursement ?"]

FRAMES_SELF = [
    "Je veux {act}.",
    "Je voudrais {act}.",
    "J'aimerais {act}.",
    "Je dois {act}.",
    "Je souhaite {act}.",
    "Comment puis-je {act} ?",
    "Est-ce que je peux {act} ?",
    "Comment faire pour {act} ?",
    "Pouvez-vous m'aider à {act} ?",
    "Je n'arrive pas à {act}.",
    "Aidez-moi à {act} svp",
    "comment {act}",
    "je voudrais {act} svp",
]
FRAMES_SHOP = ["Pouvez-vous {act} ?", "Pourriez-vous {act} ?", "Merci de {act}.", "Est-ce que vous pouvez {act} ?"]
ACTS = {
    "cancel": [
        "annuler ma commande",
        "annuler la commande {order}",
        "annuler mon achat",
        "annuler la commande passée {when}",
        "annuler ma dernière commande",
        "annuler toute la commande",
        "annuler l'achat {order}",
    ],
    "address_fix": [
        "modifier l'adresse de livraison",
        "corriger l'adresse de ma commande",
        "changer mon adresse de livraison",
        "changer l'adresse de la commande {order}",
        "envoyer la commande à {addr}",
        "corriger le code postal de ma commande",
        "mettre à jour l'adresse de livraison",
    ],
    "refund": [
        "S:être remboursé",
        "S:obtenir un remboursement",
        "S:récupérer mon argent",
        "suivre mon remboursement",
        "P:me rembourser",
        "P:rembourser ma commande",
        "P:rembourser la commande {order}",
        "S:demander un remboursement",
    ],
    "other": [
        "suivre ma commande",
        "S:créer un compte",
        "supprimer mon compte",
        "réinitialiser mon mot de passe",
        "S:obtenir une facture",
        "S:payer avec PayPal",
        "S:parler à un conseiller",
        "S:laisser un avis",
        "S:utiliser un code promo",
        "changer la taille dans ma commande",
        "S:acheter le {item}",
        "P:m'envoyer le numéro de suivi",
        "P:m'envoyer la facture",
        "S:retirer ma commande en magasin",
        "S:changer de moyen de paiement",
    ],
    "lookalike": [
        "me désabonner de la newsletter",
        "annuler mon abonnement à la newsletter",
        "S:ajouter une adresse à mon compte",
        "changer mon adresse e-mail",
        "S:connaître les frais d'annulation",
        "réactiver ma commande annulée",
        "S:recommander le même {item}",
        "échanger le {item} contre une autre taille",
    ],
}
DUP_FRAMES = [
    "{stmt}",
    "Je crois que {stmt}.",
    "Bonjour, {stmt}.",
    "Au secours, {stmt} !",
    "{stmt}, pouvez-vous vérifier ?",
    "Apparemment {stmt}.",
]
DUP_STMTS = [
    "j'ai commandé deux fois",
    "ma commande est en double",
    "j'ai été débité deux fois",
    "j'ai payé deux fois la même commande",
    "la commande {order} apparaît deux fois",
    "j'ai acheté la même chose deux fois par erreur",
]

GROUPS = {
    "cancel": [
        (
            "",
            ["annuler", "stopper", "arrêter"],
            [
                "ma commande",
                "la commande {order}",
                "mon achat",
                "l'achat {order}",
                "la commande passée {when}",
                "ma dernière commande",
                "toute la commande",
                "ma commande en ligne",
                "ma précommande",
            ],
        )
    ],
    "address_fix": [
        (
            "",
            ["modifier", "corriger", "changer", "mettre à jour"],
            [
                "l'adresse de livraison",
                "l'adresse de ma commande",
                "l'adresse de la commande {order}",
                "mon adresse de livraison",
                "le code postal de ma commande",
                "le numéro de rue de ma commande",
                "l'adresse du destinataire",
            ],
        )
    ],
    "refund": [
        (
            "S",
            ["obtenir", "demander", "recevoir", "réclamer"],
            [
                "un remboursement",
                "le remboursement de la commande {order}",
                "mon argent",
                "un remboursement complet",
                "mon remboursement",
            ],
        ),
        (
            "",
            ["suivre", "vérifier"],
            ["mon remboursement", "l'état de mon remboursement", "le remboursement de la commande {order}"],
        ),
    ],
    "other": [
        (
            "",
            ["annuler", "supprimer", "résilier"],
            ["mon abonnement à la newsletter", "mon compte", "mon adhésion", "les mails publicitaires"],
        ),
        (
            "",
            ["changer", "modifier", "réinitialiser"],
            [
                "mon mot de passe",
                "mon adresse e-mail",
                "mon numéro de téléphone",
                "mon moyen de paiement",
                "la taille dans ma commande",
            ],
        ),
        ("", ["suivre", "localiser", "retrouver"], ["ma commande", "mon colis", "l'envoi {order}"]),
        (
            "S",
            ["ajouter", "enregistrer"],
            ["une nouvelle adresse à mon compte", "une deuxième adresse", "une adresse de facturation"],
        ),
    ],
}

ORDER_OBJECTS = [
    "ma commande",
    "la commande {order}",
    "mon achat",
    "l'achat {order}",
    "ma dernière commande",
    "la commande passée {when}",
]
GROUPS["other"] += [
    (
        "",
        ["suivre", "vérifier", "payer", "évaluer", "retrouver", "voir le statut de", "obtenir la facture de"],
        ORDER_OBJECTS,
    ),
]

NEUTRAL = [
    "Bonjour ?",
    "Pouvez-vous m'aider ?",
    "J'ai une question.",
    "Merci de me rappeler.",
    "Des nouvelles ?",
    "J'ai besoin d'aide.",
    "Voir pièce jointe.",
    "C'est au sujet de ma commande {order}.",
    "J'ai un problème avec ma commande.",
    "Merci de me répondre.",
    "Je vous ai écrit la semaine dernière.",
]

REQUESTS["cancel"] += [
    "Annulez ma commande s'il vous plaît.",
    "Je renonce à ma commande {order}.",
    "N'envoyez rien, j'annule.",
    "Est-il encore possible d'annuler ? Alors annulez svp.",
    "Annulation de la commande {order} svp.",
]
REQUESTS["refund"] += [
    "Quand serai-je remboursée ?",
    "Je veux récupérer les {amount}.",
    "Merci de me rendre mon argent.",
    "Le remboursement n'est toujours pas arrivé.",
]
OTHER += [
    "Quand ma commande sera-t-elle expédiée ?",
    "Avez-vous le {item} en noir ?",
    "Faites-vous des remises sur quantité ?",
    "Je voudrais déposer une réclamation.",
    "Comment joindre le service client ?",
    "La livraison est en retard.",
]
FRAMES_SELF += ["Est-il possible de {act} ?", "Je voulais {act}.", "J'aurais besoin de {act}."]

GROUPS["other"] += [
    (
        "S",
        ["ajouter", "enregistrer"],
        ["une adresse de livraison à mon compte", "une nouvelle adresse pour mes prochaines commandes"],
    ),
    (
        "S",
        ["consulter", "connaître", "comprendre"],
        ["la politique de remboursement", "les frais d'annulation", "les conditions de retour"],
    ),
]

# --- Série 2 : formulations courtes et courantes (politique comme dans README.md). ---
REQUESTS["cancel"] += [
    "J'ai besoin d'aide pour annuler mon achat.",
    "annuler commande {order} svp",
    "Je veux annuler l'achat que j'ai fait {when}.",
    "Comment annuler ma commande ?",
    "Je ne veux plus la commande, annulez-la s'il vous plaît.",
    "Merci de retirer le {item} de ma commande.",
    "Demande d'annulation de la commande {order}.",
]
REQUESTS["refund"] += [
    "Je veux un remboursement.",
    "Où en est mon remboursement ?",
    "Quand vais-je récupérer mon argent ?",
    "Je voudrais être remboursé.",
    "Je souhaite me faire rembourser ma commande.",
    "Aidez-moi à obtenir un remboursement.",
    "J'ai renvoyé le {item} {when} et j'attends toujours le remboursement.",
    "Merci de me rembourser {amount}.",
]
REQUESTS["address_fix"] += [
    "Je dois changer l'adresse de livraison.",
    "L'adresse de ma commande est fausse, merci de la corriger.",
    "Envoyez ma commande à une autre adresse : {addr}.",
    "Puis-je encore modifier l'adresse de livraison de la commande {order} ?",
    "J'ai déménagé, merci de livrer la commande à {addr}.",
]
OTHER += [
    "Où est mon colis ?",
    "Quand ma commande va-t-elle arriver ?",
    "Comment suivre mon achat ?",
    "Statut de la commande {order}",
    "Je voudrais changer la taille du {item} dans ma commande.",
    "Puis-je ajouter un article à ma commande ?",
    "Comment enregistrer une nouvelle adresse dans mon compte ?",
    "Je veux configurer une adresse de livraison dans mon profil.",
    "Y a-t-il des frais d'annulation ?",
    "Combien coûte une annulation ?",
    "J'ai besoin d'une facture pour mon achat.",
    "Quels moyens de paiement acceptez-vous ?",
    "Mon paiement a été refusé.",
    "J'ai oublié mon mot de passe.",
    "Je n'arrive pas à me connecter.",
    "Comment créer un compte ?",
    "Je veux supprimer mon compte.",
    "Je veux me désabonner de la newsletter.",
    "Je voudrais faire une réclamation.",
    "Puis-je parler à un conseiller ?",
    "Combien de temps prend la livraison ?",
    "Combien coûte la livraison vers {country} ?",
    "Avez-vous le {item} en taille M ?",
    "Mon code promo ne fonctionne pas.",
    "Quelle est votre politique de retour ?",
    "Vendez-vous en gros ?",
]

# --- Round 3 (issue 4, third pass): own wording for the weak spots (see phrases_en.py). ---
REQUESTS["cancel"] += [
    "Je dois annuler un achat.",
    "je veux annuler ma commande {order}",
    "Comment j'annule l'achat fait {when} ?",
    "Je ne veux plus la commande, annulez-la svp.",
    "Il faut que j'annule un achat, vous pouvez m'aider ?",
    "annulez la transaction {order} s'il vous plaît",
]
REQUESTS["refund"] += [
    "Je veux récupérer mon argent.",
    "Quand vais-je recevoir mon remboursement ?",
    "Mon remboursement a-t-il été traité ?",
    "Je n'ai toujours pas reçu mon remboursement.",
    "Remboursez-moi les {amount} svp.",
    "Comment obtenir un remboursement ?",
    "Où en est mon remboursement ?",
    "je voudrais être remboursée",
]
OTHER += [
    "Où est ma commande {order} ?",
    "Mon achat est-il déjà expédié ?",
    "Je voudrais le numéro de suivi de mon achat.",
    "Comment ajouter une autre adresse de livraison à mon compte ?",
    "Je veux enregistrer une nouvelle adresse dans mon profil.",
    "Où puis-je saisir mon adresse dans mon compte ?",
]

# --- Round 4 (issue 4, fourth pass): our own synonyms, swapped in by build_corpus.py (see phrases_en.py). ---
SYNONYMS = [
    (
        r"\bremboursement\b",
        ["dédommagement", "remboursement intégral", "restitution", "compensation", "avoir", "retour d'argent"],
    ),
    (r"\bmon argent\b", ["mes sous", "l'argent", "ce que j'ai payé", "mon paiement", "le montant"]),
    (r"\bcommande\b", ["achat", "colis", "envoi", "transaction", "commande en ligne", "livraison"]),
    (r"\bannuler\b", ["supprimer", "stopper", "arrêter", "retirer", "révoquer", "abandonner"]),
    (r"\bannulation\b", ["suppression", "révocation", "abandon", "arrêt"]),
    (
        r"\badresse de livraison\b",
        [
            "adresse d'expédition",
            "adresse de réception",
            "coordonnées de livraison",
            "adresse postale",
            "lieu de livraison",
        ],
    ),
    (r"\bmodifier\b", ["changer", "corriger", "mettre à jour", "rectifier", "éditer"]),
    (r"\bJe voudrais\b", ["Je veux", "J'aimerais", "Je souhaite", "Il faut que je", "Je dois"]),
]
REQUESTS["refund"] += [
    "Je veux récupérer mon argent.",
    "Où en est mon dédommagement ?",
    "Mon remboursement a-t-il été traité ?",
    "J'attends toujours mon argent.",
    "Je demande une compensation pour le {item} cassé.",
    "Des nouvelles de mon remboursement ?",
]
OTHER += [
    "Comment configurer une adresse de livraison dans mon compte ?",
    "Je voudrais modifier ma commande, une autre taille svp.",
    "Où est ma commande ?",
    "Je veux supprimer mon compte.",
    "Combien de temps prend un remboursement en général ?",
]

# --- Round 5 (issue 4, fifth pass): look-alikes avec des mots d'annulation et d'adresse qui demandent autre chose
# (see phrases_en.py) : changer les articles, suivre la commande, supprimer le compte, frais et conditions
# d'annulation, ajouter une adresse au compte, se désabonner de la newsletter, « n'annulez pas ». Chat et e-mail.
LOOKALIKES["cancel"] += [
    "Combien ça coûte d'annuler une commande ?",
    "frais d'annulation ??",
    "Où puis-je lire vos conditions d'annulation ?",
    "Les précommandes sont-elles annulables sans frais ?",
    "Bonjour, avant de commander : si j'annule plus tard, est-ce que vous facturez quelque chose ? Merci.",
    "annuler la newsletter svp",
    "Je veux annuler mon abonnement à la newsletter, pas la commande.",
    "Je souhaite clôturer mon compte client, la commande en cours peut rester.",
    "supprimez mon compte et mes données",
    "Comment résilier mon adhésion au club fidélité ?",
    "Pourquoi je ne peux plus annuler ma commande sur le site ?",
]
LOOKALIKES["address_fix"] += [
    "comment ajouter une adresse à mon compte",
    "Je voudrais enregistrer l'adresse de mon travail dans mon compte pour la prochaine fois.",
    "Où est-ce que je crée une adresse de livraison avant de commander ?",
    "Puis-je avoir une deuxième adresse dans mon profil ?",
    "Bonjour, je viens de créer un compte. Où dois-je saisir mon adresse pour mes prochaines commandes ? Merci.",
    "Impossible d'enregistrer mon adresse dans les paramètres du compte.",
    "Je veux changer l'adresse e-mail de mon compte.",
]
NEGATIONS["cancel"] += [
    "n'annulez rien svp, je veux toujours le {item}",
    "Je n'ai jamais demandé d'annulation, gardez ma commande s'il vous plaît.",
    "Bonjour, oubliez mon dernier message. Finalement je ne veux pas annuler la commande {order}. Merci !",
]
NEGATIONS["refund"] += ["Je ne veux pas de remboursement, juste le {item} manquant."]
GROUPS["other"] += [
    (
        "S",
        ["ajouter", "enregistrer", "créer", "configurer"],
        ["une adresse dans mon compte", "l'adresse de mon travail dans mon profil", "une deuxième adresse"],
    ),
    (
        "",
        ["changer", "modifier"],
        ["la taille dans ma commande", "la couleur du {item} dans ma commande", "un article de ma commande"],
    ),
    (
        "",
        ["supprimer", "fermer", "clôturer", "annuler"],
        ["mon compte", "mon profil et mes données", "mon compte client"],
    ),
    (
        "",
        ["annuler", "résilier", "arrêter"],
        ["la newsletter", "les e-mails publicitaires", "mon adhésion", "les alertes SMS"],
    ),
]
OTHER += [
    "Puis-je changer la taille du {item} dans ma commande ?",
    "Pouvez-vous ajouter un autre {item} à la commande {order} ?",
    "Où est mon colis ? Le suivi ne bouge plus.",
    "numéro de suivi de la commande {order} svp",
    "Supprimez mon compte, s'il vous plaît.",
]
REQUESTS["cancel"] += [
    "Annulez la commande même s'il y a des frais d'annulation.",
    "Retirez le {item} de ma commande, je n'en veux plus.",
]
REQUESTS["address_fix"] += ["Envoyez la commande {order} à la nouvelle adresse que je viens d'ajouter dans mon compte."]
COMBOS[("duplicate", "cancel")] += [
    "Débité deux fois pour la même commande, annulez-en une svp.",
    "commande en double, annulez la deuxième",
]
