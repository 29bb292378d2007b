"""Every facilitator-only service refuses a participant by itself, whoever calls it.

The socket's command table checks the role before calling a service, so socket tests
alone would still pass if a service lost its own check; but views, the admin and
management commands call services directly. Each one is called here as a participant,
with arguments the facilitator's identical call shows to be ones that work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from credentials import services as credential_services
from credentials.models import Credential
from principles import services as principle_services
from workshops import selectors, services
from workshops.errors import Refused
from workshops.events import Column
from workshops.live.protocol import COMMANDS
from workshops.models import Event, Participant, Workshop

pytestmark = pytest.mark.django_db

FACILITATOR_ONLY = sorted(name for name, command in COMMANDS.items() if command.facilitator_only)


@dataclass(frozen=True)
class Room:
    """A workshop midway through: something of every kind a facilitator acts on."""

    workshop: Workshop
    host: Participant
    equity: int  # values
    openness: int
    pending_value: int
    hidden_value: int
    statement: int  # statements
    statement2: int
    pending_statement: int
    hidden_statement: int
    principle: int  # a draft principle
    consenting: int  # a principle with a consent round open
    idea: int  # ideas, in the open ideas phase "ideas" with columns h1 and h2
    pending_idea: int
    hidden_idea: int


def _id(event: Event) -> int:
    return int(event.data["id"])


@pytest.fixture
def room(workshop: Workshop, host: Participant, ada: Participant) -> Room:
    services.phase_open(participant=host, phase="statements")

    def value(text: str) -> int:
        return _id(services.value_add(participant=ada, text=text))

    def statement(activity: str, value: str) -> int:
        return _id(services.statement_add(participant=ada, activity=activity, value=value))

    columns: list[Column] = [
        {"key": "h1", "title": "Horizon 1"},
        {"key": "h2", "title": "Horizon 2"},
    ]
    services.phase_add(participant=host, kind="ideas", title="Horizons", columns=columns)
    services.phase_open(participant=host, phase="ideas")

    def idea(text: str) -> int:
        return _id(services.idea_add(participant=ada, phase="ideas", text=text, column="h1"))

    services.moderation_set(participant=host, premoderated=True)
    pending_value = value("patience")
    pending_statement = statement("mentoring", "patience")
    pending_idea = idea("wait")
    services.moderation_set(participant=host, premoderated=False)
    hidden_idea = idea("rude")
    services.idea_hide(participant=host, id=hidden_idea)
    equity, openness, hidden_value = value("equity"), value("openness"), value("noise")
    services.value_hide(participant=host, id=hidden_value)
    first, second, hidden = (
        statement("assessment", "equity"),
        statement("teaching", "openness"),
        statement("spam", "noise"),
    )
    services.statement_hide(participant=host, id=hidden)

    def principle(title: str) -> int:
        proposed = principle_services.principle_propose(
            participant=host, title=title, body="", sources=[first]
        )
        return _id(proposed)

    consenting = principle("Openness by default")
    principle_services.consent_open(participant=host, id=consenting)
    return Room(
        workshop=workshop,
        host=host,
        equity=equity,
        openness=openness,
        pending_value=pending_value,
        hidden_value=hidden_value,
        statement=first,
        statement2=second,
        pending_statement=pending_statement,
        hidden_statement=hidden,
        principle=principle("Fairness first"),
        consenting=consenting,
        idea=idea("schools as commons"),
        pending_idea=pending_idea,
        hidden_idea=hidden_idea,
    )


# What a facilitator would send for each command, in the room above.
ARGUMENTS: dict[str, Callable[[Room], dict[str, Any]]] = {
    "value.hide": lambda r: {"id": r.equity},
    "statement.hide": lambda r: {"id": r.statement},
    "value.merge": lambda r: {"id": r.openness, "into": r.equity},
    "values.hide": lambda r: {"ids": [r.equity, r.openness]},
    "values.merge": lambda r: {"ids": [r.openness], "into": r.equity},
    "statements.hide": lambda r: {"ids": [r.statement, r.statement2]},
    "statement.merge": lambda r: {"id": r.statement2, "into": r.statement},
    "activity.remove": lambda r: {"activity": "teaching"},
    "value.approve": lambda r: {"id": r.pending_value},
    "statement.approve": lambda r: {"id": r.pending_statement},
    "moderation.set": lambda r: {"premoderated": True},
    "contribution_limit.set": lambda r: {"limit": 5},
    "value.restore": lambda r: {"id": r.hidden_value},
    "statement.restore": lambda r: {"id": r.hidden_statement},
    "phase.open": lambda r: {"phase": "principles"},
    "phase.close": lambda r: {"phase": "statements"},
    "workshop.update": lambda r: {"title": "Open Futures, second session"},
    "phase.add": lambda r: {"kind": "values", "title": "More values", "prompt": ""},
    "phase.remove": lambda r: {"phase": "principles"},
    "phase.move": lambda r: {"phase": "principles", "position": 0},
    "phase.update": lambda r: {"phase": "statements", "title": "What we do"},
    "timer.start": lambda r: {"phase": "statements", "seconds": 300},
    "timer.stop": lambda r: {"phase": "statements"},
    "results.hide": lambda r: {"phase": "statements"},
    "results.reveal": lambda r: {"phase": "statements"},
    "session.end": lambda r: {"share_report": False},
    "session.reopen": lambda r: {},
    "principle.edit": lambda r: {"id": r.principle, "title": "Fairness, always"},
    "principle.finalize": lambda r: {"id": r.principle},
    "consent.open": lambda r: {"id": r.principle},
    "consent.close": lambda r: {"id": r.consenting},
    "consent.reasons_show": lambda r: {"id": r.consenting, "shown": True},
    "idea.hide": lambda r: {"id": r.idea},
    "idea.restore": lambda r: {"id": r.hidden_idea},
    "idea.approve": lambda r: {"id": r.pending_idea},
    "idea.move": lambda r: {"id": r.idea, "column": "h2"},
    "tables.form": lambda r: {"count": 2},
    "table.add": lambda r: {"name": "Table 3"},
    "table.move": lambda r: {"person": _ada(r).pk, "table": _table_without_ada(r)},
    "table.rename": lambda r: {"table": _table_without_ada(r), "name": "Optimists"},
    "tables.end": lambda r: {},
    "tables.top": lambda r: {"shown": True},
    "material.add": lambda r: {"title": "Slides", "url": "https://example.org/slides"},
    "material.remove": lambda r: {"id": r.workshop.materials.get().pk},
    "message.send": lambda r: {"text": "Five minutes left"},
    "message.clear": lambda r: {},
    "credentials.update": lambda r: {"enabled": True},
    "credential.revoke": lambda r: {
        "id": Credential.objects.get(workshop=r.workshop).credential_id
    },
}

# Commands that only make sense after another: done by the facilitator first.
BEFOREHAND: dict[str, Callable[[Room], object]] = {
    "session.reopen": lambda r: services.session_end(participant=r.host, share_report=False),
    "credential.revoke": lambda r: _claimed_by_the_author(r),
    **{
        name: lambda r: services.tables_form(participant=r.host, count=2)
        for name in ("table.add", "table.move", "table.rename", "tables.end")
    },
    "material.remove": lambda r: services.material_add(
        participant=r.host, title="Slides", url="https://example.org/slides"
    ),
    "message.clear": lambda r: services.message_send(participant=r.host, text="Five minutes left"),
}


def _ada(room: Room) -> Participant:
    return Participant.objects.get(workshop=room.workshop, name="Ada")


def _table_without_ada(room: Room) -> int:
    """Of two tables formed for one participant, the empty one."""
    seated = services.seat_of(_ada(room))
    assert seated is not None
    return int(room.workshop.tables.exclude(pk=seated).values_list("pk", flat=True)[0])


def _claimed_by_the_author(room: Room) -> None:
    """The principle grown from the author's statement is final, and they claimed."""
    principle_services.principle_finalize(participant=room.host, id=room.principle)
    credential_services.credentials_update(participant=room.host, enabled=True)
    author = Participant.objects.get(workshop=room.workshop, name="Ada")
    credential_services.credential_claim(participant=author, name="Ada")


def everything_stored(workshop: Workshop) -> tuple[int, dict[str, Any]]:
    """The log's length and what a facilitator's screen shows, hidden items included."""
    _seq, state = selectors.workshop_state(workshop, private=True)
    return Event.objects.filter(workshop=workshop).count(), state


@pytest.mark.parametrize("name", FACILITATOR_ONLY)
def test_a_participant_calling_a_facilitator_service_directly_is_forbidden(
    room: Room, ada: Participant, name: str
) -> None:
    assert name in ARGUMENTS, f"add the arguments a facilitator would send for {name}"
    service = COMMANDS[name].service
    if name in BEFOREHAND:
        BEFOREHAND[name](room)
    before = everything_stored(room.workshop)
    with pytest.raises(Refused) as refused:
        service(participant=ada, ref="direct", **ARGUMENTS[name](room))
    assert refused.value.code == "forbidden"
    assert everything_stored(room.workshop) == before
    # The same call from the facilitator is accepted: the arguments were not the reason.
    assert service(participant=room.host, ref="direct", **ARGUMENTS[name](room)).seq
