"""The fast FETCH reader agrees with imapclient's parser, or steps aside; checked on made-up and real answers."""

from __future__ import annotations

import email.utils
import logging
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from imapclient.datetime_util import parse_to_datetime

from tests.support.cli import PASSWORD_ENV, write_config
from tests.support.dovecot import PASSWORD, Dovecot
from tests.support.mailgen import customer_message
from triage.config import load_config
from triage.sources.fetch_response import BODY_ITEMS, internaldate, read_any, read_bodies
from triage.sources.imap import ImapMailbox, login

BODY = b"From: a@example.com\r\nSubject: hi\r\n\r\nplease cancel #1042\r\n"
DATE = b'"21-Nov-2026 09:30:00 +0100"'


def answer(seq: int, uid: int, body: bytes, before: bytes = b"", after: bytes = b"") -> list[object]:
    """One message's FETCH answer the way imaplib hands it over: (line with literal, literal), closing line."""
    head = b"%d (%sBODY[] {%d}" % (seq, before, len(body))
    return [(head, body), after + b")"]


def test_usual_shape_matches_imapclient() -> None:
    data = answer(1, 41, BODY, b"UID 41 RFC822.SIZE %d INTERNALDATE %s " % (len(BODY), DATE))
    data += answer(2, 42, b"x" * 10, b"UID 42 RFC822.SIZE 10 INTERNALDATE %s " % DATE)
    fast = read_bodies(data)
    assert fast is not None
    assert fast == read_any(data)
    assert fast[41].body == BODY and fast[41].size == len(BODY)
    assert fast[41].internaldate == datetime(2026, 11, 21, 8, 30, tzinfo=UTC)


def test_items_in_any_order_and_after_the_literal() -> None:
    data = answer(7, 9, BODY, b"INTERNALDATE %s " % DATE, b" RFC822.SIZE %d UID 9" % len(BODY))
    data += answer(8, 10, BODY, b"", b" UID 10")  # no size or date: size is the body's length
    fast = read_bodies(data)
    assert fast is not None and fast == read_any(data)
    assert fast[10].size == len(BODY) and fast[10].internaldate is None


def test_unusual_answers_go_to_imapclient() -> None:
    flags_update = [b"3 (FLAGS (\\Seen) UID 12)"]  # unsolicited, no literal
    nil_body = [b"4 (UID 13 RFC822.SIZE 5 INTERNALDATE %s BODY[] NIL)" % DATE]
    unknown_item = answer(5, 14, BODY, b"UID 14 FLAGS (\\Seen) ")
    short_literal = [(b"6 (UID 15 BODY[] {999}", BODY), b")"]
    usual = answer(1, 11, BODY, b"UID 11 ")
    for odd in (flags_update, nil_body, unknown_item, short_literal):
        assert read_bodies(usual + odd) is None
    mixed = read_any(usual + flags_update + nil_body + unknown_item)
    assert mixed[11].body == BODY and mixed[14].body == BODY
    assert mixed[13].body is None and 12 in mixed
    assert read_bodies([None]) is None and read_any([None]) == {}


zones = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: m - m % 15)


seconds = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)


@given(seconds, zones)
def test_internaldate_reads_what_imapclient_reads(when: datetime, minutes: int) -> None:
    aware = when.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    sign, off = ("-" if minutes < 0 else "+"), abs(minutes)
    raw = f"{aware.day:2d}-{aware:%b-%Y %H:%M:%S} {sign}{off // 60:02d}{off % 60:02d}".encode()
    assert internaldate(raw) == parse_to_datetime(raw, normalise=False) == aware
    assert internaldate(raw).utcoffset() == aware.utcoffset()


def test_internaldate_falls_back_and_never_raises() -> None:
    assert internaldate(b"Sat, 21 Nov 2026 09:30:00 +0100") == email.utils.parsedate_to_datetime(
        "Sat, 21 Nov 2026 09:30:00 +0100"
    )
    assert internaldate(b"not a date") is None


def test_dovecot_answers_take_the_fast_path_and_agree(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    eight_bit = "Subject: Stornierung\r\nFrom: k@example.de\r\n\r\nBitte Bestellung 1042 stornieren, grüße\r\n"
    client = dovecot.client()
    client.multiappend(imap_folder, [customer_message(i, seed=3) for i in range(30)] + [eight_bit.encode()])
    client.logout()
    mailbox = ImapMailbox(load_config(write_config(tmp_path, dovecot, imap_folder)).imap)
    try:
        imap = mailbox.client
        uids = sorted(imap.search(["ALL"]))
        tag = imap._imap._command("UID", "FETCH", ",".join(map(str, uids)), BODY_ITEMS)
        typ, data = imap._imap._command_complete("FETCH", tag)
        _, data = imap._imap._untagged_response(typ, data, "FETCH")
        fast = read_bodies(data)
        assert fast is not None, "Dovecot's usual answer should not need the slow parser"
        assert fast == read_any(data)
        reference = imap.fetch(uids, ["BODY.PEEK[]", "RFC822.SIZE", "INTERNALDATE"])
        for uid in uids:
            assert fast[uid].body == reference[uid][b"BODY[]"]
            assert fast[uid].size == reference[uid][b"RFC822.SIZE"]
            assert fast[uid].internaldate == reference[uid][b"INTERNALDATE"]
        batch = next(mailbox.fetch_new(None, set()))
        assert [m.data for m in batch] == [reference[u][b"BODY[]"] for u in uids]
    finally:
        mailbox.close()


def test_imaplib_does_not_format_mail_for_a_silent_logger(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """imapclient turns imaplib's protocol log up to 5, which formats every message (unredacted) per line."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    cfg = load_config(write_config(tmp_path, dovecot, imap_folder)).imap
    client = login(cfg)
    try:
        assert client._imap.debug == 0
    finally:
        client.logout()
    logger = logging.getLogger("imapclient.imaplib")
    level = logger.level
    logger.setLevel(logging.DEBUG)  # someone debugging the protocol by hand keeps it
    try:
        client = login(cfg)
        assert client._imap.debug == 5
        client.logout()
    finally:
        logger.setLevel(level)
