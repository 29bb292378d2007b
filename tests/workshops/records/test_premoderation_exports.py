"""Contributions awaiting a facilitator's approval: archived, never published."""

from __future__ import annotations

import io
import zipfile

import pytest

from workshops import services
from workshops.models import Statement, Value
from workshops.records import exports
from workshops.records.exports import export_data
from workshops.records.imports import workshop_import

from .conftest import assert_valid

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(workshop, host, ada):
    services.moderation_set(participant=host, premoderated=True)
    services.value_add(participant=ada, text="awaiting approval")
    services.value_add(participant=host, text="approved by default")
    workshop.refresh_from_db()
    return workshop


def test_it_archives_pending_items_flagged(pending):
    data = export_data(pending)
    assert_valid(data)
    assert data["workshop"]["premoderated"] is True
    flags = {v["text"]: v["pending"] for v in data["values"]}
    assert flags == {"awaiting approval": True, "approved by default": False}


@pytest.mark.parametrize("format", ["md", "csv", "xlsx"])
def test_it_leaves_pending_items_out_of_what_is_published(pending, format):
    content = exports.workshop_export(pending, format=format)
    if format == "md":
        text = content.decode()
    elif format == "csv":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            text = archive.read("values.csv").decode("utf-8-sig")
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content))["values"]
        text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    assert "approved by default" in text
    assert "awaiting approval" not in text


def test_it_restores_pending_items_and_premoderation(pending):
    imported = workshop_import(data=export_data(pending))
    assert imported.premoderated is True
    value = Value.objects.get(workshop=imported, text="awaiting approval")
    assert value.pending is True
    assert not Statement.objects.filter(workshop=imported).exists()


def test_it_restores_pending_items_of_an_anonymized_export(pending):
    imported = workshop_import(data=export_data(pending, anonymize=True))
    assert Value.objects.get(workshop=imported, text="awaiting approval").pending is True
