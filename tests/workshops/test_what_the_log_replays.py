"""What each reader may fetch again from the log: hidden items stay hidden from the room,
what an author took back is gone for everyone, secret votes name only their own voter.

Everything here is read through `selectors` (catch-up, full state, `events.json`) and the
exports, so it holds however the reader reached the log.
"""

from __future__ import annotations

import importlib
import json

import pytest
from django.test import Client

from workshops import events, services
from workshops.models import Event, Value
from workshops.records import exports
from workshops.selectors import audit_log, events_between, workshop_state

pytestmark = pytest.mark.django_db


def texts_in(wired: list[dict]) -> str:
    """Everything the events say, as one text to search for a word."""
    return json.dumps([event["data"] for event in wired], ensure_ascii=False)


def test_a_hidden_value_is_not_replayed_to_a_participant(ada, bob, host):
    value_id = services.value_add(participant=ada, text="an insult").data["id"]
    services.value_hide(participant=host, id=value_id)
    catch_up = events_between(ada.workshop_id, 0, private=False)
    assert "insult" not in texts_in(catch_up)
    added = next(event for event in catch_up if event["event"] == "value.added")
    assert added["data"] == {"id": value_id, "redacted": True}
    assert [event["seq"] for event in catch_up] == list(range(1, len(catch_up) + 1))


def test_a_hidden_statement_is_not_replayed_to_a_participant(ada, bob, host):
    services.phase_open(participant=host, phase="statements")
    added = services.statement_add(participant=ada, activity="slurs", value="equity")
    services.statement_hide(participant=host, id=added.data["id"])
    catch_up = events_between(ada.workshop_id, 0, private=False)
    assert "slurs" not in texts_in(catch_up)


def test_facilitators_keep_seeing_a_hidden_value_marked_hidden(ada, host):
    value_id = services.value_add(participant=ada, text="an insult").data["id"]
    services.value_hide(participant=host, id=value_id)
    catch_up = events_between(ada.workshop_id, 0, private=True)
    assert [e["event"] for e in catch_up if e["data"].get("id") == value_id] == [
        "value.added",
        "value.hidden",
    ]
    assert catch_up[-2]["data"]["text"] == "an insult"


def test_a_restored_value_is_replayed_again(ada, bob, host):
    value_id = services.value_add(participant=ada, text="fine after all").data["id"]
    services.value_hide(participant=host, id=value_id)
    services.value_restore(participant=host, id=value_id)
    catch_up = events_between(ada.workshop_id, 0, private=False)
    assert texts_in(catch_up).count('"text": "fine after all"') == 2  # added, restored


def test_a_value_merged_into_a_hidden_one_does_not_give_away_its_key(ada, bob, host):
    kept = services.value_add(participant=ada, text="care").data["id"]
    hidden = services.value_add(participant=bob, text="an insult").data["id"]
    services.value_merge(participant=host, id=kept, into=hidden)
    services.value_hide(participant=host, id=hidden)
    catch_up = events_between(ada.workshop_id, 0, private=False)
    assert "insult" not in texts_in(catch_up)
    _seq, state = workshop_state(ada.workshop)
    assert [(v["id"], v["key"]) for v in state["values"]] == [(kept, "care")]


