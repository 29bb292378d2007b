"""Running a command as a socket does, without one: its fields parsed at the protocol's
edge, then its service. What the edge refuses never reaches a service."""

from __future__ import annotations

from typing import Any

from workshops.live import protocol
from workshops.models import Event, Participant


def send(participant: Participant, kind: str, **fields: Any) -> Event:
    """Run command `kind` with `fields` as they came off the wire (left out: absent)."""
    command = protocol.COMMANDS[kind]
    parsed = protocol.parse(command, {"type": kind, **fields})
    return command.service(participant=participant, **parsed)
