"""Ideas in every export: the JSON archive keeps every card with its column, the card it
answers and its votes; CSV, XLSX and Markdown show what the room saw, as the room saw it."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from workshops import services
from workshops.records import exports
from workshops.records.imports import workshop_import

from .conftest import assert_valid
from .import_helpers import normalised

pytestmark = pytest.mark.django_db


def test_the_json_export_keeps_every_idea_with_its_links(horizons):
    data = exports.export_data(horizons.workshop)
    assert_valid(data)
    ideas = {idea["id"]: idea for idea in data["ideas"]}
    answer = ideas[horizons.ids["answer"]]
    assert answer == {
        "id": horizons.ids["answer"],
        "phase": "ideas",
        "text": "Students pay twice",
        "column": "h1",  # its card's
        "parent": horizons.ids["paywalls"],
        "table": None,
        "author": horizons.bob.pk,
        "created_at": answer["created_at"],
        "hidden": False,
        "pending": False,
        "votes": 0,
        "afterwards": False,
    }
    assert ideas[horizons.ids["commons"]]["votes"] == 1
    assert ideas[horizons.ids["rude_idea"]]["hidden"] is True
    phase = next(p for p in data["workshop"]["phases"] if p["key"] == "ideas")
    assert phase["columns"] == [
        {"key": "h1", "title": "Horizon 1"},
        {"key": "h3", "title": "Horizon 3"},
    ]
    assert {"participant": horizons.ada.pk, "target_kind": "idea"}.items() <= next(
        vote for vote in data["votes"] if vote["target_kind"] == "idea"
    ).items()


def test_an_anonymized_export_names_no_author_of_an_idea(horizons):
    data = exports.export_data(horizons.workshop, anonymize=True)
    assert {idea["author"] for idea in data["ideas"]} == {None}


def test_the_csv_export_has_the_ideas_the_room_saw(horizons):
    content = exports.workshop_export(horizons.workshop, format="csv")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        text = archive.read("ideas.csv").decode("utf-8-sig")
        votes = archive.read("votes.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["text"], row["column"], row["parent"]) for row in rows] == [
        ("Courses behind paywalls", "h1", ""),
        ("Every course a commons", "h3", ""),
        ("Students pay twice", "h1", str(horizons.ids["paywalls"])),
    ]
    assert f"idea,{horizons.ids['commons']}" in votes


def test_the_xlsx_export_names_columns_and_the_card_answered(horizons):
    book = load_workbook(io.BytesIO(exports.workshop_export(horizons.workshop, format="xlsx")))
    sheet = book["ideas"]
    headers = [str(cell.value).split(" (")[0] for cell in sheet[1]]
    rows = [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)]
    answer = next(row for row in rows if row["id"] == horizons.ids["answer"])
    assert (answer["phase"], answer["column"], answer["answers"]) == (
        "Three Horizons",
        "Horizon 1",
        "Courses behind paywalls",
    )
    assert "a rude card" not in [row["text"] for row in rows]


def test_the_markdown_export_shows_columns_with_answers_under_their_card(horizons):
    text = exports.workshop_export(horizons.workshop, format="md").decode()
    section = text.split("## Three Horizons", 1)[1]
    assert (
        "### Horizon 1\n\n- Courses behind paywalls\n  - Students pay twice\n\n"
        "### Horizon 3\n\n- Every course a commons (1 vote)\n"
    ) in section
    assert "rude" not in text


def test_ideas_round_trip_through_an_import(horizons, facilitator):
    before = exports.export_data(horizons.workshop)
    imported = workshop_import(data=json.loads(json.dumps(before)), facilitator=facilitator)
    after = exports.export_data(imported)
    assert len(after["ideas"]) == 4
    assert normalised(after)["ideas"] == normalised(before)["ideas"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda idea: idea.update(column="h9"), "column"),
        (lambda idea: idea.update(phase="values"), "not an ideas phase"),
        (lambda idea: idea.update(parent=999_999), "not an earlier idea"),
        (lambda idea: idea.update(text="x" * 281), "280"),
    ],
)
def test_an_import_refuses_an_idea_out_of_place(horizons, change, words):
    from workshops.models import Workshop
    from workshops.services import Refused

    data = json.loads(json.dumps(exports.export_data(horizons.workshop)))
    change(data["ideas"][0])
    before = Workshop.objects.count()
    with pytest.raises(Refused) as error:
        workshop_import(data=data)
    assert words in error.value.message
    assert Workshop.objects.count() == before


def test_ideas_cost_one_query_however_many(horizons):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            exports.export_data(horizons.workshop)
        return len(captured)

    before = queries()
    for n in range(5):
        services.idea_add(participant=horizons.ada, phase="ideas", text=f"idea {n}", column="h1")
    assert queries() == before


def test_the_report_shows_each_ideas_phase_column_by_column(client, horizons, facilitator):
    from django.urls import reverse

    from workshops.records.report import report_build

    (section,) = report_build(horizons.workshop).ideas
    assert [column.title for column in section.columns] == ["Horizon 1", "Horizon 3"]
    (paywalls,) = section.columns[0].cards
    assert [answer.text for answer in paywalls.answers] == ["Students pay twice"]
    assert [(card.text, card.votes) for card in section.columns[1].cards] == [
        ("Every course a commons", 1)
    ]
    client.force_login(facilitator)
    html = client.get(reverse("report", args=[horizons.workshop.code])).content.decode()
    assert 'id="ideas-ideas-title">Three Horizons</h2>' in html
    assert "Students pay twice" in html and "a rude card" not in html
