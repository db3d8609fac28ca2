"""The command line: a thin click group over the library; errors become one line and an exit code."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from triage.config import Config, load_config
from triage.errors import TriageError, UsageError

if TYPE_CHECKING:  # imported lazily at run time, so `redact` never loads the model and `queue` starts fast
    from triage.run.pipeline import Pipeline
    from triage.store import Store
    from triage.understand.classify import IntentModel

log = logging.getLogger("triage")


class App:
    """What a command needs, built lazily so `redact` never loads the model and `queue` starts fast."""

    def __init__(self, config_path: str, now: str | None) -> None:
        self.config_path = config_path
        self._now = now

    @cached_property
    def cfg(self) -> Config:
        return load_config(self.config_path)

    def now(self) -> datetime:
        pinned = self._now or self.cfg.shop.now
        if pinned:
            try:
                dt = datetime.fromisoformat(pinned)
            except ValueError as exc:
                raise UsageError(f"--now / [shop] now: not an ISO 8601 time: {pinned!r}") from exc
            return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
        return datetime.now(UTC)

    @cached_property
    def store(self) -> Store:
        from triage.store import Store

        return Store(self.cfg.resolve(self.cfg.store.path))

    @cached_property
    def model(self) -> IntentModel:
        from triage.understand.classify import IntentModel

        return IntentModel.load(self.cfg.resolve(self.cfg.model.path))

    def pipeline(self, store: Store | None = None) -> Pipeline:
        from triage.run.pipeline import OrderBook, Pipeline

        window = self.cfg.orders.duplicate_window_minutes
        orders = OrderBook.of(store.orders(), window) if store is not None else OrderBook()

        def history(parsed: Any) -> tuple[int, tuple[str, ...]]:
            from triage.run.pipeline import thread_key

            if store is None:
                return 0, ()
            return store.thread_history([thread_key(parsed), (parsed.in_reply_to or "").lower()])

        return Pipeline(self.cfg, self.model, orders, history, clock=self.now)


pass_app = click.make_pass_decorator(App)


def _setup_logging(debug: bool, verbose: bool) -> None:
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("imapclient", "imaplib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", default="inbox.toml", show_default=True, help="Path to inbox.toml.")
@click.option("--now", default=None, help="Evaluate ages and deadlines as of this ISO 8601 time.")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.pass_context
def cli(ctx: click.Context, config_path: str, now: str | None, debug: bool, verbose: bool) -> None:
    """Triage a shop's support inbox: classify, redact, rank by fulfillment stage, queue.

    With no command: run the main job once on the configured inbox (the bundled
    demo by default) and print the queue.
    """
    _setup_logging(debug, verbose)
    ctx.obj = App(config_path, now)
    if ctx.invoked_subcommand is None:
        ctx.invoke(once)
        ctx.invoke(queue)


def _import_orders(app: App, file: Path) -> tuple[int, int]:
    from triage.orders.csv_import import read_orders

    result = read_orders(file, app.cfg.stage_settings().orders)
    for problem in result.problems:
        click.echo(f"{file}:{problem.line}: {problem.message} (row skipped)", err=True)
    return app.store.upsert_orders(result.orders), len(result.problems)


def _sync_drafts(app: App) -> None:
    """With an IMAP source, put new and changed drafts into the mailbox's Drafts folder."""
    if app.cfg.source.kind != "imap":
        return
    from triage.reply.draft_sync import sync_drafts
    from triage.sources.imap import login

    sync_drafts(app.store, app.cfg.stage_settings().reply, app.cfg.imap.drafts_folder, lambda: login(app.cfg.imap))


def _sync_orders_file(app: App) -> bool:
    """Re-import [orders] file when it changed since the last import, so the queue sees current stages."""
    if not app.cfg.orders_file:
        return False
    path = app.cfg.resolve(app.cfg.orders_file)
    try:
        stamp = f"{path.resolve()}:{path.stat().st_mtime_ns}:{path.stat().st_size}"
    except OSError as exc:
        raise UsageError(f"{app.cfg.file} [orders] file: cannot read {path}: {exc.strerror}") from exc
    if app.store.get_meta("orders_file") != stamp:
        count, skipped = _import_orders(app, path)
        app.store.set_meta("orders_file", stamp)
        log.info("imported %d order(s) from %s (%d row(s) skipped)", count, path, skipped)
        return True
    return False


