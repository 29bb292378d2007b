"""A phase's facilitator notes, suggested minutes and tables flag, changed with
phase.update: checked, kept when omitted, and a bad value changes nothing."""

import pytest

from tests.edge import send
from workshops import events, services
from workshops.models import Phase
from workshops.services import Refused
from workshops.text import NOTES_MAX

pytestmark = pytest.mark.django_db


def phase(host, key="statements") -> Phase:
    return Phase.objects.get(workshop=host.workshop, key=key)


def test_a_facilitator_writes_the_notes_and_minutes_of_a_phase(host):
    event = services.phase_update(
        participant=host,
        phase="statements",
        notes="Read the example aloud.\nThen open.",
        minutes=12,
        tables=True,
    )
    events.check(event.kind, event.data)
    assert (event.data["notes"], event.data["minutes"], event.data["tables"]) == (
        "Read the example aloud.\nThen open.",
        12,
        True,
    )
    saved = phase(host)
    assert (saved.notes, saved.minutes, saved.tables) == (
        "Read the example aloud.\nThen open.",
        12,
        True,
    )


def test_what_phase_update_omits_is_kept(host):
    services.phase_update(participant=host, phase="statements", notes="Script", minutes=9)
    services.phase_update(participant=host, phase="statements", title="Questions")
    saved = phase(host)
    assert (saved.title, saved.notes, saved.minutes) == ("Questions", "Script", 9)


def test_zero_minutes_clears_the_suggested_duration(host):
    services.phase_update(participant=host, phase="statements", minutes=9)
    event = services.phase_update(participant=host, phase="statements", minutes=0)
    assert event.data["minutes"] is None
    assert phase(host).minutes is None


def test_empty_notes_clear_them(host):
    services.phase_update(participant=host, phase="statements", notes="Script")
    services.phase_update(participant=host, phase="statements", notes="  ")
    assert phase(host).notes == ""


def test_notes_may_hold_four_thousand_characters_and_no_more(host):
    services.phase_update(participant=host, phase="statements", notes="n" * NOTES_MAX)
    with pytest.raises(Refused) as refused:
        services.phase_update(
            participant=host, phase="statements", notes="x" * (NOTES_MAX + 1), title="Changed"
        )
    assert refused.value.code == "too_long"
    assert (phase(host).notes, phase(host).title) == ("n" * NOTES_MAX, "Statements")


@pytest.mark.parametrize("minutes", [-1, 601, "5", 2.5, True])
def test_it_refuses_a_suggested_duration_that_is_not_whole_minutes(host, minutes):
    services.phase_update(participant=host, phase="statements", minutes=15)
    with pytest.raises(Refused) as refused:
        send(host, "phase.update", phase="statements", minutes=minutes)
    assert refused.value.code == "invalid"
    assert phase(host).minutes == 15


@pytest.mark.parametrize("notes", [42, ["a"], {"text": "a"}])
def test_it_refuses_notes_that_are_not_text(host, notes):
    with pytest.raises(Refused) as refused:
        send(host, "phase.update", phase="statements", notes=notes)
    assert refused.value.code == "invalid"


def test_it_refuses_a_tables_flag_that_is_not_true_or_false(host):
    with pytest.raises(Refused) as refused:
        send(host, "phase.update", phase="statements", tables="yes")
    assert refused.value.code == "invalid"
    assert phase(host).tables is False


def test_participants_cannot_change_notes(ada):
    with pytest.raises(Refused) as refused:
        services.phase_update(participant=ada, phase="statements", notes="mine now")
    assert refused.value.code == "forbidden"


def test_duplicating_a_workshop_keeps_its_notes_minutes_tables_and_columns(facilitator):
    workshop = services.workshop_create(title="H", template="three-horizons")
    copy = services.workshop_duplicate(workshop=workshop, facilitator=facilitator)
    fields = ("key", "notes", "minutes", "tables", "columns")
    assert list(copy.phases.values_list(*fields)) == list(workshop.phases.values_list(*fields))
