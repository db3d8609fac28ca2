"""Fitting tables to the terminal they are printed on: widths, colour and the pager, decided once per command.

`Term.detect()` reads the output once: on a terminal the width is the
terminal's (`shutil.get_terminal_size`, which honours $COLUMNS), colour is on
unless $NO_COLOR is set (https://no-color.org) or TERM is "dumb", and long
output goes through a pager. In a pipe or a file there is no width limit (lines
are kept whole for grep and scripts), no colour and no pager.

`table()` lays out columns that each have a narrowest and a widest size: it
gives every column its natural width when there is room, clips the widest
ones (with "…") when there is not, drops the least useful columns on a very
narrow terminal, and puts each row's trailing free text (the queue's reasons)
at the end of the line when at least `TAIL_MIN` characters are left, else on an
indented line (two at most) of its own. No line is ever longer than the width.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Literal

import click

TAIL_MIN = 40  # reasons shorter than this beside the columns read worse than on their own line
TAIL_INDENT = 6
TAIL_LINES = 2  # reasons on their own lines: wrapped onto at most this many
GAP = 1


@dataclass(frozen=True)
class Term:
    """Where the output goes: `width` None means unlimited (a pipe or a file)."""

    width: int | None = None
    height: int = 24
    colour: bool = False
    pager: bool = False

    @classmethod
    def detect(cls, stream: IO[str] | None = None, env: Mapping[str, str] | None = None) -> Term:
        """The terminal behind `stream` (default stdout), or a plain pipe."""
        stream = stream or sys.stdout
        env = os.environ if env is None else env
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        if not tty:
            return cls()
        size = shutil.get_terminal_size((80, 24))
        colour = "NO_COLOR" not in env and env.get("TERM") != "dumb"
        return cls(width=max(40, size.columns), height=max(5, size.lines), colour=colour, pager=True)

    def fit(self, line: str) -> str:
        """A line of plain text clipped to the width (whole in a pipe)."""
        return line if self.width is None else clip(line, self.width)

    def wrap(self, text: str) -> list[str]:
        """Plain text wrapped to the width (one line in a pipe)."""
        return [text] if self.width is None else textwrap.wrap(text, self.width) or [""]

    def style(self, text: str, **kw: object) -> str:
        """click.style on a colour terminal; the text unchanged everywhere else."""
        return click.style(text, **kw) if self.colour else text  # type: ignore[arg-type]


def emit(text: str, term: Term) -> None:
    """Print `text`: through the pager ($PAGER, else less) when it is longer than the terminal, else plainly."""
    if term.pager and text.count("\n") + 1 > term.height - 1:
        click.echo_via_pager(text, color=term.colour)
    else:
        click.echo(text, color=term.colour)


def clip(text: str, width: int) -> str:
    """One line of at most `width` characters, ending in "…" when cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


@dataclass(frozen=True)
class Column:
    """A table column: its key in a row, its title, how narrow it may be clipped and how wide it may grow.

    `drop` orders what goes first on a narrow terminal (1 first, then 2, …; 0 never goes); `give` orders
    what is clipped first (higher first), so short exact values (an age, a deadline) stay whole longest."""

    key: str
    title: str
    min: int
    max: int
    align: Literal["<", ">"] = "<"
    drop: int = 0
    give: int = 0


Styler = Callable[[str, str, Mapping[str, str]], str]  # (column key, padded cell, row) -> styled cell


def fit(columns: Sequence[Column], rows: Sequence[Mapping[str, str]], width: int | None) -> list[tuple[Column, int]]:
    """Each shown column with its width: natural when the line fits, else shrunk towards `min`, else dropped."""
    natural = [(c, min(c.max, max([len(c.title)] + [len(r.get(c.key, "")) for r in rows]))) for c in columns]
    if width is None:
        return natural
    shown = list(natural)

    def total(cols: Sequence[tuple[Column, int]]) -> int:
        return sum(w for _, w in cols) + GAP * (len(cols) - 1)

    for level in sorted({c.drop for c in columns if c.drop}):
        if total([(c, min(w, max(c.min, len(c.title)))) for c, w in shown]) <= width:
            break
        shown = [(c, w) for c, w in shown if c.drop != level]
    # Shrink one character at a time, until the line fits: the most giving column with room left, the
    # widest of those first.
    while total(shown) > width:
        room = [(c.give, w - max(c.min, len(c.title)), i) for i, (c, w) in enumerate(shown)]
        candidates = [r for r in room if r[1] > 0]
        if not candidates:
            break  # even the narrowest forms are too wide (a terminal under 40 columns): lines may wrap
        _, _, i = max(candidates)
        c, w = shown[i]
        shown[i] = (c, w - 1)
    return shown


