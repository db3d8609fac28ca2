"""`triage relabel`: an agent's correction of a conversation's intents, kept for training under the redaction policy.

The stored text is already redacted at ingest; it is redacted again here before it is copied into the
corrections table, so a correction can never hold more than the redaction policy lets through, whatever
wrote the message row (an older triage, a restore from backup).
"""

from __future__ import annotations

from collections.abc import Sequence

from triage.conversation.state import fold
from triage.errors import UsageError
from triage.records import INTENT_LABELS
from triage.redact import redact
from triage.store import Correction, Store
from triage.understand.language import detect_language


def check_labels(labels: Sequence[str]) -> tuple[str, ...]:
    """The agent's labels, in the model's order; UsageError naming the known ones for anything else.
    `other` means "no request" and so stands alone."""
    wanted = [label.strip().lower() for label in labels if label.strip()]
    unknown = [label for label in wanted if label not in INTENT_LABELS]
    if unknown or not wanted:
        what = f"unknown intent {', '.join(map(repr, unknown))}" if unknown else "no intent given"
        raise UsageError(f"{what}; use one or more of {', '.join(INTENT_LABELS)}")
    if "other" in wanted and len(set(wanted)) > 1:
        raise UsageError("`other` means no request: give it alone, or only the requests")
    return tuple(label for label in INTENT_LABELS if label in wanted)


def relabel(store: Store, conv_id: int, labels: Sequence[str], actor: str, message: int | None = None) -> int:
    """Record and apply the correction on the conversation's latest customer message (or `message`);
    returns the stored message's id."""
    chosen = check_labels(labels)
    target = store.correction_target(conv_id, message)
    subject, text = redact(target.subject).text, redact(target.text).text
    store.record_correction(target, chosen, subject, text, detect_language(f"{subject}\n{text}"), actor)
    return target.message


def undo_relabel(store: Store, conv_id: int, actor: str) -> Correction:
    """Undo the conversation's latest correction (see Store.undo_correction). When the customer wrote again
    after it, the standing requests are folded again from the messages (the corrected one as it was before),
    so undoing never drops what the later mail asked for."""
    undone = store.undo_correction(conv_id, actor)
    key = store.stored_since(conv_id, undone.last_message)
    if key is not None:
        facts = store.conversation_facts(key)
        if facts:
            store.set_standing_intents(conv_id, fold(facts).intents)
    return undone
