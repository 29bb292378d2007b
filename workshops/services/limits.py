"""Limits a facilitator sets on how much each participant may contribute.

Everything live is in every `welcome`: without a cap, a crowd of sockets (each its own
participant) can make that first frame weigh megabytes for everyone who joins after.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..errors import Refused
from ..models import Event, Idea, Participant, Statement, Value
from .core import event_append, locked_workshop, require_facilitator, workshop_write

CONTRIBUTION_LIMIT_MAX = 1000


@workshop_write
def contribution_limit_set(*, participant: Participant, limit: int | None, ref: str = "") -> Event:
    """Cap the values, statements and ideas each participant may have (None: no cap). What was
    already said stays; only new contributions past the cap are refused."""
    require_facilitator(participant)
    if limit is not None and not 1 <= limit <= CONTRIBUTION_LIMIT_MAX:
        raise Refused(
            "invalid",
            _("The limit must be a number from 1 to %(max)s, or null for none.")
            % {"max": CONTRIBUTION_LIMIT_MAX},
        )
    workshop = locked_workshop(participant.workshop_id)
    workshop.contribution_limit = limit
    workshop.save(update_fields=["contribution_limit"])
    return event_append(
        participant.workshop_id,
        "contribution_limit.changed",
        {"limit": limit},
        actor=participant,
        ref=ref,
    )


def require_contribution_room(participant: Participant) -> None:
    """Refuse a participant's new value, statement or idea once they have the workshop's cap
    of them (facilitators have none). Inside the command's transaction."""
    if participant.role == Participant.Role.FACILITATOR:
        return
    limit = locked_workshop(participant.workshop_id).contribution_limit
    if limit is None:
        return  # the usual case costs no query
    made = (
        Value.objects.filter(author=participant).count()
        + Statement.objects.filter(author=participant).count()
        + Idea.objects.filter(author=participant).count()
    )
    if made >= limit:
        raise Refused(
            "over_budget",
            _("You have shared %(count)s contributions, the most this workshop takes per person.")
            % {"count": limit},
        )
