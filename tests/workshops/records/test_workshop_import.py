from __future__ import annotations

import json

import pytest

from principles import services as principle_services
from workshops import selectors, services
from workshops.models import Event, Participant, Phase, Value
from workshops.records import exports
from workshops.records.exports import export_data
from workshops.records.imports import workshop_import

from .conftest import assert_valid
from .import_helpers import import_refused, normalised

pytestmark = pytest.mark.django_db


def test_it_round_trips(rich, facilitator):
    before = export_data(rich.workshop)
    imported = workshop_import(data=json.loads(json.dumps(before)), facilitator=facilitator)
    after = export_data(imported)
    assert imported.code != rich.workshop.code
    assert normalised(after) == normalised(before)


def test_it_restores_every_consent_round_with_its_times_and_reasons(rich):
    before = export_data(rich.workshop)
    after = export_data(workshop_import(data=json.loads(json.dumps(before))))
    assert len(after["consent"]) == 2
    assert [r["opened_at"] for r in after["consent"]] == [r["opened_at"] for r in before["consent"]]
    assert [p["updated_at"] for r in after["consent"] for p in r["responses"]] == [
        p["updated_at"] for r in before["consent"] for p in r["responses"]
    ]
    assert normalised(after)["consent"] == normalised(before)["consent"]


def test_it_reads_a_file_from_before_consent_was_exported(rich):
    before = export_data(rich.workshop)
    del before["consent"]
    assert export_data(workshop_import(data=before))["consent"] == []


def test_it_round_trips_an_anonymized_export(rich):
    before = export_data(rich.workshop, anonymize=True)
    after = export_data(workshop_import(data=before), anonymize=True)
    assert normalised(after) == normalised(before)


def test_it_keeps_the_original_times(rich):
    before = export_data(rich.workshop)
    after = export_data(workshop_import(data=before))
    assert [v["created_at"] for v in after["values"]] == [v["created_at"] for v in before["values"]]
    assert after["votes"][0]["created_at"] == before["votes"][0]["created_at"]


def test_it_gives_the_workshop_to_the_facilitator(rich, facilitator, outsider):
    imported = workshop_import(data=export_data(rich.workshop), facilitator=outsider)
    assert list(imported.facilitators.all()) == [outsider]
    host = Participant.objects.get(workshop=imported, role="facilitator")
    assert host.user == outsider
    # Their socket is that row again, with its votes and principles.
    again, _token = services.participant_join(workshop=imported, user=outsider)
    assert again == host


