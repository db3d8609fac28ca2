"""Recognises a nudge ("did you get my email?"): a follow-up that repeats the thread's request rather than
making a new one, so it can inherit the thread's intents instead of reading as `other`.
"""

from __future__ import annotations

import re

_NUDGE = re.compile(
    r"""
    (did|have)\s+you\s+(get|got|receive[d]?|see[n]?)\s+my\s+(previous\s+|last\s+|first\s+)?(e-?mail|message|mail)
    | any\s+(update|news|answer|reply)s?
    | (still\s+)?(waiting|no\s+(answer|reply|response))\s+(for|on|to|from)?
    | (haven'?t|have\s+not|never)\s+(heard|had\s+an?\s+(answer|reply))
    | (nobody|no\s+one|no-one)\s+(has\s+)?(answered|replied|got\s+back)
    | following\s+up | just\s+checking\s+in | gentle\s+reminder | reminder:
    | (haben|hast)\s+(sie|du)\s+meine\s+(e-?mail|nachricht)\s+(erhalten|bekommen)
    | noch\s+(keine|immer\s+keine)\s+antwort | warte\s+(noch|immer\s+noch)\s+auf | erinnerung
    | (recibieron|recibiste|han\s+recibido)\s+mi\s+(correo|mensaje|e-?mail)
    | nadie\s+me\s+(ha\s+)?(contestado|respondido) | sin\s+respuesta | sigo\s+esperando
    | (avez-vous|as-tu)\s+re[çc]u\s+mon\s+(e-?mail|message|courriel|mail)
    | (toujours\s+)?pas\s+(de|encore\s+de)\s+r[ée]ponse | j'attends\s+toujours | relance
    """,
    re.IGNORECASE | re.VERBOSE,
)
# A nudge is short; a long message is a new request even if it mentions waiting.
_MAX_WORDS = 60


def is_nudge(text: str) -> bool:
    """True when the new text only chases an earlier message."""
    return len(text.split()) <= _MAX_WORDS and _NUDGE.search(text) is not None
