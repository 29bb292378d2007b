"""A workshop made from a design leaves its script in the JSON export: each phase's
suggested minutes, whether it ran in tables, and the facilitator's notes; an import
brings them back, and a bad value in a file is refused whole."""

from __future__ import annotations

import json

import pytest

from workshops import services
from workshops.records.exports import export_data
from workshops.records.imports import workshop_import

from .conftest import assert_valid
from .import_helpers import import_refused, normalised

pytestmark = pytest.mark.django_db


@pytest.fixture
def horizons(facilitator):
    workshop = services.workshop_create(
        title="Horizons", template="three-horizons", facilitator=facilitator
    )
    host, _token = services.participant_join(workshop=workshop, user=facilitator)
    services.phase_update(participant=host, phase="pathway", notes="Line one.\nLine two.")
    return workshop


def test_each_exported_phase_carries_its_minutes_tables_and_notes(horizons):
    data = export_data(horizons)
    assert_valid(data)
    phases = {phase["key"]: phase for phase in data["workshop"]["phases"]}
    assert (phases["horizons"]["minutes"], phases["horizons"]["tables"]) == (30, True)
    assert phases["horizons"]["notes"].startswith("Name the system")
    assert (phases["pathway"]["tables"], phases["pathway"]["notes"]) == (
        False,
        "Line one.\nLine two.",
    )


def test_an_import_round_trips_the_design(horizons, facilitator):
    before = export_data(horizons)
    imported = workshop_import(data=json.loads(json.dumps(before)), facilitator=facilitator)
    after = export_data(imported)
    assert normalised(after)["workshop"]["phases"] == normalised(before)["workshop"]["phases"]
    fields = ("key", "minutes", "tables", "notes", "columns")
    assert list(imported.phases.values_list(*fields)) == list(horizons.phases.values_list(*fields))


def test_a_phase_without_a_suggested_duration_exports_null(facilitator):
    data = export_data(services.workshop_create(title="Q", template="questions"))
    assert_valid(data)
    assert data["workshop"]["phases"][0]["minutes"] is None


def test_an_export_from_before_designs_imports_with_no_notes(horizons):
    data = export_data(horizons)
    for phase in data["workshop"]["phases"]:
        for name in ("minutes", "tables", "notes"):
            del phase[name]
    imported = workshop_import(data=data)
    assert set(imported.phases.values_list("minutes", "tables", "notes")) == {(None, False, "")}


@pytest.mark.parametrize(
    ("name", "bad"),
    [("minutes", 0), ("minutes", 601), ("minutes", "5"), ("tables", "yes"), ("notes", "x" * 4001)],
)
def test_an_import_refuses_a_phase_with_a_bad_minutes_tables_or_notes(horizons, name, bad):
    data = export_data(horizons)
    data["workshop"]["phases"][0][name] = bad
    assert import_refused(data)