def table(
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, str]],
    tails: Sequence[str],
    term: Term,
    styler: Styler | None = None,
) -> list[str]:
    """The header and one or two lines per row, none longer than `term.width` (if it has one)."""
    width = term.width
    shown = fit(columns, rows, width)
    used = sum(w for _, w in shown) + GAP * (len(shown) - 1)
    beside = width is None or width - used - GAP >= TAIL_MIN

    def line(cells: Mapping[str, str], head: bool = False) -> str:
        parts = []
        for c, w in shown:
            text = clip(cells.get(c.key, ""), w)
            padded = f"{text:{c.align}{w}}"
            if head:
                padded = term.style(padded, bold=True)
            elif styler is not None:
                padded = styler(c.key, padded, cells)
            parts.append(padded)
        return (" " * GAP).join(parts)

    title_row = {c.key: c.title for c, _ in shown}
    header = line(title_row, head=True)
    if beside:
        header += " " * GAP + term.style("REASONS", bold=True)
    out = [header.rstrip()]
    for cells, tail in zip(rows, tails, strict=True):
        first = line(cells)
        if beside:
            tail_text = " ".join(tail.split()) if width is None else clip(tail, width - used - GAP)
            out.append((first + " " * GAP + term.style(tail_text, dim=True)).rstrip())
        else:
            out.append(first.rstrip())
            if tail.strip():
                assert width is not None
                wrapped = textwrap.wrap(" ".join(tail.split()), width - TAIL_INDENT) or [""]
                if len(wrapped) > TAIL_LINES:
                    rest = clip(" ".join(wrapped[TAIL_LINES - 1 :]), width - TAIL_INDENT)
                    wrapped = [*wrapped[: TAIL_LINES - 1], rest]
                out += [" " * TAIL_INDENT + term.style(part, dim=True) for part in wrapped]
    return out


# The queue's columns; the reasons follow as the row's tail. On a narrow terminal the customer goes
# first, then the rank, then the stage (the order number and the reasons still say where it stands).
QUEUE_COLUMNS = (
    Column("rank", "#", 1, 3, ">", drop=2),
    Column("id", "ID", 2, 6, ">"),
    Column("score", "SCORE", 3, 5, ">"),
    Column("intents", "INTENTS", 8, 22, give=1),
    Column("order", "ORDER", 5, 8),
    Column("stage", "STAGE", 7, 15, drop=3, give=1),
    Column("customer", "CUSTOMER", 10, 28, drop=1, give=2),
    Column("msgs", "MSGS", 4, 4, ">", drop=4),  # messages in the conversation
    Column("age", "AGE", 3, 6, ">"),
    Column("deadline", "DEADLINE", 8, 16),
)
# Shown before CUSTOMER only when the queue holds several mailboxes; it goes last on a narrow terminal.
MAILBOX_COLUMN = Column("mailbox", "MAILBOX", 4, 14, drop=5, give=3)


def queue_columns(several_mailboxes: bool) -> tuple[Column, ...]:
    """The queue's columns: with a MAILBOX column when conversations come from more than one mailbox."""
    if not several_mailboxes:
        return QUEUE_COLUMNS
    at = [c.key for c in QUEUE_COLUMNS].index("customer")
    return (*QUEUE_COLUMNS[:at], MAILBOX_COLUMN, *QUEUE_COLUMNS[at:])


def queue_styler(term: Term) -> Styler:
    """Colour for what needs action first: high scores, overdue deadlines, unreadable messages."""

    def style(key: str, cell: str, row: Mapping[str, str]) -> str:
        if key == "score":
            score = int(row.get("score") or 0)
            return (
                term.style(cell, fg="red", bold=True)
                if score >= 80
                else term.style(cell, fg="yellow")
                if score >= 50
                else cell
            )
        if key == "deadline" and row.get("deadline", "").startswith("overdue"):
            return term.style(cell, fg="red", bold=True)
        if key == "intents" and row.get("intents") == "ERROR":
            return term.style(cell, fg="red", bold=True)
        return cell

    return style
