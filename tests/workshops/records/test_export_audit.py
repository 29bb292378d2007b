"""The JSON export carries the audit trail (who gave roles, made or revoked secret links,
set the deletion day), without keys, anonymized without names; an import restores it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from workshops import selectors, services
from workshops.records.exports import export_data
from workshops.records.imports import workshop_import

from .import_helpers import import_refused, normalised

pytestmark = pytest.mark.django_db


@pytest.fixture
def audited(rich, facilitator, outsider):
    """The rich workshop, after its facilitator managed people, links and retention."""
    workshop = rich.workshop
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username="charlie", role="organiser"
    )
    rich.keys = [
        services.screen_share(workshop=workshop, by=facilitator),
        services.report_share(workshop=workshop, by=facilitator),
    ]
    services.screen_unshare(workshop=workshop, by=facilitator)
    services.workshop_schedule_deletion(
        workshop=workshop, by=facilitator, delete_after=date(2027, 1, 31)
    )
    return rich


def test_the_json_export_lists_the_audit_trail_with_who_did_it(audited):
    exported = export_data(audited.workshop)
    host = audited.host.pk
    assert [(e["event"], e["actor"], e["data"]) for e in exported["audit"]] == [
        ("member.added", host, {"username": "charlie", "role": "organiser"}),
        ("screen.shared", host, {"replaced": False}),
        ("report.shared", host, {"replaced": False}),
        ("screen.unshared", host, {}),
        ("retention.changed", host, {"delete_after": "2027-01-31"}),
    ]
    text = json.dumps(exported)
    assert all(key not in text for key in audited.keys)


def test_an_anonymized_export_names_nobody_in_the_audit_trail(audited):
    exported = export_data(audited.workshop, anonymize=True)
    assert {e["actor"] for e in exported["audit"]} == {None}
    assert exported["audit"][0]["data"] == {"username": None, "role": "organiser"}
    assert "charlie" not in json.dumps(exported)


@pytest.mark.parametrize("anonymize", [False, True])
def test_an_import_restores_the_audit_trail_at_its_times(audited, anonymize):
    before = export_data(audited.workshop, anonymize=anonymize)
    imported = workshop_import(data=json.loads(json.dumps(before)))
    after = export_data(imported, anonymize=anonymize)
    assert normalised(after)["audit"] == normalised(before)["audit"]
    assert [e["at"] for e in after["audit"]] == [e["at"] for e in before["audit"]]
    # Logged last, after the restored items, so the control room's log reads them.
    log = selectors.audit_log(imported.pk)
    assert [e["event"] for e in log[-5:]] == [e["event"] for e in before["audit"]]
    # What belongs to the server does not come back, whatever the log says was done.
    assert imported.delete_after is None and imported.screen_key == imported.report_key == ""


def test_a_file_from_before_the_audit_trail_imports_with_none(rich):
    before = export_data(rich.workshop)
    del before["audit"]
    assert export_data(workshop_import(data=before))["audit"] == []


def test_an_audit_entry_that_is_not_one_is_refused(audited):
    data = export_data(audited.workshop)
    data["audit"][0]["data"] = {"role": "organiser"}
    assert "Audit entry 1" in import_refused(data)
    data["audit"][0]["data"] = {"username": "x", "role": "organiser", "key": "secret"}
    assert "audit" in import_refused(data)
    data["audit"][0] = {
        **data["audit"][0],
        "actor": 99999,
        "data": {"username": "x", "role": "organiser"},
    }
    assert "99999" in import_refused(data)
