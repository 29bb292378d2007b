"""The report of a workshop, after the session: what the room said, ready to print.

Built from `selectors.workshop_state` (the room's view: hidden and pending items are
left out; the extensions' items come through `STATE_PARTS`), plus two counts, so the
number of queries does not grow with the number of items; each extension draws its own
section from that state (`REPORT_PARTS`). The values chart is an inline SVG drawn
by `templates/workshops/_values_chart.svg`, where every text is auto-escaped.

The report can be shared read-only by a secret link (`Workshop.report_key`); a new key
replaces the old one, so rotating revokes the previous link.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import ngettext, npgettext

from .. import selectors
from ..models import Participant, Vote, Workshop
from ..text import normalise_key
from . import exports
from .grouping import Mention, ValueGroup, group_statements, group_values, most_voted

log = logging.getLogger(__name__)

# The most-mentioned values the chart draws; the table below it lists them all. 15 rows
# fit on half an A4 page with the Values heading: 25 filled a page, so a printed report
# left the heading alone at the foot of the page before (the chart cannot be split).
CHART_LIMIT = 15
# The chart's geometry: rows in px (text keeps its size on a phone), bars in % of the width.
CHART_ROW = 38
CHART_BAR = 14
CHART_SPAN = 90  # % of the width the longest bar takes; the count sits after it


@dataclass
class Bar:
    """One row of the values chart: its top in px, its bar's width in % of the chart."""

    text: str
    count: int
    y: int
    width: float


@dataclass(frozen=True)
class ReportPart:
    """A section another app adds to the report: its template, included in the report's
    context with `part` (its data)."""

    template: str
    data: dict[str, Any]
    # The outcome (what the group agreed) stands first, before what it grew from; the
    # other sections come after how the session ran.
    outcome: bool = False
    # Its figures in "Participation" ((label, count), after the statements'), its items
    # people contributed (each with "at" and "by": who took part, and when), and whether
    # some of its vote totals are still hidden.
    figures: Sequence[tuple[str, int]] = ()
    contributions: Sequence[dict[str, Any]] = ()
    votes_hidden: bool = False


# Filled by extensions.register: each gives its section from the workshop and the room's
# state, or None.
REPORT_PARTS: list[Callable[[Workshop, dict[str, Any]], ReportPart | None]] = []


@dataclass
class IdeaCard:
    """A card of an ideas phase, with the cards that answer it."""

    text: str
    votes: int | None
    answers: list[IdeaCard] = field(default_factory=list)
    table: str | None = None  # the breakout table it came from, by name


@dataclass
class IdeaColumn:
    title: str
    cards: list[IdeaCard]


@dataclass
class IdeaSection:
    """An ideas phase as the room saw it: its columns side by side (one, untitled, when
    it has none)."""

    key: str
    title: str
    prompt: str
    columns: list[IdeaColumn]


def idea_sections(state: dict[str, Any]) -> list[IdeaSection]:
    """Each ideas phase with cards, in the phases' order: answers under their card (an
    answer to a card the room no longer sees stands as a card), oldest first."""
    sections = []
    for phase in state["phases"]:
        ideas = [idea for idea in state.get("ideas", []) if idea["phase"] == phase["key"]]
        if phase["kind"] != "ideas" or not ideas:
            continue
        names = exports.table_names(state)
        cards = {
            idea["id"]: IdeaCard(
                text=idea["text"], votes=idea["votes"], table=names.get(idea["table"] or 0)
            )
            for idea in ideas
        }
        columns = phase.get("columns") or [{"key": None, "title": ""}]
        by_column: dict[str | None, list[IdeaCard]] = {c["key"]: [] for c in columns}
        for idea in ideas:
            card, parent = cards[idea["id"]], cards.get(idea["parent"] or 0)
            if parent is not None:
                parent.answers.append(card)
            else:
                by_column.get(idea["column"], by_column[columns[0]["key"]]).append(card)
        sections.append(
            IdeaSection(
                key=phase["key"],
                title=phase["title"],
                prompt=phase["prompt"],
                columns=[IdeaColumn(c["title"], by_column[c["key"]]) for c in columns],
            )
        )
    return sections


@dataclass
class Report:
    workshop: Workshop
    phases: list[dict[str, Any]]
    # The prompt of the first phase of each kind: what the room was asked.
    prompts: dict[str, str]
    first_at: datetime | None
    last_at: datetime | None
    figures: list[tuple[str, int]]
    values: list[ValueGroup]
    statement_groups: list[ValueGroup]
    votes_hidden: bool
    chart: SafeString
    ideas: list[IdeaSection] = field(default_factory=list)
    parts: list[ReportPart] = field(default_factory=list)

    @property
    def chart_shown(self) -> int:
        """How many values the chart draws (the most named); the table has them all."""
        return min(len(self.values), CHART_LIMIT)


def _when(at: str | None) -> datetime | None:
    return datetime.fromisoformat(at) if at else None


def report_build(workshop: Workshop) -> Report:
    """Everything the report shows, with a fixed number of queries."""
    _seq, state = selectors.workshop_state(workshop)
    workshop = Workshop.objects.get(pk=workshop.pk)
    groups = _value_groups(state["values"])
    statement_groups = _statement_groups(state, groups)
    parts = [part for build in REPORT_PARTS if (part := build(workshop, state)) is not None]
    values = sorted(groups.values(), key=lambda g: (-g.people, -g.count, g.first_id))
    built_on = {group.key: group.statements for group in statement_groups}
    for group in values:
        if group.key in built_on:
            group.statements = built_on[group.key]
    first_at, last_at = _time_span(state, parts)
    return Report(
        workshop=workshop,
        phases=state["phases"],
        prompts=_prompts(state),
        first_at=first_at,
        last_at=last_at,
        figures=_figures(workshop, state, groups, parts),
        values=values,
        statement_groups=statement_groups,
        votes_hidden=any(s["votes"] is None for s in state["statements"])
        or any(part.votes_hidden for part in parts),
        chart=values_chart(values),
        ideas=idea_sections(state),
        parts=parts,
    )


