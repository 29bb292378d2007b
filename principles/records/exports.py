"""Principles and consent rounds in a workshop's exports (see workshops.records.exports):
their JSON rows, their CSV files, their XLSX sheets and the Markdown of the principles
phase; PRINCIPLES (principles/extension.py) plugs them in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from workshops.models import Phase
from workshops.records.exports import (
    ExportContext,
    ExportPart,
    Sheet,
    SheetContext,
    Table,
    counted,
    md_escape,
    md_item,
    md_paragraphs,
    published,
)

from ..models import ConsentResponse, ConsentRound, Principle

# A place in a consent round, as the XLSX and Markdown exports name it (in English, as
# the rest of those files).
LABELS = {
    "full": "Full support",
    "reservations": "Support with reservations",
    "discuss": "Need more discussion",
    "cannot": "Cannot support",
}

COLUMNS = (
    "id",
    "title",
    "body",
    "status",
    "position",
    "author",
    "created_at",
    "sources",
    "votes",
)


def principles_rows(context: ExportContext) -> list[dict[str, Any]]:
    """Every principle, hidden ones too (flagged), in the agreed order: two queries."""
    sources: dict[int, list[int]] = defaultdict(list)
    links = (
        Principle.sources.through.objects.filter(principle__workshop=context.workshop)
        .order_by("statement_id")
        .values_list("principle_id", "statement_id")
    )
    for principle_id, statement_id in links:
        sources[principle_id].append(statement_id)
    principles = Principle.objects.filter(workshop=context.workshop).order_by("position", "id")
    return [
        {
            "id": p.pk,
            "title": p.title,
            "body": p.body,
            "status": p.status,
            "position": p.position,
            "author": context.author(p.author_id),
            "created_at": context.time(p.created_at),
            "hidden": p.hidden,
            "sources": sources.get(p.pk, []),
            "votes": context.vote_totals[("principle", p.pk)],
        }
        for p in principles
    ]


def principles_sheets(sheet: SheetContext) -> list[Sheet]:
    """The published principles, each with the text of the statements it grew from."""
    data, when, name, at = sheet.data, sheet.when, sheet.name, sheet.at
    if "principles" not in data:
        return []
    statements = {s["id"]: s for s in data["statements"]}
    return [
        Sheet(
            "principles",
            (
                "id",
                "title",
                "text",
                "status",
                "position",
                "author id",
                "author",
                "added" + at,
                "votes",
                "source ids",
                "sources",
            ),
            [
                [
                    p["id"],
                    p["title"],
                    p["body"],
                    p["status"],
                    p["position"],
                    p["author"],
                    name(p["author"]),
                    when(p["created_at"]),
                    p["votes"],
                    " ".join(str(i) for i in p["sources"]),
                    "\n".join(
                        statements[i]["text"]
                        for i in p["sources"]
                        if i in statements and published(statements[i])
                    ),
                ]
                for p in data["principles"]
                if published(p)
            ],
        )
    ]


EXPORT_PART = ExportPart(
    table="principles",
    columns=COLUMNS,
    rows=principles_rows,
    before="ideas",
    sheets=principles_sheets,
    sheets_before="votes",
    vote_target="principle",
)


# ---------------------------------------------------------------------------- consent

LEVELS = tuple(ConsentResponse.Level.values)
ROUND_COLUMNS = ("id", "principle", "round", "status", "opened_at", *LEVELS)
RESPONSE_COLUMNS = ("round", "principle", "participant", "level", "reason", "updated_at")


def consent_rows(context: ExportContext) -> list[dict[str, Any]]:
    """Every consent round, oldest first, with its distribution and every place taken in
    it (level and reason, whatever the level): two queries."""
    responses: dict[int, list[ConsentResponse]] = defaultdict(list)
    for response in ConsentResponse.objects.filter(
        round__principle__workshop=context.workshop
    ).order_by("id"):
        responses[response.round_id].append(response)
    rounds = ConsentRound.objects.filter(principle__workshop=context.workshop).order_by("id")
    numbers: dict[int, int] = defaultdict(int)
    rows = []
    for round in rounds:
        numbers[round.principle_id] += 1
        distribution = {level: 0 for level in LEVELS}
        for response in responses[round.pk]:
            distribution[response.level] += 1
        rows.append(
            {
                "id": round.pk,
                "principle": round.principle_id,
                "round": numbers[round.principle_id],
                "status": round.status,
                "opened_at": context.time(round.opened_at),
                "reasons_shown": round.reasons_shown,
                "distribution": distribution,
                "responses": [
                    {
                        "participant": response.participant_id,
                        "level": response.level,
                        "reason": response.reason,
                        "updated_at": context.time(response.updated_at),
                    }
                    for response in responses[round.pk]
                ],
            }
        )
    return rows


def published_consent(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The rounds on principles the room saw (a hidden principle's rounds stay out)."""
    shown = {p["id"] for p in data.get("principles", []) if not p.get("hidden")}
    return [round for round in data.get("consent", []) if round["principle"] in shown]


