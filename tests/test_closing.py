"""A thanks that closes a thread: read in EN/DE/ES/FR, and end to end (closed and audited, no new draft,
an agent's draft untouched, reopened by the next customer mail)."""

from __future__ import annotations

import sqlite3
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.cli import TriageCli
from tests.test_conversations import T0, Inbox, by_customer, mail, run_once, show
from triage.understand.closing import closes_thread


@pytest.mark.parametrize(
    "text",
    [
        "Hi,\n\nthe package turned up this afternoon. Thanks a lot!\n\nRob",
        "Parcel is here now, much appreciated.",
        "Paket ist heute eingetroffen, vielen Dank!\n\nGruß\nUte",
        "Alles klar, danke schön.",
        "Ya lo he recibido, mil gracias.\n\nSaludos,\nPilar",
        "Perfecto, todo correcto. ¡Gracias!",
        "Le colis est bien arrivé, merci beaucoup !\n\nCordialement,\nLouis",
        "Tout est bon, merci pour votre aide.",
    ],
)
def test_a_short_thanks_or_confirmation_closes(text: str) -> None:
    assert closes_thread(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, though the lid is still missing from the box.",
        "Thank you! Can you tell me when the second parcel ships?",
        "Thanks. Please send the invoice to my work address as well.",
        "Danke, das Paket ist da, aber eine Tasse ist kaputt.",
        "Vielen Dank. Wann kommt der Rest der Bestellung",
        "Gracias, pero todavía no ha llegado nada.",
        "Muchas gracias. Quisiera devolver el mantel.",
        "Merci, mais le colis n'est toujours pas arrivé.",
        "Merci ! Pourriez-vous m'envoyer la facture",
        "I ordered a blue throw last week and would like to know more about the wool.",
        # a bare thanks may be for an answer still owed: only a word that the matter is settled closes
        "Thank you so much!\n\nKind regards,\nEva Long",
        "Vielen Dank für Ihre schnelle Hilfe!",
        # a request in words no lexicon knows, with a thanks
        "Kindly scrap order 5120, thanks.",
        "Danke, Bestellung 5120 stornieren geht auch per Telefon?",
        "Merci d'avance pour le geste commercial.",
        # something that came twice is a duplicate to sort out, even with a settled word beside it
        "Got two payment confirmations for one coat, thanks.",
        "Hab die Bestätigung doppelt erhalten, danke",
        "Me llegaron dos correos de confirmación de compra, gracias.",
        "J'ai reçu la confirmation deux fois, merci.",
    ],
)
def test_a_thanks_with_a_question_request_or_problem_does_not_close(text: str) -> None:
    assert not closes_thread(text)


PIA = "pia.lund@example.com"


def _maildir(tmp_path: Path) -> Inbox:
    return Inbox("maildir", tmp_path, None, None)


def test_a_thanks_closes_the_conversation_and_the_next_mail_reopens_it(tmp_path: Path, triage_cli: TriageCli) -> None:
    inbox = _maildir(tmp_path)
    inbox.deliver([(mail("p1", PIA, "Where is order #1047?", "Hi, where is my order #1047? Pia"), T0)])
    first = by_customer(run_once(inbox, triage_cli))[PIA]
    assert first["state"] == "open" and show(inbox, triage_cli, first["id"])["draft"] is not None

    thanks = mail("p2", PIA, "Re: Where is order #1047?", "It came this morning - all good, thanks!\n\nPia", "p1")
    inbox.deliver([(thanks, T0 + timedelta(hours=5))])
    closed = by_customer(run_once(inbox, triage_cli))[PIA]
    assert closed["state"] == "done" and closed["urgency"] == 0
    assert "closed_with_thanks" in closed["flags"]
    assert any("closed it with thanks" in r for r in closed["reasons"])
    detail = show(inbox, triage_cli, closed["id"])
    assert detail["draft"] is None  # triage's own draft answered what the customer has now closed
    assert any(e["action"] == "done" and e["actor"] == "triage" for e in detail["events"])
    queue = triage_cli("--config", str(inbox.cfg), "queue", "--json").stdout
    assert PIA not in queue

    again = mail("p3", PIA, "Re: Where is order #1047?", "One of the mugs is chipped, can I get a refund?", "p2")
    inbox.deliver([(again, T0 + timedelta(hours=30))])
    reopened = by_customer(run_once(inbox, triage_cli))[PIA]
    assert reopened["state"] == "open" and "reopened" in reopened["flags"]
    assert "refund" in reopened["intents"] and show(inbox, triage_cli, reopened["id"])["draft"] is not None


def test_an_agents_draft_is_never_touched_by_a_thanks(tmp_path: Path, triage_cli: TriageCli) -> None:
    inbox = _maildir(tmp_path)
    inbox.deliver([(mail("q1", PIA, "Gift wrap", "Do you gift wrap order #1047?"), T0)])
    conv = by_customer(run_once(inbox, triage_cli))[PIA]
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "\\nYes, we wrap it for free. -- Kim\\n" >> "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    env = {"EDITOR": str(editor), "VISUAL": str(editor)}
    assert triage_cli("--config", str(inbox.cfg), "draft", str(conv["id"]), "--edit", env=env).returncode == 0

    inbox.deliver([(mail("q2", PIA, "Re: Gift wrap", "Vielen Dank, alles klar!", "q1"), T0 + timedelta(hours=2))])
    after = by_customer(run_once(inbox, triage_cli))[PIA]
    draft = show(inbox, triage_cli, after["id"])["draft"]
    assert draft["owner"] == "agent" and "Yes, we wrap it for free. -- Kim" in draft["body"]
    assert after["state"] == "open" and after["urgency"] == 0  # the agent decides, at the bottom of the queue
    assert "customer_wrote_after_draft" in after["flags"]


def test_a_thanks_after_a_withdrawn_request_still_gets_its_confirmation(tmp_path: Path, triage_cli: TriageCli) -> None:
    inbox = _maildir(tmp_path)
    inbox.deliver(
        [
            (mail("r1", PIA, "Annulation #1047", "Bonjour, pouvez-vous annuler la commande #1047 ?"), T0),
            (
                mail("r2", PIA, "Re: Annulation #1047", "Finalement je la garde, n'annulez pas.", "r1"),
                T0 + timedelta(hours=1),
            ),
            (mail("r3", PIA, "Re: Annulation #1047", "Merci beaucoup !", "r2"), T0 + timedelta(hours=2)),
        ]
    )
    conv = by_customer(run_once(inbox, triage_cli))[PIA]
    assert conv["state"] == "open" and conv["withdrawn"]
    assert show(inbox, triage_cli, conv["id"])["draft"] is not None
    con = sqlite3.connect(tmp_path / "triage.db")
    assert con.execute("SELECT count(*) FROM events WHERE action = 'done'").fetchone() == (0,)


def test_no_hand_written_request_reads_as_a_closing_thanks() -> None:
    """The repo's 3,000 hand-written mails: none labelled with a request closes; some thank-yous do."""
    import json

    from tests.support import ROOT

    closing_labels: list[list[str]] = []
    for path in sorted((ROOT / "models" / "data" / "mail").glob("w*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if closes_thread(row.get("body") or ""):
                closing_labels.append(row["labels"])
    assert closing_labels, "the thank-yous among them close"
    assert all(labels == ["other"] for labels in closing_labels)
