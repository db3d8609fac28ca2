"""Per-stage settings derived once from the validated Config, so stages never read the config file's shape."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from triage.config import Config
from triage.orders.csv_import import OrdersSettings
from triage.orders.rank import RankSettings
from triage.understand.extract import DEFAULT_REQUIRED, ExtractSettings


@dataclass(frozen=True)
class Settings:
    extract: ExtractSettings
    orders: OrdersSettings
    rank: RankSettings
    required: dict[str, tuple[str, ...]]

    @classmethod
    def from_config(cls, cfg: Config) -> Settings:
        orders = dataclasses.replace(cfg.orders, timezone=cfg.shop.timezone)
        required = dict(DEFAULT_REQUIRED)
        for intent, details in cfg.intents.items():
            required[intent] = details.required
        return cls(
            extract=ExtractSettings(
                order_patterns=orders.order_patterns, own_addresses=tuple(sorted(cfg.shop.all_own_addresses))
            ),
            orders=orders,
            rank=cfg.rank,
            required=required,
        )
