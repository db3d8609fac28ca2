"""A message that closes its thread: a short thanks or confirmation that asks nothing ("arrived, thanks!").

Read on the redacted new text alone, in EN/DE/ES/FR. The message must carry a word that the matter is
settled (arrived, received, all good, sorted, erledigt, todo bien, c'est bon), be short, and hold
nothing that asks or complains: no question mark, no request ("please", "could you", "bitte", "pourriez"),
no "but" or "still", no negation outside a settled phrase ("never mind", "no worries"), no problem word.
Whether the conversation still owes an answer (a standing or withdrawn request) is the caller's to check.
"""

from __future__ import annotations

import re

from triage.text import SIGNOFF, fold

_SETTLED = re.compile(
    r"\b(?:arrived|came|received|got (?:it|them|the \w+)|turned up|showed up|here now|all good|all sorted|sorted"
    r"|solved|resolved|never ?mind|all fine|everything(?:'s| is) fine|perfect|great|found it|that's all"
    r"|angekommen|eingetroffen|erhalten|bekommen|erledigt|alles gut|alles klar|passt|perfekt|super|in ordnung"
    r"|gefunden|llego|llegaron|ha llegado|han llegado|recibido|recibi|todo bien|todo correcto|todo perfecto"
    r"|perfecto|genial|resuelto|solucionado|ya esta|olvidenlo|recu|recue|recus|arrive|arrivee|arrives|c'est bon"
    r"|tout est bon|tout va bien|parfait|regle|resolu|impeccable|nickel|laissez tomber)\b"
)
# Phrases that hold a negation or a "no" but settle the matter; removed before the blockers are looked for.
_SETTLED_PHRASES = re.compile(
    r"never ?mind|no worries|no problem|not a problem|no need to (?:reply|answer|respond)|kein problem"
    r"|keine ursache|nicht notig|no pasa nada|no hace falta (?:responder|contestar)|de nada|pas de (?:souci|probleme)"
    r"|pas besoin de (?:repondre|reponse)|sans souci|ne vous en faites pas"
)
_BLOCKERS = re.compile(
    r"\?|\b(?:but|however|still|yet|not|no|never|nothing|n't|wrong|damaged|broken|missing|refund|cancel\w*|return"
    r"|please|pls|could you|can you|would you|will you|i need|i want|i would like|i'd like|when|where|how|why"
    r"|aber|jedoch|noch|nicht|nie|kein\w*|nichts|falsch\w*|kaputt|beschadigt\w*|fehlt|erstatt\w*|storn\w*"
    r"|bitte|konnen sie|konnten sie|wurden sie|ich mochte|ich brauche|ich will|wann|wo|wie|warum"
    r"|pero|sin embargo|todavia|aun|nada|nunca|mal|roto|rota|danad\w*|falta\w*|reembols\w*|cancel\w*"
    r"|por favor|pueden|podrian|podria|quiero|quisiera|necesito|cuando|donde|como|por que"
    r"|mais|cependant|toujours|pas|rien|jamais|ne|n'|abime\w*|casse\w*|manque\w*|rembours\w*|annul\w*"
    r"|s'il vous plait|svp|pouvez|pourriez|je voudrais|je veux|j'ai besoin|quand|ou est|comment|pourquoi"
    # a complaint, a wait or a wish beside the thanks
    r"|though|although|unfortunately|leider|lamentablemente|desafortunadamente|malheureusement|nobody|no one"
    r"|nadie|niemand|personne|waiting|wait|warte\w*|esperando|espero|sigo|attends|attente|brauche\w*|benotige\w*"
    r"|mochte|moechte|nachfragen|wissen|ob|invoice|rechnung|factura|facture|receipt|mala|malo|quality|qualitat"
    r"|calidad|qualite|complain\w*|beschwer\w*|reclam\w*|if i|wenn|tell me|let me know|sagen sie|dites-moi"
    r"|tenez-moi|diganme|avisenme"
    # something that came twice is a duplicate to sort out, not a matter settled
    r"|twice|double\w*|duplicat\w*|doppelt\w*|zweimal|dos veces|doble|duplicad\w*|deux fois|doublon\w*"
    r"|(?:two|zwei|dos|deux) (?:\w+ ){0,2}(?:order|bestell|pedido|commande|confirm|bestatigung|compra|payment|zahlung"
    r"|pago|paiement|charge|abbuchung|cargo|prelevement)\w*)\b|n't\b|\bdont\b"
)
_MAX_WORDS = 40


def _body(text: str) -> str:
    """The text above the sign-off: the closing line and the name under it are not the message."""
    lines = text.strip().splitlines()
    for i in range(len(lines) - 1, -1, -1):
        if SIGNOFF.match(lines[i]) and i > 0:
            kept = lines[:i]
            signoff = SIGNOFF.match(lines[i])
            # "Thanks, all good" on the last line is the message itself, not only a sign-off
            return "\n".join([*kept, lines[i]]) if signoff and signoff.group(1).strip() else "\n".join(kept)
    if len(lines) > 1 and len(lines[-1].split()) <= 3 and not re.search(r"[.!?,:;]", lines[-1]):
        lines = lines[:-1]  # a bare name under the text
    return "\n".join(lines)


def closes_thread(new_text: str) -> bool:
    """True for a short thanks or confirmation that asks nothing ("Never mind, it arrived. Thanks!")."""
    folded = fold(new_text.strip())
    if not folded or len(folded.split()) > _MAX_WORDS:
        return False
    body = _SETTLED_PHRASES.sub(" ", fold(_body(new_text)))
    if _BLOCKERS.search(body) is not None:
        return False
    # A bare thanks ("Thank you so much!") may thank for an answer still owed: only a word that the matter is
    # settled closes.
    return _SETTLED.search(body) is not None
