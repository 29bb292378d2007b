from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workshops import services
from workshops.records import exports
from workshops.records.exports import export_data

from .conftest import assert_valid

pytestmark = pytest.mark.django_db


def test_it_matches_the_schema(rich):
    data = json.loads(exports.workshop_export(rich.workshop, format="json"))
    assert_valid(data)
    assert data["format"] == "visioning-workshop"
    assert data["version"] == 1


def test_it_matches_the_schema_when_anonymized(rich):
    assert_valid(json.loads(exports.workshop_export(rich.workshop, format="json", anonymize=True)))


def test_it_matches_the_schema_for_an_empty_workshop(workshop):
    data = export_data(workshop)
    assert_valid(data)
    assert data["values"] == [] and data["principles"] == []


def test_it_carries_the_licence(workshop):
    assert export_data(workshop)["workshop"]["licence"] == "CC BY 4.0"


def test_it_keeps_ids_authors_times_and_votes(rich):
    data = export_data(rich.workshop)
    statements = {s["id"]: s for s in data["statements"]}
    assessment = statements[rich.ids["assessment"]]
    assert assessment["author"] == rich.ada.pk
    assert assessment["votes"] == 2
    assert assessment["value_id"] == rich.ids["equity"]
    assert assessment["text"] == "What might assessment look like as a practice of equity?"
    assert assessment["created_at"].endswith("Z")
    assert statements[rich.ids["recognition"]]["votes"] == 1


def test_it_keeps_hidden_items_flagged(rich):
    data = export_data(rich.workshop)
    values = {v["id"]: v for v in data["values"]}
    statements = {s["id"]: s for s in data["statements"]}
    assert values[rich.ids["rude"]]["hidden"] is True
    assert values[rich.ids["equity"]]["hidden"] is False
    assert statements[rich.ids["hidden_statement"]]["hidden"] is True


def test_it_keeps_merges(rich):
    values = {v["id"]: v for v in export_data(rich.workshop)["values"]}
    assert values[rich.ids["fairness"]]["merged_into"] == rich.ids["equity"]
    assert values[rich.ids["equity"]]["merged_into"] is None


def test_it_keeps_principles_with_sources_and_votes(rich):
    principles = {p["id"]: p for p in export_data(rich.workshop)["principles"]}
    principle = principles[rich.ids["principle"]]
    assert principle["sources"] == sorted([rich.ids["assessment"], rich.ids["recognition"]])
    assert principle["status"] == "final"
    assert principle["votes"] == 1
    assert principle["author"] == rich.host.pk
    assert principles[rich.ids["draft"]]["author"] == rich.ada.pk


def test_it_lists_every_vote_with_its_phase(rich):
    votes = export_data(rich.workshop)["votes"]
    assert len(votes) == 4
    assert {v["phase"] for v in votes} == {"statements", "principles"}
    assert {"participant": rich.bob.pk, "target_kind": "statement"}.items() <= votes[1].items()


def test_it_keeps_phases_in_order_with_status(rich):
    phases = export_data(rich.workshop)["workshop"]["phases"]
    assert [(p["key"], p["status"]) for p in phases] == [
        ("values", "closed"),
        ("statements", "closed"),
        ("principles", "open"),
    ]
    assert phases[0]["prompt"] == "What are your open values?"


def _queries(workshop, format):
    with CaptureQueriesContext(connection) as queries:
        exports.workshop_export(workshop, format=format)
    return len(queries)


@pytest.mark.parametrize("format", exports.FORMATS)
def test_it_reads_with_a_fixed_number_of_queries(rich, format):
    before = _queries(rich.workshop, format)
    people = [services.participant_join(workshop=rich.workshop, name=f"P{i}")[0] for i in range(5)]
    services.phase_open(participant=rich.host, phase="values")
    services.phase_open(participant=rich.host, phase="statements")
    for i, person in enumerate(people):
        services.value_add(participant=person, text=f"value {i}")
        services.statement_add(participant=person, activity=f"activity {i}", value="equity")
    assert _queries(rich.workshop, format) == before
    assert before <= 14  # the workshop, phases, people, values, statements, ideas, votes,
    # materials, principles and consent, the audit trail, the credits
    # (credentials/selectors.py), and the breakout tables (and their seats, when there are any)


def test_it_keeps_every_consent_round_with_every_reason(rich):
    data = export_data(rich.workshop)
    assert_valid(data)
    rounds = [r for r in data["consent"] if r["principle"] == rich.ids["draft"]]
    assert [(r["id"], r["round"], r["status"]) for r in rounds] == [
        (rich.ids["round1"], 1, "closed"),
        (rich.ids["round2"], 2, "open"),
    ]
    assert rounds[0]["distribution"] == {"full": 1, "reservations": 1, "discuss": 0, "cannot": 0}
    assert rounds[1]["distribution"] == {"full": 0, "reservations": 0, "discuss": 1, "cannot": 1}
    assert [(p["participant"], p["level"], p["reason"]) for p in rounds[0]["responses"]] == [
        (rich.ada.pk, "full", ""),
        (rich.bob.pk, "reservations", "Care for whom?"),
    ]
    assert [p["reason"] for p in rounds[1]["responses"]] == [
        "Let us hear the students",
        "Care is not measurable",
    ]
