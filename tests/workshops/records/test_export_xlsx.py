from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from workshops import services
from workshops.records import exports

pytestmark = pytest.mark.django_db


def _book(workshop, **options):
    return load_workbook(io.BytesIO(exports.workshop_export(workshop, format="xlsx", **options)))


def test_it_has_one_sheet_per_table_and_votes_and_consent(rich):
    assert _book(rich.workshop).sheetnames == [
        "participants",
        "values",
        "statements",
        "principles",
        "votes",
        "consent",
        "consent places",
    ]


def _rows(sheet) -> list[dict[str, object]]:
    """A sheet as dicts by header, the time zone left out of time headers."""
    headers = [str(cell.value).split(" (")[0] for cell in sheet[1]]
    rows = sheet.iter_rows(min_row=2, values_only=True)
    return [dict(zip(headers, row, strict=True)) for row in rows]


def test_it_names_authors_beside_their_ids(rich):
    statements = _rows(_book(rich.workshop)["statements"])
    assessment = next(s for s in statements if s["id"] == rich.ids["assessment"])
    assert (assessment["author id"], assessment["author"]) == (rich.ada.pk, "Ada")
    assert (assessment["value id"], assessment["value"]) == (rich.ids["equity"], "equity")


def test_it_names_pseudonyms_where_anonymized(rich):
    book = _book(rich.workshop, anonymize=True)
    names = {row["id"]: row["name"] for row in _rows(book["participants"])}
    votes = _rows(book["votes"])
    assert {v["participant"] for v in votes} <= {n for n in names.values()}
    assert all(v["participant"].startswith("Participant ") for v in votes)
    assert "Ada" not in {str(cell) for sheet in book for row in sheet.values for cell in row}


def test_it_spells_out_a_principles_sources(rich):
    principles = _rows(_book(rich.workshop)["principles"])
    principle = next(p for p in principles if p["id"] == rich.ids["principle"])
    assert principle["source ids"] == f"{rich.ids['assessment']} {rich.ids['recognition']}"
    assert principle["sources"].splitlines() == [
        "What might assessment look like as a practice of equity?",
        "What might recognition look like as a practice of care?",
    ]


def test_its_times_are_real_date_cells(rich):
    sheet = _book(rich.workshop)["statements"]
    added = [cell for cell in sheet[2] if str(sheet.cell(1, cell.column).value).startswith("added")]
    assert added and added[0].is_date
    assert isinstance(added[0].value, datetime)
    assert "(UTC)" in sheet.cell(1, added[0].column).value


def test_its_votes_sheet_says_who_voted_for_what(rich):
    votes = _rows(_book(rich.workshop)["votes"])
    assert {(v["participant"], v["what"]) for v in votes} == {
        ("Ada", "What might assessment look like as a practice of equity?"),
        ("Bob", "What might assessment look like as a practice of equity?"),
        ("Bob", "What might recognition look like as a practice of care?"),
        ("Ada", "Assess for equity"),
    }


def test_its_consent_sheets_have_every_round_and_every_reason(rich):
    book = _book(rich.workshop)
    rounds = _rows(book["consent"])
    assert [(r["principle"], r["round"], r["status"]) for r in rounds] == [
        ("Care first", 1, "closed"),
        ("Care first", 2, "open"),
    ]
    assert (rounds[0]["Full support"], rounds[0]["Support with reservations"]) == (1, 1)
    places = _rows(book["consent places"])
    assert [(p["round"], p["participant"], p["place"], p["reason"]) for p in places] == [
        (1, "Ada", "Full support", None),
        (1, "Bob", "Support with reservations", "Care for whom?"),
        (2, "Ada", "Need more discussion", "Let us hear the students"),
        (2, "Bob", "Cannot support", "Care is not measurable"),
    ]


def test_it_has_a_bold_frozen_header(rich):
    sheet = _book(rich.workshop)["statements"]
    assert [cell.value for cell in sheet[1]][:3] == ["id", "text", "activity"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"


def test_it_sets_column_widths(rich):
    sheet = _book(rich.workshop)["statements"]
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def test_it_keeps_the_rows(rich):
    sheet = _book(rich.workshop)["statements"]
    texts = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "What might assessment look like as a practice of equity?" in texts
    assert len(texts) == 2  # the hidden statement is left out


def test_it_never_writes_a_formula(workshop, ada):
    services.value_add(participant=ada, text='=HYPERLINK("http://evil","x")')
    services.value_add(participant=ada, text="+1")
    sheet = _book(workshop)["values"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == ['=HYPERLINK("http://evil","x")', "+1"]
    assert all(cell.data_type == "s" for cell in cells)
    assert all(cell.quotePrefix for cell in cells)


def test_text_that_looks_like_an_error_or_a_number_stays_text(workshop, ada):
    for text in ("#N/A", "#DIV/0!", "42"):
        services.value_add(participant=ada, text=text)
    sheet = _book(workshop)["values"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == ["#N/A", "#DIV/0!", "42"]
    assert all(cell.data_type == "s" for cell in cells)


def test_it_drops_characters_xlsx_cannot_hold(workshop, ada):
    services.value_add(participant=ada, text="bell\x07")
    sheet = _book(workshop)["values"]
    assert sheet["B2"].value == "bell"
