from __future__ import annotations

from typing import Any

from workshops.events import person, timestamp
from workshops.models import Participant, Workshop
from workshops.selectors import VoteTotals

from .models import ConsentResponse, ConsentRound, Principle
from .services import consent_summary


def principles_state(workshop: Workshop) -> dict[str, Any]:
    """The principles part of a workshop's state, in their agreed order."""
    principles = (
        Principle.objects.filter(workshop=workshop, hidden=False)
        .select_related("author")
        .prefetch_related("sources")
        .order_by("position", "id")
    )
    totals = VoteTotals(workshop)
    latest_rounds: dict[int, ConsentRound] = {}
    rounds = ConsentRound.objects.filter(principle__workshop=workshop).prefetch_related("responses")
    for round in rounds.order_by("id"):
        latest_rounds[round.principle_id] = round
    return {
        "principles": [
            {
                "id": p.pk,
                "title": p.title,
                "body": p.body,
                "sources": sorted(s.pk for s in p.sources.all()),
                "status": p.status,
                "position": p.position,
                "by": person(p.author),
                "at": timestamp(p.created_at),
                "votes": totals.get("principle", p.pk),
                "consent": consent_summary(latest_rounds[p.pk]) if p.pk in latest_rounds else None,
            }
            for p in principles
        ]
    }


def my_consent(participant: Participant) -> dict[str, Any]:
    """Where this participant stands in each open consent round: {"consent": {"12": "full"}}."""
    responses = ConsentResponse.objects.filter(
        participant=participant, round__status=ConsentRound.Status.OPEN
    ).values_list("round__principle_id", "level")
    return {"consent": {str(principle_id): level for principle_id, level in responses}}
