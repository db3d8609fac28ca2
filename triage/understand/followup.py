"""What a follow-up does to its conversation: a chaser ("did you get my email?") repeats the thread's
request; a retraction ("please don't cancel after all", "ignore my last email") takes one back.

Both are recognised on the folded (accent-free, lower-case) new text in en/de/es/fr.
"""

from __future__ import annotations

import re

from triage.text import fold

_NUDGE = re.compile(
    r"""
    (did|have)\s+you\s+(get|got|receive[d]?|see[n]?)\s+my\s+(previous\s+|last\s+|first\s+)?(e-?mail|message|mail)
    | any\s+(update|news|answer|reply)s?
    | (still\s+)?(waiting|no\s+(answer|reply|response))\s+(for|on|to|from)?
    | (haven'?t|have\s+not|never)\s+(heard|had\s+an?\s+(answer|reply))
    | (nobody|no\s+one|no-one)\s+(has\s+)?(answered|replied|got\s+back)
    | following\s+up | just\s+checking\s+in | gentle\s+reminder | reminder:
    | (haben|hast)\s+(sie|du)\s+meine\s+(e-?mail|mail|nachricht)\s+(erhalten|bekommen)
    | noch\s+(keine|immer\s+keine)\s+antwort | warte\s+(noch|immer\s+noch)\s+auf | erinnerung
    | (recibieron|recibiste|han\s+recibido)\s+mi\s+(correo|mensaje|e-?mail)
    | nadie\s+me\s+(ha\s+)?(contestado|respondido) | sin\s+respuesta | sigo\s+esperando
    | (avez-vous|as-tu|avez\s+vous)\s+re[çc]u\s+mon\s+(e-?mail|message|courriel|mail)
    | (toujours\s+)?pas\s+(de|encore\s+de)\s+r[ée]ponse | j'attends\s+toujours | relance
    | (^|\n)\s*(hello|hallo|hola|allo|allô|bonjour|hi)\s*\?{2,}
    | (is|are)\s+(anyone|anybody|someone|somebody)\s+(there|reading|working)
    | ist\s+da\s+(jemand|wer) | liest\s+(das|hier)\s+(jemand|wer) | hay\s+alguien | il\s+y\s+a\s+quelqu'un
    | (second|third|\d+(st|nd|rd|th))\s+(time|e-?mail|message)\s+(i|i'm|i\s+am)\s+(writ|ask|send)
    | (why|how\s+come)\s+(has\s+)?(no\s*one|nobody|haven'?t\s+you)\s+(answered|replied|got\s+back)
    | (please|pls|plz)\s+(answer|reply|respond|get\s+back\s+to\s+me)(\s+(me|asap|soon|now))?\s*([.!?]|$)
    | bitte\s+(antworten\s+sie|melden\s+sie\s+sich) | por\s+favor\s+(respondan|contesten|responda)
    | (merci\s+de\s+me\s+r[ée]pondre|r[ée]pondez(-moi)?\s+(svp|s'il\s+vous\s+pla[iî]t))
    | any\s+progress | still\s+(nothing|no\s+(news|word)) | what'?s\s+(happening|going\s+on)\s+with
    | (forwarding|resending|sending)\s+(this|it|my\s+(e-?mail|message|mail))\s+again | in\s+case\s+it\s+got\s+lost
    | gibt\s+es\s+(schon\s+|denn\s+|inzwischen\s+)?(etwas\s+|was\s+)?neu(igkeiten|es)
    | (schon|inzwischen)\s+(etwas|was)\s+neues
    | wie\s+ist\s+der\s+(aktuelle\s+)?stand | immer\s+noch\s+nichts
    | noch\s+nichts\s+(von\s+ihnen\s+|von\s+euch\s+)?gehört
    | (schicke|sende)\s+(ihnen\s+|euch\s+)?(das|es|(die|meine)\s+(e-?mail|mail|nachricht))
      \s+(noch\s*mal|erneut)
    | falls\s+(es|sie|meine\s+(e-?mail|mail|nachricht))\s+untergegangen | nachhaken | hake\s+(noch\s*mal\s+)?nach
    | alguna\s+novedad | hay\s+novedades | (alguna|hay)\s+noticias?
    | (sigo|todav[ií]a|a[uú]n)\s+sin\s+(noticias|respuesta|saber)
    | (les\s+|te\s+)?reenv[ií]o\s+(mi|el|este)\s+(correo|mensaje|e-?mail) | vuelvo\s+a\s+escribir
    | por\s+si\s+no\s+(les\s+|te\s+)?(lleg[oó]|recibieron) | me\s+(pueden\s+|podr[ií]an\s+)?dec(ir|ian|ían)\s+algo
    | me\s+dicen\s+algo
    | toujours\s+rien | des\s+nouvelles\s*(\?|$|(de|du|concernant|pour|sur)\s)
    | (pas|aucune|quelles)\s+(de\s+)?nouvelles | du\s+nouveau | o[uù]\s+en\s+(est|sommes)-?(on|nous)?
    | je\s+vous\s+(renvoie|retransmets|r[ée]exp[ée]die)\s+(mon|ce|le)\s+(message|mail|e-?mail|courriel)
    | au\s+cas\s+o[uù]\s+(il|mon\s+(message|mail|e-?mail|courriel))\s+(se\s+serait|soit|aurait\s+[ée]t[ée])\s+perdu
    """,
    re.IGNORECASE | re.VERBOSE,
)
# A nudge is short; a long message is a new request even if it mentions waiting.
_MAX_WORDS = 60