def test_it_writes_a_contiguous_event_log(rich):
    imported = workshop_import(data=export_data(rich.workshop))
    seqs = list(Event.objects.filter(workshop=imported).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert imported.last_seq == len(seqs)
    imported.refresh_from_db()
    assert imported.last_seq == len(seqs)
    kinds = [e["event"] for e in selectors.events_between(imported.pk, 0)]
    assert kinds.count("value.added") == 5
    assert kinds.count("value.hidden") == 1 and kinds.count("value.merged") == 1
    assert kinds.count("statement.added") == 3 and kinds.count("statement.hidden") == 1
    assert kinds.count("vote.changed") == 4
    assert kinds.count("principle.proposed") == 2 and kinds.count("principle.finalized") == 1
    assert kinds[-3:] == ["phase.closed", "phase.closed", "phase.opened"]


def test_it_is_live_usable(rich):
    imported = workshop_import(data=export_data(rich.workshop))
    newcomer, _token = services.participant_join(workshop=imported, name="Cleo")
    host = Participant.objects.filter(workshop=imported, role="facilitator").first()
    services.phase_open(participant=host, phase="values")
    event = services.value_add(participant=newcomer, text="equity")
    assert event.seq == imported.last_seq + 2
    seq, state = selectors.workshop_state(imported)
    assert seq == event.seq
    assert "something rude" not in {v["text"] for v in state["values"]}
    assert {p["title"] for p in state["principles"]} == {"Assess for equity", "Care first"}
    votes = {s["text"]: s["votes"] for s in state["statements"]}
    assert votes["What might assessment look like as a practice of equity?"] == 2


def test_it_restores_vote_budgets(rich):
    imported = workshop_import(data=export_data(rich.workshop))
    ada = Participant.objects.get(workshop=imported, name="Ada")
    principle = export_data(imported)["principles"][1]
    Phase.objects.filter(workshop=imported, key="principles").update(vote_budget=1)
    with pytest.raises(services.Refused) as refused:
        services.vote_cast(participant=ada, target={"kind": "principle", "id": principle["id"]})
    assert refused.value.code == "over_budget"


def test_it_imports_its_own_demo_markdown_content(facilitator):
    from workshops.demo import demo_workshop_ensure

    demo = demo_workshop_ensure(facilitator)
    imported = workshop_import(data=export_data(demo))
    assert (
        exports.export_markdown(export_data(imported)).split("\n", 3)[3]
        == (exports.export_markdown(export_data(demo)).split("\n", 3)[3])
    )


def test_it_refuses_what_is_not_an_export():
    assert "not a workshop export" in import_refused({"hello": "world"})
    assert "not a workshop export" in import_refused([1, 2])


def test_it_refuses_another_version(rich):
    data = export_data(rich.workshop)
    data["version"] = 2
    assert "version 2" in import_refused(data)


def test_it_refuses_what_breaks_the_schema(rich):
    data = export_data(rich.workshop)
    data["values"][0]["text"] = ""
    assert "values/0/text" in import_refused(data)


def test_it_refuses_a_broken_link_and_writes_nothing(rich):
    data = export_data(rich.workshop)
    data["statements"][0]["value_id"] = 999_999
    values = Value.objects.count()
    assert "999999" in import_refused(data)
    assert Value.objects.count() == values


def test_it_refuses_an_unknown_author(rich):
    data = export_data(rich.workshop)
    data["values"][0]["author"] = 999_999
    assert "999999" in import_refused(data)


def test_it_refuses_a_principle_from_an_unknown_statement(rich):
    data = export_data(rich.workshop)
    data["principles"][0]["sources"] = [999_999]
    assert "999999" in import_refused(data)


def test_it_refuses_a_vote_for_nothing(rich):
    data = export_data(rich.workshop)
    data["votes"][0]["target_id"] = 999_999
    assert "999999" in import_refused(data)


def run_to_the_end(rich) -> None:
    """The settings a session leaves besides its content: a cap on contributions, a
    removed activity, hidden vote totals, consent reasons on the projector, and an
    ending that shared the report."""
    services.contribution_limit_set(participant=rich.host, limit=5)
    services.activity_remove(participant=rich.host, activity="Nonsense")
    services.results_hide(participant=rich.host, phase="statements")
    principle_services.consent_reasons_show(participant=rich.host, id=rich.ids["draft"], shown=True)
    services.session_end(participant=rich.host, share_report=True)
    rich.workshop.refresh_from_db()


def test_it_round_trips_how_the_session_was_run_and_how_it_ended(rich):
    run_to_the_end(rich)
    before = export_data(rich.workshop)
    assert_valid(before)
    imported = workshop_import(data=json.loads(json.dumps(before)))
    after = export_data(imported)
    assert normalised(after) == normalised(before)
    assert after["workshop"]["contribution_limit"] == 5
    assert after["workshop"]["activities_removed"] == ["nonsense"]
    assert after["workshop"]["ended_at"] == before["workshop"]["ended_at"] is not None
    assert after["workshop"]["report_for_room"] is True
    phases = {phase["key"]: phase["results_hidden"] for phase in after["workshop"]["phases"]}
    assert phases == {"values": False, "statements": True, "principles": False}
    assert [r["reasons_shown"] for r in after["consent"]] == [False, True]


def test_an_imported_ended_session_shows_its_outcome_with_a_report_link_of_its_own(rich):
    run_to_the_end(rich)
    imported = workshop_import(data=export_data(rich.workshop))
    _seq, state = selectors.workshop_state(imported, private=False)
    assert state["workshop"]["ended"]["report"] == f"/r/{imported.code}/{imported.report_key}/"
    assert imported.report_key not in {"", rich.workshop.report_key}
    assert state["workshop"]["contribution_limit"] == 5
    # Hidden totals stay hidden, in the state and in the log a late phone catches up from.
    assert {s["votes"] for s in state["statements"]} == {None}
    logged = selectors.events_between(imported.pk, 0, private=False)
    statement_votes = [
        e
        for e in logged
        if e["event"] == "vote.changed" and e["data"]["target"]["kind"] == "statement"
    ]
    assert statement_votes and {e["data"]["total"] for e in statement_votes} == {None}
    assert [e["event"] for e in logged][-1] == "session.ended"


def test_an_imported_workshop_keeps_refusing_contributions_past_its_cap(rich):
    run_to_the_end(rich)
    imported = workshop_import(data=export_data(rich.workshop))
    host = Participant.objects.get(workshop=imported, role="facilitator")
    services.session_reopen(participant=host)
    services.phase_open(participant=host, phase="values")
    ada = Participant.objects.get(workshop=imported, name="Ada")  # already 3 contributions
    services.value_add(participant=ada, text="trust")
    services.value_add(participant=ada, text="openness")
    with pytest.raises(services.Refused):
        services.value_add(participant=ada, text="one too many")


def test_a_file_from_before_these_fields_reads_as_a_session_still_running(rich):
    run_to_the_end(rich)
    data = export_data(rich.workshop)
    for name in ("contribution_limit", "activities_removed", "ended_at", "report_for_room"):
        del data["workshop"][name]
    for phase in data["workshop"]["phases"]:
        del phase["results_hidden"]
    for round in data["consent"]:
        del round["reasons_shown"]
    after = export_data(workshop_import(data=data))
    assert after["workshop"]["contribution_limit"] is None
    assert after["workshop"]["activities_removed"] == []
    assert after["workshop"]["ended_at"] is None and after["workshop"]["report_for_room"] is False
    assert not any(phase["results_hidden"] for phase in after["workshop"]["phases"])
    assert not any(r["reasons_shown"] for r in after["consent"])


def test_it_refuses_a_contribution_limit_no_facilitator_could_set(rich):
    data = export_data(rich.workshop)
    data["workshop"]["contribution_limit"] = 0
    assert "contribution_limit" in import_refused(data)
    data["workshop"]["contribution_limit"] = 5000
    assert "contribution_limit" in import_refused(data)