@cli.command()
@pass_app
def once(app: App) -> None:
    """Fetch and triage whatever is new, then exit."""
    from triage.run.ingest import ingest_once
    from triage.sources import open_mailbox

    _sync_orders_file(app)
    mailbox = open_mailbox(app.cfg)
    try:
        stats = ingest_once(mailbox, app.store, app.pipeline(app.store))
    finally:
        mailbox.close()
    _sync_drafts(app)
    click.echo(
        f"triaged {stats.stored} new message(s) from {mailbox.name}"
        + (f" ({stats.errors} could not be parsed; see the queue)" if stats.errors else ""),
        err=True,
    )


@cli.command()
@pass_app
def run(app: App) -> None:
    """The daemon: IDLE/poll, triage and store until stopped (SIGTERM or Ctrl-C)."""
    from triage.run.daemon import run_daemon
    from triage.sources import mailbox_name, open_mailbox

    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    from triage.run.pipeline import OrderBook

    cfg = app.cfg
    pipeline = app.pipeline(app.store)

    def refresh_orders() -> None:
        if _sync_orders_file(app):
            pipeline.orders = OrderBook.of(app.store.orders(), cfg.orders.duplicate_window_minutes)

    import schedule

    from triage.report.summary_send import schedule_daily

    scheduler = schedule.Scheduler()
    schedule_daily(scheduler, app.store, cfg, app.now)
    refresh_orders()
    run_daemon(
        lambda: open_mailbox(cfg),
        mailbox_name(cfg),
        app.store,
        pipeline,
        poll_seconds=cfg.imap.poll_seconds,
        reconnect_max_seconds=cfg.imap.reconnect_max_seconds,
        scheduler=scheduler,
        before_poll=refresh_orders,
        after_poll=lambda: _sync_drafts(app),
    )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
@click.option("--all", "include_done", is_flag=True, help="Include closed items.")
@click.option("--limit", type=int, default=None, help="Show at most this many items.")
@pass_app
def queue(app: App, as_json: bool, include_done: bool, limit: int | None) -> None:
    """Open items, most urgent first, with reasons and deadlines."""
    from triage.report.terminal import queue_table

    rows = app.store.queue(limit=limit, include_done=include_done)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
    else:
        click.echo(queue_table(rows, app.now(), app.store.health()))


