"""Breakout tables in every export: the JSON archive keeps each table with its round and
members and each contribution's table; CSV, XLSX and Markdown label what each table
made; an import brings the tables back."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass

import pytest
from openpyxl import load_workbook

from workshops import services
from workshops.models import Participant, Workshop
from workshops.records import exports
from workshops.records.imports import workshop_import

from .conftest import assert_valid
from .import_helpers import import_refused, normalised

pytestmark = pytest.mark.django_db


@dataclass
class Breakout:
    workshop: Workshop
    ada: Participant
    bob: Participant
    ada_table: int
    bob_table: int


@pytest.fixture
def breakout(workshop, host) -> Breakout:
    """Two tables, renamed; Ada and Bob apart, each with a value and a statement; ended."""
    ada = services.participant_join(workshop=workshop, name="Ada")[0]
    bob = services.participant_join(workshop=workshop, name="Bob")[0]
    services.phase_open(participant=host, phase="statements")
    formed = services.tables_form(participant=host, count=2)
    first, second = (table["id"] for table in formed.data["tables"])
    if services.seat_of(ada) == services.seat_of(bob):
        services.table_move(participant=host, person=bob.pk, table=first)
        services.table_move(participant=host, person=ada.pk, table=second)
    ada_table, bob_table = services.seat_of(ada), services.seat_of(bob)
    assert ada_table is not None and bob_table is not None
    services.table_rename(participant=host, table=ada_table, name="Optimists")
    services.table_rename(participant=host, table=bob_table, name="Realists")
    services.value_add(participant=ada, text="equity")
    services.value_add(participant=bob, text="care")
    services.statement_add(participant=ada, activity="assessment", value="equity")
    services.tables_end(participant=host)
    services.value_add(participant=ada, text="trust")  # the room's again
    return Breakout(workshop, ada, bob, ada_table, bob_table)


def test_the_json_export_keeps_the_tables_and_each_contributions_table(breakout):
    data = exports.export_data(breakout.workshop)
    assert_valid(data)
    tables = {table["id"]: table for table in data["tables"]}
    assert tables[breakout.ada_table]["name"] == "Optimists"
    assert tables[breakout.ada_table]["members"] == [breakout.ada.pk]
    assert tables[breakout.ada_table]["round"] == 1
    assert tables[breakout.ada_table]["ended_at"] is not None
    by_text = {value["text"]: value["table"] for value in data["values"]}
    assert by_text == {"equity": breakout.ada_table, "care": breakout.bob_table, "trust": None}
    assert [s["table"] for s in data["statements"]] == [breakout.ada_table]


def test_an_anonymized_export_says_nobody_sat_anywhere(breakout):
    data = exports.export_data(breakout.workshop, anonymize=True)
    assert_valid(data)
    assert {tuple(table["members"]) for table in data["tables"]} == {()}


def test_the_csv_export_names_the_table_of_each_contribution(breakout):
    content = exports.workshop_export(breakout.workshop, format="csv")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        values = list(csv.DictReader(io.StringIO(archive.read("values.csv").decode("utf-8-sig"))))
        tables = list(csv.DictReader(io.StringIO(archive.read("tables.csv").decode("utf-8-sig"))))
    assert {row["text"]: row["table_name"] for row in values} == {
        "equity": "Optimists",
        "care": "Realists",
        "trust": "",
    }
    assert sorted(row["name"] for row in tables) == ["Optimists", "Realists"]


def test_the_xlsx_export_names_the_table_of_each_statement(breakout):
    book = load_workbook(io.BytesIO(exports.workshop_export(breakout.workshop, format="xlsx")))
    sheet = book["statements"]
    headers = [str(cell.value).split(" (")[0] for cell in sheet[1]]
    (row,) = [dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(2, values_only=True)]
    assert row["table"] == "Optimists"
    names = sorted(r[1] for r in book["tables"].iter_rows(2, values_only=True))
    assert names == ["Optimists", "Realists"]


def test_the_markdown_export_labels_what_each_table_said(breakout):
    text = exports.workshop_export(breakout.workshop, format="md").decode()
    assert "- equity (Optimists)\n" in text
    assert "- care (Realists)\n" in text
    assert "- trust\n" in text
    assert "assessment look like as a practice of equity? (Optimists)" in text


def test_tables_round_trip_through_an_import(breakout, facilitator):
    before = exports.export_data(breakout.workshop)
    imported = workshop_import(data=json.loads(json.dumps(before)), facilitator=facilitator)
    after = exports.export_data(imported)
    assert len(after["tables"]) == 2
    for part in ("tables", "values", "statements"):
        assert normalised(after)[part] == normalised(before)[part]
    assert imported.seating == 0  # the round had ended: nobody is seated in the copy


def test_an_import_brings_back_a_round_that_is_on(workshop, host, facilitator):
    ada = services.participant_join(workshop=workshop, name="Ada")[0]
    services.tables_form(participant=host, count=1)
    imported = workshop_import(data=exports.export_data(workshop), facilitator=facilitator)
    assert imported.seating == 1
    copy = Participant.objects.get(workshop=imported, name="Ada")
    assert services.seat_of(copy) is not None
    assert services.seat_of(ada) is not None


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda data: data["values"][0].update(table=999_999), "table 999999"),
        (lambda data: data["tables"][0].update(members=[999_999]), "999999"),
        (lambda data: data["tables"][0].update(name=" "), "table name"),
    ],
)
def test_an_import_refuses_a_table_out_of_place(breakout, change, words):
    data = json.loads(json.dumps(exports.export_data(breakout.workshop)))
    change(data)
    assert words in import_refused(data)


def test_the_report_labels_each_statement_with_its_table(client, breakout, facilitator):
    from django.urls import reverse

    from workshops.records.report import report_build

    report = report_build(breakout.workshop)
    (row,) = [row for group in report.statement_groups for row in group.statements]
    assert row.tables == ["Optimists"]
    client.force_login(facilitator)
    html = client.get(reverse("report", args=[breakout.workshop.code])).content.decode()
    assert '<span class="report-tag report-tag--table">Optimists</span>' in html
