"""Every event kind has one schema; the shape they are sent in is the contract's."""

from datetime import UTC, datetime

import pytest

from workshops import events


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("value.added", {"id": 1, "text": "equity", "key": "equity", "by": {"id": 7, "name": ""}}),
        ("value.hidden", {"id": 1}),
        ("value.merged", {"id": 1, "into": 2, "key": "care", "ids": [1]}),
        (
            "statement.added",
            {
                "id": 1,
                "text": "What might a look like as a practice of b?",
                "activity": "a",
                "value": "b",
                "value_id": None,
                "key": "a|b",
                "by": {"id": 7, "name": "Ada"},
            },
        ),
        ("statement.hidden", {"id": 1}),
        ("values.hidden", {"ids": [1, 2]}),
        ("values.merged", {"into": 3, "key": "care", "ids": [1, 2]}),
        ("statements.hidden", {"ids": [1, 2]}),
        (
            "activity.removed",
            {"ids": [1], "refunded": True, "activity": "Lurking", "key": "lurking"},
        ),
        ("statement.merged", {"ids": [1], "into": 2, "key": "a|b", "total": None}),
        (
            "idea.added",
            {
                "id": 4,
                "phase": "ideas",
                "text": "Schools as commons",
                "column": "h3",
                "parent": None,
                "table": None,
                "by": {"id": 7, "name": "Ada"},
            },
        ),
        ("idea.removed", {"id": 4, "orphans": [5]}),
        (
            "tables.formed",
            {
                "tables": [{"id": 1, "name": "Table 1", "members": [7]}],
                "people": [{"id": 7, "name": "Ada"}],
            },
        ),
        ("table.changed", {"participant": 7, "table": 2, "name": "Ada"}),
        ("table.added", {"id": 3, "name": "Table 3", "members": []}),
        ("table.renamed", {"table": 3, "name": "Optimists"}),
        ("tables.ended", {"tables": [1, 2, 3]}),
        ("tables.top_shown", {"shown": True}),
        ("message.sent", {"text": "Five minutes left", "at": "2026-12-01T19:30:00.000Z"}),
        ("idea.hidden", {"id": 4, "refunded": True}),
        ("idea.moved", {"id": 4, "column": None}),
        ("phase.opened", {"phase": "statements"}),
        ("phase.closed", {"phase": "values"}),
        ("session.ended", {"closed": ["values"], "report": None}),
        ("member.added", {"username": "cora", "role": "facilitator"}),
        ("member.removed", {"username": "olga", "role": "organiser"}),
        ("screen.shared", {"replaced": False}),
        ("report.shared", {"replaced": True}),
        ("retention.changed", {"delete_after": "2027-01-31"}),
        (
            "vote.changed",
            {
                "target": {"kind": "statement", "id": 3},
                "total": 2,
                "voter": 7,
                "voter_votes": 1,
                "phase": "statements",
            },
        ),
    ],
)
def test_each_kind_accepts_its_fields(kind, data):
    events.check(kind, data)
    data_without_first = dict(list(data.items())[1:])
    with pytest.raises(ValueError):
        events.check(kind, data_without_first)


def test_it_rejects_unknown_kinds_and_wrong_types():
    with pytest.raises(ValueError):
        events.check("value.exploded", {})
    with pytest.raises(ValueError):
        events.check("value.hidden", {"id": "1"})
    with pytest.raises(ValueError):
        events.check("value.hidden", {"id": True})


def test_times_are_utc_with_milliseconds():
    moment = datetime(2026, 11, 28, 17, 20, 3, 120456, tzinfo=UTC)
    assert events.timestamp(moment) == "2026-11-28T17:20:03.120Z"


@pytest.mark.parametrize(
    "kind", ["value.added", "value.restored", "statement.added", "statement.submitted"]
)
def test_an_event_cut_to_its_id_is_still_a_valid_event(kind):
    events.check(kind, events.redacted(5))
    with pytest.raises(ValueError):
        events.check(kind, {"id": "5", "redacted": True})


def test_only_events_that_carry_text_may_be_cut():
    with pytest.raises(ValueError):
        events.check("phase.opened", events.redacted(5))


def test_a_secret_vote_names_its_voter_to_that_voter_alone():
    vote = {
        "seq": 9,
        "event": "vote.changed",
        "at": "2026-11-28T17:20:03.120Z",
        "data": {
            "target": {"kind": "statement", "id": 3},
            "total": None,
            "voter": 7,
            "voter_votes": 1,
            "phase": "statements",
        },
    }
    assert "voter" not in events.for_everyone(vote)["data"]
    assert events.for_reader(vote, 7) is vote
    assert "voter" not in events.for_reader(vote, 8)["data"]
    counted = {**vote, "data": {**vote["data"], "total": 1}}
    assert events.for_everyone(counted) is counted  # results shown: nothing to keep back


@pytest.mark.parametrize("kind", events.AUDIT_KINDS)
def test_the_room_reads_nothing_of_the_audit_trail_but_its_seq(kind):
    logged = {
        "seq": 4,
        "event": kind,
        "at": "2026-11-28T17:20:03.120Z",
        "data": {"username": "cora", "role": "organiser", "replaced": True},
        "actor": {"id": 1, "name": "alice"},
    }
    assert events.for_everyone(logged) == {
        "seq": 4,
        "event": kind,
        "at": "2026-11-28T17:20:03.120Z",
        "data": {},
    }


def test_the_room_reads_a_phase_update_without_the_facilitators_notes():
    data = {
        "phase": "wheel",
        "title": "The wheel",
        "prompt": "",
        "vote_budget": 0,
        "columns": [],
        "minutes": 25,
        "tables": True,
        "notes": "Write the change yourself.",
    }
    events.check("phase.updated", data)
    logged = {"seq": 9, "event": "phase.updated", "at": "2026-11-28T17:20:03.120Z", "data": data}
    public = events.for_everyone(logged)
    assert public["data"] == {name: v for name, v in data.items() if name != "notes"}
    assert logged["data"]["notes"] == "Write the change yourself."  # the log keeps them
