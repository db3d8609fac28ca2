"""An agent's correction end to end: relabel → train --with-corrections → the corrected mail reads as the agent
said; undo; the audit log; the exit codes; and no card digits in the store's corrections (nor anywhere in the file).

Everything runs through the command line on a real SQLite store and a model trained from the tiny fixture
(tests/fixtures/intent_tiny/mail, copied where the test's inbox.toml looks for training mail), so it stays quick.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.support.cli import CliResult, invoke_triage
from triage.model.data import correction_split
from triage.store import Store
from triage.understand.classify import IntentModel

TINY = Path(__file__).parent / "fixtures" / "intent_tiny" / "mail"
CARD = "4111 1111 1111 1111"
# A shop's own wording the tiny model has never seen: "zap" for cancel.
MAILS = [
    ("Order 4411", "Please zap order 4411, I changed my mind."),
    ("Order 4412", "Could you zap 4412 for me? It was the wrong size."),
    ("My order", "Zap my order 4413 please, I found it cheaper."),
    ("4414", "Kindly zap order 4414, thanks."),
    ("Order 4415", "I need you to zap order 4415 today."),
    ("Order 4416", f"Please zap order 4416. My card was {CARD} exp 08/27 cvv 123 if you need it."),
    ("Question", "Do you ship to Norway? Thanks."),
]


def _mail(i: int, subject: str, body: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Customer {i} <c{i}@example.com>"
    msg["To"] = "support@example.com"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime(2026, 11, 20, 9, tzinfo=UTC) + timedelta(minutes=i))
    msg["Message-ID"] = f"<relabel-{i}@example.com>"  # fixed: the hash split of the corrections reads it
    msg.set_content(body)
    return bytes(msg)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A shop whose config points training at the tiny fixture, with a base model trained from it and the
    mails above triaged into its store."""
    root = tmp_path_factory.mktemp("relabel")
    shutil.copytree(TINY, root / "models" / "data" / "mail")
    md = root / "md"
    for sub in ("new", "cur", "tmp"):
        (md / sub).mkdir(parents=True)
    for i, (subject, body) in enumerate(MAILS):
        (md / "new" / f"{i}.eml").write_bytes(_mail(i, subject, body))
    (root / "inbox.toml").write_text(
        f'[shop]\nsupport_address = "support@example.com"\nnow = "2026-11-21T09:30:00+00:00"\n'
        f'[source]\nkind = "maildir"\npath = "{md}"\n[store]\npath = "{root / "t.db"}"\n'
        f'[model]\npath = "{root / "model"}"\n'
    )
    assert _cli(root, "train", "--epochs", "3").returncode == 0
    assert _cli(root, "once").returncode == 0
    return root


def _cli(root: Path, *args: str) -> CliResult:
    return invoke_triage("--config", str(root / "inbox.toml"), *args)


def _message_id(raw: bytes) -> str:
    from email import message_from_bytes

    return str(message_from_bytes(raw)["Message-ID"])


def _conversations(root: Path) -> dict[str, int]:
    """Subject -> conversation id."""
    rows = json.loads(_cli(root, "queue", "--json", "--all").stdout)
    return {r["subject"]: r["id"] for r in rows}


def _zap_text(i: int) -> str:
    return MAILS[i][1]


