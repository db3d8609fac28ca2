"""inbox.toml: read once at start, checked all at once, turned into frozen typed settings.

Every problem is reported with the file and the key (`inbox.toml [imap] port:
expected an integer, got "abc"`); unknown keys are errors, so a typo never
silently falls back to a default. Secrets are never in the file: only the
names of the environment variables that hold them.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from triage.errors import ConfigError
from triage.settings import (
    DEFAULT_REQUIRED,
    KNOWN_DETAILS,
    ExtractSettings,
    OrdersSettings,
    RankSettings,
    ReplySettings,
    StageSettings,
)


@dataclass(frozen=True)
class ShopConfig:
    name: str = "Our shop"
    support_address: str = "support@example.com"
    own_addresses: tuple[str, ...] = ()
    signature: str = ""
    timezone: str = "UTC"
    # Folder of reply templates (one subfolder per language); empty: the ones shipped in templates/replies.
    templates: str = ""
    # Pin "now" (ISO 8601) so ages and deadlines are reproducible: for demos and tests. Empty = the real clock.
    now: str = ""

    @property
    def all_own_addresses(self) -> frozenset[str]:
        return frozenset(a.lower() for a in (self.support_address, *self.own_addresses))


@dataclass(frozen=True)
class SourceConfig:
    kind: Literal["imap", "maildir", "mbox", "eml_dir"] = "maildir"
    path: str = "demo/inbox"


@dataclass(frozen=True)
class ImapConfig:
    host: str = "localhost"
    port: int = 993
    # "implicit": TLS from the first byte (993); "starttls": upgrade on 143; "none": loopback tests only.
    tls: Literal["implicit", "starttls", "none"] = "implicit"
    verify_tls: bool = True
    ca_file: str = ""
    username: str = ""
    auth: Literal["password", "xoauth2", "oauthbearer"] = "password"
    password_env: str = ""
    token_env: str = ""
    token_command: str = ""
    folder: str = "INBOX"
    drafts_folder: str = ""
    after_triage_keyword: str = ""
    after_triage_move: str = ""
    idle: bool = True
    idle_renew_seconds: int = 25 * 60
    poll_seconds: int = 60
    batch_size: int = 200
    timeout_seconds: float = 30.0
    reconnect_max_seconds: float = 300.0

    def secret(self) -> str:
        """The password or token, from the environment (never from the file)."""
        if self.auth == "password":
            return _env_secret(self.password_env, "imap", "password_env")
        if self.token_command:
            import subprocess

            try:
                out = subprocess.run(
                    self.token_command, shell=True, check=True, capture_output=True, text=True, timeout=30
                )
            except (subprocess.SubprocessError, OSError) as exc:
                raise ConfigError(f"[imap] token_command failed: {type(exc).__name__}") from exc
            token = out.stdout.strip()
            if not token:
                raise ConfigError("[imap] token_command printed no token")
            return token
        return _env_secret(self.token_env, "imap", "token_env")


@dataclass(frozen=True)
class StoreConfig:
    path: str = "triage.db"


@dataclass(frozen=True)
class ModelConfig:
    path: str = "models/intent"


@dataclass(frozen=True)
class LimitsConfig:
    # A message bigger than this is recorded as an error instead of parsed.
    max_message_bytes: int = 25 * 1024 * 1024
    # Wall-clock bound on parsing one message; a message that takes longer is quarantined.
    parse_timeout_seconds: float = 10.0


@dataclass(frozen=True)
class SmtpConfig:
    host: str = "localhost"
    port: int = 587
    tls: Literal["implicit", "starttls", "none"] = "starttls"
    verify_tls: bool = True
    ca_file: str = ""
    username: str = ""
    password_env: str = ""

    def secret(self) -> str:
        return _env_secret(self.password_env, "summary.smtp", "password_env") if self.password_env else ""


@dataclass(frozen=True)
class SummaryConfig:
    time: str = "07:30"
    recipients: tuple[str, ...] = ()
    smtp: SmtpConfig = field(default_factory=SmtpConfig)


@dataclass(frozen=True)
class WebConfig:
    """The agents' web queue (`triage web`, or beside the mail loop in `run` when enabled)."""

    host: str = "127.0.0.1"
    port: int = 8025
    # The address people type (https://… behind a reverse proxy); required to listen beyond loopback.
    public_url: str = ""
    enabled: bool = False

    @property
    def secure(self) -> bool:
        """Cookies get the Secure flag when people reach us over https."""
        return self.public_url.startswith("https://")


