from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from workshops import services
from workshops.records import exports

pytestmark = pytest.mark.django_db


def _book(workshop, **options):
    return load_workbook(io.BytesIO(exports.workshop_export(workshop, format="xlsx", **options)))


def test_it_has_one_sheet_per_table(rich):
    assert _book(rich.workshop).sheetnames == ["participants", "values", "statements", "principles"]


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
