"""The events principles add to a workshop's log: one TypedDict per kind, registered
with the workshop's schemas (workshops/events.py) from PrinciplesConfig.ready()."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from workshops.events import Person


class PrincipleData(TypedDict):
    id: int
    title: str
    body: str
    sources: list[int]  # the statements it grew from
    status: str
    position: int
    by: Person | None


class PrincipleFinalized(TypedDict):
    id: int


class Reason(TypedDict):
    level: str
    reason: str


class _Round(TypedDict):
    """A round's distribution of places and the reasons given; never who gave them."""

    principle: int
    round: int
    status: str
    distribution: dict[str, int]  # level: how many placed themselves there
    reasons: list[str]  # those of who cannot support it
    all_reasons: NotRequired[list[Reason]]  # every reason, at any level (not in old logs)


class ConsentSummary(_Round):
    reasons_shown: NotRequired[bool]  # on the projector


class ConsentChanged(ConsentSummary):
    placer: int
    level: str


class ConsentReasonsShown(_Round):
    reasons_shown: bool


SCHEMAS = {
    "principle.proposed": PrincipleData,
    "principle.edited": PrincipleData,
    "principle.finalized": PrincipleFinalized,
    "consent.opened": ConsentSummary,
    "consent.changed": ConsentChanged,
    "consent.closed": ConsentSummary,
    "consent.reasons_shown": ConsentReasonsShown,
}