@cli.command()
@click.argument("item_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def show(app: App, item_id: int, as_json: bool) -> None:
    """One item in full: text, intents, order, urgency, draft, history."""
    from triage.report.terminal import item_text

    item = app.store.item(item_id)
    if item is None:
        raise UsageError(f"no item with ID {item_id} (see `triage queue`)")
    click.echo(json.dumps(item.to_json(), ensure_ascii=False, indent=1) if as_json else item_text(item, app.now()))


@cli.command()
@click.argument("item_id", type=int)
@click.option("--by", "actor", default="agent", help="Who closes it (recorded in the audit log).")
@pass_app
def done(app: App, item_id: int, actor: str) -> None:
    """Close an item."""
    app.store.set_state(item_id, "done", actor)
    click.echo(f"closed {item_id}")


@cli.command()
@click.argument("item_id", type=int)
@click.option("--by", "actor", default="agent", help="Who reopens it (recorded in the audit log).")
@pass_app
def reopen(app: App, item_id: int, actor: str) -> None:
    """Reopen a closed item."""
    app.store.set_state(item_id, "open", actor)
    click.echo(f"reopened {item_id}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line (the default).")
@pass_app
def inspect(app: App, files: tuple[Path, ...], as_json: bool) -> None:
    """Triage .eml files without storing them (reads orders from the store)."""
    from triage.run.inspect import inspect_files

    store = app.store if app.cfg.resolve(app.cfg.store.path).exists() else None
    for obj in inspect_files(files, app.pipeline(store), app.cfg):
        click.echo(json.dumps(obj, ensure_ascii=False))


@cli.command()
@click.argument("item_id", type=int)
@click.option("--edit", is_flag=True, help="Open the draft in $EDITOR and save it back (and to the Drafts folder).")
@click.option("--by", "actor", default="agent", help="Who edits it (recorded in the audit log).")
@pass_app
def draft(app: App, item_id: int, edit: bool, actor: str) -> None:
    """Print an item's reply draft, or edit it."""
    from triage.reply.draft import assert_safe

    item = app.store.item(item_id)
    if item is None:
        raise UsageError(f"no item with ID {item_id} (see `triage queue`)")
    stored = item.draft
    if stored is None:
        raise UsageError(f"item {item_id} has no draft (auto-replies, bounces and lists never get one)")
    if not edit:
        click.echo(f"To: {stored.to_addr}\nSubject: {stored.subject}\n\n{stored.body}")
        return
    body = click.edit(stored.body, extension=".txt")
    if body is None or body == stored.body:
        click.echo("draft unchanged", err=True)
        return
    assert_safe(body)
    app.store.update_draft_body(item_id, body, actor)
    _sync_drafts(app)
    click.echo(f"draft for {item_id} saved")


@cli.command("import-orders")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_app
def import_orders(app: App, file: Path) -> None:
    """Load or update orders from a Shopify orders export or a mapped generic CSV."""
    from triage.orders.csv_import import read_orders

    result = read_orders(file, app.cfg.stage_settings().orders)
    for problem in result.problems:
        click.echo(f"{file}:{problem.line}: {problem.message} (row skipped)", err=True)
    count = app.store.upsert_orders(result.orders)
    click.echo(
        f"imported {count} order(s) from {file}"
        + (f", {len(result.problems)} row(s) skipped" if result.problems else "")
    )
    if not count and result.problems:
        sys.exit(1)


@cli.command()
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The shop-local day to report (default: yesterday).",
)
@click.option("--send", is_flag=True, help="Also e-mail it to [summary] recipients.")
@pass_app
def summary(app: App, day: datetime | None, send: bool) -> None:
    """The managers' daily report: reports/YYYY-MM-DD.html and .txt; --send mails it."""
    from triage.report.summary_send import summary_command

    for path in summary_command(app.store, app.cfg, day.date() if day else None, send, app.now()):
        click.echo(str(path))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the redacted text and the findings as JSON.")
def redact(as_json: bool) -> None:
    """Redact stdin to stdout (card numbers, CVVs, expiry dates, IBANs, bank logins, passwords)."""
    from triage.redact import redact as redact_text

    text = sys.stdin.read()
    result = redact_text(text)
    if as_json:
        findings = [{"kind": f.kind, "start": f.start, "end": f.end} for f in result.findings]
        click.echo(json.dumps({"text": result.text, "redactions": result.counts(), "findings": findings}))
    else:
        click.echo(result.text, nl=False)


@cli.command()
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Training data folder (default: models/data).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the model (default: [model] path).",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--epochs", type=int, default=None)
@pass_app
def train(app: App, data_dir: Path | None, out_dir: Path | None, seed: int, epochs: int | None) -> None:
    """Rebuild the intent model from the training data in models/."""
    from triage.model.train import train as train_model

    data_dir = data_dir or app.cfg.resolve("models/data/mail")
    out_dir = out_dir or app.cfg.resolve(app.cfg.model.path)
    report = train_model(data_dir, out_dir, seed=seed, epochs=epochs)
    click.echo(json.dumps(report, indent=1, default=str))


@cli.command("eval")
@click.option(
    "--data",
    "data",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Labeled JSONL or CSV, e.g. the realistic150 layout (default: the test split of models/data/mail).",
)
@click.option(
    "--label-map",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="JSON mapping the file's labels onto ours (e.g. ../shared/eval/*/label_map.json).",
)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def eval_cmd(app: App, data: Path | None, label_map: Path | None, as_json: bool) -> None:
    """Per-label precision/recall/F1 and macro-F1, with the keyword baseline side by side."""
    from triage.model.evaluate import evaluate

    report = evaluate(app.model, data, label_map)
    click.echo(json.dumps(report.to_dict(), indent=1) if as_json else report.render())


def main(argv: list[str] | None = None) -> None:
    """Entry point for `triage` and `run_triage.py`: one line per error, exit 0/1/2."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="triage", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("triage: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except TriageError as exc:
        if debug:
            raise
        click.echo(f"triage: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        click.echo(f"triage: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
        sys.exit(1)
