"""How the daily summary looks: an HTML page for mail clients and a plain-text twin for terminals.

The charts are tables with inline colours (HTML) or runs of `#` (text): no
scripts, no images, no external resources, so they survive Gmail, Outlook and
Apple Mail as well as a browser. The HTML is fluid: a card at most 680 px wide,
bars sized as a share of their column, and a media query that folds the wide
columns away on a phone (375 px), so no figure is pushed off the screen. The templates live in
`templates/summary/`; this module turns a Summary into ready-to-print values so
the templates only lay them out.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from triage.errors import TemplateError
from triage.orders.rank import format_duration
from triage.records import INTENT_LABELS
from triage.report.summary import DayFigures, Figure, Summary
from triage.resources import SUMMARY_TEMPLATES, bundled
from triage.store import TrackedItem

TEMPLATES_DIR = bundled(SUMMARY_TEMPLATES)

INTENT_NAMES = {
    "cancel": "Cancel",
    "duplicate": "Duplicate order",
    "address_fix": "Address fix",
    "refund": "Refund",
    "other": "Other",
}
REDACTION_NAMES = {
    "card_number": "card numbers",
    "card_cvv": "card security codes",
    "card_expiry": "card expiry dates",
    "iban": "IBANs",
    "bank_account": "bank account numbers",
    "password": "passwords",
    "login": "user names and login IDs",
}
# Colours: the day in strong blue, the week before in light blue, the 7-day average in grey.
COLOURS = {
    "day": "#2b6cb0",
    "past": "#90cdf4",
    "average": "#a0aec0",
    "caught": "#2f855a",
    "late": "#c53030",
    "unmatched": "#a0aec0",
    "good": "#2f855a",
    "bad": "#c53030",
    "neutral": "#4a5568",
}
BAR_PX = 240  # the longest HTML bar on a wide screen (fits the 680 px card beside the figures)
STAGE_BAR_PX = 160
BAR_CHARS = 30  # the longest text bar


def stage_name(stage: str) -> str:
    return stage.replace("_", " ")


def count(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def duration(seconds: float | None) -> str:
    return "-" if seconds is None else format_duration(timedelta(seconds=seconds))


def value_text(f: Figure, which: str = "value") -> str:
    v = f.value if which == "value" else f.average
    return duration(v) if f.kind == "duration" else count(v)


def px(value: float, largest: float, full: int = BAR_PX) -> int:
    """Bar length in pixels; anything above zero stays visible."""
    if value <= 0 or largest <= 0:
        return 0
    return max(2, round(full * value / largest))


def pct(px_value: int, full: int = BAR_PX) -> float:
    """A bar's share of its column, in percent: exactly `px_value` pixels in a `full`-pixel column, less on a phone."""
    return round(100 * px_value / full, 4)


def ascii_bar(value: float, largest: float, width: int = BAR_CHARS) -> str:
    """A run of `#` padded to `width` characters; anything above zero shows at least one."""
    n = 0 if value <= 0 or largest <= 0 else max(1, round(width * value / largest))
    return "#" * n + " " * (width - n)


def when(dt: datetime | None, tz_of: datetime) -> str:
    """A moment in the report's time zone: "Sat 21 Nov 14:00"."""
    if dt is None:
        return "-"
    local = dt.astimezone(tz_of.tzinfo)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    return f"{day:%a} {day.day:>2} {day:%b}"


def deadline(item: TrackedItem, as_of: datetime) -> str:
    if item.deadline is None:
        return ""
    left = item.deadline - as_of
    rel = format_duration(left) if left < timedelta(0) else f"in {format_duration(left)}"
    return f"{when(item.deadline, as_of)} ({rel})"


def _change(f: Figure) -> dict[str, str]:
    arrows = {"up": ("▲", "up"), "down": ("▼", "down"), "same": ("=", "same"), "": ("", "")}
    symbol, word = arrows[f.change]
    return {"symbol": symbol, "word": word, "colour": COLOURS[f.verdict or "neutral"], "verdict": f.verdict}


def _intent_count(intent: str) -> Callable[[DayFigures], float | None]:
    def value(day: DayFigures) -> float | None:
        return day.by_intent.get(intent, 0)

    return value


