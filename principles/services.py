"""Co-creating principles: propose, edit, finalise. Same road as every other change
(see workshops.services): locked, validated, logged, broadcast after commit."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from workshops import access
from workshops.errors import Refused
from workshops.events import person
from workshops.models import Event, Participant, Phase, Statement
from workshops.services import (
    event_append,
    open_phase,
    require_facilitator,
    workshop_write,
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


def _clean_sources(workshop_id: int, raw: list[int] | None) -> list[int]:
    if raw is None:
        return []
    if len(raw) > SOURCES_MAX:
        raise Refused(
            "invalid", _("A principle grows from at most %(n)d statements.") % {"n": SOURCES_MAX}
        )
    ids = list(dict.fromkeys(raw))
    found = set(
        Statement.objects.filter(workshop_id=workshop_id, pk__in=ids)
        .live()
        .values_list("pk", flat=True)
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise Refused("not_found", _("There is no statement %(id)s here.") % {"id": missing[0]})
    return ids


def _get_principle(workshop_id: int, id: int) -> Principle:
    principle = Principle.objects.filter(workshop_id=workshop_id, pk=id, hidden=False).first()
    if principle is None:
        raise Refused("not_found", _("There is no principle %(id)s here.") % {"id": id})
    return principle


@workshop_write
def principle_propose(
    *,
    participant: Participant,
    title: str,
    body: str | None = "",
    sources: list[int] | None = None,
    ref: str = "",
) -> Event:
    # Facilitators propose at any time; anyone else (a removed co-facilitator too) only
    # while a principles phase is open.
    if not access.acting_facilitator(participant):
        open_phase(participant.workshop_id, Phase.Kind.PRINCIPLES)
        if Principle.objects.filter(author=participant).count() >= PROPOSALS_MAX:
            raise Refused(
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


def _clean_body(body: str | None) -> str:
    if body is None:
        return ""
    return clean_text(
        body, field=gettext_lazy("text"), max_length=BODY_MAX, required=False, multiline=True
    )


@workshop_write
def principle_edit(
    *,
    participant: Participant,
    id: int,
    title: str | None = None,
    body: str | None = None,
    sources: list[int] | None = None,
    position: int | None = None,
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
        if position < 0:
            raise Refused("invalid", _("The position must be a whole number from 0."))
        principle.position = position
    principle.save(update_fields=["title", "body", "position"])
    if sources is not None:
        principle.sources.set(_clean_sources(participant.workshop_id, sources))
    source_ids = list(principle.sources.order_by("id").values_list("pk", flat=True))
    data = principle_data(principle, source_ids)
    return event_append(
        participant.workshop_id, "principle.edited", data, actor=participant, ref=ref
    )


@workshop_write
def principle_finalize(
    *, participant: Participant, id: int, confirm: bool | None = False, ref: str = ""
) -> Event:
    """Agree a principle. While its consent round is open, or when its last round had
    objections, the facilitator must say so (`confirm`: true): a projector must never show
    a principle agreed over the room's heads by a stray click."""
    require_facilitator(participant)
    principle = _get_principle(participant.workshop_id, id)
    if not confirm:
        _refuse_unconfirmed_finalize(principle)
    Principle.objects.filter(pk=principle.pk).update(status=Principle.Status.FINAL)
    return event_append(
        participant.workshop_id,
        "principle.finalized",
        {"id": principle.pk},
        actor=participant,
        ref=ref,
    )


def _refuse_unconfirmed_finalize(principle: Principle) -> None:
    latest = principle.rounds.order_by("-id").first()
    if latest is None:
        return
    if latest.status == ConsentRound.Status.OPEN:
        raise Refused(
            "invalid",
            _(
                "The consent round on this principle is still open. "
                "Close it first, or finalize with confirm to agree it anyway."
            ),
        )
    objections = latest.responses.filter(level=ConsentResponse.Level.CANNOT).count()
    if objections:
        raise Refused(
            "invalid",
            ngettext(
                "%(count)s person cannot support this principle. "
                "Finalize with confirm to agree it with the objection noted.",
                "%(count)s people cannot support this principle. "
                "Finalize with confirm to agree it with the objections noted.",
                objections,
            )
            % {"count": objections},
        )


