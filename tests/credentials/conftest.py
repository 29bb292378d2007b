"""A workshop whose principle "Open by default" is final: Ada wrote the value "openness",
Bob the statement built on it, the facilitator the principle; Cleo took part and wrote
nothing it grew from."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from credentials import services as credential_services
from principles import services as principle_services
from workshops import services
from workshops.models import Participant, Workshop


@dataclass
class Lineage:
    workshop: Workshop
    host: Participant
    ada: Participant
    bob: Participant
    cleo: Participant
    value_id: int
    statement_id: int
    principle_id: int


@pytest.fixture
def lineage(workshop, ada, bob, host) -> Lineage:
    cleo, _token = services.participant_join(workshop=workshop, name="Cleo")
    value_id = services.value_add(participant=ada, text="openness").data["id"]
    services.value_add(participant=cleo, text="care")
    services.phase_open(participant=host, phase="statements")
    statement_id = services.statement_add(
        participant=bob, activity="assessment", value="openness"
    ).data["id"]
    principle_id = principle_services.principle_propose(
        participant=host, title="Open by default", body="Share first.", sources=[statement_id]
    ).data["id"]
    principle_services.principle_finalize(participant=host, id=principle_id)
    credential_services.credentials_update(participant=host, enabled=True)
    return Lineage(workshop, host, ada, bob, cleo, value_id, statement_id, principle_id)
