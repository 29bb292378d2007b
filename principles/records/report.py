"""The report's first section, the outcome: every principle the room saw, with the
statements it grew from, its votes and every consent round on it (see
workshops.records.report); PRINCIPLES (principles/extension.py) plugs it in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy, ngettext

from workshops.models import Workshop
from workshops.records.exports import ExportContext
from workshops.records.report import ReportPart

from .exports import consent_rows

CONSENT_LEVELS = (
    ("full", gettext_lazy("Full support")),
    ("reservations", gettext_lazy("Support with reservations")),
    ("discuss", gettext_lazy("Need more discussion")),
    ("cannot", gettext_lazy("Cannot support")),
)


@dataclass
class Source:
    text: str
    value: str


@dataclass
class ConsentLevel:
    key: str
    label: str
    count: int
    percent: float
    # Where its segment starts on a 0 to 100 bar.
    offset: float = 0.0


@dataclass
class Reason:
    """A reason someone gave for their place in a consent round (at any level)."""

    level: str
    label: str
    text: str


@dataclass
class ConsentRoundRow:
    number: int
    open: bool
    levels: list[ConsentLevel]
    total: int
    reasons: list[Reason]


@dataclass
class PrincipleRow:
    title: str
    body: str
    status: str
    votes: int | None
    sources: list[Source]
    # Every consent round on it, oldest first.
    rounds: list[ConsentRoundRow] = field(default_factory=list)

    @property
    def consent(self) -> list[ConsentLevel] | None:
        """The latest round's distribution."""
        return self.rounds[-1].levels if self.rounds else None

    @property
    def consent_open(self) -> bool:
        return bool(self.rounds and self.rounds[-1].open)

    @property
    def reasons(self) -> list[str]:
        """Every reason given in the latest round."""
        return [reason.text for reason in self.rounds[-1].reasons] if self.rounds else []


def _consent_rounds(workshop: Workshop) -> dict[int, list[dict[str, Any]]]:
    """Every consent round by principle id, as the exports have them: two queries."""
    rounds: dict[int, list[dict[str, Any]]] = {}
    for round in consent_rows(ExportContext(workshop=workshop, anonymize=True)):
        rounds.setdefault(round["principle"], []).append(round)
    return rounds


def _consent_round_row(round: dict[str, Any]) -> ConsentRoundRow:
    distribution = round["distribution"]
    total = sum(distribution.values())
    levels = [
        ConsentLevel(
            key=key,
            label=str(label),
            count=distribution.get(key, 0),
            percent=round_percent(distribution.get(key, 0), total),
        )
        for key, label in CONSENT_LEVELS
    ]
    offset = 0.0
    for level in levels:
        level.offset = offset
        offset += level.percent
    labels = {key: str(label) for key, label in CONSENT_LEVELS}
    return ConsentRoundRow(
        number=round["round"],
        open=round["status"] == "open",
        levels=levels,
        total=total,
        reasons=[
            Reason(level=place["level"], label=labels[place["level"]], text=place["reason"])
            for place in round["responses"]
            if place["reason"]
        ],
    )


def round_percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0


def _principle_row(
    principle: dict[str, Any],
    statements: dict[int, dict[str, Any]],
    rounds: list[dict[str, Any]],
) -> PrincipleRow:
    # Sources that were hidden since are left out, like every hidden item.
    sources = [
        Source(text=statements[id]["text"], value=statements[id]["value"])
        for id in principle["sources"]
        if id in statements
    ]
    return PrincipleRow(
        title=principle["title"],
        body=principle["body"],
        status=principle["status"],
        votes=principle["votes"],
        sources=sources,
        rounds=[_consent_round_row(r) for r in rounds],
    )


def report_principles(workshop: Workshop, state: dict[str, Any]) -> ReportPart | None:
    """The principles in the room's state (hidden ones are not there), in their order;
    shown even when there are none, to say so, unless the workshop's design has no
    principles step (a design of ideas)."""
    if not state.get("principles") and not any(
        phase["kind"] == "principles" for phase in state["phases"]
    ):
        return None
    statements = {statement["id"]: statement for statement in state["statements"]}
    rounds = _consent_rounds(workshop)
    principles = [
        _principle_row(p, statements, rounds.get(p["id"], [])) for p in state.get("principles", [])
    ]
    return ReportPart(
        "principles/_report.html",
        {"principles": principles},
        outcome=True,
        figures=[(ngettext("principle", "principles", len(principles)), len(principles))],
        contributions=state.get("principles", []),
        votes_hidden=any(p.votes is None for p in principles),
    )
