"""Workshops: creating, designing, duplicating, and deleting them with all they hold."""

from __future__ import annotations

import functools
import logging
import secrets
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access
from ..designs import DESIGNS, WorkshopDesign
from ..errors import Refused
from ..models import (
    DEFAULT_STATEMENT_TEMPLATE,
    Event,
    Participant,
    Phase,
    Vote,
    Workshop,
)
from ..text import (
    ACTIVITY_MAX,
    DESCRIPTION_MAX,
    LICENCE_MAX,
    STATEMENT_TEMPLATE_MAX,
    SUGGESTIONS_MAX,
    WORKSHOP_TITLE_MAX,
    clean_text,
    time_zone_clean,
)
from . import announce
from .core import event_append, require_facilitator, workshop_write
from .people import facilitator_participant

log = logging.getLogger(__name__)

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    """A random join code no workshop has yet."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if not Workshop.objects.filter(code=code).exists():
            return code


def normalise_join_code(code: str) -> str:
    return code.strip().upper()


@transaction.atomic
def workshop_create(
    *,
    title: str,
    template: str = "open-values",
    facilitator: User | None = None,
    description: str = "",
    licence: str = "",
    time_zone: str = "UTC",
) -> Workshop:
    time_zone = time_zone_clean(time_zone)
    title = " ".join(title.split())
    if not title:
        raise Refused("empty", _("Please give the workshop a title."))
    if template not in DESIGNS:
        raise Refused("invalid", _("There is no template called %(t)s.") % {"t": template})
    design = DESIGNS[template]
    code = new_join_code()
    workshop = Workshop.objects.create(
        code=code,
        title=title[:200],
        description=description,
        template=template,
        # In the language of the facilitator who creates it, like the phases' prompts.
        statement_template=_(DEFAULT_STATEMENT_TEMPLATE),
        activity_suggestions=[str(text) for text in design.activity_suggestions],
        **({"licence": licence} if licence else {}),
        time_zone=time_zone,
    )
    for position, phase in enumerate(design.phases):
        Phase.objects.create(
            workshop=workshop,
            key=phase.key,
            kind=phase.kind,
            title=str(phase.title),
            prompt=str(phase.prompt),
            position=position,
            status=Phase.Status.OPEN if phase.open_at_start else Phase.Status.PENDING,
            columns=[{"key": key, "title": str(title)} for key, title in phase.columns],
            vote_budget=phase.vote_budget,
            minutes=phase.minutes,
            tables=phase.tables,
            notes=_design_notes(design, position),
        )
    if facilitator is not None:
        workshop.facilitators.add(facilitator)
    log.debug("workshop %s created from %s", code, template)
    return workshop


def _design_notes(design: WorkshopDesign, position: int) -> str:
    """A phase's notes, in the active language; the first phase's end with the method's
    credit, so that every workshop made from the design carries it (CC BY-SA: attribute)."""
    notes = str(design.phases[position].notes)
    if position == 0 and design.credit:
        notes = f"{notes}\n\n{design.credit}" if notes else str(design.credit)
    return notes


def clean_statement_template(raw: Any) -> str:
    """The statement's wording with its two slots, written {activity} and {value}
    (or (ACTIVITY) and (VALUE), as the recorded workshop wrote them)."""
    template = clean_text(
        raw, field=gettext_lazy("statement wording"), max_length=STATEMENT_TEMPLATE_MAX
    )
    template = template.replace("(ACTIVITY)", "{activity}").replace("(VALUE)", "{value}")
    if template.count("{activity}") != 1 or template.count("{value}") != 1:
        raise Refused(
            "invalid",
            _("The wording needs the two slots (ACTIVITY) and (VALUE), once each."),
        )
    return template


def clean_activity_suggestions(raw: Any) -> list[str]:
    if not isinstance(raw, list) or len(raw) > SUGGESTIONS_MAX:
        raise Refused(
            "invalid",
            _("Activity suggestions are a list of at most %(n)d texts.") % {"n": SUGGESTIONS_MAX},
        )
    cleaned = [
        clean_text(item, field=gettext_lazy("activity"), max_length=ACTIVITY_MAX) for item in raw
    ]
    return list(dict.fromkeys(cleaned))


@workshop_write
def workshop_update(
    *,
    participant: Participant,
    title: str | None = None,
    description: str | None = None,
    licence: str | None = None,
    statement_template: str | None = None,
    activity_suggestions: list[str] | None = None,
    ref: str = "",
) -> Event:
    """Change the workshop's design, before or during the session (omitted: kept)."""
    require_facilitator(participant)
    workshop = Workshop.objects.get(pk=participant.workshop_id)
    if title is not None:
        workshop.title = clean_text(
            title, field=gettext_lazy("title"), max_length=WORKSHOP_TITLE_MAX
        )
    if description is not None:
        workshop.description = clean_text(
            description,
            field=gettext_lazy("description"),
            max_length=DESCRIPTION_MAX,
            required=False,
        )
    if licence is not None:
        workshop.licence = clean_text(
            licence, field=gettext_lazy("licence"), max_length=LICENCE_MAX
        )
    if statement_template is not None:
        workshop.statement_template = clean_statement_template(statement_template)
    if activity_suggestions is not None:
        workshop.activity_suggestions = clean_activity_suggestions(activity_suggestions)
    workshop.save(
        update_fields=[
            "title",
            "description",
            "licence",
            "statement_template",
            "activity_suggestions",
        ]
    )
    data = {
        "title": workshop.title,
        "description": workshop.description,
        "licence": workshop.licence,
        "statement_template": workshop.statement_template,
        "activity_suggestions": workshop.activity_suggestions,
    }
    return event_append(workshop.pk, "workshop.updated", data, actor=participant, ref=ref)


