"""A workshop tells its times in its own time zone: the facilitator's browser zone at
creation, in the report, and in every export as ISO 8601 with the zone's offset."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from django.templatetags.static import static
from openpyxl import load_workbook

from workshops import services
from workshops.models import Value, Workshop
from workshops.records import exports
from workshops.records.exports import export_data
from workshops.records.imports import workshop_import
from workshops.services import Refused

from .conftest import assert_valid

pytestmark = pytest.mark.django_db

# 17:20 UTC on a November day is 18:20 in Paris (UTC+1).
MOMENT = datetime(2026, 11, 28, 17, 20, 3, 120000, tzinfo=UTC)


@pytest.fixture
def paris(facilitator, ada) -> Workshop:
    workshop = Workshop.objects.get(pk=ada.workshop_id)
    Workshop.objects.filter(pk=workshop.pk).update(time_zone="Europe/Paris")
    services.value_add(participant=ada, text="equity")
    Value.objects.update(created_at=MOMENT)
    workshop.refresh_from_db()
    return workshop


def test_a_new_workshop_takes_the_zone_the_facilitators_browser_sent(client, facilitator):
    client.force_login(facilitator)
    page = client.get("/facilitate/").content.decode()
    assert 'type="hidden" name="time_zone"' in page
    assert static("js/facilitate.js") in page
    client.post(
        "/facilitate/", {"title": "Paris", "template": "open-values", "time_zone": "Europe/Paris"}
    )
    assert Workshop.objects.get(title="Paris").time_zone == "Europe/Paris"


@pytest.mark.parametrize("sent", ["", "Mars/Olympus_Mons"])
def test_a_browser_without_a_known_zone_gets_utc(client, facilitator, sent):
    client.force_login(facilitator)
    client.post(
        "/facilitate/", {"title": "Somewhere", "template": "open-values", "time_zone": sent}
    )
    assert Workshop.objects.get(title="Somewhere").time_zone == "UTC"


def test_the_service_refuses_a_zone_that_does_not_exist():
    with pytest.raises(Refused) as refused:
        services.workshop_create(title="Nowhere", time_zone="Mars/Olympus_Mons")
    assert refused.value.code == "invalid"
    assert not Workshop.objects.filter(title="Nowhere").exists()


def test_json_times_carry_the_workshops_offset(paris):
    data = export_data(paris)
    assert_valid(data)
    assert data["workshop"]["time_zone"] == "Europe/Paris"
    assert data["values"][0]["created_at"] == "2026-11-28T18:20:03.120+01:00"
    assert data["exported_at"].endswith(("+01:00", "+02:00"))


def test_a_utc_workshop_keeps_the_z(workshop, ada):
    services.value_add(participant=ada, text="equity")
    assert export_data(workshop)["values"][0]["created_at"].endswith("Z")


def test_xlsx_date_cells_show_the_workshops_wall_clock(paris):
    book = load_workbook(io.BytesIO(exports.workshop_export(paris, format="xlsx")))
    sheet = book["values"]
    headers = [cell.value for cell in sheet[1]]
    added = headers.index("added (Europe/Paris)")
    assert sheet.cell(2, added + 1).value == datetime(2026, 11, 28, 18, 20, 3, 120000)


def test_the_report_tells_times_in_the_workshops_zone(client, facilitator, paris):
    client.force_login(facilitator)
    page = client.get(f"/facilitate/{paris.code}/report/").content.decode()
    assert "18:20" in page
    assert "17:20" not in page


def test_an_import_keeps_the_zone_and_the_moments(paris):
    before = export_data(paris)
    after = export_data(workshop_import(data=json.loads(json.dumps(before))))
    assert after["workshop"]["time_zone"] == "Europe/Paris"
    assert after["values"][0]["created_at"] == before["values"][0]["created_at"]
