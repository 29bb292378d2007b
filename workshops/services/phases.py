"""Phases: opening and closing them, their design, timers, hiding or revealing results,
and ending the session."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import events
from ..errors import Refused
from ..models import (
    Event,
    Participant,
    Phase,
    Vote,
    Workshop,
)
from ..text import MINUTES_MAX, NOTES_MAX, PHASE_TITLE_MAX, PROMPT_MAX, clean_text
from .core import event_append, require_facilitator, workshop_write
from .ideas import clean_columns, require_columns_keep_ideas
from .schedule import schedule_data, schedule_set


def _get_phase(workshop_id: int, key: str) -> Phase:
    phase = Phase.objects.filter(workshop_id=workshop_id, key=key).first()
    if phase is None:
        raise Refused("not_found", _("This workshop has no phase %(key)s.") % {"key": key})
    return phase


@workshop_write
def phase_open(*, participant: Participant, phase: str, ref: str = "") -> Event:
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    if Workshop.objects.filter(pk=participant.workshop_id, ended_at__isnull=False).exists():
        raise Refused("invalid", _("The session has ended: reopen it to open a phase."))
    # Opened: a time it was to open at has come, early (services/schedule.py).
    Phase.objects.filter(pk=found.pk).update(status=Phase.Status.OPEN, opens_at=None)
    data = {"phase": found.key}
    return event_append(participant.workshop_id, "phase.opened", data, actor=participant, ref=ref)


@workshop_write
def phase_close(*, participant: Participant, phase: str, ref: str = "") -> Event:
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    Phase.objects.filter(pk=found.pk).update(status=Phase.Status.CLOSED, closes_at=None)
    data = {"phase": found.key}
    return event_append(participant.workshop_id, "phase.closed", data, actor=participant, ref=ref)


@workshop_write
def phase_add(
    *,
    participant: Participant,
    kind: str,
    title: str,
    prompt: str | None = "",
    columns: list[events.Column] | None = None,
    ref: str = "",
) -> Event:
    """Add a phase at the end; its key is its kind, numbered when the kind repeats.
    An `ideas` phase may have `columns`."""
    require_facilitator(participant)
    if kind not in Phase.Kind.values:
        raise Refused(
            "invalid", _("A phase is one of: %(kinds)s.") % {"kinds": ", ".join(Phase.Kind.values)}
        )
    title = clean_text(title, field=gettext_lazy("title"), max_length=PHASE_TITLE_MAX)
    prompt = clean_text(
        prompt or "", field=gettext_lazy("prompt"), max_length=PROMPT_MAX, required=False
    )
    phase_columns = _phase_columns(kind, columns)
    phases = Phase.objects.filter(workshop_id=participant.workshop_id)
    keys = set(phases.values_list("key", flat=True))
    key, n = kind, 2
    while key in keys:
        key, n = f"{kind}-{n}", n + 1
    position = (max(phases.values_list("position", flat=True), default=-1)) + 1
    phase = Phase.objects.create(
        workshop_id=participant.workshop_id,
        key=key,
        kind=kind,
        title=title,
        prompt=prompt,
        position=position,
        columns=phase_columns,
    )
    data = {
        "phase": phase.key,
        "kind": phase.kind,
        "title": phase.title,
        "prompt": phase.prompt,
        "position": phase.position,
        "columns": phase.columns,
    }
    return event_append(participant.workshop_id, "phase.added", data, actor=participant, ref=ref)


def _phase_columns(kind: str, columns: list[events.Column] | None) -> list[dict[str, str]]:
    if columns is None or columns == []:
        return []
    if kind != Phase.Kind.IDEAS:
        raise Refused("invalid", _("Only an ideas phase has columns."))
    return clean_columns(columns)


@workshop_write
def phase_remove(*, participant: Participant, phase: str, ref: str = "") -> Event:
    """Remove a phase nobody has voted in: accepted votes are never thrown away."""
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    if found.votes.exists():
        raise Refused(
            "invalid", _("People have voted in this phase; close it instead of removing it.")
        )
    found.delete()
    data = {"phase": found.key}
    return event_append(participant.workshop_id, "phase.removed", data, actor=participant, ref=ref)


@workshop_write
def phase_move(*, participant: Participant, phase: str, position: int, ref: str = "") -> Event:
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    phases = list(Phase.objects.filter(workshop_id=participant.workshop_id).order_by("position"))
    if not 0 <= position < len(phases):
        raise Refused(
            "invalid",
            _("The position must be from 0 to %(max)d.") % {"max": len(phases) - 1},
        )
    phases = [p for p in phases if p.pk != found.pk]
    phases.insert(position, found)
    for index, each in enumerate(phases):
        each.position = index
    Phase.objects.bulk_update(phases, ["position"])
    data = {"order": [p.key for p in phases]}
    return event_append(participant.workshop_id, "phase.moved", data, actor=participant, ref=ref)


VOTE_BUDGET_MAX = 50
TIMER_MAX_SECONDS = 4 * 3600


def clean_notes(raw: Any) -> str:
    """A phase's facilitator notes: free text with its line breaks, 0-4,000 characters."""
    return clean_text(
        raw, field=gettext_lazy("notes"), max_length=NOTES_MAX, required=False, multiline=True
    )


