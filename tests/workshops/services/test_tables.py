"""Tables: the room split into breakout groups, each contribution labelled, then merged back."""

from __future__ import annotations

import pytest

from workshops import events, services
from workshops.models import Event, Participant, Table, Value
from workshops.selectors import workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db


def join(workshop, name: str) -> Participant:
    participant, _token = services.participant_join(workshop=workshop, name=name)
    return participant


@pytest.fixture
def room(workshop, host) -> list[Participant]:
    """Eight participants, the facilitator among them as a row of their own."""
    return [join(workshop, f"P{n}") for n in range(8)]


def seating(workshop) -> dict[int, set[int]]:
    """{table id: {participant ids}} of the round that is on."""
    return {
        table.pk: set(table.members.values_list("pk", flat=True))
        for table in Table.objects.filter(workshop=workshop, ended_at=None)
    }


def test_tables_of_a_size_seat_every_participant_once_and_evenly(workshop, host, room):
    event = services.tables_form(participant=host, size=3, ref="t1")
    assert event.kind == "tables.formed"
    events.check(event.kind, event.data)
    tables = event.data["tables"]
    assert [table["name"] for table in tables] == ["Table 1", "Table 2", "Table 3"]
    seated = [member for table in tables for member in table["members"]]
    assert sorted(seated) == sorted(p.pk for p in room)
    assert sorted(len(table["members"]) for table in tables) == [2, 3, 3]
    assert {person["id"]: person["name"] for person in event.data["people"]} == {
        p.pk: p.name for p in room
    }


def test_a_count_of_tables_gives_that_many_tables(workshop, host, room):
    event = services.tables_form(participant=host, count=2)
    assert [len(table["members"]) for table in event.data["tables"]] == [4, 4]


def test_facilitators_are_never_seated(workshop, host, room):
    services.tables_form(participant=host, count=2)
    seated = set().union(*seating(workshop).values())
    assert host.pk not in seated
    assert services.seat_of(host) is None


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"size": 3, "count": 2},
        {"size": 1},
        {"size": 13},
        {"count": 0},
        {"count": 501},
        {"size": "4"},
        {"count": True},
        {"size": 4, "apart": "yes"},
    ],
)
def test_a_bad_size_or_count_is_refused_and_forms_nothing(workshop, host, room, fields):
    with pytest.raises(Refused) as refused:
        services.tables_form(participant=host, **fields)
    assert refused.value.code == "invalid"
    assert not Table.objects.exists()
    assert not Event.objects.filter(kind="tables.formed").exists()


def test_only_a_facilitator_forms_tables(workshop, room):
    with pytest.raises(Refused) as refused:
        services.tables_form(participant=room[0], size=4)
    assert refused.value.code == "forbidden"


def test_tables_cannot_be_formed_twice_without_ending_them(workshop, host, room):
    services.tables_form(participant=host, size=4)
    with pytest.raises(Refused) as refused:
        services.tables_form(participant=host, size=4)
    assert refused.value.code == "invalid"


def test_a_late_joiner_is_seated_at_the_smallest_table(workshop, host, room):
    services.tables_form(participant=host, size=3)  # tables of 3, 3 and 2
    smallest = min(seating(workshop).items(), key=lambda item: len(item[1]))[0]
    late = join(workshop, "Late")
    assert services.seat_of(late) == smallest
    changed = Event.objects.filter(kind="table.changed").get()
    assert changed.data == {"participant": late.pk, "table": smallest, "name": "Late"}


def test_a_participant_who_resumes_keeps_their_table(workshop, host):
    ada, token = services.participant_join(workshop=workshop, name="Ada")
    join(workshop, "Bob")
    services.tables_form(participant=host, count=2)
    before = services.seat_of(ada)
    again, _token = services.participant_join(workshop=workshop, token=token)
    assert again == ada and services.seat_of(again) == before
    assert not Event.objects.filter(kind="table.changed").exists()


def test_while_tables_are_formed_contributions_carry_their_table(workshop, host, room):
    services.tables_form(participant=host, count=2)
    ada = room[0]
    event = services.value_add(participant=ada, text="equity")
    assert event.data["table"] == services.seat_of(ada)
    assert Value.objects.get().table_id == services.seat_of(ada)
    mine = services.value_add(participant=host, text="care")
    assert "table" not in mine.data  # the facilitator writes for the room


