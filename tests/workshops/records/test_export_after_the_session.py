"""What the records say about a session that went on after the webinar: the links given
to the room, each contribution marked during or afterwards, and the schedule, in every
export, the report, and an import of the JSON."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from workshops import services
from workshops.models import Workshop
from workshops.records import exports
from workshops.records.imports import workshop_import

from .conftest import assert_valid

pytestmark = pytest.mark.django_db

OPENS = "2030-02-01T09:00:00+00:00"
SLIDES = "https://example.org/slides.pdf"


@pytest.fixture
def went_on(host, ada, workshop) -> Workshop:
    """A session with a link, a value during it, one after it, and a phase scheduled."""
    services.material_add(participant=host, title="Slides", url=SLIDES)
    services.value_add(participant=ada, text="during the webinar")
    services.session_end(participant=host)
    services.phase_update(participant=host, phase="values", opens_at=OPENS)
    services.schedule_advance(now=datetime.fromisoformat(OPENS))
    services.value_add(participant=ada, text="the day after")
    services.phase_update(
        participant=host, phase="statements", opens_at=OPENS, closes_at="2030-03-01T09:00:00Z"
    )
    return workshop


def test_the_json_export_lists_the_links_and_marks_what_came_afterwards(went_on):
    data = exports.export_data(went_on)
    assert_valid(data)
    [material] = data["materials"]
    assert (material["title"], material["url"]) == ("Slides", SLIDES)
    assert {v["text"]: v["afterwards"] for v in data["values"]} == {
        "during the webinar": False,
        "the day after": True,
    }
    statements = next(p for p in data["workshop"]["phases"] if p["key"] == "statements")
    assert statements["opens_at"] == "2030-02-01T09:00:00.000Z"
    assert statements["closes_at"] == "2030-03-01T09:00:00.000Z"


def test_the_markdown_has_the_links_and_a_section_for_afterwards(went_on):
    text = exports.workshop_export(went_on, format="md").decode()
    assert f"## Materials\n\n- [Slides](<{SLIDES}>)" in text
    after = text.split("## After the session", 1)[1]
    assert "the day after" in after
    assert "during the webinar" not in after


def test_csv_and_xlsx_carry_the_links_and_the_mark(went_on):
    with zipfile.ZipFile(io.BytesIO(exports.workshop_export(went_on, format="csv"))) as archive:
        materials = archive.read("materials.csv").decode()
        values = archive.read("values.csv").decode()
    assert "Slides" in materials and SLIDES in materials
    assert values.splitlines()[0].endswith(",afterwards")
    book = load_workbook(io.BytesIO(exports.workshop_export(went_on, format="xlsx")))
    assert [row[:2] for row in book["materials"].iter_rows(min_row=2, values_only=True)] == [
        ("Slides", SLIDES)
    ]


def test_the_report_shows_the_links_and_what_was_added_afterwards(client, facilitator, went_on):
    client.force_login(facilitator)
    page = client.get(reverse("report", args=[went_on.code])).content.decode()
    assert f'href="{SLIDES}"' in page
    after = page.split('id="afterwards"', 1)[1]
    assert "the day after" in after
    assert "during the webinar" not in after


def test_an_import_keeps_the_links_the_marks_and_the_schedule(went_on):
    data = exports.export_data(went_on)
    again = exports.export_data(workshop_import(data=data))
    assert [(m["title"], m["url"], m["created_at"]) for m in again["materials"]] == [
        (m["title"], m["url"], m["created_at"]) for m in data["materials"]
    ]
    assert [(v["text"], v["afterwards"]) for v in again["values"]] == [
        (v["text"], v["afterwards"]) for v in data["values"]
    ]
    assert [(p["opens_at"], p["closes_at"]) for p in again["workshop"]["phases"]] == [
        (p["opens_at"], p["closes_at"]) for p in data["workshop"]["phases"]
    ]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "https://"}, "web address"),
        ({"title": ""}, "title"),
    ],
)
def test_an_import_refuses_a_link_the_facilitator_could_not_have_given(went_on, change, message):
    data = exports.export_data(went_on)
    data["materials"][0].update(change)
    with pytest.raises(services.Refused, match=message):
        workshop_import(data=data)


def test_an_import_refuses_a_phase_that_closes_before_it_opens(went_on):
    data = exports.export_data(went_on)
    phase = next(p for p in data["workshop"]["phases"] if p["key"] == "statements")
    phase["closes_at"] = "2030-01-01T00:00:00Z"
    with pytest.raises(services.Refused, match="closes before it opens"):
        workshop_import(data=data)


def test_every_contribution_sheet_of_the_xlsx_marks_what_came_afterwards(went_on, host, ada):
    ideas = services.phase_add(participant=host, kind="ideas", title="Questions").data["phase"]
    services.session_reopen(participant=host)
    services.phase_open(participant=host, phase="statements")
    services.phase_open(participant=host, phase=ideas)
    services.statement_add(participant=ada, activity="teaching", value="care")
    services.idea_add(participant=ada, phase=ideas, text="Live question")
    services.session_end(participant=host)
    for phase in ("statements", ideas):
        services.phase_update(participant=host, phase=phase, opens_at=OPENS)
    services.schedule_advance(now=datetime.fromisoformat(OPENS))
    services.statement_add(participant=ada, activity="reading", value="care")
    services.idea_add(participant=ada, phase=ideas, text="Late question")
    book = load_workbook(io.BytesIO(exports.workshop_export(went_on, format="xlsx")))

    def marks(sheet: str) -> dict[str, object]:
        rows = list(book[sheet].iter_rows(values_only=True))
        text, mark = rows[0].index("text"), rows[0].index("afterwards")
        return {row[text]: row[mark] for row in rows[1:]}

    assert marks("values") == {"during the webinar": False, "the day after": True}
    assert marks("statements") == {
        "What might teaching look like as a practice of care?": False,
        "What might reading look like as a practice of care?": True,
    }
    assert marks("ideas") == {"Live question": False, "Late question": True}
