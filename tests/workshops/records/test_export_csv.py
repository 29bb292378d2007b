from __future__ import annotations

import csv
import io
import zipfile

import pytest

from workshops import services
from workshops.records import exports

pytestmark = pytest.mark.django_db


def _tables(workshop, **options) -> dict[str, list[dict[str, str]]]:
    content = exports.workshop_export(workshop, format="csv", **options)
    tables = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            raw = archive.read(name)
            assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no UTF-8 BOM"
            tables[name] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    return tables


def test_it_is_a_zip_of_one_csv_per_table(rich):
    assert sorted(_tables(rich.workshop)) == [
        "consent_responses.csv",
        "consent_rounds.csv",
        "ideas.csv",
        "materials.csv",
        "participants.csv",
        "principles.csv",
        "statements.csv",
        "tables.csv",
        "values.csv",
        "votes.csv",
    ]


def test_it_writes_a_header_row_even_when_empty(workshop):
    content = exports.workshop_export(workshop, format="csv")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        header = archive.read("principles.csv").decode("utf-8-sig").splitlines()[0]
    assert header.startswith("id,title,body,status")


def test_it_keeps_accents(workshop, ada):
    services.value_add(participant=ada, text="équité")
    assert _tables(workshop)["values.csv"][0]["text"] == "équité"


def test_it_leaves_hidden_items_out(rich):
    tables = _tables(rich.workshop)
    assert "something rude" not in {row["text"] for row in tables["values.csv"]}
    assert str(rich.ids["hidden_statement"]) not in {row["id"] for row in tables["statements.csv"]}
    assert len(tables["statements.csv"]) == 2


def test_it_keeps_votes_links_and_sources(rich):
    tables = _tables(rich.workshop)
    statements = {int(row["id"]): row for row in tables["statements.csv"]}
    assert statements[rich.ids["assessment"]]["votes"] == "2"
    assert statements[rich.ids["assessment"]]["value_id"] == str(rich.ids["equity"])
    principle = next(r for r in tables["principles.csv"] if r["title"] == "Assess for equity")
    assert principle["sources"] == f"{rich.ids['assessment']} {rich.ids['recognition']}"
    merged = next(r for r in tables["values.csv"] if r["text"] == "fairness")
    assert merged["merged_into"] == str(rich.ids["equity"])


@pytest.mark.parametrize("text", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx"])
def test_it_neutralises_formulas(workshop, ada, text):
    ada.name = text
    ada.save()
    services.value_add(participant=ada, text=text if text.strip() else "x")
    tables = _tables(workshop)
    names = {row["name"] for row in tables["participants.csv"]}
    assert "'" + text in names
    assert text not in names
    cells = [cell for table in tables.values() for row in table for cell in row.values()]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]


def test_it_leaves_ordinary_text_alone(workshop, ada):
    services.value_add(participant=ada, text="Reputation - networks - trust")
    assert _tables(workshop)["values.csv"][0]["text"] == "Reputation - networks - trust"


def test_it_has_every_consent_round_and_every_reason(rich):
    tables = _tables(rich.workshop)
    rounds = tables["consent_rounds.csv"]
    assert [(r["round"], r["status"], r["full"], r["reservations"]) for r in rounds] == [
        ("1", "closed", "1", "1"),
        ("2", "open", "0", "0"),
    ]
    places = tables["consent_responses.csv"]
    assert [(p["round"], p["level"], p["reason"]) for p in places] == [
        (str(rich.ids["round1"]), "full", ""),
        (str(rich.ids["round1"]), "reservations", "Care for whom?"),
        (str(rich.ids["round2"]), "discuss", "Let us hear the students"),
        (str(rich.ids["round2"]), "cannot", "Care is not measurable"),
    ]