def test_a_removed_value_is_gone_from_every_replay(client: Client, ada, host, facilitator):
    value_id = services.value_add(participant=ada, text="my phone number").data["id"]
    services.value_hide(participant=host, id=value_id)
    services.value_restore(participant=host, id=value_id)
    services.value_remove(participant=ada, id=value_id)
    for private in (True, False):
        assert "phone" not in texts_in(events_between(ada.workshop_id, 0, private=private))
    assert "phone" not in texts_in(audit_log(ada.workshop_id))
    client.force_login(facilitator)
    response = client.get(f"/facilitate/{ada.workshop.code}/events.json")
    assert response.status_code == 200
    assert "phone" not in response.content.decode()
    for stored in Event.objects.filter(workshop_id=ada.workshop_id):
        events.check(stored.kind, stored.data)  # the redacted shape is a valid event
    seqs = list(Event.objects.filter(workshop_id=ada.workshop_id).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_removed_statement_is_gone_from_every_replay_and_export(ada, host):
    services.phase_open(participant=host, phase="statements")
    added = services.statement_add(participant=ada, activity="my address", value="equity")
    services.statement_remove(participant=ada, id=added.data["id"])
    assert "address" not in texts_in(events_between(ada.workshop_id, 0, private=True))
    assert "address" not in texts_in(audit_log(ada.workshop_id))
    data = exports.export_data(ada.workshop)
    assert "address" not in exports.export_json(data)
    assert "address" not in exports.export_markdown(data)


def test_a_removed_pending_value_is_gone_for_facilitators_too(ada, host):
    services.moderation_set(participant=host, premoderated=True)
    value_id = services.value_add(participant=ada, text="second thoughts").data["id"]
    services.value_remove(participant=ada, id=value_id)
    assert "second thoughts" not in texts_in(events_between(ada.workshop_id, 0, private=True))


def test_merges_into_a_removed_value_forget_its_key(ada, bob, host):
    follower = services.value_add(participant=ada, text="care").data["id"]
    removed = services.value_add(participant=bob, text="my secret").data["id"]
    services.value_merge(participant=host, id=follower, into=removed)
    services.value_remove(participant=bob, id=removed)
    assert "secret" not in texts_in(events_between(ada.workshop_id, 0, private=True))


@pytest.fixture
def secret_ballot(ada, bob, host):
    """A statement both Ada and Bob voted on while the results were hidden."""
    services.phase_open(participant=host, phase="statements")
    statement = services.statement_add(participant=ada, activity="assessment", value="equity")
    services.results_hide(participant=host, phase="statements")
    target = {"kind": "statement", "id": statement.data["id"]}
    services.vote_cast(participant=ada, target=target)
    services.vote_cast(participant=bob, target=target)
    services.vote_cast(participant=bob, target=target)
    return target


def test_while_results_are_hidden_a_participant_learns_only_their_own_votes(
    ada, bob, secret_ballot
):
    catch_up = events_between(ada.workshop_id, 0, private=False, reader=ada.pk)
    votes = [event["data"] for event in catch_up if event["event"] == "vote.changed"]
    assert [vote.get("voter") for vote in votes] == [ada.pk, None, None]
    assert votes[0]["voter_votes"] == 1
    assert all("voter_votes" not in vote for vote in votes[1:])
    assert all(vote["total"] is None for vote in votes)


def test_facilitators_see_who_voted_while_results_are_hidden(ada, bob, secret_ballot):
    catch_up = events_between(ada.workshop_id, 0, private=True)
    voters = [e["data"]["voter"] for e in catch_up if e["event"] == "vote.changed"]
    assert voters == [ada.pk, bob.pk, bob.pk]


def test_the_full_state_gives_no_hidden_total(ada, secret_ballot):
    _seq, state = workshop_state(ada.workshop)
    assert [statement["votes"] for statement in state["statements"]] == [None]


def test_text_taken_back_before_this_version_is_cut_from_stored_logs(ada, bob, host):
    """Logs stored before removal cut them still hold the text: the migration cuts it."""
    from django.apps import apps

    redact = importlib.import_module("workshops.migrations.0008_audience_redact_removed")
    gone = services.value_add(participant=ada, text="my old phone number").data["id"]
    kept = services.value_add(participant=bob, text="care").data["id"]
    services.value_merge(participant=host, id=kept, into=gone)
    Value.objects.filter(pk=gone).delete()  # as value.remove did, leaving the log as it was
    redact.redact_removed(apps, None)
    log = events_between(ada.workshop_id, 0, private=True)
    assert "phone" not in texts_in(log)
    assert "care" in texts_in(log)
    assert [event["seq"] for event in log] == list(range(1, len(log) + 1))


def _ideas_phase(host) -> str:
    key = services.phase_add(participant=host, kind="ideas", title="Questions").data["phase"]
    services.phase_open(participant=host, phase=key)
    return key


def test_an_idea_taken_back_is_gone_from_the_log_for_everyone(ada, bob, host):
    key = _ideas_phase(host)
    card = services.idea_add(participant=ada, phase=key, text="a regretted idea").data["id"]
    services.idea_remove(participant=ada, id=card)
    for private in (False, True):
        assert "regretted" not in texts_in(events_between(ada.workshop_id, 0, private=private))
    assert "regretted" not in texts_in(audit_log(ada.workshop_id))


def test_a_hidden_idea_is_replayed_to_facilitators_only(ada, bob, host):
    key = _ideas_phase(host)
    card = services.idea_add(participant=ada, phase=key, text="an insulting card").data["id"]
    services.idea_hide(participant=host, id=card)
    catch_up = events_between(ada.workshop_id, 0, private=False)
    assert "insulting" not in texts_in(catch_up)
    assert {"id": card, "redacted": True} in [event["data"] for event in catch_up]
    assert "insulting" in texts_in(events_between(ada.workshop_id, 0, private=True))


def test_an_idea_awaiting_approval_reaches_the_room_as_its_id_only(ada, bob, host):
    key = _ideas_phase(host)
    services.moderation_set(participant=host, premoderated=True)
    card = services.idea_add(participant=ada, phase=key, text="not yet").data["id"]
    submitted = events_between(ada.workshop_id, 0, private=False)[-1]
    assert submitted["event"] == "idea.submitted"
    assert submitted["data"] == {"id": card}