def clean_minutes(raw: Any) -> int | None:
    """A phase's suggested duration in whole minutes; 0 for none: as long as it
    takes. (phase.update reads null as "keep", as for its other fields: 0 clears it.)"""
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= MINUTES_MAX:
        raise Refused(
            "invalid",
            _("The suggested duration is a whole number of minutes from 0 (none) to %(max)d.")
            % {"max": MINUTES_MAX},
        )
    return raw or None


@workshop_write
def phase_update(
    *,
    participant: Participant,
    phase: str,
    title: str | None = None,
    prompt: str | None = None,
    vote_budget: int | None = None,
    columns: list[events.Column] | None = None,
    notes: str | None = None,
    minutes: int | None = None,
    tables: bool | None = None,
    opens_at: str | None = None,
    closes_at: str | None = None,
    ref: str = "",
) -> Event:
    """Change a phase's title, prompt, vote budget, (an ideas phase's) columns, its
    facilitator notes, suggested minutes (0: none), whether it runs in tables, or when it
    opens and closes by itself, even mid-session (omitted: kept; a time "": cleared).
    The notes reach facilitators only (events.PRIVATE_FIELDS)."""
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    if title is not None:
        found.title = clean_text(title, field=gettext_lazy("title"), max_length=PHASE_TITLE_MAX)
    if prompt is not None:
        found.prompt = clean_text(
            prompt, field=gettext_lazy("prompt"), max_length=PROMPT_MAX, required=False
        )
    if vote_budget is not None:
        if not 0 <= vote_budget <= VOTE_BUDGET_MAX:
            raise Refused(
                "invalid",
                _("The vote budget must be a whole number from 0 to %(max)d.")
                % {"max": VOTE_BUDGET_MAX},
            )
        found.vote_budget = vote_budget
    if columns is not None:
        found.columns = _phase_columns(found.kind, columns)
        require_columns_keep_ideas(found, found.columns)
    if notes is not None:
        found.notes = clean_notes(notes)
    if minutes is not None:
        found.minutes = clean_minutes(minutes)
    if tables is not None:
        found.tables = tables
    schedule_set(found, opens_at=opens_at, closes_at=closes_at)
    found.save(
        update_fields=[
            *("title", "prompt", "vote_budget", "columns"),
            *("notes", "minutes", "tables", "opens_at", "closes_at"),
        ]
    )
    data = {
        "phase": found.key,
        "title": found.title,
        "prompt": found.prompt,
        "vote_budget": found.vote_budget,
        "columns": found.columns,
        "minutes": found.minutes,
        "tables": found.tables,
        "notes": found.notes,
        **schedule_data(found),
    }
    return event_append(participant.workshop_id, "phase.updated", data, actor=participant, ref=ref)