@dataclass(frozen=True)
class IntentDetails:
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    """The whole validated configuration. `base_dir` anchors relative paths."""

    shop: ShopConfig = field(default_factory=ShopConfig)
    source: SourceConfig = field(default_factory=SourceConfig)
    imap: ImapConfig = field(default_factory=ImapConfig)
    store: StoreConfig = field(default_factory=StoreConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    summary: SummaryConfig = field(default_factory=SummaryConfig)
    web: WebConfig = field(default_factory=WebConfig)
    intents: dict[str, IntentDetails] = field(default_factory=dict)
    orders: OrdersSettings = field(default_factory=OrdersSettings)
    # An orders export re-imported by the main job whenever the file changes (empty: use import-orders).
    orders_file: str = ""
    rank: RankSettings = field(default_factory=RankSettings)
    base_dir: Path = Path(".")
    file: str = "inbox.toml"

    def resolve(self, path: str) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)

    def stage_settings(self) -> StageSettings:
        """What each stage is parameterised by, so no stage reads the config file's shape."""
        orders = dataclasses.replace(self.orders, timezone=self.shop.timezone)
        required = dict(DEFAULT_REQUIRED)
        for intent, details in self.intents.items():
            required[intent] = details.required
        own = self.shop.all_own_addresses
        return StageSettings(
            extract=ExtractSettings(order_patterns=orders.order_patterns, own_addresses=tuple(sorted(own))),
            orders=orders,
            rank=self.rank,
            reply=ReplySettings(
                shop_name=self.shop.name,
                support_address=self.shop.support_address,
                signature=self.shop.signature,
                own_addresses=own,
                templates=self.resolve(self.shop.templates) if self.shop.templates else None,
            ),
            required=required,
        )


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def _env_secret(var: str, section: str, key: str) -> str:
    """The secret in the environment variable `var` names. Errors never quote `var` unless it is written
    the way variable names are (A_NAME_LIKE_THIS): anything else may be the secret pasted in its place."""
    if not var:
        raise ConfigError(f"[{section}] {key} is not set: name the environment variable that holds the secret")
    if not ENV_NAME.fullmatch(var):
        raise ConfigError(f"[{section}] {key} {_ENV_NAME_RULE}")
    value = os.environ.get(var)
    if not value:
        named = f"environment variable {var}" if _CONVENTIONAL_ENV_NAME.fullmatch(var) else f"variable {key} names"
        raise ConfigError(f"[{section}] {key}: the {named} is not set or empty")
    return value


ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CONVENTIONAL_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_ENV_NAME_RULE = "must name an environment variable (letters, digits, _), not hold the secret itself"
_SECRET_KEYS = re.compile(r"^(password|pass|secret|token|api_key)$")

# The keys whose values an error message may quote back: none of them can hold a credential. Every
# other key (host, username, password_env, token_env, token_command, and any key not yet listed here)
# is described by its type only, so a password pasted into the wrong place never reaches a terminal,
# a log or a heartbeat row. An allow-list, so a new key is safe until someone decides otherwise.
_QUOTABLE: dict[type, frozenset[str]] = {
    cls: frozenset(keys.split())
    for cls, keys in (
        (ShopConfig, "name support_address own_addresses signature timezone templates now"),
        (SourceConfig, "kind path"),
        (
            ImapConfig,
            "port tls verify_tls ca_file auth folder drafts_folder after_triage_keyword after_triage_move idle"
            " idle_renew_seconds poll_seconds batch_size timeout_seconds reconnect_max_seconds",
        ),
        (StoreConfig, "path"),
        (ModelConfig, "path"),
        (LimitsConfig, "max_message_bytes parse_timeout_seconds"),
        (SmtpConfig, "port tls verify_tls ca_file"),
        (SummaryConfig, "time recipients"),
        (IntentDetails, "required"),
        (
            OrdersSettings,
            "format number_column email_column stage_column status_column created_column fulfilled_column"
            " cancelled_column name_column country_column items_column total_column items_separator status_map"
            " tag_stages order_patterns fulfillment_hours daily_cutoff duplicate_window_minutes",
        ),
        (
            RankSettings,
            "critical high elevated normal low deadline_max deadline_horizon_hours sla_hours age_max over_sla"
            " follow_up follow_up_max sensitive low_confidence",
        ),
    )
}
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_LOGIN = "put the login in username and the password in the environment variable password_env names"


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[str] = []

    def add(self, where: str, msg: str) -> None:
        self.items.append(f"{self.file} {where}: {msg}")


def _type_name(tp: Any) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    if tp in names:
        return names[tp]
    if typing.get_origin(tp) is Literal:
        return "one of " + ", ".join(f'"{a}"' for a in typing.get_args(tp))
    if typing.get_origin(tp) is tuple:
        return "a list of " + _type_name(typing.get_args(tp)[0]).removeprefix("a ").removeprefix("an ") + "s"
    if typing.get_origin(tp) is dict:
        return "a table"
    return str(tp)


_BAD: Any = object()  # marks a value that failed validation (already reported)


