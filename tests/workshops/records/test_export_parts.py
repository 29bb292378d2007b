"""An extension's table stands where its ExportPart says, in every format: its list in
the JSON file, its CSV file, its XLSX sheets; votes on its rows are published with them
and named by their title (workshops/records/exports.py)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from workshops.records import exports

pytestmark = pytest.mark.django_db


def _polls(sheet: exports.SheetContext) -> list[exports.Sheet]:
    rows = [[poll["id"], poll["title"]] for poll in sheet.data["polls"] if exports.published(poll)]
    return [exports.Sheet("polls", ("id", "title"), rows)]


POLLS = exports.ExportPart(
    table="polls",
    columns=("id", "title"),
    rows=lambda context: [
        {"id": 1, "title": "Lunch?", "hidden": False},
        {"id": 2, "title": "Rude poll", "hidden": True},
    ],
    before="values",
    sheets=_polls,
    sheets_before="statements",
    vote_target="poll",
)


@pytest.fixture
def polled(monkeypatch, workshop, ada) -> dict[str, Any]:
    monkeypatch.setattr(exports, "EXPORT_PARTS", [*exports.EXPORT_PARTS, POLLS])
    data = exports.export_data(workshop)
    data["votes"] = [
        {"participant": ada.pk, "target_kind": "poll", "target_id": id, "phase": "values"}
        | {"created_at": data["exported_at"]}
        for id in (1, 2)
    ]
    return data


def test_its_list_stands_before_the_key_it_names(polled):
    keys = list(polled)
    assert keys.index("polls") == keys.index("values") - 1
    assert keys[-1] == "audit"  # parts that name no key come before the audit trail


def test_its_sheets_stand_before_the_sheet_it_names(polled):
    book = load_workbook(io.BytesIO(exports.export_xlsx(polled)))
    names = book.sheetnames
    assert names.index("polls") == names.index("statements") - 1
    assert [row[0].value for row in book["polls"].iter_rows(min_row=2)] == [1]


def test_votes_on_its_rows_are_published_with_them_and_named_by_title(polled):
    assert [vote["target_id"] for vote in exports.published_votes(polled)] == [1]
    book = load_workbook(io.BytesIO(exports.export_xlsx(polled)))
    (vote,) = book["votes"].iter_rows(min_row=2, values_only=True)
    assert vote[2:5] == ("poll", 1, "Lunch?")


def test_its_csv_file_holds_its_published_rows(polled):
    archive = zipfile.ZipFile(io.BytesIO(exports.export_csv(polled)))
    polls = archive.read("polls.csv").decode("utf-8-sig").splitlines()
    assert polls == ["id,title", "1,Lunch?"]
