"""Co-creating principles: propose, edit, finalise. Same road as every other change
(see workshops.services): locked, validated, logged, broadcast after commit."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshops.errors import CommandError
from workshops.events import person
from workshops.models import Event, Participant, Phase, Statement
from workshops.services import (
    command,
    event_append,
    facilitates,
    open_phase,
    require_facilitator,
)
from workshops.text import clean_text

from .models import ConsentResponse, ConsentRound, Principle

TITLE_MAX = 120
BODY_MAX = 2000
SOURCES_MAX = 50
# Principles one participant may propose (facilitators: no limit). Every principle is in
# every welcome: 45 sockets proposing 20 of 2 KB each made every welcome weigh 1.96 MB.
PROPOSALS_MAX = 5


def principle_data(principle: Principle, source_ids: list[int]) -> dict[str, Any]:
    return {
        "id": principle.pk,
        "title": principle.title,
        "body": principle.body,
        "sources": source_ids,
        "status": principle.status,
        "position": principle.position,
        "by": person(principle.author),
    }


def _clean_sources(workshop_id: int, raw: Any) -> list[int]:
    if raw is None:
        return []
    if (
        not isinstance(raw, list)
        or len(raw) > SOURCES_MAX
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in raw)
    ):
        raise CommandError("invalid", _("Sources must be a list of statement ids."))
    ids = list(dict.fromkeys(raw))
    found = set(
        Statement.objects.filter(workshop_id=workshop_id, pk__in=ids)
        .live()
        .values_list("pk", flat=True)
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise CommandError(
            "not_found", _("There is no statement %(id)s here.") % {"id": missing[0]}
        )
    return ids


def _get_principle(workshop_id: int, id: Any) -> Principle:
    if not isinstance(id, int) or isinstance(id, bool):
        raise CommandError("invalid", _("The principle id must be a number."))
    principle = Principle.objects.filter(workshop_id=workshop_id, pk=id, hidden=False).first()
    if principle is None:
        raise CommandError("not_found", _("There is no principle %(id)s here.") % {"id": id})
    return principle


@command
def principle_propose(
    *, participant: Participant, title: Any, body: Any = "", sources: Any = None, ref: str = ""
) -> Event:
    # Facilitators propose at any time; anyone else (a removed co-facilitator too) only
    # while a principles phase is open.
    if not facilitates(participant):
        open_phase(participant.workshop_id, Phase.Kind.PRINCIPLES)
        if Principle.objects.filter(author=participant).count() >= PROPOSALS_MAX:
            raise CommandError(
                "over_budget",
                _("You have proposed %(count)s principles, the most one person can.")
                % {"count": PROPOSALS_MAX},
            )
    title = clean_text(title, field=gettext_lazy("title"), max_length=TITLE_MAX)
    body = _clean_body(body)
    source_ids = _clean_sources(participant.workshop_id, sources)
    position = Principle.objects.filter(workshop_id=participant.workshop_id).count()
    principle = Principle.objects.create(
        workshop_id=participant.workshop_id,
        author=participant,
        title=title,
        body=body,
        position=position,
    )
    principle.sources.set(source_ids)
    data = principle_data(principle, source_ids)
    return event_append(
        participant.workshop_id, "principle.proposed", data, actor=participant, ref=ref
    )


def _clean_body(body: Any) -> str:
    if body is None:
        return ""
    return clean_text(
        body, field=gettext_lazy("text"), max_length=BODY_MAX, required=False, multiline=True
    )


@command
def principle_edit(
    *,
    participant: Participant,
    id: Any,
    title: Any = None,
    body: Any = None,
    sources: Any = None,
    position: Any = None,
    ref: str = "",
) -> Event:
    """Change any of a principle's title, body, sources and position (omitted: kept)."""
    require_facilitator(participant)
    principle = _get_principle(participant.workshop_id, id)
    if title is not None:
        principle.title = clean_text(title, field=gettext_lazy("title"), max_length=TITLE_MAX)
    if body is not None:
        principle.body = _clean_body(body)
    if position is not None:
        if not isinstance(position, int) or isinstance(position, bool) or position < 0:
            raise CommandError("invalid", _("The position must be a whole number from 0."))
        principle.position = position
    principle.save(update_fields=["title", "body", "position"])
    if sources is not None:
        principle.sources.set(_clean_sources(participant.workshop_id, sources))
    source_ids = list(principle.sources.order_by("id").values_list("pk", flat=True))
    data = principle_data(principle, source_ids)
    return event_append(
        participant.workshop_id, "principle.edited", data, actor=participant, ref=ref
    )


@command
def principle_finalize(*, participant: Participant, id: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    principle = _get_principle(participant.workshop_id, id)
    Principle.objects.filter(pk=principle.pk).update(status=Principle.Status.FINAL)
    return event_append(
        participant.workshop_id,
        "principle.finalized",
        {"id": principle.pk},
        actor=participant,
        ref=ref,
    )


# ---------------------------------------------------------------------------- consent

REASON_MAX = 300


def consent_summary(round: ConsentRound) -> dict[str, Any]:
    """The distribution of the room's places, and the reasons of those who cannot support."""
    distribution = {level: 0 for level in ConsentResponse.Level.values}
    reasons = []
    # .all() so a prefetch serves the state without a query per principle.
    for response in sorted(round.responses.all(), key=lambda r: r.pk):
        distribution[response.level] += 1
        if response.level == ConsentResponse.Level.CANNOT and response.reason:
            reasons.append(response.reason)
    return {
        "principle": round.principle_id,
        "round": round.pk,
        "status": round.status,
        "distribution": distribution,
        "reasons": reasons,
    }


def _open_round(principle: Principle) -> ConsentRound:
    round = principle.rounds.filter(status=ConsentRound.Status.OPEN).first()
    if round is None:
        raise CommandError("phase_closed", _("There is no consent round open on this principle."))
    return round


@command
def consent_open(*, participant: Participant, id: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    principle = _get_principle(participant.workshop_id, id)
    principle.rounds.filter(status=ConsentRound.Status.OPEN).update(
        status=ConsentRound.Status.CLOSED
    )
    round = ConsentRound.objects.create(principle=principle)
    return event_append(
        participant.workshop_id,
        "consent.opened",
        consent_summary(round),
        actor=participant,
        ref=ref,
    )


@command
def consent_place(
    *, participant: Participant, id: Any, level: Any, reason: Any = "", ref: str = ""
) -> Event:
    """Place oneself on the gradient of agreement; placing again moves one's place."""
    principle = _get_principle(participant.workshop_id, id)
    round = _open_round(principle)
    if level not in ConsentResponse.Level.values:
        raise CommandError(
            "invalid",
            _("Choose one of: %(levels)s.") % {"levels": ", ".join(ConsentResponse.Level.values)},
        )
    reason = clean_text(
        reason or "", field=gettext_lazy("reason"), max_length=REASON_MAX, required=False
    )
    ConsentResponse.objects.update_or_create(
        round=round, participant=participant, defaults={"level": level, "reason": reason}
    )
    data = {**consent_summary(round), "placer": participant.pk, "level": level}
    return event_append(
        participant.workshop_id, "consent.changed", data, actor=participant, ref=ref
    )


@command
def consent_close(*, participant: Participant, id: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    principle = _get_principle(participant.workshop_id, id)
    round = _open_round(principle)
    round.status = ConsentRound.Status.CLOSED
    round.save(update_fields=["status"])
    return event_append(
        participant.workshop_id,
        "consent.closed",
        consent_summary(round),
        actor=participant,
        ref=ref,
    )
