"""inbox.toml: read once at start, checked all at once, turned into frozen typed settings.

Every problem is reported with the file and the key (`inbox.toml [imap] port:
expected an integer, got "abc"`); unknown keys are errors, so a typo never
silently falls back to a default. Secrets are never in the file: only the
names of the environment variables that hold them.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from triage.errors import ConfigError
from triage.records import STAGES
from triage.resources import DEMO, MODEL, REPLY_TEMPLATES, bundled
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
    # No default: a config that forgets the inbox must say so, not read some folder by surprise.
    path: str = ""


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
    # Empty: the model shipped inside the package.
    path: str = ""


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
class MailboxConfig:
    """One `[[mailbox]]` table: a name, and the source, IMAP account and shop identity it overrides.

    `source`, `imap` and `shop` are the top-level tables with this mailbox's keys laid over them, so two
    mailboxes on one server repeat only what differs (the username, the folder, the brand).
    """

    name: str
    source: SourceConfig = field(default_factory=SourceConfig)
    imap: ImapConfig = field(default_factory=ImapConfig)
    shop: ShopConfig = field(default_factory=ShopConfig)


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
    # The `[[mailbox]]` tables; empty: the one mailbox of [source]/[imap]/[shop] (see `mailboxes()`).
    mailbox: tuple[MailboxConfig, ...] = ()
    base_dir: Path = Path(".")
    file: str = "inbox.toml"

    def mailboxes(self) -> tuple[MailboxConfig, ...]:
        """Every mailbox this process serves; a config without `[[mailbox]]` is one, named by its address."""
        if self.mailbox:
            return self.mailbox
        return (MailboxConfig(name=mailbox_name(self), source=self.source, imap=self.imap, shop=self.shop),)

    def for_mailbox(self, mailbox: MailboxConfig) -> Config:
        """This config as seen by one mailbox: its source, account and shop in place of the top-level ones."""
        return dataclasses.replace(self, source=mailbox.source, imap=mailbox.imap, shop=mailbox.shop, mailbox=())

    def resolve(self, path: str) -> Path:
        """A path the user wrote: relative ones are relative to the config file, never the current folder."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)

    def model_dir(self) -> Path:
        """[model] path, or the model shipped in the package when it is not set."""
        return self.resolve(self.model.path) if self.model.path else bundled(MODEL)

    def require_model(self) -> Path:
        """The model folder, or one ConfigError naming the key to set: checked before the main job starts."""
        path = self.model_dir()
        if not (path / "config.cfg").is_file():
            if self.model.path:
                raise ConfigError(
                    f"{self.file} [model] path: no intent model at {path}; set [model] path to a trained model"
                    " (`triage train --out DIR`), or remove the key to use the bundled one"
                )
            raise ConfigError(
                f"{self.file} [model] path: the bundled intent model is missing ({path}); reinstall triage"
                " or set [model] path to a trained model"
            )
        return path

    def templates_dir(self) -> Path:
        """[shop] templates, or the reply templates shipped in the package."""
        return self.resolve(self.shop.templates) if self.shop.templates else bundled(REPLY_TEMPLATES)

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
                templates=self.templates_dir() if self.shop.templates else None,
            ),
            required=required,
        )


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def mailbox_name(cfg: Config) -> str:
    """The name the store keys this mailbox by (known before connecting, for the heartbeat)."""
    if cfg.source.kind == "imap":
        return imap_name(cfg.imap)
    return f"{cfg.source.kind}:{cfg.resolve(cfg.source.path).resolve()}"


def imap_name(cfg: ImapConfig) -> str:
    """`imap://USERNAME@HOST:PORT/FOLDER`: the account, never a credential.

    The name is logged on every reconnect, stored with the heartbeat and shown above the queue, so a
    host written as "user:password@server" (refused by the config check) loses everything up to its
    last "@" here too. The username stays: it tells two accounts on one server apart.
    """
    return f"imap://{cfg.username}@{server_name(cfg.host, cfg.port)}/{cfg.folder}"


