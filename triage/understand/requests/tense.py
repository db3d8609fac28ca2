"""What the finder's lemmas cannot see: who cancels, and when.

Lemmatising makes "cancelled", "cancel" and "cancelling" one word, which is what a request needs; it also
makes "why was my order cancelled?" and "if it isn't here by Friday I'm cancelling" look like requests.
POLICY.md reads neither as one: a cancellation that already happened (the shop's, the payment system's,
or one the customer made in the app) is reported, not asked for, and a first-person cancel under a
condition is a threat. These patterns read the folded clause (lower case, no accents, "n't" as " nt")
before lemmatising, in the four languages, and block `cancel` for the clause. A request in another clause
("it says cancelled, but please cancel order 2 as well") still stands.
"""

from __future__ import annotations

import re

# A cancellation someone else made ("you cancelled my order", "ihr habt … storniert", "vous avez annulé").
_BY_THE_SHOP = (
    r"\b(?:you|u|they|ihr|sie|team|system|shop|store|someone|somebody) (?:have |has |had |already |just |"
    r"automatically )?(?:cancell?ed|canceled)\b"
    r"|\bihr habt\b.{0,60}\bstorniert\b|\bsie haben\b.{0,60}\bstorniert\b"
    r"|\bvous avez (?:bien |deja )?annule|\b(?:anularon|cancelaron)\b|\bannulee?s? par vous\b"
    r"|\b(?:cancell?ed|canceled) by (?:you|your)\b|\bstornierung durch (?:sie|euch)\b|\bconfirmaron la cancelacion\b"
)
# A cancellation reported as done, by anyone: passive and perfect forms, and the participle as an
# adjective ("the cancelled jacket"). "have it cancelled", "can it be cancelled", "storniert wird" and
# "soll storniert werden" ask for one and are left out.
_DONE = (
    r"\b(?:was|were|been|would be)\s+(?:\w+\s+){0,2}(?:cancell?ed|canceled)\b"
    r"|\b(?:i|we)\s+(?:already\s+|just\s+|had\s+)?(?:cancell?ed|canceled)\b"
    r"|(?:(?:^|(?<=\x00))\W*|\b(?:the|my|a|that|this|your|its)\s+)(?:cancell?ed|canceled)\b"
    r"|\b(?:wurde|wurden|worden|ist|sind|war|waren|habe|hatte|haben|hatten)\b[^.?!\n]{0,50}\bstorniert\b"
    r"|\b(?:se\s+(?:anulo|cancelo)|(?:fue|fueron|ha sido|han sido|esta|estaba)\s+(?:anulad|cancelad)[oa]s?)\b"
    r"|\b(?:ai|a|avons|avez|ont|ete|est|sont|etait|etaient)\s+(?:bien\s+|deja\s+)?annulee?s?\b"
    r"|\b(?:commande|precommande)s?\s+annulee?s?\b|\bhace\s+(?:\w+\s+){1,3}(?:cancele|anule)\b"
    r"|\bstornierung\b[^.?!\n]{0,50}\b(?:durch|erledigt)\s+(?:ist|sei|war)\b"
    r"|\bstornierung\b[^.?!\n]{0,50}\b(?:ist|sei|war)\s+(?:schon\s+|bereits\s+)?(?:durch|erledigt)\b"
    # Cancelled by a system, whoever the clause names ("got automatically cancelled", "automatisch storniert").
    r"|\bautomatically (?:cancell?ed|canceled)\b|\bautomatisch storniert\b"
    r"|\b(?:cancelad|anulad)[oa]s? automaticamente\b|\bautomaticamente (?:cancelad|anulad)"
    r"|\bannulee?s? automatiquement\b|\bautomatiquement annulee?s?\b"
)
# A first-person cancel under a condition, or a hypothetical one ("next time I'm the one cancelling" too):
# "if it isn't here tomorrow I'm cancelling",
# "wenn … trete ich vom Kauf zurück", "si no llega el lunes, lo cancelo", "si j'annulais ma commande",
# "si elle n'arrive pas, je l'annule", "should it fail to turn up I'm cancelling", "como no llegue, lo cancelo",
# "s'il n'est pas là vendredi, j'annule". A
# conditional *request* ("if you can't change the address, just cancel it") has no first-person verb.
_THREAT = (
    r"\b(?:if|unless|until|otherwise|or else|then|in case|should (?:it|they|the|my|this|that))\b"
    r".{0,80}?\b(?:i|we|im|i'm|i'll|ill|we'll)\s+"
    r"(?:will\s+|am\s+|are\s+|just\s+|simply\s+|going to\s+|gonna\s+|have to\s+|be\s+|ask\s+you\s+to\s+)*"
    r"(?:cancel\w*)\b"
    r"|\b(?:wenn|falls|sonst|ansonsten|dann)\b.{0,80}?\b(?:storniere|trete|ziehe) ich\b"
    r"|\b(?:si|como no|a menos que)\b.{0,80}?\b(?:(?:lo|la|los|las) )?(?:cancelo|anulo|cancelare|anulare)\b"
    r"|\b(?:si|s'il|s'ils|au cas ou|a moins qu)\b.{0,80}?\bj'?(?:annule|annulerai|annulais|annulerais)\b"
    r"|\b(?:si|s'il|s'ils|au cas ou|a moins qu)\b.{0,80}?\bje\s+(?:l'|la\s+|le\s+|les\s+)"
    r"(?:annule|annulerai|annulerais)\b"
    r"|\b(?:next time|la prochaine fois|nachsten mal|la proxima vez)\b.{0,60}?\b(?:cancel|annul|storn|anul)\w*"
)
# A cancel the customer meant to ask for and did not: "I was going to cancel it, but …", "iba a cancelarlo",
# "j'allais annuler". (German "wollte … stornieren" is also the polite "I wanted to ask to cancel": left out.)
_INTENDED = (
    r"\b(?:i|we)\s+(?:was|were)\s+(?:going|about|all\s+set|ready)\s+to\b.{0,40}?\bcancel"
    r"|\biba(?:mos)?\s+a\b.{0,40}?\b(?:cancelar|anular)"
    r"|\bj'?allais\b.{0,40}?\bannuler"
)
SHOP_CANCELLED = re.compile(_BY_THE_SHOP)
INTENDED_CANCEL = re.compile(_INTENDED)
REPORTED_CANCEL = re.compile(_DONE)
THREATENED_CANCEL = re.compile(_THREAT)
# Substrings one of the patterns needs (a past form, or a condition word): most cancel clauses hold none,
# and a substring test costs far less than the patterns' search.
_PAST = (
    "ancelled",
    "anceled",
    "storniert",
    "anulad",
    "ancelad",
    "anulo",
    "cancelo",
    "annule",
    "aron",
    "stornierung durch",
    "cancele",
    "anule",
    "stornierung",
)
_MEANT = ("going to", "about to", "set to", "ready to", "iba", "allais")
_CONDITION = (
    "if",
    "in case",
    "should ",
    "unless",
    "until",
    "otherwise",
    "else",
    "then",
    "wenn",
    "falls",
    "sonst",
    "dann",
    "si",
    "s'il",
    "como no",
    "a menos",
    "au cas",
    "a moins",
    "next time",
    "prochaine fois",
    "nachsten mal",
    "proxima vez",
)
# ... and a threat a first-person verb or pronoun ("i", "we", "ich", "lo cancelo", "j'annule").
_FIRST_PERSON = ("i ", "i'", "im ", "ill ", "we", "ich", "cancelo", "anulo", "cancelare", "anulare", "annul", "moi")


def cancel_not_asked(folded: str, start: int, end: int, before: int | None = None) -> str | None:
    """Why the cancel in folded[start:end] (one clause) is no request, or None: "the shop's cancellation",
    "already cancelled", "only meant to" or "threat". `before`: where a threat's condition may start (the
    clause before)."""
    clause = folded[start:end]
    if any(p in clause for p in _PAST):  # both report patterns need a past form
        if SHOP_CANCELLED.search(folded, start, end):
            return "the shop's cancellation"
        if REPORTED_CANCEL.search(folded, start, end):
            return "already cancelled"
    if any(m in clause for m in _MEANT) and INTENDED_CANCEL.search(folded, start, end):
        return "only meant to"
    lead = start if before is None else before
    context = folded[lead:end]
    condition = any(c in context for c in _CONDITION) and any(f in clause for f in _FIRST_PERSON)
    if condition and THREATENED_CANCEL.search(folded, lead, end):
        return "threat"
    return None
