"""Every kind of event a workshop's log holds: a real command logs it, its payload fits
its schema, and a payload that does not fit is refused (after Zulip's test_events.py).

One session below makes every kind happen, through the services the sockets, pages and
management commands call; a kind nothing makes fails its own test here.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User

from credentials import services as credential_services
from principles import services as principle_services
from workshops import events, services, shapes
from workshops.models import Event, Participant, Workshop


def _id(event: Event) -> int:
    found: int = event.data["id"]
    return found


def a_whole_session(workshop: Workshop, host: Participant, ada: Participant, bob: Participant):
    """Every command of a workshop, once or so: contributions, moderation, votes, ideas,
    the design, principles and consent, credentials, the audit trail, the ending."""
    facilitator = host.user
    assert facilitator is not None
    # Values, and their moderation.
    services.value_add(participant=ada, text="openness")
    care = _id(services.value_add(participant=bob, text="care"))
    caring = _id(services.value_add(participant=ada, text="caring"))
    services.value_merge(participant=host, id=caring, into=care)
    kindness = _id(services.value_add(participant=bob, text="kindness"))
    services.values_merge(participant=host, ids=[kindness], into=care)
    spam = _id(services.value_add(participant=bob, text="spam"))
    services.value_hide(participant=host, id=spam)
    services.value_restore(participant=host, id=spam)
    services.values_hide(participant=host, ids=[spam])
    regret = _id(services.value_add(participant=ada, text="regret"))
    services.value_remove(participant=ada, id=regret)
    services.moderation_set(participant=host, premoderated=True)
    services.value_add(participant=ada, text="waiting")
    # Statements.
    services.phase_open(participant=host, phase="statements")
    pending = _id(services.statement_add(participant=bob, activity="teaching", value="care"))
    services.moderation_set(participant=host, premoderated=False)
    services.statement_approve(participant=host, id=pending)
    source = _id(services.statement_add(participant=bob, activity="assessment", value="openness"))
    other = _id(services.statement_add(participant=ada, activity="learning", value="care"))
    services.statement_hide(participant=host, id=other)
    services.statement_restore(participant=host, id=other)
    services.statements_hide(participant=host, ids=[other])
    twin = _id(services.statement_add(participant=ada, activity="grading", value="care"))
    services.statement_merge(participant=host, id=twin, into=pending)
    services.statement_add(participant=bob, activity="lurking", value="care")
    services.activity_remove(participant=host, activity="lurking")
    taken_back = _id(services.statement_add(participant=ada, activity="hiring", value="care"))
    services.statement_remove(participant=ada, id=taken_back)
    # Votes and results.
    services.vote_cast(participant=ada, target={"kind": "statement", "id": source})
    services.results_hide(participant=host, phase="statements")
    services.results_reveal(participant=host, phase="statements")
    services.timer_start(participant=host, phase="statements", seconds=60)
    services.timer_stop(participant=host, phase="statements")
    services.contribution_limit_set(participant=host, limit=50)
    # The design.
    services.workshop_update(participant=host, title="Open Futures, again")
    columns: list[events.Column] = [{"key": "h1", "title": "Horizon 1"}]
    ideas = services.phase_add(participant=host, kind="ideas", title="Horizons", columns=columns)
    phase = ideas.data["phase"]
    services.phase_update(participant=host, phase=phase, prompt="Where are we going?")
    services.phase_open(participant=host, phase=phase)
    extra = services.phase_add(participant=host, kind="values", title="More values")
    services.phase_move(participant=host, phase=extra.data["phase"], position=0)
    services.phase_remove(participant=host, phase=extra.data["phase"])
    services.phase_close(participant=host, phase="values")
    # Ideas.
    card = _id(
        services.idea_add(participant=ada, phase=phase, text="Schools as commons", column="h1")
    )
    columns.append({"key": "h2", "title": "Horizon 2"})
    services.phase_update(participant=host, phase=phase, columns=columns)
    services.idea_move(participant=host, id=card, column="h2")
    services.idea_hide(participant=host, id=card)
    services.idea_restore(participant=host, id=card)
    services.moderation_set(participant=host, premoderated=True)
    services.idea_add(participant=bob, phase=phase, text="Awaiting", column="h1")
    services.moderation_set(participant=host, premoderated=False)
    oops = _id(services.idea_add(participant=ada, phase=phase, text="Oops", column="h1"))
    services.idea_remove(participant=ada, id=oops)
    # Breakout tables: formed, one added, a late joiner seated, a move, a rename, ended.
    formed = services.tables_form(participant=host, count=1)
    added = _id(services.table_add(participant=host))
    services.participant_join(workshop=workshop, name="Late")  # table.changed
    services.table_move(participant=host, person=ada.pk, table=added)
    services.table_rename(participant=host, table=added, name="Optimists")
    services.tables_top_show(participant=host, shown=True)
    services.message_send(participant=host, text="Five minutes left: pick your top two")
    services.message_clear(participant=host)
    services.tables_end(participant=host)
    assert formed.data["tables"]
    # Materials.
    slides = services.material_add(participant=host, title="Slides", url="https://example.org/s")
    services.material_remove(participant=host, id=_id(slides))
    # Principles and consent.
    services.phase_open(participant=host, phase="principles")
    principle = _id(
        principle_services.principle_propose(
            participant=host, title="Open by default", sources=[source]
        )
    )
    principle_services.principle_edit(participant=host, id=principle, body="Share first.")
    principle_services.consent_open(participant=host, id=principle)
    principle_services.consent_place(participant=ada, id=principle, level="full")
    principle_services.consent_reasons_show(participant=host, id=principle, shown=True)
    principle_services.consent_close(participant=host, id=principle)
    principle_services.principle_finalize(participant=host, id=principle)
    # Credentials: Bob wrote a statement the final principle grew from.
    credential_services.credentials_update(participant=host, enabled=True)
    credential_services.credential_claim(participant=bob, name="Bob")
    # The audit trail.
    cora = User.objects.create_user("cora", password="cora-pass-123")
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username="cora", role="organiser"
    )
    services.workshop_member_remove(workshop=workshop, by=facilitator, user_id=cora.pk)
    services.screen_share(workshop=workshop, by=facilitator)
    services.screen_unshare(workshop=workshop, by=facilitator)
    services.report_share(workshop=workshop, by=facilitator)
    services.report_unshare(workshop=workshop, by=facilitator)
    services.workshop_schedule_deletion(
        workshop=workshop, by=facilitator, delete_after=date(2027, 1, 31)
    )
    # The ending.
    services.session_end(participant=host, share_report=True)
    services.session_reopen(participant=host)


# The session's payloads, kept for the module: it runs once, in the first test's
# transaction, and every test here reads only the payloads.
_LOGGED: dict[str, dict[str, Any]] = {}


@pytest.fixture
def logged(db) -> dict[str, dict[str, Any]]:
    """The payload of one event of each kind the whole session logged (not a cut one)."""
    if not _LOGGED:
        alice = User.objects.create_user("alice-events", password="alice-pass-123")
        workshop = services.workshop_create(title="Every event", facilitator=alice)
        host, _ = services.participant_join(workshop=workshop, user=alice)
        ada, _ = services.participant_join(workshop=workshop, name="Ada")
        bob, _ = services.participant_join(workshop=workshop, name="Bob")
        a_whole_session(workshop, host, ada, bob)
        for event in Event.objects.filter(workshop=workshop).order_by("seq"):
            if not events.is_redacted(event.data):
                _LOGGED.setdefault(event.kind, event.data)
    return _LOGGED


@pytest.mark.parametrize("kind", sorted(events.SCHEMAS))
def test_a_real_command_logs_it_and_its_payload_fits_its_schema(kind, logged):
    assert kind in logged, f"nothing in the session logs {kind}: add the command that does"
    events.check(kind, logged[kind])


@pytest.mark.parametrize("kind", sorted(events.SCHEMAS))
def test_a_payload_missing_a_field_or_with_one_of_another_type_is_refused(kind, logged):
    payload = logged[kind]
    for name, value in payload.items():
        wrong = {**payload, name: object()}
        with pytest.raises(ValueError, match=name):
            events.check(kind, wrong)
        if isinstance(value, list):  # the type of a list's items is checked too
            with pytest.raises(ValueError, match=name):
                events.check(kind, {**payload, name: [*value, object()]})
        if isinstance(value, dict) and value:
            inner = copy.deepcopy(value)
            inner[next(iter(inner))] = object()
            with pytest.raises(ValueError, match=name):
                events.check(kind, {**payload, name: inner})
    required = [name for name in payload if name not in _may_be_left_out(kind)]
    for name in required:
        without = {key: value for key, value in payload.items() if key != name}
        with pytest.raises(ValueError, match=name):
            events.check(kind, without)


def _may_be_left_out(kind: str) -> set[str]:
    """The fields older logs lack (`NotRequired`): an event without them still fits."""
    return {
        name for name, (_, required) in shapes.keys(events.SCHEMAS[kind]).items() if not required
    }


def test_an_event_left_without_a_field_it_may_lack_still_fits():
    events.check("statement.hidden", {"id": 3})
    events.check(
        "phase.added", {"phase": "p", "kind": "values", "title": "t", "prompt": "", "position": 0}
    )