def _got(value: Any, quote: bool) -> str:
    """What was found instead: the value itself for a key that cannot hold a secret, else only its type."""
    if quote:
        return repr(value)
    kinds = ((bool, "true or false"), (int, "an integer"), (float, "a number"), (str, "a string"), (list, "a list"))
    found = next((name for tp, name in kinds if isinstance(value, tp)), None)
    return found or ("a table" if isinstance(value, dict) else "a date")


def _convert(value: Any, tp: Any, where: str, problems: _Problems, quote: bool = False) -> Any:
    origin = typing.get_origin(tp)
    bad = _BAD
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(value, args[0], where, problems, quote)
    if origin is Literal:
        if value in typing.get_args(tp):
            return value
        problems.add(where, f"expected {_type_name(tp)}, got {_got(value, quote)}")
        return bad
    if origin is tuple:
        if not isinstance(value, list):
            problems.add(where, f"expected {_type_name(tp)}, got {_got(value, quote)}")
            return bad
        item_tp = typing.get_args(tp)[0]
        items = tuple(_convert(v, item_tp, f"{where}[{i}]", problems, quote) for i, v in enumerate(value))
        return bad if any(i is _BAD for i in items) else items
    if origin is dict:
        val_tp = typing.get_args(tp)[1]
        if not isinstance(value, dict):
            problems.add(where, f"expected a table, got {_got(value, quote)}")
            return bad
        if dataclasses.is_dataclass(val_tp):
            sub = (lambda k: f"{where[:-1]}.{k}]") if where.endswith("]") else (lambda k: f"{where}.{k}")
            return {k: _build(val_tp, v, sub(k), problems) for k, v in value.items()}
        return {str(k): _convert(v, val_tp, f"{where}.{k}", problems, quote) for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, where, problems)
    if tp is bool:
        if isinstance(value, bool):
            return value
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif tp is str:
        if isinstance(value, str):
            return value
    elif tp is Path and isinstance(value, str):
        return Path(value)
    problems.add(where, f"expected {_type_name(tp)}, got {_got(value, quote)}")
    return bad


def _build(cls: Any, table: Any, where: str, problems: _Problems) -> Any:
    """Build dataclass `cls` from a TOML table, recording every problem instead of stopping at the first."""
    if not isinstance(table, dict):
        problems.add(where, f"expected a table, got {_got(table, False)}")
        return cls()
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        if key not in fields or key in ("base_dir", "file"):
            known = ", ".join(sorted(k for k in fields if k not in ("base_dir", "file")))
            hint = " (secrets go in the environment: use password_env)" if _SECRET_KEYS.match(key) else ""
            problems.add(f"{where} {key}".strip(), f"unknown key{hint}; known keys: {known}")
            continue
        # A nested table is named as TOML writes its header: [summary.smtp] host, not [summary] smtp host.
        nested = dataclasses.is_dataclass(hints[key]) and where.endswith("]")
        at = f"{where[:-1]}.{key}]" if nested else f"{where} {key}".strip()
        converted = _convert(value, hints[key], at, problems, key in _QUOTABLE.get(cls, ()))
        if converted is not _BAD:
            kwargs[key] = converted
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        problems.add(where, str(exc))
        return cls()


