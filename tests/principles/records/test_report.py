"""The report's outcome section, which principles add to it (principles/records/report.py):
every principle the room saw, the statements it grew from and every consent round."""

from __future__ import annotations

import pytest
from django.urls import reverse

from principles import services as principle_services
from principles.records.report import PrincipleRow
from workshops import services
from workshops.models import Workshop
from workshops.records.report import report_build

pytestmark = [pytest.mark.django_db]


def principles_in(workshop: Workshop) -> list[PrincipleRow]:
    (outcome,) = [part for part in report_build(workshop).parts if part.outcome]
    return outcome.data["principles"]


def test_it_shows_principles_with_their_provenance_and_support(workshop, said):
    (principle,) = principles_in(workshop)
    assert principle.title == "Assess for equity"
    assert [(s.text, s.value) for s in principle.sources] == [
        ("What might assessment look like as a practice of equity?", "equity"),
        ("What might recognition look like as a practice of care?", "care"),
    ]
    assert principle.consent is not None
    assert {level.key: level.count for level in principle.consent} == {
        "full": 1,
        "reservations": 0,
        "discuss": 0,
        "cannot": 1,
    }
    assert principle.reasons == ["Too vague"]
    assert principle.consent_open


def test_it_shows_every_consent_round_and_every_reason(client, facilitator, rich):
    (_assess, care) = principles_in(rich.workshop)
    assert [(r.number, r.open, r.total) for r in care.rounds] == [(1, False, 2), (2, True, 2)]
    assert [(reason.level, reason.text) for r in care.rounds for reason in r.reasons] == [
        ("reservations", "Care for whom?"),
        ("discuss", "Let us hear the students"),
        ("cannot", "Care is not measurable"),
    ]
    client.force_login(facilitator)
    rich.workshop.facilitators.add(facilitator)
    page = client.get(reverse("report", args=[rich.workshop.code])).content.decode()
    assert "Consent, round 1" in page and "Consent, round 2" in page
    for reason in ("Care for whom?", "Let us hear the students", "Care is not measurable"):
        assert reason in page


def test_it_comes_first_and_says_when_there_are_none(client, workshop, facilitator):
    client.force_login(facilitator)
    page = client.get(reverse("report", args=[workshop.code])).content.decode()
    assert "No principles were formed in this workshop." in page
    assert page.index('id="principles"') < page.index('id="statements"')
    assert dict(report_build(workshop).figures)["principles"] == 0


def test_its_authors_are_contributors_and_its_hidden_votes_are_said(workshop, host, ada):
    services.phase_open(participant=host, phase="principles")
    principle_services.principle_propose(participant=ada, title="Care first", sources=[])
    report = report_build(workshop)
    assert dict(report.figures)["contributor"] == 1  # Ada, by her principle alone
    assert dict(report.figures)["principle"] == 1
    assert report.first_at is not None
    assert not report.votes_hidden
    services.results_hide(participant=host, phase="principles")
    assert report_build(workshop).votes_hidden
