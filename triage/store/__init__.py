"""The SQLite store: the one owner of the schema and of every SQL statement in triage.

Where to look:
- `schema.py`: the tables (migrations) and the rule for a message's first state;
- `ingest.py`: what ingest writes (messages, triage, drafts, checkpoints, heartbeats) and the lookups it dedupes by;
- `conversations.py`: conversations (threading's lookups, what a message writes to its conversation and draft,
  the queue of conversations, one in full, closing and reopening); `conversation_rows.py`: their records;
- `queue.py`: messages one by one (one message in full);
- `drafts.py`: drafts to sync to the Drafts folder, and agents' edits;
- `orders.py`: the orders table;
- `corrections.py`: agents' corrections of intents (`relabel`), what `train --with-corrections` reads;
- `users.py`: web accounts, sessions, login attempts, assignments (by conversation);
- `web_queries.py`: the web queue's filtered, searched page in SQL (FTS5), and the conversation page's extras;
- `summary_figures.py`: what the daily summary counts;
- `rows.py`: the typed records the read side returns, and the `queue --json` / `show --json` shape;
- `connection.py` and `codec.py`: the connection, transactions, audit log; column text to values and back.
"""

from __future__ import annotations

from triage.store.conversation_rows import (
    Conversation,
    ConversationDetail,
    ConversationDraft,
    ConversationEvent,
    ConversationMessage,
)
from triage.store.corrections import Correction, CorrectionQueries, CorrectionTarget
from triage.store.drafts import DraftQueries
from triage.store.ingest import IngestQueries
from triage.store.orders import OrderQueries
from triage.store.queue import QueueQueries
from triage.store.rows import (
    ArrivedMessage,
    AuditEvent,
    Item,
    MailboxState,
    QueueRow,
    StateChange,
    StoredDraft,
    TrackedItem,
)
from triage.store.schema import SCHEMA_VERSION
from triage.store.summary_figures import SummaryQueries
from triage.store.users import Session, User, UserQueries
from triage.store.web_queries import QueueFilter, QueueSlice, WebQueries

__all__ = [
    "SCHEMA_VERSION",
    "ArrivedMessage",
    "AuditEvent",
    "Conversation",
    "ConversationDetail",
    "ConversationDraft",
    "ConversationEvent",
    "ConversationMessage",
    "Correction",
    "CorrectionTarget",
    "Item",
    "MailboxState",
    "QueueFilter",
    "QueueRow",
    "QueueSlice",
    "Session",
    "StateChange",
    "Store",
    "StoredDraft",
    "TrackedItem",
    "User",
]


class Store(
    IngestQueries,
    QueueQueries,
    DraftQueries,
    OrderQueries,
    SummaryQueries,
    UserQueries,
    WebQueries,
    CorrectionQueries,
):
    """One SQLite file opened in WAL mode; safe to share between processes. Each base holds one group of queries."""
