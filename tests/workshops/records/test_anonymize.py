from __future__ import annotations

import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from principles import services as principle_services
from workshops import services
from workshops.records import exports
from workshops.records.exports import export_data

from .conftest import assert_valid

pytestmark = pytest.mark.django_db

NAME = "Zyxwvut"


@pytest.fixture
def zyx(rich):
    participant, _token = services.participant_join(workshop=rich.workshop, name=NAME)
    services.phase_open(participant=rich.host, phase="values")
    services.phase_open(participant=rich.host, phase="statements")
    services.value_add(participant=participant, text="openness")
    statement = services.statement_add(participant=participant, activity="policy", value="care")
    draft = {"kind": "principle", "id": rich.ids["draft"]}
    services.vote_cast(participant=participant, target=draft)
    principle_services.principle_propose(
        participant=participant, title="Open by default", sources=[statement.data["id"]]
    )
    return participant


def _everything(workshop, format: str) -> str:
    """Every byte of text an export holds, unpacked."""
    content = exports.workshop_export(workshop, format=format, anonymize=True)
    if format == "csv":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    if format == "xlsx":
        book = load_workbook(io.BytesIO(content))
        return "".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        ) + "".join(book.sheetnames)
    return content.decode()


@pytest.mark.parametrize("format", exports.FORMATS)
def test_it_leaves_no_name_in_any_format(rich, zyx, format):
    text = _everything(rich.workshop, format)
    assert NAME not in text
    assert "Ada" not in text and "Bob" not in text and "alice" not in text


@pytest.mark.parametrize("format", exports.FORMATS)
def test_it_keeps_the_name_without_anonymize(rich, zyx, format):
    content = exports.workshop_export(rich.workshop, format=format)
    if format == "csv":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert NAME in archive.read("participants.csv").decode("utf-8-sig")
    elif format == "json":
        assert NAME in content.decode()


def test_it_names_participants_by_join_order(rich, zyx):
    data = export_data(rich.workshop, anonymize=True)
    assert data["anonymized"] is True
    names = [(p["id"], p["name"]) for p in data["participants"]]
    assert names == [(p_id, f"Participant {n}") for n, (p_id, _) in enumerate(names, start=1)]
    assert [p["id"] for p in data["participants"]] == sorted(p["id"] for p in data["participants"])
    assert names[-1][0] == zyx.pk


def test_it_nulls_authors_but_keeps_ids_and_links(rich, zyx):
    data = export_data(rich.workshop, anonymize=True)
    assert_valid(data)
    for table in ("values", "statements", "principles"):
        assert data[table]
        assert all(item["author"] is None for item in data[table])
    statements = {s["id"]: s for s in data["statements"]}
    assert statements[rich.ids["assessment"]]["value_id"] == rich.ids["equity"]
    assert statements[rich.ids["assessment"]]["votes"] == 2


def test_it_is_stable(rich, zyx):
    first = export_data(rich.workshop, anonymize=True)
    second = export_data(rich.workshop, anonymize=True)
    assert first["participants"] == second["participants"]
    assert json.dumps(first["values"]) == json.dumps(second["values"])
