"""How services announce a committed event, without knowing who listens.

Services call `event_committed` (and `workshop_deleted`, `members_changed`) from
`transaction.on_commit`;
the live engine (`workshops.live.hub`) plugs itself in at start-up, as Zulip's actions
call `send_event` and never the event server itself. With nothing plugged in (a script
that imports services alone), announcements go nowhere: the event is in the log anyway.
"""

from __future__ import annotations

from typing import Any, Protocol


class Listener(Protocol):
    def publish(self, workshop_id: int, event: dict[str, Any]) -> None: ...

    def publish_many(self, workshop_id: int, events: list[dict[str, Any]]) -> None: ...

    def publish_deleted(self, workshop_id: int) -> None: ...

    def publish_members_changed(self, workshop_id: int) -> None: ...


_listener: Listener | None = None


def connect(listener: Listener) -> None:
    """Plug in who hears committed events (the hub module, read at each call)."""
    global _listener
    _listener = listener


def event_committed(workshop_id: int, event: dict[str, Any]) -> None:
    if _listener is not None:
        _listener.publish(workshop_id, event)


def events_committed(workshop_id: int, events: list[dict[str, Any]]) -> None:
    """Several events of one workshop, committed together, in seq order (a group's)."""
    if _listener is not None:
        _listener.publish_many(workshop_id, events)


def workshop_deleted(workshop_id: int) -> None:
    if _listener is not None:
        _listener.publish_deleted(workshop_id)


def members_changed(workshop_id: int) -> None:
    """Who facilitates a workshop changed: open sockets must re-read their rights."""
    if _listener is not None:
        _listener.publish_members_changed(workshop_id)
