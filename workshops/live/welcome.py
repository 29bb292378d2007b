"""The shared part of a welcome: the room's state, built and encoded once per version.

Every socket that joins a workshop at the same moment is sent the same `state`: the
room's (what participants and screen-link projectors see) or the facilitators' (items
awaiting approval too). Built alone, each welcome cost a dozen queries and one JSON
encoding of the whole workshop, in the one database thread: 43% of the server's time in
a wave of 1,000 joins into an empty workshop (docs/decisions/0005). So each hub keeps,
per audience, the latest state it built, already encoded, and a joiner adds only what
is theirs: `you` (their votes, their consent), their token and the people count.

A state is current to a *version* of the workshop: its `last_seq` (every event moves
it) and its `unlogged_changes` (what a welcome shows that no event announces: a
participant renamed on resume; the report link is now an event of its own). The people count is
the one part of the state that moves without either (each join), so it is left out of
the encoded text and written in per welcome.

The frame is byte for byte what `encode` makes of the welcome built alone
(tests/workshops/live/test_shared_welcome.py): the client cannot tell.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from .. import selectors
from ..models import Workshop
from .wire import encode

PROTOCOL = 1
# The key of the state that every join changes without an event: written per welcome.
PEOPLE = "participants"


@dataclass(frozen=True, slots=True)
class SharedState:
    """A workshop's state for one audience, encoded, with its people count cut out."""

    version: tuple[int, int]  # (last_seq, unlogged_changes) it is current to
    before: str  # the encoded state up to the people count
    after: str  # and from just after it
    # Whether a round of tables is on at its seq: when none is, nobody sits at a table,
    # and a joiner's `you.table` is None without a query.
    tables_on: bool = True

    @property
    def seq(self) -> int:
        return self.version[0]

    def text(self, people: int) -> str:
        return f"{self.before}{people}{self.after}"

    def serves(self, version: tuple[int, int]) -> bool:
        """Whether it is current to at least `version` (both counters only ever rise)."""
        return self.version[0] >= version[0] and self.version[1] >= version[1]


def encode_state(version: tuple[int, int], state: dict[str, Any]) -> SharedState:
    """Encode a state as `encode` would, split around its people count."""
    pieces = [f"{encode(key)}:{encode(value)}" for key, value in state.items() if key != PEOPLE]
    at = list(state).index(PEOPLE)
    head, tail = pieces[:at], pieces[at:]
    before = "{" + "".join(f"{piece}," for piece in head) + f"{encode(PEOPLE)}:"
    after = "".join(f",{piece}" for piece in tail) + "}"
    tables_on = any(not table["ended"] for table in state.get("tables", []))
    return SharedState(version, before, after, tables_on)


def welcome_frame(*, you: dict[str, Any], token: str | None, seq: int, state: str) -> str:
    """The text of `encode({"type": "welcome", ..., "state": ...})`, with `state` encoded."""
    return (
        f'{{"type":"welcome","protocol":{PROTOCOL},"you":{encode(you)},'
        f'"token":{encode(token)},"seq":{seq},"state":{state}}}'
    )


def version_of(workshop_id: int) -> tuple[int, int]:
    """The version a welcome read now must be current to at least."""
    return Workshop.objects.values_list("last_seq", "unlogged_changes").get(pk=workshop_id)


class SharedWelcomes:
    """A hub's latest state per audience (private: the facilitators'), for its joiners.

    Read and built in database threads (more than one with PostgreSQL): one builds while
    the others wait for it, and then share it.
    """

    def __init__(self, workshop_id: int) -> None:
        self.workshop_id = workshop_id
        self._latest: dict[bool, SharedState] = {}
        self._lock = threading.Lock()

    def state(self, version: tuple[int, int], *, private: bool) -> SharedState:
        """A state current to at least `version`, built now only if none is."""
        with self._lock:
            latest = self._latest.get(private)
            if latest is None or not latest.serves(version):
                latest = self._latest[private] = self._build(private)
            return latest

    def _build(self, private: bool) -> SharedState:
        with transaction.atomic():
            version = version_of(self.workshop_id)
            workshop = Workshop(pk=self.workshop_id)
            seq, state = selectors.workshop_state(workshop, private=private)
        # Under PostgreSQL's read committed, an event committed between the two reads is
        # already in the state, which is current to the seq that it read itself.
        return encode_state((seq, version[1]) if seq > version[0] else version, state)