def test_after_the_tables_end_contributions_are_the_rooms_again(workshop, host, room):
    services.tables_form(participant=host, count=2)
    during = services.value_add(participant=room[0], text="equity")
    services.tables_end(participant=host)
    after = services.value_add(participant=room[0], text="care")
    assert "table" not in after.data
    # What a table made keeps its label in the plenary.
    _seq, state = workshop_state(workshop)
    labels = {value["text"]: value["table"] for value in state["values"]}
    assert labels == {"equity": during.data["table"], "care": None}
    assert all(table["ended"] for table in state["tables"])


def test_a_facilitator_moves_a_person_to_another_table(workshop, host, room):
    services.tables_form(participant=host, count=2)
    ada = room[0]
    other = next(t for t, members in seating(workshop).items() if ada.pk not in members)
    event = services.table_move(participant=host, person=ada.pk, table=other)
    assert event.data == {"participant": ada.pk, "table": other, "name": ada.name}
    assert services.seat_of(ada) == other
    assert sum(ada.pk in members for members in seating(workshop).values()) == 1


@pytest.mark.parametrize(
    ("person", "table", "code"),
    [
        ("ada", "nowhere", "not_found"),
        ("host", "other", "not_found"),
        ("ada", "own", "invalid"),
        ("text", "other", "invalid"),
    ],
)
def test_a_move_to_no_table_or_of_nobody_is_refused(workshop, host, room, person, table, code):
    services.tables_form(participant=host, count=2)
    ada = room[0]
    own = services.seat_of(ada)
    other = next(t for t in seating(workshop) if t != own)
    who = {"ada": ada.pk, "host": host.pk, "text": "Ada"}[person]
    where = {"nowhere": 10_000, "own": own, "other": other}[table]
    with pytest.raises(Refused) as refused:
        services.table_move(participant=host, person=who, table=where)
    assert refused.value.code == code
    assert services.seat_of(ada) == own


def test_a_table_added_mid_session_takes_people_moved_to_it(workshop, host, room):
    services.tables_form(participant=host, count=2)
    added = services.table_add(participant=host)
    assert added.data == {"id": added.data["id"], "name": "Table 3", "members": []}
    services.table_move(participant=host, person=room[0].pk, table=added.data["id"])
    assert services.seat_of(room[0]) == added.data["id"]
    late_joiner_table = services.seat_of(join(workshop, "Late"))
    assert late_joiner_table == added.data["id"]  # it was the smallest (1 against 3 or 4)


def test_a_table_is_renamed_and_a_blank_name_is_refused(workshop, host, room):
    formed = services.tables_form(participant=host, count=2)
    first = formed.data["tables"][0]["id"]
    event = services.table_rename(participant=host, table=first, name="  Les Optimistes ")
    assert event.data == {"table": first, "name": "Les Optimistes"}
    with pytest.raises(Refused) as refused:
        services.table_rename(participant=host, table=first, name="  ")
    assert refused.value.code == "empty"
    assert Table.objects.get(pk=first).name == "Les Optimistes"


def test_ending_needs_tables_and_adding_needs_a_round(workshop, host, room):
    for service in (services.tables_end, services.table_add):
        with pytest.raises(Refused) as refused:
            service(participant=host)
        assert refused.value.code == "invalid"


def test_keeping_apart_never_seats_past_tablemates_together_when_it_can(workshop, host):
    for n in range(4):
        join(workshop, f"P{n}")
    services.tables_form(participant=host, count=2)
    before = list(seating(workshop).values())
    services.tables_end(participant=host)
    for _draw in range(10):
        services.tables_form(participant=host, count=2, apart=True)
        for members in seating(workshop).values():
            assert not any(members == earlier for earlier in before), "tablemates again"
        # Only the first round is history for this check: forget the draw just made.
        services.tables_end(participant=host)
        Table.objects.filter(round__gt=1).delete()


def test_the_projector_shows_each_tables_top_items_when_asked(workshop, host, room):
    event = services.tables_top_show(participant=host, shown=True)
    assert event.data == {"shown": True}
    assert workshop_state(workshop)[1]["workshop"]["tables_top"] is True
    services.tables_top_show(participant=host, shown=False)
    assert workshop_state(workshop)[1]["workshop"]["tables_top"] is False
    with pytest.raises(Refused) as refused:
        services.tables_top_show(participant=host, shown="yes")
    assert refused.value.code == "invalid"