def server_name(host: str, port: int) -> str:
    """`HOST:PORT` as messages and logs may show it: no userinfo, whatever the host was written as."""
    return f"{host.rpartition('@')[2]}:{port}"


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
            names = sorted(k for k in fields if k not in ("base_dir", "file"))
            hint = " (secrets go in the environment: use password_env)" if _SECRET_KEYS.match(key) else ""
            problems.add(
                f"{where} {key}".strip(), f"unknown key{hint}{_nearest(key, names)}; known keys: {', '.join(names)}"
            )
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


def _nearest(word: str, known: typing.Iterable[str]) -> str:
    """ "; did you mean X?" for a near-miss spelling (difflib's ratio), else nothing."""
    close = difflib.get_close_matches(word.lower(), list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


# (table, key, low, high): numbers outside these ranges are mistakes, not preferences.
_RANGES: tuple[tuple[str, str, float, float], ...] = (
    ("orders", "fulfillment_hours", 0.5, 24 * 60),
    ("orders", "duplicate_window_minutes", 0, 7 * 24 * 60),
    *(
        ("rank", key, 0, 100)
        for key in (
            "critical",
            "high",
            "elevated",
            "normal",
            "low",
            "deadline_max",
            "age_max",
            "over_sla",
            "follow_up",
            "follow_up_max",
            "sensitive",
            "low_confidence",
        )
    ),
    ("rank", "deadline_horizon_hours", 1, 24 * 30),
    ("rank", "sla_hours", 0.5, 24 * 30),
    ("limits", "max_message_bytes", 1024, 2**31),
    ("limits", "parse_timeout_seconds", 0.1, 3600),
    ("imap", "timeout_seconds", 1, 3600),
    ("imap", "reconnect_max_seconds", 1, 24 * 3600),
    ("summary.smtp", "port", 1, 65535),
    ("web", "port", 1, 65535),
)


def _check_ranges(cfg: Config, problems: _Problems) -> None:
    """Every number inside what makes sense, and clock times that exist: caught at start, not per message."""
    tables = {
        "orders": cfg.orders,
        "rank": cfg.rank,
        "limits": cfg.limits,
        "imap": cfg.imap,
        "summary.smtp": cfg.summary.smtp,
        "web": cfg.web,
    }
    for table, key, low, high in _RANGES:
        value = getattr(tables[table], key)
        if not low <= value <= high:
            problems.add(f"[{table}] {key}", f"expected {_num(low)} to {_num(high)}, got {_num(value)}")
    if not _TIME.match(cfg.orders.daily_cutoff):
        problems.add(
            "[orders] daily_cutoff", f'expected a time "HH:MM" (00:00 to 23:59), got {cfg.orders.daily_cutoff!r}'
        )
    for i, pattern in enumerate(cfg.orders.order_patterns):
        try:
            groups = re.compile(pattern).groups
        except re.error as exc:
            problems.add(f"[orders] order_patterns[{i}]", f"not a regular expression: {exc}")
            continue
        if groups < 1:
            problems.add(f"[orders] order_patterns[{i}]", "needs one capture group: the canonical order number")
    for status, stage in cfg.orders.status_map.items():
        if stage not in STAGES:
            problems.add(f"[orders] status_map.{status}", f"unknown stage {stage!r}; known: {', '.join(STAGES)}")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _check(cfg: Config, problems: _Problems) -> None:
    """Cross-field checks a type alone cannot express."""
    _check_ranges(cfg, problems)
    if cfg.shop.templates and not (cfg.templates_dir() / "en").is_dir():
        problems.add("[shop] templates", f"no reply templates at {cfg.templates_dir()} (expected an en/ folder in it)")
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
    "mailbox": "mailbox",
}