def _check(cfg: Config, problems: _Problems) -> None:
    """Cross-field checks a type alone cannot express."""
    if cfg.imap.port <= 0 or cfg.imap.port > 65535:
        problems.add("[imap] port", f"expected 1-65535, got {cfg.imap.port}")
    if cfg.imap.poll_seconds < 1:
        problems.add("[imap] poll_seconds", "must be at least 1")
    if not 60 <= cfg.imap.idle_renew_seconds <= 29 * 60:
        problems.add("[imap] idle_renew_seconds", "must be between 60 and 1740 (servers drop IDLE after 30 min)")
    if cfg.imap.batch_size < 1:
        problems.add("[imap] batch_size", "must be at least 1")
    for section, host in (("imap", cfg.imap.host), ("summary.smtp", cfg.summary.smtp.host)):
        if "@" in host:  # "user:password@imap.example.com": never quoted, it would land in logs and the store
            problems.add(f"[{section}] host", f"must be the server's name only, without a user or password: {_LOGIN}")
    for section, key, var in (
        ("imap", "password_env", cfg.imap.password_env),
        ("imap", "token_env", cfg.imap.token_env),
        ("summary.smtp", "password_env", cfg.summary.smtp.password_env),
    ):
        if var and not ENV_NAME.fullmatch(var):
            problems.add(f"[{section}] {key}", _ENV_NAME_RULE)
    if cfg.source.kind == "imap":
        if not cfg.imap.host:
            problems.add("[imap] host", 'required when [source] kind = "imap"')
        if not cfg.imap.username:
            problems.add("[imap] username", 'required when [source] kind = "imap"')
        if cfg.imap.auth == "password" and not cfg.imap.password_env:
            problems.add("[imap] password_env", "required: the name of the environment variable with the password")
        if cfg.imap.auth != "password" and not (cfg.imap.token_env or cfg.imap.token_command):
            problems.add("[imap] token_env", f'auth = "{cfg.imap.auth}" needs token_env or token_command')
    if not 1 <= cfg.web.port <= 65535:
        problems.add("[web] port", f"expected 1-65535, got {cfg.web.port}")
    if cfg.web.public_url and not re.fullmatch(r"https?://[^\s/@]+(/\S*)?", cfg.web.public_url):
        problems.add("[web] public_url", f"expected http(s)://host[/path], got {cfg.web.public_url!r}")
    if cfg.web.host not in LOOPBACK and not cfg.web.public_url:
        problems.add(
            "[web] host", f"{cfg.web.host!r} is not loopback: set [web] public_url (the proxied address) first"
        )
    if not _TIME.match(cfg.summary.time):
        problems.add("[summary] time", f'expected "HH:MM", got {cfg.summary.time!r}')
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(cfg.shop.timezone)
    except Exception:
        problems.add("[shop] timezone", f"unknown zone {cfg.shop.timezone!r} (use an IANA name, e.g. Europe/Berlin)")
    if "@" not in cfg.shop.support_address:
        problems.add("[shop] support_address", f"not an e-mail address: {cfg.shop.support_address!r}")
    for name, details in cfg.intents.items():
        for detail in details.required:
            if detail not in KNOWN_DETAILS:
                problems.add(
                    f"[intents.{name}] required", f"unknown detail {detail!r}; known: {', '.join(KNOWN_DETAILS)}"
                )


_SECTIONS: dict[str, str] = {
    "shop": "shop",
    "source": "source",
    "imap": "imap",
    "store": "store",
    "model": "model",
    "limits": "limits",
    "summary": "summary",
    "web": "web",
    "intents": "intents",
    "orders": "orders",
    "rank": "rank",
}


def load_config(path: str | Path) -> Config:
    """Read and validate inbox.toml; raise one ConfigError listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{name}: file not found (pass --config PATH or create inbox.toml)") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: cannot read: {exc}") from exc
    return config_from_dict(raw, name=name, base_dir=path.resolve().parent)


def config_from_dict(raw: dict[str, Any], name: str = "inbox.toml", base_dir: Path = Path(".")) -> Config:
    problems = _Problems(name)
    table = {k: v for k, v in raw.items() if k in _SECTIONS}
    extra: dict[str, Any] = {}
    if isinstance(table.get("orders"), dict):
        orders_table = dict(table["orders"])
        orders_file = orders_table.pop("file", "")
        if not isinstance(orders_file, str):
            problems.add("[orders] file", f"expected a string, got {orders_file!r}")
        else:
            extra["orders_file"] = orders_file
        if "timezone" in orders_table:
            problems.add("[orders] timezone", "set the shop's time zone once, in [shop] timezone")
            orders_table.pop("timezone")
        table["orders"] = orders_table
    for key in raw:
        if key not in _SECTIONS:
            problems.add(f"[{key}]", "unknown section; known sections: " + ", ".join(sorted(_SECTIONS)))
    hints = typing.get_type_hints(Config)
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        tp = hints[key]
        if dataclasses.is_dataclass(tp):
            kwargs[key] = _build(tp, value, f"[{key}]", problems)
        else:
            converted = _convert(value, tp, f"[{key}]", problems)
            if converted is not _BAD:
                kwargs[key] = converted
    cfg = Config(**kwargs, **extra, base_dir=base_dir, file=name)
    # CA files are resolved once, relative to the config file, so every TLS client reads the same path.
    for where, ca_file in (("[imap] ca_file", cfg.imap.ca_file), ("[summary.smtp] ca_file", cfg.summary.smtp.ca_file)):
        if ca_file and not cfg.resolve(ca_file).is_file():
            raise ConfigError(f"{name} {where}: no such file {str(cfg.resolve(ca_file))!r}")
    if cfg.imap.ca_file:
        cfg = dataclasses.replace(cfg, imap=dataclasses.replace(cfg.imap, ca_file=str(cfg.resolve(cfg.imap.ca_file))))
    if cfg.summary.smtp.ca_file:
        smtp = dataclasses.replace(cfg.summary.smtp, ca_file=str(cfg.resolve(cfg.summary.smtp.ca_file)))
        cfg = dataclasses.replace(cfg, summary=dataclasses.replace(cfg.summary, smtp=smtp))
    if not problems.items:
        _check(cfg, problems)
    if problems.items:
        raise ConfigError("; ".join(problems.items))
    return cfg
