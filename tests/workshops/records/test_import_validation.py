"""An imported file is held to the rules of the live app, field by field: what a
facilitator or participant could not have typed is refused with one clear line, and
nothing is stored; what the live app would have cleaned is cleaned."""

from __future__ import annotations

import json
from typing import Any

import pytest

from workshops.models import Participant, Statement, Value
from workshops.records.exports import export_data
from workshops.records.imports import IMPORT_MAX_DEPTH, workshop_import

from .import_helpers import import_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(rich) -> dict[str, Any]:
    return json.loads(json.dumps(export_data(rich.workshop)))


def test_it_refuses_a_vote_budget_no_facilitator_could_set(data):
    data["workshop"]["phases"][1]["vote_budget"] = 1_000_000
    assert "vote budget" in import_refused(data)


def test_it_refuses_a_statement_wording_without_its_two_slots(data):
    data["workshop"]["statement_template"] = "What might this look like?"
    assert "(ACTIVITY) and (VALUE)" in import_refused(data)


def test_it_refuses_a_five_megabyte_description(data):
    data["workshop"]["description"] = "x" * 5_000_000
    message = import_refused(data)
    assert "description" in message and "2000" in message
    assert len(message) < 300


def test_it_refuses_a_fifteen_megabyte_list_of_activity_suggestions(data):
    data["workshop"]["activity_suggestions"] = [f"{n} " + "x" * 10_000 for n in range(1_000)]
    assert "Activity suggestions" in import_refused(data)


def test_it_refuses_an_activity_suggestion_longer_than_a_participant_may_type(data):
    data["workshop"]["activity_suggestions"] = ["x" * 81]
    assert "80" in import_refused(data)


def test_it_drops_nul_characters_from_names_as_the_live_app_does(data):
    data["participants"][0]["name"] = "Ad\x00a"
    data["values"][0]["text"] = "equ\x00ity"
    imported = workshop_import(data=data)
    assert Participant.objects.filter(workshop=imported, name="Ada").exists()
    assert Value.objects.filter(workshop=imported, text="equity").count() == 1


def test_it_refuses_a_value_that_is_nothing_but_control_characters(data):
    data["values"][0]["text"] = "\x00\x01"
    message = import_refused(data)
    assert f"Value {data['values'][0]['id']}" in message


def test_it_recomputes_the_keys_it_was_given(data):
    for value in data["values"]:
        value["key"] = "whatever the file says"
    for statement in data["statements"]:
        statement["key"] = "whatever the file says"
    imported = workshop_import(data=data)
    equity = Value.objects.get(workshop=imported, text="Equity!")
    assert equity.key == "equity"
    statement = Statement.objects.get(workshop=imported, activity="assessment")
    assert statement.key == "assessment|equity"


def test_it_refuses_a_phase_title_longer_than_a_facilitator_may_type(data):
    data["workshop"]["phases"][0]["title"] = "x" * 121
    assert "120" in import_refused(data)


def test_it_refuses_a_phase_key_with_a_line_break(data):
    data["workshop"]["phases"][0]["key"] = "values\n"
    assert "a key is 1 to 40 letters" in import_refused(data)


def test_it_refuses_a_position_of_two_to_the_sixty_four(data):
    data["workshop"]["phases"][0]["position"] = 2**64
    assert "position" in import_refused(data)


def test_it_refuses_a_principle_position_of_two_to_the_sixty_four(data):
    data["principles"][0]["position"] = 2**64
    assert "position" in import_refused(data)


def test_it_refuses_a_principle_body_longer_than_a_participant_may_type(data):
    data["principles"][0]["body"] = "x" * 2001
    assert "2000" in import_refused(data)


def test_it_refuses_a_number_that_is_not_whole(data):
    data["workshop"]["phases"][0]["position"] = 1e300
    assert "position" in import_refused(data)


def test_it_refuses_a_deeply_nested_file_in_one_line(data):
    nested: Any = "deep"
    for _level in range(10_000):
        nested = [nested]
    data["anything"] = nested
    message = import_refused(data)
    assert str(IMPORT_MAX_DEPTH) in message and "\n" not in message


def test_it_refuses_a_lone_surrogate(data):
    data["values"][0]["text"] = "equity\ud800"
    assert "Unicode" in import_refused(data)


def test_it_says_the_version_must_be_the_number_one(data):
    data["version"] = "1"
    assert "the number 1" in import_refused(data)


def test_it_refuses_a_time_past_the_end_of_the_calendar(data):
    data["values"][0]["created_at"] = "9999-12-31T23:59:59-23:59"
    assert "time" in import_refused(data)


def test_it_refuses_a_vote_in_a_phase_of_the_wrong_kind(data):
    data["votes"][0]["phase"] = "values"
    assert "phase" in import_refused(data)


def test_it_refuses_more_votes_than_any_budget_allows(data):
    vote = data["votes"][0]
    data["votes"] = [vote] * 51
    assert "votes" in import_refused(data)


def test_it_refuses_an_unknown_design(data):
    data["workshop"]["template"] = "no-such-design"
    assert "no-such-design" in import_refused(data)
