"""One pass over a mailbox: fetch what is new, triage it, store it with the checkpoint, exactly once."""

from __future__ import annotations

import contextlib
import logging
import queue
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from triage.records import Checkpoint, RawMessage, StoredRef, Triaged
from triage.run.pipeline import Pipeline, stored_ref
from triage.sources import Mailbox
from triage.store import Store

log = logging.getLogger("triage.run.ingest")


@dataclass
class IngestStats:
    fetched: int = 0
    stored: int = 0
    errors: int = 0
    skipped_duplicates: int = 0


def _progress(show: bool, total: int | None) -> Any:
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="msg", desc="triage", file=sys.stderr, leave=False)


def ingest_once(
    mailbox: Mailbox, store: Store, pipeline: Pipeline, progress: bool | None = None, label: str | None = None
) -> IngestStats:
    """Triage everything new in `mailbox`. Safe to kill at any point: the next call resumes.

    `label` is the configured mailbox's name, kept on each stored message and on the heartbeat.
    """
    stats = IngestStats()
    uidvalidity = mailbox.uidvalidity()
    checkpoint = store.checkpoint(mailbox.name)
    rescan = checkpoint is not None and checkpoint.uidvalidity != uidvalidity
    if rescan:
        log.warning(
            "%s: UIDVALIDITY changed %s -> %s; rescanning, skipping messages already stored",
            mailbox.name,
            checkpoint.uidvalidity if checkpoint else None,
            uidvalidity,
        )
        store.reset_checkpoint(mailbox.name, uidvalidity)
        checkpoint = store.checkpoint(mailbox.name)
    else:
        # A store that has messages for this mailbox from an older UIDVALIDITY but no checkpoint is a rescan too.
        rescan = checkpoint is None and uidvalidity != 0 and store.has_other_uidvalidity(mailbox.name, uidvalidity)
    known = store.known_uids(mailbox.name, uidvalidity)
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    batches = mailbox.fetch_new(checkpoint, known)
    if getattr(mailbox, "prefetch", False):
        batches = prefetched(batches)
    for batch in batches:
        if bar is None:
            bar = _progress(show, getattr(mailbox, "pending", None))
        stats.fetched += len(batch)
        results = pipeline.run(batch)
        items: list[tuple[StoredRef, Triaged]] = []
        for raw, result in zip(batch, results, strict=True):
            ref = stored_ref(raw, result)  # its fingerprint is also the rescan's duplicate check
            if rescan and store.has_fingerprint(mailbox.name, ref.fingerprint):
                stats.skipped_duplicates += 1
                continue
            items.append((ref, result))
            stats.errors += result.status == "error"
        cp = _batch_checkpoint(mailbox.name, uidvalidity, batch)
        stats.stored += len(store.save_batch(items, cp, label))
        mailbox.after_triage(batch)
        if bar is not None:
            bar.update(len(batch))
    if bar is not None:
        bar.close()
    store.heartbeat(mailbox.name, name=label, backlog=0)
    if stats.fetched:
        log.info(
            "%s: fetched %d, stored %d (%d errors, %d duplicates skipped)",
            mailbox.name,
            stats.fetched,
            stats.stored,
            stats.errors,
            stats.skipped_duplicates,
        )
    return stats


def prefetched(batches: Iterator[list[RawMessage]]) -> Iterator[list[RawMessage]]:
    """Fetch the next batch while this one is triaged and stored, so ingest waits on the slower of the two.

    Only for sources whose connection is not used between batches (no after-triage action). When the
    consumer stops early, the worker finishes its current fetch and exits before this generator returns,
    so the connection is never used by two threads at once.
    """
    slot: queue.Queue[object] = queue.Queue(maxsize=1)
    stop = threading.Event()
    end = object()

    def work() -> None:
        try:
            for batch in batches:
                slot.put(batch)
                if stop.is_set():
                    return
            slot.put(end)
        except BaseException as exc:  # handed to the consumer, which raises it in its own thread
            slot.put(exc)

    worker = threading.Thread(target=work, name="triage-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = slot.get()
            if item is end:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while worker.is_alive():
            with contextlib.suppress(queue.Empty):
                slot.get(timeout=0.05)
            worker.join(timeout=0.05)


def _batch_checkpoint(mailbox: str, uidvalidity: int, batch: list[RawMessage]) -> Checkpoint | None:
    if uidvalidity == 0:  # local sources: the stored keys are the checkpoint
        return None
    return Checkpoint(mailbox, uidvalidity, max(int(r.uid) for r in batch))
