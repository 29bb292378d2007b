from __future__ import annotations

from typing import Any

from workshops.events import timestamp
from workshops.models import Workshop
from workshops.selectors import VoteTotals

from .models import Principle


def principles_state(workshop: Workshop) -> dict[str, Any]:
    """The principles part of a workshop's state, in their agreed order."""
    principles = (
        Principle.objects.filter(workshop=workshop, hidden=False)
        .select_related("author")
        .prefetch_related("sources")
        .order_by("position", "id")
    )
    totals = VoteTotals(workshop)
    return {
        "principles": [
            {
                "id": p.pk,
                "title": p.title,
                "body": p.body,
                "sources": sorted(s.pk for s in p.sources.all()),
                "status": p.status,
                "position": p.position,
                "by": {"id": p.author.pk, "name": p.author.name} if p.author else None,
                "at": timestamp(p.created_at),
                "votes": totals.get("principle", p.pk),
            }
            for p in principles
        ]
    }