def context(s: Summary) -> dict[str, Any]:
    """Everything the templates print, already formatted."""
    today = s.today
    avg_intent = {i: s.average(_intent_count(i)) for i in INTENT_LABELS}
    largest_intent = max([today.by_intent.get(i, 0) for i in INTENT_LABELS] + [v or 0 for v in avg_intent.values()])
    intents = [
        {
            "name": INTENT_NAMES[i],
            "value": today.by_intent.get(i, 0),
            "average": count(round(avg, 1)) if (avg := avg_intent[i]) is not None else "-",
            "px": px(today.by_intent.get(i, 0), largest_intent),
            "avg_px": px(avg_intent[i] or 0, largest_intent),
            "pct": pct(px(today.by_intent.get(i, 0), largest_intent)),
            "avg_pct": pct(px(avg_intent[i] or 0, largest_intent)),
            "bar": ascii_bar(today.by_intent.get(i, 0), largest_intent),
        }
        for i in INTENT_LABELS
    ]
    largest_stage = max(today.by_stage.values(), default=0)
    stages = [
        {
            "name": stage_name(k),
            "value": v,
            "px": (n := px(v, largest_stage, STAGE_BAR_PX)),
            "pct": pct(n, STAGE_BAR_PX),
            "bar": ascii_bar(v, largest_stage),
        }
        for k, v in today.by_stage.items()
    ]
    largest_day = max(d.received for d in s.days)
    trend = [_trend_row(d, largest_day, d is today) for d in s.days]
    outcome = today.outcomes["all"]
    headline_rows = [
        ("caught", "caught before fulfillment", outcome.caught),
        ("late", "too late (label created or later)", outcome.too_late),
        ("unmatched", "no order matched, or already closed", outcome.unmatched),
    ]
    headline = {
        "total": outcome.total,
        "rows": [
            {
                "key": key,
                "label": label,
                "value": v,
                "colour": COLOURS[key],
                "px": px(v, outcome.total, 400),
                "pct": round(100 * v / outcome.total, 4) if outcome.total else 0,
                "bar": ascii_bar(v, outcome.total),
            }
            for key, label, v in headline_rows
        ],
        "by_intent": [
            {"name": INTENT_NAMES[i], "caught": o.caught, "late": o.too_late, "unmatched": o.unmatched}
            for i, o in today.outcomes.items()
            if i != "all"
        ],
    }
    figures = [
        {"label": f.label, "value": value_text(f), "average": value_text(f, "average"), **_change(f)} for f in s.figures
    ]
    # Several mailboxes: each urgent conversation says which one it came from.
    several = len({h.name or h.mailbox for h in s.health} | {i.mailbox_name for i in s.urgent if i.mailbox_name}) > 1
    urgent = [
        {
            "id": item.id,
            "mailbox": (item.mailbox_name or "") if several else "",
            "urgency": item.urgency,
            "intents": ", ".join(INTENT_NAMES.get(i, i) for i in item.intents) or "-",
            "order": f"#{item.order_number}" if item.order_number else "-",
            "stage": stage_name(item.stage),
            "age": format_duration(s.as_of - item.received_at),
            "deadline": deadline(item, s.as_of),
            "reasons": list(item.reasons),
            "wrapped": textwrap.wrap("; ".join(item.reasons), 70) or [""],
        }
        for item in s.urgent
    ]
    oldest = s.oldest_open
    return {
        "s": s,
        "c": COLOURS,
        "bar_col": BAR_PX,  # a cell's width is its content box: the longest bar exactly, padding aside
        "stage_col": STAGE_BAR_PX,
        "title": f"{s.shop}: daily triage summary for {s.day.isoformat()}",
        "long_date": long_date(s.day),
        "as_of": when(s.as_of, s.as_of),
        "generated": when(s.generated_at, s.as_of),
        "partial": s.as_of < s.end,
        "headline": headline,
        "figures": figures,
        "intents": intents,
        "stages": stages,
        "trend": trend,
        "urgent": urgent,
        "backlog": today.backlog,
        "oldest": {
            "id": oldest.id,
            "age": format_duration(s.as_of - oldest.received_at),
            "received": when(oldest.received_at, s.as_of),
            "what": "unreadable message" if oldest.status == "error" else ", ".join(oldest.intents) or "-",
        }
        if oldest
        else None,
        "draft": {"n": today.drafts, "median": duration(today.draft_median), "p90": duration(today.draft_p90)},
        "duplicates": [
            {
                "orders": f"#{p.first} and #{p.second}",
                "placed": when(p.created_at, s.as_of),
                "customer_wrote": "yes" if p.customer_wrote else "no",
                "status": "both still open" if p.both_open else "one already closed",
            }
            for p in s.duplicate_pairs
        ],
        "sensitive": [
            {"kind": REDACTION_NAMES.get(k, k.replace("_", " ")), "count": v}
            for k, v in today.sensitive_by_kind.items()
        ],
        "health": [
            {
                "mailbox": h.name or h.mailbox,
                "source": h.mailbox if h.name and h.name != h.mailbox else "",
                "last_poll": when(h.last_poll_at, s.as_of) if h.last_poll_at else "never",
                "poll_age": format_duration(s.generated_at - h.last_poll_at)
                if h.last_poll_at and h.last_poll_at <= s.generated_at
                else "",
                "stale": h.stale,
                "error": (h.last_error or "")[:160],
                "error_at": when(h.last_error_at, s.as_of) if h.last_error_at else "",
                "recovered": h.recovered,
            }
            for h in s.health
        ],
    }


def _trend_row(d: DayFigures, largest: int, is_day: bool) -> dict[str, Any]:
    outcome = d.outcomes["all"]
    return {
        "date": short_date(d.day),
        "received": d.received,
        "caught": outcome.caught,
        "late": outcome.too_late,
        "backlog": d.backlog,
        "has_data": d.has_data,
        "is_day": is_day,
        "px": px(d.received, largest),
        "pct": pct(px(d.received, largest)),
        "bar": ascii_bar(d.received, largest),
        "colour": COLOURS["day"] if is_day else COLOURS["past"],
    }


@lru_cache(maxsize=4)
def _environment(root: str) -> jinja2.Environment:
    # Autoescape for the HTML template only; StrictUndefined turns a typo into an error, not a blank.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(root),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(name: str, ctx: dict[str, Any], templates_dir: Path | None) -> str:
    root = templates_dir or TEMPLATES_DIR
    try:
        return _environment(str(root)).get_template(name).render(ctx)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"{root / name}: template missing (reinstall triage or restore templates/summary)") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{root / name}: {exc}") from exc


def render(s: Summary, templates_dir: Path | None = None) -> tuple[str, str]:
    """The report as (html, text)."""
    ctx = context(s)
    return _render("report.html.j2", ctx, templates_dir), _render("report.txt.j2", ctx, templates_dir)


def write_reports(s: Summary, html: str, text: str, out_dir: Path) -> list[Path]:
    """reports/YYYY-MM-DD.html and .txt, written whole (temp file, then rename) so a reader never sees half."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix, content in ((".html", html), (".txt", text)):
        path = out_dir / f"{s.day.isoformat()}{suffix}"
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(path)
        paths.append(path)
    return paths