@transaction.atomic
def workshop_duplicate(*, workshop: Workshop, facilitator: User) -> Workshop:
    """A new workshop with this one's design (phases, wording, suggestions), nothing said."""
    copy = workshop_create(
        title=_("%(title)s (copy)") % {"title": workshop.title},
        template="blank",
        facilitator=facilitator,
        description=workshop.description,
        licence=workshop.licence,
    )
    copy.statement_template = workshop.statement_template
    copy.activity_suggestions = list(workshop.activity_suggestions)
    copy.save(update_fields=["statement_template", "activity_suggestions"])
    copy.phases.all().delete()
    for phase in workshop.phases.order_by("position"):
        Phase.objects.create(
            workshop=copy,
            key=phase.key,
            kind=phase.kind,
            title=phase.title,
            prompt=phase.prompt,
            position=phase.position,
            vote_budget=phase.vote_budget,
            status=Phase.Status.OPEN if phase.position == 0 else Phase.Status.PENDING,
            columns=phase.columns,
            minutes=phase.minutes,
            tables=phase.tables,
            notes=phase.notes,
        )
    return copy


def workshop_schedule_deletion(*, workshop: Workshop, by: User, delete_after: Any) -> None:
    """Set (or clear, with None) the day the workshop and all its data are deleted,
    logged as `retention.changed` under the facilitator who did it."""
    actor = facilitator_participant(workshop=workshop, user=by)
    _retention_set(participant=actor, delete_after=delete_after)


@workshop_write
def _retention_set(*, participant: Participant, delete_after: date | None, ref: str = "") -> Event:
    Workshop.objects.filter(pk=participant.workshop_id).update(delete_after=delete_after)
    data = {"delete_after": delete_after.isoformat() if delete_after else None}
    return event_append(
        participant.workshop_id, "retention.changed", data, actor=participant, ref=ref
    )


def workshop_delete(*, workshop: Workshop, by: User | None) -> None:
    """Delete a workshop and everything said in it: rows are gone, not hidden.

    `by` is None only for the retention purge. Connected sockets are told and closed.
    """
    with transaction.atomic():
        if by is not None:
            access.facilitator(by, workshop).require()
        workshop_id, code = workshop.pk, workshop.code
        Vote.objects.filter(phase__workshop_id=workshop_id).delete()
        Workshop.objects.filter(pk=workshop_id).delete()
        transaction.on_commit(functools.partial(announce.workshop_deleted, workshop_id))
    log.info("workshop %s deleted by %s", code, by.username if by else "the retention purge")


def purge_expired(*, today: Any = None) -> list[str]:
    """Delete every workshop whose deletion day has come; returns their codes."""
    today = today or timezone.localdate()
    codes = []
    for workshop in Workshop.objects.filter(delete_after__lte=today):
        codes.append(workshop.code)
        workshop_delete(workshop=workshop, by=None)
    return codes
