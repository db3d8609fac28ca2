"""The typed settings each stage receives, filled once from inbox.toml by `config`.

Stages import their settings from here, never the config file's shape; `config` imports
these types to validate the `[orders]` and `[rank]` tables, and knows nothing of the stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Shopify-style "#1042": the digits are the canonical number. Leading zeros and
# more than 8 digits are left out on purpose: those are phone, DHL and bank numbers.
DEFAULT_ORDER_PATTERNS: tuple[str, ...] = (r"#\s?([1-9]\d{2,7})(?!\d)",)

# Tags a shop (or its fulfillment app) sets for what the export cannot show.
DEFAULT_TAG_STAGES: dict[str, str] = {
    "in-progress": "in_progress",
    "picking": "in_progress",
    "packing": "in_progress",
    "packed": "in_progress",
    "label-created": "label_created",
    "label-printed": "label_created",
    "shipped": "shipped",
    "in-transit": "shipped",
    "delivered": "delivered",
    "returned": "returned",
}


@dataclass(frozen=True)
class OrdersSettings:
    """The `[orders]` table: file format, generic column names, number patterns, packing clock."""

    format: str = "shopify"  # "shopify" or "generic"
    number_column: str = "order_number"
    email_column: str = "email"
    stage_column: str = "stage"  # our stage names, used as given
    status_column: str = "status"  # free-text status, mapped via status_map and common words
    created_column: str = "created_at"
    fulfilled_column: str = "fulfilled_at"
    cancelled_column: str = "cancelled_at"
    name_column: str = "name"
    country_column: str = "country"
    items_column: str = "items"
    total_column: str = "total"
    items_separator: str = ";"
    status_map: dict[str, str] = field(default_factory=dict)
    tag_stages: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TAG_STAGES))
    order_patterns: tuple[str, ...] = DEFAULT_ORDER_PATTERNS
    fulfillment_hours: float = 24.0
    daily_cutoff: str = "14:00"
    timezone: str = "UTC"
    duplicate_window_minutes: int = 60


@dataclass(frozen=True)
class RankSettings:
    """The `[rank]` weights. Levels are base scores for intent × stage; the rest are bonuses on top."""

    critical: int = 80  # a label exists: the parcel leaves at the next pickup
    high: int = 70  # cancel / address fix / duplicate before packing: cheap now, expensive soon
    elevated: int = 50  # time-critical request but the order is unknown or unpaid
    normal: int = 40  # refunds, and the return path once shipped
    low: int = 15  # closed orders, everything else
    deadline_max: int = 20  # reached when the packing cutoff is due or past
    deadline_horizon_hours: float = 24.0  # the deadline bonus starts this long before the cutoff
    sla_hours: float = 24.0
    age_max: int = 15  # reached when a message is as old as the SLA
    over_sla: int = 5
    follow_up: int = 8  # per "did you get my email?" in the same thread
    follow_up_max: int = 16
    sensitive: int = 5
    low_confidence: int = 5


@dataclass(frozen=True)
class ExtractSettings:
    """Order-number patterns (one capture group = canonical form) and the shop's own addresses.

    An own address starting with "@" excludes the whole domain.
    """

    order_patterns: tuple[str, ...] = DEFAULT_ORDER_PATTERNS
    own_addresses: tuple[str, ...] = ()


KNOWN_DETAILS: tuple[str, ...] = (
    "order_number",
    "order_numbers",
    "checkout_email",
    "full_name",
    "country",
    "order_time",
    "reason",
    "keep_order",
    "current_address",
    "corrected_address",
)

DEFAULT_REQUIRED: dict[str, tuple[str, ...]] = {
    "cancel": ("order_number", "checkout_email", "full_name", "country", "order_time", "reason"),
    "duplicate": ("order_numbers", "keep_order"),
    "address_fix": ("order_number", "current_address", "corrected_address"),
    "refund": ("order_number", "checkout_email"),
}


@dataclass(frozen=True)
class ReplySettings:
    """Who the reply comes from, and where its templates are (None: the ones shipped with triage)."""

    shop_name: str = "Our shop"
    support_address: str = "support@example.com"
    signature: str = ""
    own_addresses: frozenset[str] = frozenset()
    templates: Path | None = None


@dataclass(frozen=True)
class StageSettings:
    """Everything the pipeline's stages are parameterised by, built once per process."""

    extract: ExtractSettings = field(default_factory=ExtractSettings)
    orders: OrdersSettings = field(default_factory=OrdersSettings)
    rank: RankSettings = field(default_factory=RankSettings)
    reply: ReplySettings = field(default_factory=ReplySettings)
    required: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_REQUIRED))