def _mailboxes(tables: Any, raw: dict[str, Any], problems: _Problems) -> tuple[MailboxConfig, ...]:
    """The `[[mailbox]]` tables, each laid over the top-level [source], [imap] and [shop]; names unique."""
    if not isinstance(tables, list) or not tables:
        problems.add("[[mailbox]]", "expected one or more [[mailbox]] tables")
        return ()
    out: list[MailboxConfig] = []
    seen: dict[str, int] = {}
    for i, table in enumerate(tables):
        where = f"[[mailbox]] #{i + 1}"
        if not isinstance(table, dict):
            problems.add(where, f"expected a table, got {_got(table, False)}")
            continue
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.add(f"{where} name", "required: a short name for this mailbox (e.g. support, returns)")
            continue
        where = f"[[mailbox]] {name!r}"
        if name in seen:
            problems.add(f"{where} name", f"duplicate mailbox name (also mailbox #{seen[name]}); names must differ")
            continue
        seen[name] = i + 1
        parts: dict[str, Any] = {"name": name}
        for key in table:
            if key not in ("name", "source", "imap", "shop"):
                hint = " (put it in [mailbox.imap])" if key in {f.name for f in dataclasses.fields(ImapConfig)} else ""
                problems.add(f"{where} {key}", f"unknown key{hint}; known keys: imap, name, shop, source")
        for key, cls in (("source", SourceConfig), ("imap", ImapConfig), ("shop", ShopConfig)):
            own = table.get(key, {})
            base = raw.get(key, {}) if isinstance(raw.get(key, {}), dict) else {}
            if not isinstance(own, dict):
                problems.add(f"[mailbox.{key}] ({name})", f"expected a table, got {_got(own, False)}")
                own = {}
            parts[key] = _build(cls, {**base, **own}, f"[mailbox.{key}] ({name})", problems)
        out.append(MailboxConfig(**parts))
    return tuple(out)


def load_config(path: str | Path) -> Config:
    """Read and validate inbox.toml; raise one ConfigError listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{name}: file not found (pass --config PATH, or run `triage init` to write one)") from exc
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
            hint = _nearest(key, _SECTIONS)
            problems.add(f"[{key}]", f"unknown section{hint}; known sections: " + ", ".join(sorted(_SECTIONS)))
    mailboxes = table.pop("mailbox", None)
    hints = typing.get_type_hints(Config)
    kwargs: dict[str, Any] = {}
    if mailboxes is not None:
        kwargs["mailbox"] = _mailboxes(mailboxes, raw, problems)
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
    if cfg.mailbox:
        cfg = dataclasses.replace(cfg, mailbox=tuple(_resolve_ca(cfg, mb, name) for mb in cfg.mailbox))
    if not problems.items:
        _check(cfg, problems)
        _check_mailboxes(cfg, problems)
    if problems.items:
        raise ConfigError("; ".join(problems.items))
    return cfg


def _resolve_ca(cfg: Config, mb: MailboxConfig, name: str) -> MailboxConfig:
    """A mailbox's own ca_file, resolved against the config file like the top-level one."""
    if not mb.imap.ca_file:
        return mb
    path = cfg.resolve(mb.imap.ca_file)
    if not path.is_file():
        raise ConfigError(f"{name} [mailbox.imap] ({mb.name}) ca_file: no such file {str(path)!r}")
    return dataclasses.replace(mb, imap=dataclasses.replace(mb.imap, ca_file=str(path)))


def _check_mailboxes(cfg: Config, problems: _Problems) -> None:
    """Each `[[mailbox]]` passes the same cross-field checks as a single mailbox, named by its table."""
    keys: dict[str, str] = {}
    for mb in cfg.mailbox:
        own = _Problems(cfg.file)
        _check(cfg.for_mailbox(mb), own)
        for item in own.items:
            for section in ("source", "imap", "shop"):
                item = item.replace(f" [{section}] ", f" [mailbox.{section}] ({mb.name}) ")
            if item not in problems.items and "[mailbox." in item:
                problems.items.append(item)
        key = mailbox_name(cfg.for_mailbox(mb))
        if key in keys:
            problems.add(
                f"[[mailbox]] {mb.name!r}", f"reads the same source as mailbox {keys[key]!r}; give each its own"
            )
        keys.setdefault(key, mb.name)


CONFIG_ENV = "TRIAGE_CONFIG"
CONFIG_NAME = "inbox.toml"