def consent_tables(data: dict[str, Any]) -> list[Table]:
    """Consent as the CSV files show it: one row per round (its distribution in a column
    per level), and one row per place taken, with its reason."""
    rounds = published_consent(data)
    round_rows = [{**round, **round["distribution"]} for round in rounds]
    response_rows = [
        {**response, "round": round["id"], "principle": round["principle"]}
        for round in rounds
        for response in round["responses"]
    ]
    return [
        Table("consent_rounds", ROUND_COLUMNS, round_rows),
        Table("consent_responses", RESPONSE_COLUMNS, response_rows),
    ]


def consent_sheets(sheet: SheetContext) -> list[Sheet]:
    """The rounds on published principles (their distribution in a column per place),
    and every place taken in them, with its reason."""
    data, when, name, at = sheet.data, sheet.when, sheet.name, sheet.at
    if "consent" not in data:
        return []
    rounds = published_consent(data)
    titles = {p["id"]: p["title"] for p in data.get("principles", [])}
    return [
        Sheet(
            "consent",
            (
                "principle id",
                "principle",
                "round",
                "status",
                "opened" + at,
                *LABELS.values(),
                "places",
            ),
            [
                [
                    r["principle"],
                    titles[r["principle"]],
                    r["round"],
                    r["status"],
                    when(r["opened_at"]),
                    *(r["distribution"].get(level, 0) for level in LABELS),
                    len(r["responses"]),
                ]
                for r in rounds
            ],
        ),
        Sheet(
            "consent places",
            (
                "principle id",
                "principle",
                "round",
                "participant id",
                "participant",
                "place",
                "reason",
                "placed" + at,
            ),
            [
                [
                    r["principle"],
                    titles[r["principle"]],
                    r["round"],
                    place["participant"],
                    name(place["participant"]),
                    LABELS.get(place["level"], place["level"]),
                    place["reason"],
                    when(place["updated_at"]),
                ]
                for r in rounds
                for place in r["responses"]
            ],
        ),
    ]


CONSENT_PART = ExportPart(
    table="consent",
    columns=ROUND_COLUMNS,
    rows=consent_rows,
    tables=consent_tables,
    sheets=consent_sheets,
)


# ---------------------------------------------------------------------------- Markdown


def markdown_principles(data: dict[str, Any]) -> list[str]:
    statements = {statement["id"]: statement for statement in data["statements"]}
    principles = [p for p in data.get("principles", []) if published(p)]
    rounds: dict[int, list[dict[str, Any]]] = {}
    for round in data.get("consent", []):
        rounds.setdefault(round["principle"], []).append(round)
    lines: list[str] = []
    for number, principle in enumerate(principles, start=1):
        notes = [counted(principle["votes"], "vote", "votes")]
        if principle["status"] == "final":
            notes.append("final")
        lines.append(f"{number}. **{md_escape(principle['title'])}** ({', '.join(notes)})")
        if principle["body"]:
            lines += ["", *md_paragraphs(principle["body"], indent="   ")]
        sources = [
            statements[i]["text"]
            for i in principle["sources"]
            if i in statements and published(statements[i])
        ]
        if sources:
            lines += ["", "   Grounded in:", ""]
            lines += [f"   - {md_item(text)}" for text in sources]
        lines += markdown_consent(rounds.get(principle["id"], []))
        lines.append("")
    return lines


def markdown_consent(rounds: list[dict[str, Any]]) -> list[str]:
    """Each consent round on a principle: how the room placed itself, and every reason
    given, whatever its level (no names)."""
    lines: list[str] = []
    for round in rounds:
        places = sum(round["distribution"].values())
        spread = ", ".join(
            f"{round['distribution'].get(level, 0)} {label.lower()}"
            for level, label in LABELS.items()
        )
        status = "open" if round["status"] == "open" else "closed"
        lines += [
            "",
            f"   Consent round {round['round']} ({status}, "
            f"{counted(places, 'place', 'places')}): {spread}.",
        ]
        reasons = [place for place in round["responses"] if place["reason"]]
        if reasons:
            lines.append("")
            lines += [
                f"   - {LABELS.get(place['level'], place['level'])}: {md_item(place['reason'])}"
                for place in reasons
            ]
    return lines


# What the group said in a principles phase (the other phases' are the workshop's).
MARKDOWN_SECTIONS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    Phase.Kind.PRINCIPLES: markdown_principles
}
