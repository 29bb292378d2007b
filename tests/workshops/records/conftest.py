"""A workshop with some of everything an export must carry: hidden and merged values,
a hidden statement, votes on statements and principles, a final principle, and two
consent rounds (one closed, one open) with reasons at every level; `horizons` adds an
ideas phase with columns, an answer, a hidden card and a vote."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from principles import services as principle_services
from workshops import services
from workshops.events import Column
from workshops.models import Participant, Workshop

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "docs" / "export.schema.json").read_text()
)


def assert_valid(data: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)


@dataclass
class Rich:
    workshop: Workshop
    host: Participant
    ada: Participant
    bob: Participant
    ids: dict[str, int]


def say(event: Any) -> int:
    return event.data["id"]


@pytest.fixture
def rich(workshop, host, ada, bob) -> Rich:
    ids: dict[str, int] = {}
    ids["equity"] = say(services.value_add(participant=ada, text="equity"))
    ids["equity2"] = say(services.value_add(participant=bob, text="Equity!"))
    ids["fairness"] = say(services.value_add(participant=bob, text="fairness"))
    ids["care"] = say(services.value_add(participant=ada, text="care"))
    ids["rude"] = say(services.value_add(participant=bob, text="something rude"))
    services.value_merge(participant=host, id=ids["fairness"], into=ids["equity"])
    services.value_hide(participant=host, id=ids["rude"])
    services.phase_close(participant=host, phase="values")
    services.phase_open(participant=host, phase="statements")
    ids["assessment"] = say(
        services.statement_add(participant=ada, activity="assessment", value="equity")
    )
    ids["recognition"] = say(
        services.statement_add(participant=bob, activity="recognition", value="care")
    )
    ids["hidden_statement"] = say(
        services.statement_add(participant=bob, activity="nonsense", value="spam")
    )
    services.statement_hide(participant=host, id=ids["hidden_statement"])
    services.vote_cast(participant=ada, target={"kind": "statement", "id": ids["assessment"]})
    services.vote_cast(participant=bob, target={"kind": "statement", "id": ids["assessment"]})
    services.vote_cast(participant=bob, target={"kind": "statement", "id": ids["recognition"]})
    services.phase_close(participant=host, phase="statements")
    services.phase_open(participant=host, phase="principles")
    ids["principle"] = say(
        principle_services.principle_propose(
            participant=host,
            title="Assess for equity",
            body="Assessment is fair when everyone can show what they know.",
            sources=[ids["assessment"], ids["recognition"]],
        )
    )
    ids["draft"] = say(
        principle_services.principle_propose(participant=ada, title="Care first", sources=[])
    )
    principle_services.principle_finalize(participant=host, id=ids["principle"])
    services.vote_cast(participant=ada, target={"kind": "principle", "id": ids["principle"]})
    # Two consent rounds on the draft: one closed, one still open; reasons at every level.
    draft = ids["draft"]
    ids["round1"] = principle_services.consent_open(participant=host, id=draft).data["round"]
    principle_services.consent_place(participant=ada, id=draft, level="full")
    principle_services.consent_place(
        participant=bob, id=draft, level="reservations", reason="Care for whom?"
    )
    principle_services.consent_close(participant=host, id=draft)
    ids["round2"] = principle_services.consent_open(participant=host, id=draft).data["round"]
    principle_services.consent_place(
        participant=ada, id=draft, level="discuss", reason="Let us hear the students"
    )
    principle_services.consent_place(
        participant=bob, id=draft, level="cannot", reason="Care is not measurable"
    )
    workshop.refresh_from_db()
    return Rich(workshop=workshop, host=host, ada=ada, bob=bob, ids=ids)


@pytest.fixture
def said(workshop, host, ada, bob) -> dict[str, int]:
    """Values, statements, votes and a principle with a consent round; some hidden (the
    report's tests)."""
    ids: dict[str, int] = {}
    ids["equity"] = say(services.value_add(participant=ada, text="equity"))
    say(services.value_add(participant=bob, text="Equity!"))
    ids["care"] = say(services.value_add(participant=bob, text="care"))
    ids["rude"] = say(services.value_add(participant=ada, text="something rude"))
    services.value_hide(participant=host, id=ids["rude"])
    services.phase_open(participant=host, phase="statements")
    ids["assessment"] = say(
        services.statement_add(participant=ada, activity="assessment", value="equity")
    )
    ids["recognition"] = say(
        services.statement_add(participant=bob, activity="recognition", value="care")
    )
    ids["spam"] = say(services.statement_add(participant=bob, activity="spamming", value="care"))
    services.vote_cast(participant=ada, target={"kind": "statement", "id": ids["assessment"]})
    services.vote_cast(participant=bob, target={"kind": "statement", "id": ids["assessment"]})
    services.phase_open(participant=host, phase="principles")
    ids["principle"] = say(
        principle_services.principle_propose(
            participant=host,
            title="Assess for equity",
            body="Everyone can show what they know.",
            sources=[ids["assessment"], ids["recognition"], ids["spam"]],
        )
    )
    services.statement_hide(participant=host, id=ids["spam"])  # hidden after it was a source
    principle_services.consent_open(participant=host, id=ids["principle"])
    principle_services.consent_place(participant=ada, id=ids["principle"], level="full")
    principle_services.consent_place(
        participant=bob, id=ids["principle"], level="cannot", reason="Too vague"
    )
    return ids


@pytest.fixture
def horizons(rich) -> Rich:
    """`rich`, with an ideas phase after its principles."""
    columns: list[Column] = [
        {"key": "h1", "title": "Horizon 1"},
        {"key": "h3", "title": "Horizon 3"},
    ]
    services.phase_add(participant=rich.host, kind="ideas", title="Three Horizons", columns=columns)
    services.phase_open(participant=rich.host, phase="ideas")

    def idea(who: Participant, text: str, **where: Any) -> int:
        return say(services.idea_add(participant=who, phase="ideas", text=text, **where))

    rich.ids["paywalls"] = idea(rich.ada, "Courses behind paywalls", column="h1")
    rich.ids["commons"] = idea(rich.bob, "Every course a commons", column="h3")
    rich.ids["answer"] = idea(rich.bob, "Students pay twice", parent=rich.ids["paywalls"])
    rich.ids["rude_idea"] = idea(rich.bob, "a rude card", column="h3")
    services.idea_hide(participant=rich.host, id=rich.ids["rude_idea"])
    services.vote_cast(participant=rich.ada, target={"kind": "idea", "id": rich.ids["commons"]})
    return rich