def is_nudge(text: str) -> bool:
    """True when the new text only chases an earlier message."""
    return len(text.split()) <= _MAX_WORDS and _NUDGE.search(text) is not None


# "Ignore / disregard my last email", "never mind": everything asked before is taken back.
_RETRACT_ALL = re.compile(
    r"""
    \b(ignore|disregard|forget)\s+(my|the)\s+(last|previous|earlier|first|other)\s+(e-?mail|message|mail|request)
    | \bnever\s*mind\b | \bplease\s+ignore\s+(that|it|this)\b
    | \bignorier(en|e|t)?\s+(sie\s+)?(bitte\s+)?meine\s+(letzte|vorige|erste|vorherige)\s+(e-?mail|mail|nachricht)
    | \bvergessen\s+sie\s+meine\s+(letzte|vorige)\s+(e-?mail|mail|nachricht) | \bhat\s+sich\s+erledigt\b
    | \bignore[nr]?\s+(mi|el)\s+(ultimo|anterior|primer)\s+(correo|mensaje|e-?mail)
    | \bolvide[n]?\s+mi\s+(ultimo|anterior)\s+(correo|mensaje) | \bno\s+hagan?\s+caso\s+(a|de)\s+mi
    | \bignore[zr]?\s+mon\s+(dernier|precedent|premier)\s+(e-?mail|mail|message|courriel)
    | \boublie[zr]?\s+mon\s+(dernier|precedent)\s+(e-?mail|mail|message|courriel)
    """,
    re.X,
)
# A negated cancel or a decision to keep the order: the cancel (and the refund it implies) is taken back.
_KEEP = re.compile(
    r"""
    \b(don'?t|do\s+not|no\s+need\s+to|please\s+don'?t)\s+cancel | \bnot\s+cancel\b | \bcancel\s+(my|the)\s+cancel
    | \b(no\s+longer|don'?t)\s+(want|need)\s+to\s+cancel
    | \b(i'?ll|i\s+will|i\s+want\s+to|i'?d\s+like\s+to)\s+keep\s+(it|the\s+order|my\s+order|them)
    | \bkeep\s+(the|my)\s+order\b
    | \bnicht\s+(mehr\s+)?(stornieren|storniert) | \b(doch\s+)?nicht\s+stornier | \bbehalte\s+(sie|es|die\s+bestellung)
    | \bmochte\s+(sie|die\s+bestellung)\s+(doch\s+)?behalten | \bkeine\s+stornierung\b
    | \bno\s+(la\s+|lo\s+|el\s+)?cancele[ns]?\b | \bya\s+no\s+quiero\s+cancelar | \bme\s+lo\s+quedo | \bme\s+la\s+quedo
    | \bno\s+(quiero\s+)?anular
    | \bn'annulez\s+pas | \bne\s+l'annulez\s+pas | \bne\s+pas\s+annuler | \bje\s+(la|le)\s+garde
    | \bje\s+garde\s+(la|ma)\s+commande | \bplus\s+besoin\s+d'annuler
    """,
    re.X,
)
_AFTER_ALL = re.compile(r"\bafter\s+all\b|\bdoch\s+nicht\b|\bal\s+final\b|\bfinalement\b|\bsi\s+la\s+quiero\b")
# A refund request taken back: not needed, not wanted, or the request itself ignored, withdrawn or cancelled.
_NO_REFUND = re.compile(
    r"""
    \b(don'?t|do\s+not)\s+(need|want)\s+(a\s+|the\s+)?refund | \b(please\s+)?(don'?t|do\s+not|no\s+need\s+to)\s+refund
    | \b(ignore|disregard|forget|withdraw|cancel|drop)\s+(about\s+)?(my|the)\s+refund(\s+request)?
    | \bno\s+need\s+for\s+a\s+refund | \bno\s+refund\s+(is\s+)?(needed|necessary|required)\b
    | \bkeine\s+(ruck)?erstattung
    | \b(ruck)?erstattung\s+(ist\s+)?(doch\s+)?nicht\s+(mehr\s+)?(notig|notwendig|erforderlich)
    | \b(ignorieren|vergessen)\s+sie\s+(bitte\s+)?(meine|die)\s+(ruck)?erstattung
    | \bziehe\s+(meine|die)\s+(ruck)?erstattung\w*\s+zuruck
    | \bno\s+(necesito|quiero)\s+(el\s+|un\s+|ningun\s+)?reembolso | \bno\s+hace\s+falta\s+(el\s+|ningun\s+)?reembolso
    | \b(olvide[ns]?|ignore[ns]?|retiro|anulen?)\s+(mi\s+|el\s+|la\s+)?(solicitud\s+de\s+|pedido\s+de\s+)?reembolso
    | \bno\s+me\s+(devuelvan|reembolsen)\b
    | \bpas\s+besoin\s+(de|d'un)\s+rembourse | \bpas\s+la\s+peine\s+de\s+(me\s+)?rembourser
    | \b(oubliez|ignorez|annulez|je\s+retire)\s+(ma|la)\s+demande\s+de\s+remboursement
    """,
    re.X,
)


def withdrawn_intents(text: str) -> tuple[str, ...]:
    """The requests this message takes back: ("*",) for all of them ("ignore my last email"), named ones
    for a targeted retraction ("please don't cancel after all" takes back the cancel), () for none."""
    if not text or len(text.split()) > 120:
        return ()
    folded = fold(text).lower().replace("’", "'")
    if _RETRACT_ALL.search(folded):
        return ("*",)
    out: list[str] = []
    if _KEEP.search(folded) or (_AFTER_ALL.search(folded) and re.search(r"\bkeep|behalt|quedo|garde", folded)):
        out += ["cancel", "refund"]
    if _NO_REFUND.search(folded) and "refund" not in out:
        out.append("refund")
    return tuple(out)


def follow_up_kind(text: str) -> tuple[str | None, tuple[str, ...]]:
    """How a later message in a conversation reads: ("retraction", withdrawn) or ("chaser", ()) or (None, ())."""
    withdrawn = withdrawn_intents(text)
    if withdrawn:
        return "retraction", withdrawn
    if is_nudge(text):
        return "chaser", ()
    return None, ()