# What people contribute, by their part of the state: who took part, and when.
CONTRIBUTIONS = ("values", "statements", "ideas")


def _contributions(state: dict[str, Any], parts: list[ReportPart]) -> list[dict[str, Any]]:
    """Everything the room saw people contribute, the extensions' items too."""
    return [item for part in CONTRIBUTIONS for item in state.get(part, [])] + [
        item for part in parts for item in part.contributions
    ]


def _time_span(
    state: dict[str, Any], parts: list[ReportPart]
) -> tuple[datetime | None, datetime | None]:
    """When the first and the last contribution the room saw were made."""
    times = [at for item in _contributions(state, parts) if (at := _when(item.get("at")))]
    return (min(times), max(times)) if times else (None, None)


def _prompts(state: dict[str, Any]) -> dict[str, str]:
    """The prompt of the first phase of each kind (its title when it has none)."""
    prompts: dict[str, str] = {}
    for phase in state["phases"]:
        prompts.setdefault(phase["kind"], phase["prompt"] or phase["title"])
    return prompts


def _figures(
    workshop: Workshop,
    state: dict[str, Any],
    groups: dict[str, ValueGroup],
    parts: list[ReportPart],
) -> list[tuple[str, int]]:
    """How the session ran, in numbers with their labels (two queries)."""
    people = Participant.objects.filter(workshop=workshop).aggregate(
        participants=Count("id", filter=Q(role=Participant.Role.PARTICIPANT)),
    )
    votes = Vote.objects.filter(phase__workshop=workshop).count()
    contributors = {item["by"]["id"] for item in _contributions(state, parts) if item.get("by")}
    counts = [
        (people["participants"], ngettext("participant", "participants", people["participants"])),
        (len(contributors), ngettext("contributor", "contributors", len(contributors))),
        (len(state["values"]), npgettext("report figure", "value", "values", len(state["values"]))),
        (len(groups), ngettext("distinct value", "distinct values", len(groups))),
        (
            len(state["statements"]),
            npgettext("report figure", "statement", "statements", len(state["statements"])),
        ),
        *((n, label) for part in parts for label, n in part.figures),
        *(
            [
                (
                    len(state["ideas"]),
                    npgettext("report figure", "idea", "ideas", len(state["ideas"])),
                )
            ]
            if state.get("ideas")
            else []
        ),
        (votes, ngettext("vote", "votes", votes)),
    ]
    return [(label, n) for n, label in counts]


def _value_groups(values: list[dict[str, Any]]) -> dict[str, ValueGroup]:
    """Values grouped by key, as the room saw them (a merged value counts under its
    target; the group shows the wording of its own key first seen)."""
    return group_values(
        Mention(
            id=value["id"],
            key=value["key"],
            text=value["text"],
            author=value["by"]["id"] if value.get("by") else None,
            own=normalise_key(value["text"]) == value["key"],
        )
        for value in values
    )


def _statement_groups(state: dict[str, Any], groups: dict[str, ValueGroup]) -> list[ValueGroup]:
    """The statements under the value they were built on (the key it counts under, or
    that of the value's wording when the value is not shown), most voted first; the
    values most built on first."""
    statements = state["statements"]
    key_of = {value["id"]: value["key"] for value in state["values"]}
    rows = group_statements(statements, exports.table_names(state))
    by_value: dict[str, ValueGroup] = {}
    for statement in statements:
        value_key = key_of.get(statement["value_id"] or 0) or normalise_key(statement["value"])
        group = by_value.get(value_key)
        if group is None:
            known = groups.get(value_key)
            group = by_value[value_key] = ValueGroup(
                key=value_key,
                text=known.text if known else statement["value"],
                count=known.count if known else 0,
                first_id=known.first_id if known else 10**12 + statement["id"],
            )
        row = rows[statement["key"]]
        if row.first_id == statement["id"]:
            group.statements.append(row)
    for group in by_value.values():
        group.statements = most_voted(group.statements)
    return sorted(by_value.values(), key=lambda g: (-g.count, g.first_id))


def values_chart(values: list[ValueGroup]) -> SafeString:
    """The values as horizontal bars by count: an inline, accessible SVG.

    Drawn by a template with auto-escaping on: no user text is ever marked safe here.
    """
    shown = values[:CHART_LIMIT]
    # A short axis at least, so one person is not drawn as a full bar.
    most = max(max((group.people for group in shown), default=1), 4)
    bars = [
        Bar(
            text=group.text,
            count=group.people,
            y=index * CHART_ROW,
            width=round(max(1.0, CHART_SPAN * group.people / most), 2),
        )
        for index, group in enumerate(shown)
    ]
    context = {
        "bars": bars,
        "shown": len(shown),
        "total": len(values),
        "top": shown[0] if shown else None,
        "height": max(CHART_ROW, len(shown) * CHART_ROW),
        "span": CHART_SPAN,
        "bar_height": CHART_BAR,
        "mentions": sum(group.count for group in values),
    }
    return SafeString(render_to_string("workshops/_values_chart.svg", context).strip())