def test_relabel_then_train_with_corrections_learns_the_shops_words(shop: Path) -> None:
    ids = _conversations(shop)
    before = IntentModel.load(shop / "model")
    zaps = [_zap_text(i) for i in range(6)]
    # the base model does not know "zap": not one of these is read as a cancel
    assert not [t for t, r in zip(zaps, before.classify([("", t) for t in zaps]), strict=True) if "cancel" in r.intents]

    for i in range(6):
        done = _cli(shop, "relabel", str(ids[MAILS[i][0]]), "cancel", "--by", "ana")
        assert done.returncode == 0, done.stderr
        assert "relabelled cancel" in done.stdout

    detail = json.loads(_cli(shop, "show", str(ids["Order 4411"]), "--json").stdout)
    assert detail["intents"] == ["cancel"]
    with closing(Store(shop / "t.db")) as store:
        corrections = store.corrections()
    assert len(corrections) == 6 and all(c.labels == ("cancel",) and c.lang == "en" for c in corrections)
    parts = {c.text: correction_split(f"correction:{c.message_key}") for c in corrections}
    trained = [t for t, part in parts.items() if part == "train"]
    held = [t for t, part in parts.items() if part == "held_out"]
    assert trained and held  # the fixture's mails fall on both sides of the hash split

    result = _cli(shop, "train", "--with-corrections", "--epochs", "8")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["corrections"]["trained"] == len(trained) and report["corrections"]["held_out"] == len(held)
    figures = report["corrections"]["before_after"]
    assert figures["held-out corrections"]["before"]["n"] == figures["held-out corrections"]["after"]["n"] == len(held)
    assert figures["mail test split"]["before"]["n"] == figures["mail test split"]["after"]["n"] > 0
    assert (shop / "model.before" / "config.cfg").is_file()

    after = IntentModel.load(shop / "model")
    for text, r in zip(trained, after.classify([("", t) for t in trained]), strict=True):
        assert r.intents == ("cancel",), (text, r)

    # eval shows the same before/after on the same rows
    shown = _cli(shop, "eval", "--corrections", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == figures
    assert re.search(rf"held-out corrections\s+{len(held)} ", _cli(shop, "eval", "--corrections").stdout)


def test_undo_restores_the_labels_and_both_are_audited(shop: Path) -> None:
    conv = _conversations(shop)["Question"]
    first = json.loads(_cli(shop, "show", str(conv), "--json").stdout)["intents"]
    assert _cli(shop, "relabel", str(conv), "refund", "address_fix", "--by", "ben").returncode == 0
    assert json.loads(_cli(shop, "show", str(conv), "--json").stdout)["intents"] == ["address_fix", "refund"]
    undone = _cli(shop, "relabel", str(conv), "--undo", "--by", "cleo")
    assert undone.returncode == 0, undone.stderr
    after = json.loads(_cli(shop, "show", str(conv), "--json").stdout)
    assert after["intents"] == first
    con = sqlite3.connect(shop / "t.db")
    events = con.execute(
        "SELECT actor, action, detail FROM events WHERE conversation = ? AND action LIKE 'relabel%' ORDER BY id",
        [conv],
    ).fetchall()
    assert events == [
        ("ben", "relabelled", f"address_fix,refund (was {','.join(first)})"),
        ("cleo", "relabel_undone", f"{','.join(first)} (was address_fix,refund)"),
    ]
    # an undone correction is not training data; a second undo has nothing left to undo
    with closing(Store(shop / "t.db")) as store:
        assert conv not in {c.conversation for c in store.corrections()}
    again = _cli(shop, "relabel", str(conv), "--undo")
    assert again.returncode == 2 and "no correction to undo" in again.stderr


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["cancle"], 2, "unknown intent 'cancle'; use one or more of cancel, duplicate, address_fix, refund, other"),
        ([], 2, "no intent given"),
        (["other", "cancel"], 2, "`other` means no request"),
    ],
)
def test_relabel_refuses_unknown_intents(shop: Path, args: list[str], code: int, says: str) -> None:
    conv = _conversations(shop)["Question"]
    result = _cli(shop, "relabel", str(conv), *args)
    assert result.returncode == code and says in result.stderr


def test_relabel_unknown_conversation_or_message_exits_3(shop: Path) -> None:
    assert _cli(shop, "relabel", "99999", "cancel").returncode == 3
    conv = _conversations(shop)["Question"]
    result = _cli(shop, "relabel", str(conv), "cancel", "--message", "99999")
    assert result.returncode == 3 and "is not a customer message of" in result.stderr


