"""Relabelling a conversation's intents from its page (issue 17): the form goes through `triage relabel`'s code
path as the logged-in user, so the correction is audited and feeds `train --with-corrections`; undo restores.
Starlette's TestClient on a store seeded by the real pipeline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests import test_web
from tests.support.web import AGENT, MANAGER
from tests.test_web import _first_id, login
from triage.config import load_config
from triage.store import Store

# test_web's fixtures: a store seeded by the real pipeline once, copied per test, and a client over it.
seeded, config, client = test_web.seeded, test_web.config, test_web.client


def _store(config: Path) -> Store:
    cfg = load_config(config)
    return Store(cfg.resolve(cfg.store.path))


def _intents(config: Path, conv_id: int) -> tuple[str, ...]:
    found = _store(config).conversation(conv_id)
    assert found is not None
    return tuple(found.conversation.intents)


def _other_labels(now: tuple[str, ...]) -> list[str]:
    """Labels that differ from the conversation's current ones, so the change is visible."""
    return ["cancel", "refund"] if set(now) != {"cancel", "refund"} else ["address_fix"]


def _standing(page: str) -> list[str]:
    """The standing intents as the page's side panel lists them."""
    found = re.search(r'<ul class="standing">(.*?)</ul>', page, re.S)
    assert found, page
    return re.findall(r'<span class="tag">([^<]+)</span>', found.group(1))


def test_relabel_and_undo_refuse_a_missing_or_wrong_csrf_token(client: TestClient, config: Path) -> None:
    login(client)
    conv_id = _first_id(client)
    before = _intents(config, conv_id)
    for data in ({"intent": "refund"}, {"intent": "refund", "csrf_token": "wrong"}):
        assert client.post(f"/c/{conv_id}/relabel", data=data).status_code == 403
        assert client.post(f"/c/{conv_id}/relabel/undo", data=data).status_code == 403
    assert _intents(config, conv_id) == before
    assert _store(config).corrections() == []


@pytest.mark.parametrize("user", [AGENT, MANAGER])
def test_relabel_records_a_correction_by_the_user_and_undo_restores(
    client: TestClient, config: Path, user: str
) -> None:
    token = login(client, user)
    conv_id = _first_id(client)
    before = _intents(config, conv_id)
    page = client.get(f"/c/{conv_id}").text
    assert f'action="/c/{conv_id}/relabel"' in page and "Undo relabel" not in page
    wanted = _other_labels(before)

    r = client.post(f"/c/{conv_id}/relabel", data={"csrf_token": token, "intent": wanted})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/c/{conv_id}?relabelled=1")
    assert _intents(config, conv_id) == tuple(wanted)
    (correction,) = _store(config).corrections()
    assert (correction.conversation, correction.actor, correction.labels) == (conv_id, user, tuple(wanted))
    assert correction.previous == before

    page = client.get(r.headers["location"]).text
    assert _standing(page) == [w.replace("_", " ") for w in wanted]
    assert f"{user}: relabelled {','.join(wanted)} (was {','.join(before) or 'none'})" in page  # the history
    assert "Undo relabel" in page and 'role="status">Relabelled: ' in page
    for x in wanted:  # the form shows the labels now standing, ticked
        assert f'value="{x}" checked' in page

    r = client.post(f"/c/{conv_id}/relabel/undo", data={"csrf_token": token})
    assert r.status_code == 303
    assert _intents(config, conv_id) == before
    assert _store(config).corrections() == []
    page = client.get(r.headers["location"]).text
    assert f"{user}: relabel undone" in page and "Undo relabel" not in page
    actors = (
        _store(config)
        .db.conn.execute("SELECT actor, undone_by FROM corrections WHERE conversation = ?", [conv_id])
        .fetchall()
    )
    assert actors == [(user, user)]


def test_none_ticked_is_other_and_the_draft_before_relabel_is_explained(client: TestClient, config: Path) -> None:
    token = login(client)
    conv_id = _first_id(client)
    had_draft = _store(config).conversation(conv_id).draft is not None  # type: ignore[union-attr]
    assert client.post(f"/c/{conv_id}/relabel", data={"csrf_token": token}).status_code == 303
    assert _intents(config, conv_id) == ("other",)
    (correction,) = _store(config).corrections()
    assert correction.labels == ("other",)
    found = _store(config).conversation(conv_id)
    assert found is not None
    flagged = "draft_before_relabel" in found.conversation.flags
    assert flagged == had_draft  # the seeded drafts are triage's own, written for the old intents
    page = client.get(f"/c/{conv_id}").text
    assert ("this draft was written for the intents before they were corrected" in page) == flagged


def test_a_message_that_is_not_the_conversations_is_refused_and_nothing_recorded(
    client: TestClient, config: Path
) -> None:
    token = login(client)
    conv_id = _first_id(client)
    before = _intents(config, conv_id)
    for message, says in (("99999", "message 99999 is not a customer message"), ("x1", "no message")):
        r = client.post(f"/c/{conv_id}/relabel", data={"csrf_token": token, "intent": "refund", "message": message})
        assert r.status_code == 422 and "Not relabelled: " in r.text and says in r.text
    r = client.post(f"/c/{conv_id}/relabel", data={"csrf_token": token, "intent": "teleport"})
    assert r.status_code == 422 and "unknown intent" in r.text
    assert client.post(f"/c/{conv_id}/relabel/undo", data={"csrf_token": token}).status_code == 409
    assert _intents(config, conv_id) == before and _store(config).corrections() == []


def test_relabel_a_chosen_message(client: TestClient, config: Path) -> None:
    token = login(client)
    conv_id = _first_id(client)
    page = client.get(f"/c/{conv_id}").text
    options = re.findall(r'<select id="relabel-message" name="message">(.*?)</select>', page, re.S)
    ids = re.findall(r'<option value="(\d+)">', options[0])
    assert ids, "each message of the thread is offered"
    r = client.post(f"/c/{conv_id}/relabel", data={"csrf_token": token, "intent": "duplicate", "message": ids[0]})
    assert r.status_code == 303
    (correction,) = _store(config).corrections()
    assert correction.message == int(ids[0]) and correction.labels == ("duplicate",)
