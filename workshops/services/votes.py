"""Votes: cast and taken back within a phase's budget, on any registered kind of target."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from ..errors import Refused
from ..events import Target
from ..models import (
    VOTING_PHASE,
    Event,
    Idea,
    Participant,
    Phase,
    Statement,
    Vote,
)
from .core import event_append, open_phase, workshop_write
from .ideas import idea_vote_phase

# Extensions that own a kind of vote target (principles) say how to find one.
VOTE_TARGETS: dict[str, Callable[[int, int], bool]] = {
    Vote.Kind.STATEMENT: lambda workshop_id, id: (
        Statement.objects.filter(workshop_id=workshop_id, pk=id).live().exists()
    ),
    Vote.Kind.IDEA: lambda workshop_id, id: (
        Idea.objects.filter(workshop_id=workshop_id, pk=id).live().exists()
    ),
}

# Kinds whose votes belong to the target's own phase rather than the first open phase
# of their kind (several `ideas` phases may run, each with its own budget).
VOTE_PHASES: dict[str, Callable[[int, int], Phase]] = {
    Vote.Kind.IDEA: idea_vote_phase,
}


def _voting_phase(workshop_id: int, kind: str, id: int) -> Phase:
    find = VOTE_PHASES.get(kind)
    return find(workshop_id, id) if find else open_phase(workshop_id, VOTING_PHASE[kind])


def _vote_target(workshop_id: int, target: Target) -> tuple[str, int]:
    kind, id = target["kind"], target["id"]
    if kind not in VOTING_PHASE:
        raise Refused(
            "invalid", _("Say what the vote is for: a statement, a principle or an idea.")
        )
    exists = VOTE_TARGETS.get(kind)
    if exists is None or not exists(workshop_id, id):
        raise Refused("not_found", _("There is nothing to vote for with that id."))
    return kind, id


def _vote_event(participant: Participant, phase: Phase, kind: str, id: int, ref: str) -> Event:
    on_target = Vote.objects.filter(target_kind=kind, target_id=id)
    data = {
        "target": {"kind": kind, "id": id},
        "total": None if phase.results_hidden else on_target.count(),
        "voter": participant.pk,
        "voter_votes": on_target.filter(participant=participant).count(),
        "phase": phase.key,
    }
    return event_append(participant.workshop_id, "vote.changed", data, actor=participant, ref=ref)


@workshop_write
def vote_cast(*, participant: Participant, target: Target, ref: str = "") -> Event:
    kind, id = _vote_target(participant.workshop_id, target)
    phase = _voting_phase(participant.workshop_id, kind, id)
    spent = Vote.objects.filter(participant=participant, phase=phase).count()
    if spent >= phase.vote_budget:
        raise Refused(
            "over_budget",
            _("You have used all %(n)d of your votes; take one back to vote again.")
            % {"n": phase.vote_budget},
        )
    Vote.objects.create(participant=participant, phase=phase, target_kind=kind, target_id=id)
    return _vote_event(participant, phase, kind, id, ref)


@workshop_write
def vote_retract(*, participant: Participant, target: Target, ref: str = "") -> Event:
    kind, id = _vote_target(participant.workshop_id, target)
    phase = _voting_phase(participant.workshop_id, kind, id)
    mine = Vote.objects.filter(participant=participant, target_kind=kind, target_id=id).last()
    if mine is None:
        raise Refused("not_found", _("You have no vote on that to take back."))
    mine.delete()
    return _vote_event(participant, phase, kind, id, ref)