def user_config_path() -> Path:
    """$XDG_CONFIG_HOME/triage/inbox.toml (XDG's default: ~/.config)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "triage" / CONFIG_NAME


def find_config(explicit: str | None) -> Path:
    """Where the config is: --config, then $TRIAGE_CONFIG, then ./inbox.toml, then the user's config folder.

    The first two are taken as given (a missing file is an error then, not a reason to look further); the
    last two are used when they exist. The error when nothing is found names all four places.
    """
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env)
    for candidate in (Path(CONFIG_NAME), user_config_path()):
        if candidate.is_file():
            return candidate
    raise ConfigError(
        f"no configuration found: looked at --config (not given), ${CONFIG_ENV} (not set), ./{CONFIG_NAME}"
        f" and {user_config_path()}; run `triage init` to write one, or `triage demo` to try the bundled demo"
    )


def demo_config(store: Path) -> Config:
    """The bundled demo's config (demo/inbox.toml inside the package) with its store at `store`."""
    cfg = load_config(bundled(DEMO) / CONFIG_NAME)
    return dataclasses.replace(cfg, store=StoreConfig(path=str(store.resolve())))


def starter_config(
    *,
    shop_name: str,
    support_address: str,
    timezone: str,
    source: str,
    path: str = "",
    imap_host: str = "",
    imap_username: str = "",
    password_env: str = "TRIAGE_IMAP_PASSWORD",
    orders_file: str = "",
) -> str:
    """A commented inbox.toml for `triage init`: the values asked for, the rest left at the defaults."""

    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string

    lines = [
        "# triage configuration, written by `triage init`. Every key is checked at start: an unknown key or",
        "# a wrong value stops triage with one line naming it. Relative paths are relative to this file.",
        "# Secrets never go here: *_env keys name the environment variable that holds them.",
        "# Test it with `triage check`; all keys: the README's Configuration section.",
        "",
        "[shop]",
        f"name = {q(shop_name)}",
        f"support_address = {q(support_address)}   # replies come from here; mail from it is never answered",
        "own_addresses = []                # other addresses of the shop (never answered)",
        'signature = ""',
        f"timezone = {q(timezone)}          # IANA name: packing cutoffs and day boundaries use it",
        "",
        "[source]",
        f"kind = {q(source)}                # imap, maildir, mbox or eml_dir",
    ]
    if source != "imap":
        lines.append(f"path = {q(path)}                # the Maildir folder, mbox file or folder of .eml files")
    lines += ["", "[store]", 'path = "triage.db"                # the SQLite file; only redacted text is written here']
    if source == "imap":
        lines += [
            "",
            "[imap]",
            f"host = {q(imap_host)}",
            "port = 993",
            'tls = "implicit"                  # "implicit" (993) or "starttls" (143)',
            "verify_tls = true                 # keep true; set ca_file for a server with a private CA",
            f"username = {q(imap_username)}",
            'auth = "password"                 # or "xoauth2" / "oauthbearer" with token_env or token_command',
            f"password_env = {q(password_env)}   # the environment variable holding the password",
            'folder = "INBOX"',
            'drafts_folder = ""                # empty: the folder marked \\Drafts (SPECIAL-USE)',
        ]
    lines += [
        "",
        "[orders]",
        f"file = {q(orders_file)}                # a Shopify orders export, re-imported when it changes; empty: none",
        'format = "shopify"                # or "generic" with column names (see the README)',
        "fulfillment_hours = 24.0          # hours from order to packing",
        'daily_cutoff = "14:00"            # the daily packing run, shop time',
        "",
        "[summary]",
        'time = "07:30"                    # shop time of the daily report',
        "recipients = []                   # who gets it by mail; empty: reports are only written",
        "",
    ]
    aligned = []
    for line in lines:  # comments in one column, as in the shipped inbox.toml
        code, sep, comment = line.partition("  # ")
        aligned.append(f"{code.rstrip():<33} # {comment}" if sep and not line.startswith("#") else line)
    return "\n".join(aligned)