@workshop_write
def timer_start(*, participant: Participant, phase: str, seconds: int, ref: str = "") -> Event:
    """A countdown every screen shows; it informs, it closes nothing by itself."""
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    if not 1 <= seconds <= TIMER_MAX_SECONDS:
        raise Refused(
            "invalid",
            _("The timer takes a number of seconds from 1 to %(max)d.")
            % {"max": TIMER_MAX_SECONDS},
        )
    found.timer_ends_at = timezone.now() + timedelta(seconds=seconds)
    found.save(update_fields=["timer_ends_at"])
    data = {
        "phase": found.key,
        "ends_at": events.timestamp(found.timer_ends_at),
        "seconds": seconds,
    }
    return event_append(participant.workshop_id, "timer.started", data, actor=participant, ref=ref)


@workshop_write
def timer_stop(*, participant: Participant, phase: str, ref: str = "") -> Event:
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    Phase.objects.filter(pk=found.pk).update(timer_ends_at=None)
    data = {"phase": found.key}
    return event_append(participant.workshop_id, "timer.stopped", data, actor=participant, ref=ref)


@workshop_write
def results_hide(*, participant: Participant, phase: str, ref: str = "") -> Event:
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    Phase.objects.filter(pk=found.pk).update(results_hidden=True)
    data = {"phase": found.key}
    return event_append(participant.workshop_id, "results.hidden", data, actor=participant, ref=ref)


@workshop_write
def results_reveal(*, participant: Participant, phase: str, ref: str = "") -> Event:
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    Phase.objects.filter(pk=found.pk).update(results_hidden=False)
    rows = (
        Vote.objects.filter(phase=found)
        .values_list("target_kind", "target_id")
        .annotate(total=Count("id"))
        .order_by("target_kind", "target_id")
    )
    totals = [{"kind": kind, "id": id, "total": total} for kind, id, total in rows]
    data = {"phase": found.key, "totals": totals}
    return event_append(
        participant.workshop_id, "results.revealed", data, actor=participant, ref=ref
    )


# ---------------------------------------------------------------------------- the ending


def room_report_url(workshop: Workshop) -> str | None:
    """The report link the ending put in front of the room, while it still works."""
    if workshop.ended_at is None or not workshop.report_for_room or not workshop.report_key:
        return None
    return reverse("report_shared", args=[workshop.code, workshop.report_key])


# Apps with something of their own still open when the session ends close it here, in
# the ending's transaction and before its event (principles: open consent rounds).
SESSION_END_PARTS: list[Callable[[Participant], None]] = []


@workshop_write
def session_end(
    *, participant: Participant, share_report: bool | None = False, ref: str = ""
) -> Event:
    """End the session: the phases still open close, and every screen shows the outcome.

    `share_report` gives the room the read-only report link: the existing one when the
    facilitator already shared it (links given out keep working), else a new one.
    """
    require_facilitator(participant)
    share_report = bool(share_report)  # left out (None): not shared
    workshop = Workshop.objects.get(pk=participant.workshop_id)
    if workshop.ended_at is not None:
        raise Refused("invalid", _("The session has already ended."))
    still_open = Phase.objects.filter(workshop=workshop, status=Phase.Status.OPEN)
    closed = list(still_open.order_by("position").values_list("key", flat=True))
    still_open.update(status=Phase.Status.CLOSED, closes_at=None)
    for close_part in SESSION_END_PARTS:
        close_part(participant)
    workshop.ended_at = timezone.now()
    workshop.report_for_room = share_report
    if share_report and not workshop.report_key:
        workshop.report_key = secrets.token_urlsafe(32)
    # The facilitator's message belonged to the session: the outcome replaces it.
    workshop.message, workshop.message_at = "", None
    workshop.save(
        update_fields=["ended_at", "report_for_room", "report_key", "message", "message_at"]
    )
    data = {"closed": closed, "report": room_report_url(workshop)}
    return event_append(participant.workshop_id, "session.ended", data, actor=participant, ref=ref)


@workshop_write
def session_reopen(*, participant: Participant, ref: str = "") -> Event:
    """Take the ending back: screens leave the outcome; the facilitator opens a phase next."""
    require_facilitator(participant)
    workshop = Workshop.objects.get(pk=participant.workshop_id)
    if workshop.ended_at is None:
        raise Refused("invalid", _("The session has not ended."))
    Workshop.objects.filter(pk=workshop.pk).update(ended_at=None, report_for_room=False)
    return event_append(participant.workshop_id, "session.reopened", {}, actor=participant, ref=ref)