# ---------------------------------------------------------------------------- consent

REASON_MAX = 300


def consent_summary(round: ConsentRound) -> dict[str, Any]:
    """The distribution of the room's places; the reasons of those who cannot support
    (`reasons`, as protocol 1 always sent them), and every reason given at any level
    (`all_reasons`: the record keeps reservations and calls for discussion too), and
    whether the facilitator shows them on the projector (`reasons_shown`). No names."""
    distribution = {level: 0 for level in ConsentResponse.Level.values}
    reasons = []
    all_reasons = []
    # .all() so a prefetch serves the state without a query per principle.
    for response in sorted(round.responses.all(), key=lambda r: r.pk):
        distribution[response.level] += 1
        if response.reason:
            all_reasons.append({"level": response.level, "reason": response.reason})
        if response.level == ConsentResponse.Level.CANNOT and response.reason:
            reasons.append(response.reason)
    return {
        "principle": round.principle_id,
        "round": round.pk,
        "status": round.status,
        "distribution": distribution,
        "reasons": reasons,
        "all_reasons": all_reasons,
        "reasons_shown": round.reasons_shown,
    }


def _open_round(principle: Principle) -> ConsentRound:
    round = principle.rounds.filter(status=ConsentRound.Status.OPEN).first()
    if round is None:
        raise Refused("phase_closed", _("There is no consent round open on this principle."))
    return round


def _round_announce(participant: Participant, kind: str, round: ConsentRound, ref: str) -> Event:
    return event_append(
        participant.workshop_id, kind, consent_summary(round), actor=participant, ref=ref
    )


@workshop_write
def consent_open(*, participant: Participant, id: int, ref: str = "") -> Event:
    require_facilitator(participant)
    principle = _get_principle(participant.workshop_id, id)
    principle.rounds.filter(status=ConsentRound.Status.OPEN).update(
        status=ConsentRound.Status.CLOSED
    )
    round = ConsentRound.objects.create(principle=principle)
    return _round_announce(participant, "consent.opened", round, ref)


@workshop_write
def consent_place(
    *, participant: Participant, id: int, level: str, reason: str | None = "", ref: str = ""
) -> Event:
    """Place oneself on the gradient of agreement; placing again moves one's place."""
    principle = _get_principle(participant.workshop_id, id)
    round = _open_round(principle)
    if level not in ConsentResponse.Level.values:
        raise Refused(
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


@workshop_write
def consent_close(*, participant: Participant, id: int, ref: str = "") -> Event:
    require_facilitator(participant)
    principle = _get_principle(participant.workshop_id, id)
    round = _open_round(principle)
    round.status = ConsentRound.Status.CLOSED
    round.save(update_fields=["status"])
    return _round_announce(participant, "consent.closed", round, ref)


def consent_close_all(participant: Participant) -> None:
    """Close every round still open in the workshop, each announced as consent.closed: a
    session that ended leaves no question open on anyone's screen."""
    open_rounds = ConsentRound.objects.filter(
        principle__workshop_id=participant.workshop_id, status=ConsentRound.Status.OPEN
    ).order_by("id")
    for round in open_rounds:
        round.status = ConsentRound.Status.CLOSED
        round.save(update_fields=["status"])
        _round_announce(participant, "consent.closed", round, "")


@workshop_write
def consent_reasons_show(*, participant: Participant, id: int, shown: bool, ref: str = "") -> Event:
    """Put the reasons of a principle's latest round on the projector, or take them off.
    The latest round, open or closed: a closed round's result stays up to be discussed."""
    require_facilitator(participant)
    principle = _get_principle(participant.workshop_id, id)
    round = principle.rounds.order_by("-id").first()
    if round is None:
        raise Refused("not_found", _("There has been no consent round on this principle."))
    round.reasons_shown = shown
    round.save(update_fields=["reasons_shown"])
    return _round_announce(participant, "consent.reasons_shown", round, ref)
