"""Phases that open and close at set times, whether or not anyone is connected.

A facilitator sets a phase's `opens_at` / `closes_at` (`phase.update`); every server
process advances what is due every few seconds (workshops/live/schedule_ticker.py), and
`manage.py advance_schedule` does it from cron where no server runs. They all call
`schedule_advance`, which may run in several processes at once: each workshop is
advanced under its row lock, and a time that has come is cleared in the transaction that
acts on it, so the second caller finds nothing due. One opening, one event.

A scheduled opening or closing is the facilitator's own `phase.opened` / `phase.closed`
event, marked `scheduled`, with no actor: the facilitation log says "on schedule", not
a name. Any opening clears the phase's `opens_at` (it has happened, early or on time),
any closing its `closes_at`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..errors import Refused
from ..models import Event, Phase
from .core import event_append, locked_workshop

log = logging.getLogger(__name__)


def parse_moment(text: str, *, field: str) -> datetime | None:
    """An ISO 8601 date and time with its offset ("2027-01-31T18:00:00+01:00", or "Z");
    empty: no time (the schedule is cleared)."""
    if text == "":
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise Refused(
            "invalid",
            _(
                "%(field)s must be a date and time with its offset, such as "
                "2027-01-31T18:00:00+01:00."
            )
            % {"field": field},
        )
    return moment.astimezone(UTC)  # events.timestamp writes UTC


def schedule_set(phase: Phase, *, opens_at: str | None, closes_at: str | None) -> None:
    """Set (a text), clear ("") or keep (None) each of the phase's times, on the instance;
    refused when it would close before it opens, or open a phase that is open now."""
    if opens_at is not None:
        phase.opens_at = parse_moment(opens_at, field="opens_at")
        if phase.opens_at is not None and phase.status == Phase.Status.OPEN:
            raise Refused("invalid", _("This phase is open already: set when it closes instead."))
    if closes_at is not None:
        phase.closes_at = parse_moment(closes_at, field="closes_at")
    if phase.opens_at and phase.closes_at and phase.closes_at <= phase.opens_at:
        raise Refused("invalid", _("The phase must close after it opens."))


def schedule_data(phase: Phase) -> dict[str, str | None]:
    """The phase's times as events and states carry them (ISO 8601 in UTC, or null)."""
    return {
        "opens_at": events.timestamp(phase.opens_at) if phase.opens_at else None,
        "closes_at": events.timestamp(phase.closes_at) if phase.closes_at else None,
    }


def _due(now: datetime) -> Q:
    return Q(opens_at__lte=now) | Q(closes_at__lte=now)


def schedule_advance(*, now: datetime | None = None) -> list[Event]:
    """Open and close every phase whose time has come, in every workshop; the events."""
    now = now or timezone.now()
    due = Phase.objects.filter(_due(now)).values_list("workshop_id", flat=True).distinct()
    appended: list[Event] = []
    for workshop_id in sorted(set(due)):
        appended += _advance_workshop(workshop_id, now)
    return appended


def _advance_workshop(workshop_id: int, now: datetime) -> list[Event]:
    appended = []
    with transaction.atomic():
        locked_workshop(workshop_id)  # a second caller waits here, then finds nothing due
        due = Phase.objects.filter(_due(now), workshop_id=workshop_id).order_by("position")
        for phase in due:
            opening = phase.opens_at is not None and phase.opens_at <= now
            # Both come at once when no process ran through the whole window: the log
            # says it opened and closed, as it should have.
            closing = phase.closes_at is not None and phase.closes_at <= now
            if opening:
                phase.opens_at = None
                if phase.status != Phase.Status.OPEN:
                    phase.status = Phase.Status.OPEN
                    appended.append(_scheduled(phase, "phase.opened"))
            if closing:
                phase.closes_at = None
                if phase.status == Phase.Status.OPEN:
                    phase.status = Phase.Status.CLOSED
                    appended.append(_scheduled(phase, "phase.closed"))
            phase.save(update_fields=["status", "opens_at", "closes_at"])
    for event in appended:
        log.info("workshop %s: %s %s on schedule", workshop_id, event.kind, event.data["phase"])
    return appended


def _scheduled(phase: Phase, kind: str) -> Event:
    data = {"phase": phase.key, "scheduled": True}
    return event_append(phase.workshop_id, kind, data, actor=None, ref="")