def test_a_correction_on_a_message_with_a_card_number_stores_no_card_digits(shop: Path) -> None:
    conv = _conversations(shop)["Order 4416"]
    assert _cli(shop, "relabel", str(conv), "cancel", "refund").returncode == 0
    con = sqlite3.connect(shop / "t.db")
    (text,) = con.execute(
        "SELECT text FROM corrections WHERE conversation = ? ORDER BY id DESC LIMIT 1", [conv]
    ).fetchone()
    assert "zap order 4416" in text.lower() and "4111" not in text
    con.execute("PRAGMA wal_checkpoint(FULL)")
    con.close()
    digits = re.compile(rb"4111\D{0,3}1111\D{0,3}1111\D{0,3}1111")
    for path in shop.glob("t.db*"):
        assert not digits.search(path.read_bytes()), path


def test_an_agents_draft_is_left_alone_and_triages_own_is_flagged(shop: Path) -> None:
    ids = _conversations(shop)
    mine, theirs = ids["4414"], ids["Order 4415"]  # both relabelled before, so both flagged then
    with closing(Store(shop / "t.db")) as store:
        store.update_conversation_draft(mine, "Hello, done. Ana", "ana")
    for conv in (mine, theirs):
        assert _cli(shop, "relabel", str(conv), "refund").returncode == 0
    agent = json.loads(_cli(shop, "show", str(mine), "--json").stdout)
    assert agent["draft"]["body"] == "Hello, done. Ana" and "draft_before_relabel" not in agent["flags"]
    own = json.loads(_cli(shop, "show", str(theirs), "--json").stdout)
    assert "draft_before_relabel" in own["flags"]


def test_train_without_the_flag_reads_no_corrections(shop: Path, tmp_path: Path) -> None:
    result = _cli(shop, "train", "--epochs", "1", "--out", str(tmp_path / "m"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["correction_rows"] == 0


def test_the_held_out_part_is_a_stable_hash_of_the_row() -> None:
    assert correction_split("correction:mid:a@example.com") == correction_split("correction:mid:a@example.com")
    parts = [correction_split(f"correction:{i}") for i in range(1000)]
    assert 250 < parts.count("held_out") < 350


def test_undo_after_the_customer_wrote_again_keeps_what_the_later_mail_asked(shop: Path, tmp_path: Path) -> None:
    md = tmp_path / "md"
    for sub in ("new", "cur", "tmp"):
        (md / sub).mkdir(parents=True)
    first = _mail(20, "Norway", "Do you ship to Norway? Thanks.")
    (md / "new" / "a.eml").write_bytes(first)
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        (shop / "inbox.toml")
        .read_text()
        .replace(str(shop / "md"), str(md))
        .replace(str(shop / "t.db"), str(tmp_path / "t.db"))
    )

    def cli(*args: str) -> CliResult:
        return invoke_triage("--config", str(cfg), *args)

    assert cli("once").returncode == 0
    (conv,) = [r["id"] for r in json.loads(cli("queue", "--json", "--all").stdout)]
    assert cli("relabel", str(conv), "refund").returncode == 0
    reply = EmailMessage()
    reply["From"] = "Customer 20 <c20@example.com>"
    reply["To"] = "support@example.com"
    reply["Subject"] = "Re: Norway"
    reply["Date"] = format_datetime(datetime(2026, 11, 20, 11, tzinfo=UTC))
    reply["Message-ID"] = "<relabel-20b@example.com>"
    reply["In-Reply-To"] = reply["References"] = _message_id(first)
    reply.set_content("Also, please cancel my order 4420.")
    (md / "new" / "b.eml").write_bytes(bytes(reply))
    assert cli("once").returncode == 0
    assert json.loads(cli("show", str(conv), "--json").stdout)["intents"] == ["refund", "cancel"]
    undone = cli("relabel", str(conv), "--undo")
    assert undone.returncode == 0 and "back to cancel (was refund)" in undone.stdout
    assert json.loads(cli("show", str(conv), "--json").stdout)["intents"] == ["cancel"]


def test_show_says_the_draft_predates_the_correction(shop: Path) -> None:
    conv = _conversations(shop)["Order 4415"]
    assert _cli(shop, "relabel", str(conv), "cancel").returncode == 0
    assert "written before the requests were corrected" in _cli(shop, "show", str(conv)).stdout
