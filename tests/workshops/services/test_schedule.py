"""A phase scheduled to open and close does so at its times, whether or not anyone is
connected, exactly once however many server processes look, and says it was the schedule."""

from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.conftest import needs
from tests.edge import send
from workshops import events, services
from workshops.models import Event, Phase, Statement, Value, Workshop
from workshops.selectors import workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db

SOON = "2030-01-31T18:00:00+01:00"
LATER = "2030-01-31T19:30:00+01:00"


def _phase(workshop: Workshop, key: str) -> Phase:
    return Phase.objects.get(workshop=workshop, key=key)


def _schedule(host, phase="statements", **times) -> Event:
    return send(host, "phase.update", phase=phase, **times)


def test_a_facilitator_schedules_a_phase_and_everyone_is_told_in_utc(host, workshop):
    event = _schedule(host, opens_at=SOON, closes_at=LATER)
    assert event.data["opens_at"] == "2030-01-31T17:00:00.000Z"
    assert event.data["closes_at"] == "2030-01-31T18:30:00.000Z"
    events.check(event.kind, event.data)
    phases = {p["key"]: p for p in workshop_state(workshop)[1]["phases"]}
    assert phases["statements"]["opens_at"] == "2030-01-31T17:00:00.000Z"


def test_null_clears_a_time_and_a_time_left_out_is_kept(host, workshop):
    _schedule(host, opens_at=SOON, closes_at=LATER)
    _schedule(host, opens_at=None)
    phase = _phase(workshop, "statements")
    assert phase.opens_at is None
    assert phase.closes_at == datetime.fromisoformat(LATER)
    _schedule(host, title="Statements, renamed")
    assert _phase(workshop, "statements").closes_at == datetime.fromisoformat(LATER)


@pytest.mark.parametrize(
    "times, message",
    [
        ({"opens_at": LATER, "closes_at": SOON}, "must close after it opens"),
        ({"opens_at": SOON, "closes_at": SOON}, "must close after it opens"),
        ({"opens_at": "2030-01-31T18:00:00"}, "with its offset"),
        ({"closes_at": "tomorrow"}, "closes_at must be a date and time"),
    ],
)
def test_a_schedule_that_cannot_run_is_refused_and_changes_nothing(host, workshop, times, message):
    before = workshop.events.count()
    with pytest.raises(Refused, match=message) as refused:
        _schedule(host, **times)
    assert refused.value.code == "invalid"
    phase = _phase(workshop, "statements")
    assert (phase.opens_at, phase.closes_at) == (None, None)
    assert workshop.events.count() == before


def test_a_closing_time_before_the_one_already_set_to_open_is_refused(host):
    _schedule(host, opens_at=LATER)
    with pytest.raises(Refused, match="must close after it opens"):
        _schedule(host, closes_at=SOON)


def test_a_phase_open_now_takes_no_opening_time(host):
    with pytest.raises(Refused, match="open already"):
        _schedule(host, phase="values", opens_at=SOON)


def test_participants_cannot_schedule(ada):
    with pytest.raises(Refused) as refused:
        services.phase_update(participant=ada, phase="statements", opens_at=SOON)
    assert refused.value.code == "forbidden"


def test_nothing_happens_before_its_time(host, workshop):
    _schedule(host, opens_at=SOON)
    assert services.schedule_advance(now=datetime.fromisoformat(SOON) - timedelta(seconds=1)) == []
    assert _phase(workshop, "statements").status == Phase.Status.PENDING


def test_at_its_time_it_opens_once_with_no_actor_and_says_it_was_the_schedule(host, workshop):
    _schedule(host, opens_at=SOON, closes_at=LATER)
    at_opening = datetime.fromisoformat(SOON)
    [opened] = services.schedule_advance(now=at_opening)
    assert (opened.kind, opened.data, opened.actor) == (
        "phase.opened",
        {"phase": "statements", "scheduled": True},
        None,
    )
    assert services.schedule_advance(now=at_opening) == []  # a second caller: nothing due
    phase = _phase(workshop, "statements")
    assert (phase.status, phase.opens_at) == (Phase.Status.OPEN, None)
    [closed] = services.schedule_advance(now=datetime.fromisoformat(LATER))
    assert closed.kind == "phase.closed"
    assert closed.data == {"phase": "statements", "scheduled": True}
    assert _phase(workshop, "statements").status == Phase.Status.CLOSED


def test_a_window_that_passed_while_nothing_ran_opens_and_closes_in_order(host, workshop):
    _schedule(host, opens_at=SOON, closes_at=LATER)
    kinds = [e.kind for e in services.schedule_advance(now=datetime.fromisoformat(LATER))]
    assert kinds == ["phase.opened", "phase.closed"]


def test_opening_by_hand_before_its_time_uses_up_the_scheduled_opening(host, workshop):
    _schedule(host, opens_at=SOON)
    services.phase_open(participant=host, phase="statements")
    services.phase_close(participant=host, phase="statements")
    assert services.schedule_advance(now=datetime.fromisoformat(SOON)) == []
    assert _phase(workshop, "statements").status == Phase.Status.CLOSED


def test_a_phase_scheduled_after_the_end_opens_and_what_comes_then_is_afterwards(host, ada):
    services.value_add(participant=ada, text="during")
    services.session_end(participant=host)
    services.phase_update(participant=host, phase="values", opens_at=SOON)
    services.schedule_advance(now=datetime.fromisoformat(SOON))
    services.value_add(participant=ada, text="after")
    assert dict(Value.objects.values_list("text", "afterwards")) == {
        "during": False,
        "after": True,
    }


def test_a_statement_made_in_a_live_session_is_not_afterwards(host, ada):
    services.phase_open(participant=host, phase="statements")
    services.statement_add(participant=ada, activity="teaching", value="care")
    assert Statement.objects.get().afterwards is False


def test_advance_schedule_runs_from_cron_and_says_what_it_did(host, workshop):
    past = (timezone.now() - timedelta(minutes=1)).isoformat()
    _schedule(host, opens_at=past)
    out = io.StringIO()
    call_command("advance_schedule", stdout=out)
    assert out.getvalue().splitlines() == [
        f"Opened {workshop.code}/statements.",
        "1 phase(s) opened or closed.",
    ]
    out = io.StringIO()
    call_command("advance_schedule", stdout=out)
    assert out.getvalue().splitlines() == ["0 phase(s) opened or closed."]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_advancing_at_once_open_it_once(host, workshop):
    needs("postgres")
    _schedule(host, opens_at=SOON)
    start = threading.Barrier(2)
    made: list[list[Event]] = []

    def advance() -> None:
        try:  # each thread has its own connection, as each server process does
            start.wait()
            made.append(services.schedule_advance(now=datetime.fromisoformat(SOON)))
        finally:
            connection.close()

    threads = [threading.Thread(target=advance) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(len(events_made) for events_made in made) == [0, 1]
    assert workshop.events.filter(kind="phase.opened", data__scheduled=True).count() == 1
