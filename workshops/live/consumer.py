"""The websocket of protocol v1 (docs/protocol.md): parse, check, call a service, reply.

The consumer writes nothing itself: `protocol.apply` calls the service that validates,
stores, logs and broadcasts, in the workshop's group-commit lane (`group_commit`).
Deliveries come from this process's `hub.Hub`.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from .. import selectors, services
from ..errors import Refused
from ..models import Participant, Workshop
from . import collector, group_commit, protocol, wire
from .hub import Hub, hub_for, workshop_for
from .joins import GroupCommit, each_in_its_savepoint
from .throttle import JOIN_MISSES
from .welcome import PROTOCOL, SharedWelcomes, version_of, welcome_frame
from .wire import encode

log = logging.getLogger(__name__)

MAX_FRAME_BYTES = 64 * 1024
# Daphne lets an application close only with 1000 or 3000-4999: 4009 stands for 1009.
CLOSE_TOO_BIG = 4009
CLOSE_NO_WORKSHOP = 4404
CLOSE_FELL_BEHIND = 4408  # it stopped reading; reconnect with `since` to catch up
CLOSE_TOO_MANY = 4429
CLOSE_NO_HELLO = 4400  # no hello within settings.HELLO_TIMEOUT
VIEWER = "viewer"  # a projector or control room: watches, and is no person
HELLO_ROLES = (None, "participant", VIEWER)


class WorkshopConsumer(AsyncWebsocketConsumer):
    # No channel of its own: the process's hub delivers to the socket directly, so an
    # alias with no layer behind it spares every socket a channel, a task and a queue.
    channel_layer_alias = "none: delivered by the workshop's hub"
    workshop: Workshop | None = None
    participant: Participant | None = None
    hub: Hub | None = None
    seq = 0  # the last event seq this socket has been sent (the hub keeps it current)
    sees_private = False  # facilitators read contributions awaiting approval
    welcomed = False  # it said hello and was answered with a welcome
    viewer = False  # a screen: no participant row, not counted online
    viewer_user_id: int | None = None  # a facilitator's screen: whose rights the hub re-reads
    line: wire.DirectLine | None = None  # the hub writes batches here, under daphne
    backlog_limit = 0  # the hub's bound on this socket's unread bytes
    hello_timer: asyncio.TimerHandle | None = None  # closes a socket that never says hello
    closing: asyncio.Task[None] | None = None

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' own, without its trip to the database thread before every message.

        Channels closes stale database connections first (`aclose_old_connections`), in
        the one database thread: every socket's connect, hello and command queued there
        behind a join wave's writes, and 9% of the event loop's time in the wave went to
        the hand-over (docs/benchmarks.md, seventh round). Nothing here touches the
        database but through `database_sync_to_async` (or the group commit's threads),
        which closes stale connections around each call itself.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        # Sockets connecting, saying hello or sending are no quiet process: no full garbage
        # collection under a join wave, which sends no batch (collector.py).
        collector.busy()
        await handler(message)

    async def connect(self) -> None:
        self.line = wire.direct_line(self.base_send)
        code = self.scope["url_route"]["kwargs"]["code"]
        address = str((self.scope.get("client") or ["?"])[0])
        # A cache read, not the database's: it need not queue behind a join wave's writes.
        if await JOIN_MISSES.exceeded_soon(address):
            await self.close(code=CLOSE_TOO_MANY)  # before accept: the handshake fails
            return
        # Accepted before any database work: in a join wave the database thread is busy
        # with the joins, and a handshake that waited for it would meet daphne's
        # handshake timeout (a 403 or a reset, then a retry that adds to the wave). The
        # hello is read only once the workshop is known: the consumer takes one message
        # at a time.
        await self.accept()
        self.workshop = await workshop_for(code)
        if self.workshop is None:
            await database_sync_to_async(JOIN_MISSES.miss)(address)
            await self.send_error(None, "not_found", _("There is no workshop with this code."))
            await self.close(code=CLOSE_NO_WORKSHOP)
            return
        self._wait_for_hello()

    def _wait_for_hello(self) -> None:
        # An open socket that says nothing holds a file descriptor for ever: 900 of them
        # held 918 after 42 s. Whoever has not said hello in time is closed.
        loop = asyncio.get_running_loop()
        self.hello_timer = loop.call_later(settings.HELLO_TIMEOUT, self._hello_overdue)

    def _stop_waiting_for_hello(self) -> None:
        if self.hello_timer is not None:
            self.hello_timer.cancel()
            self.hello_timer = None

    def _hello_overdue(self) -> None:
        self.hello_timer = None
        if not self.welcomed:
            self.closing = asyncio.ensure_future(self.close(code=CLOSE_NO_HELLO))

    async def disconnect(self, code: int) -> None:
        self._stop_waiting_for_hello()
        if self.hub is not None:
            self.hub.detach(self)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        with translation.override(self._language()):
            await self._receive(text_data, bytes_data)

    async def _receive(self, text_data: str | None, bytes_data: bytes | None) -> None:
        raw = text_data if text_data is not None else bytes_data or b""
        if len(raw.encode() if isinstance(raw, str) else raw) > MAX_FRAME_BYTES:
            await self.close(code=CLOSE_TOO_BIG)
            return
        try:
            message = _parse(raw)
        except Refused as refused:
            await self.send_error(None, refused.code, refused.message)
            return
        ref = message.get("ref")
        kind = message.get("type")
        if kind == "hello":
            await self.on_hello(message)
        elif not isinstance(kind, str) or kind not in protocol.COMMANDS:
            await self.send_error(ref, "unknown_type", _("Unknown message type."))
        elif not self.welcomed or self.hub is None:
            await self.send_error(ref, "forbidden", _("Say hello before sending commands."))
        else:
            await self.on_command(message)

    async def on_hello(self, message: dict[str, Any]) -> None:
        if self.welcomed:
            await self.send_error(None, "invalid", _("This socket has already said hello."))
            return
        assert self.workshop is not None
        role = message.get("role")
        if role not in HELLO_ROLES:
            await self.send_error(None, "invalid", _("A hello's role is participant or viewer."))
            return
        # A hello waiting its turn in a join wave is not idle; a refused one starts again.
        self._stop_waiting_for_hello()
        try:
            # First: the hub keeps the state every joiner shares, and gathers the joins.
            hub = await hub_for(self.workshop.pk)
        except Workshop.DoesNotExist:  # deleted while this socket was joining
            await self.workshop_deleted()
            return
        hub.serve(self.workshop)
        hub.arriving += 1
        try:
            await self._answer_hello(hub, role, message)
        finally:
            hub.arriving -= 1  # once attached, or refused

    async def _answer_hello(self, hub: Hub, role: Any, message: dict[str, Any]) -> None:
        assert self.workshop is not None
        try:
            if role == VIEWER:
                hello = await database_sync_to_async(_viewer_hello)(
                    self.workshop,
                    hub.welcomes,
                    user=self._user(),
                    key=message.get("key"),
                    since=message.get("since"),
                )
            else:
                hello = await _joins_of(hub, self.workshop).submit(
                    ParticipantHello(
                        name=message.get("name"),
                        token=message.get("token"),
                        since=message.get("since"),
                        user=self._user(),
                    )
                )
        except Refused as refused:
            self._wait_for_hello()
            await self.send_error(None, refused.code, refused.message)
            return
        self.welcomed = True
        self.viewer = role == VIEWER
        if self.viewer and hello.sees_private:
            self.viewer_user_id = self._user().pk
        self.participant = hello.participant
        self.sees_private = hello.sees_private
        self.seq = hello.seq
        collector.busy()  # welcomes going out: as busy as a batch
        await self.send(text_data=hello.frame)
        if hello.catch_up:
            await self.send(text_data=encode({"type": "events", "events": hello.catch_up}))
        self.hub = hub
        hub.joined_at_least(hello.joined)
        await hub.attach(self)

    async def on_command(self, message: dict[str, Any]) -> None:
        ref = message.get("ref")
        if self.participant is None:  # a viewer: only a facilitator's acts, as themselves
            try:
                self.participant = await database_sync_to_async(_viewer_actor)(
                    self.workshop, self._user()
                )
            except Refused as refused:
                await self.send_error(ref, refused.code, refused.message)
                return
        participant = self.participant
        address = str((self.scope.get("client") or ["?"])[0])
        try:
            # Committed with whatever else this workshop's lane has waiting (group_commit).
            event = await group_commit.run(
                participant.workshop_id,
                functools.partial(
                    protocol.apply,
                    participant=participant,
                    session_key=self.scope.get("session_key"),
                    message=message,
                ),
                before=functools.partial(
                    protocol.admit, participant=participant, message=message, address=address
                ),
                # Looked up with the rest of the group's refs, in one query.
                ref=(participant.pk, ref) if isinstance(ref, str) and ref else None,
                # Written with the group's other contributions, one INSERT per table.
                inserts_only=protocol.inserts_only(message),
                # Read with the rest of the group's throttle counts, in one MGET.
                counts=protocol.throttle_keys(participant=participant, address=address),
            )
        except Refused as refused:
            await self.send_error(ref, refused.code, refused.message)
            return
        except Exception:
            # A bug, not the sender's fault: its savepoint rolled back, so say that
            # nothing was stored, and keep the socket (and everyone else's) open.
            log.exception("command %s failed", message.get("type"))
            await self.send_error(ref, "invalid", _("That could not be saved. Please try again."))
            return
        answer = await protocol.answer(participant=participant, message=message, event=event)
        await self.send(text_data=encode(answer))
        if self.hub is not None:
            self.hub.flush_early()

    def _user(self) -> Any:
        user = self.scope.get("user")
        return user if user is not None and user.is_authenticated else None

    async def workshop_deleted(self) -> None:
        """The hub's word that this workshop was deleted: say so, then close."""
        self.hub = None
        await self.send_error(None, "not_found", _("This workshop has been deleted."))
        await self.close(code=CLOSE_NO_WORKSHOP)

    async def send(
        self, text_data: str | None = None, bytes_data: bytes | None = None, close: bool = False
    ) -> None:
        # Acks and welcomes take the same direct line as the hub's batches (wire.py), so
        # they do not wait a turn of the event loop, and stay in order with them.
        if not (text_data is not None and not close and self._write_direct(text_data)):
            await super().send(text_data=text_data, bytes_data=bytes_data, close=close)

    def _write_direct(self, text: str) -> bool:
        return self.line is not None and self.line.write(wire.Frame(text)) >= 0

    async def fell_behind(self) -> None:
        """The hub stopped sending to this socket because it was not reading: resync."""
        self.hub = None
        await self.close(code=CLOSE_FELL_BEHIND)

    async def send_error(self, ref: Any, code: str, message: str) -> None:
        frame = {"type": "error", "ref": ref, "code": code, "message": str(message)}
        await self.send(text_data=encode(frame))

    def _language(self) -> str:
        for name, value in self.scope.get("headers", []):
            if name == b"accept-language" and value[:2].lower() == b"fr":
                return "fr"
        return "en"


# A JSON escape of half a surrogate pair (\ud800 to \udfff): the only way a frame can
# carry a lone surrogate, which no UTF-8 text (nor any database) can hold.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _parse(raw: str | bytes) -> dict[str, Any]:
    """The frame as a JSON object; Refused for anything that cannot be one."""
    try:
        text = raw.decode() if isinstance(raw, bytes) else raw
        message = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        message = None
    except RecursionError:
        raise Refused("bad_json", _("That message is nested too deeply to read.")) from None
    if not isinstance(message, dict):
        raise Refused("bad_json", _("That message was not a JSON object."))
    if _SURROGATE_ESCAPE.search(text):  # rare: most frames skip the check below
        try:
            json.dumps(message, ensure_ascii=False).encode()
        except UnicodeEncodeError:
            raise Refused(
                "invalid", _("That message has text with a broken character (a lone surrogate).")
            ) from None
    return message


@dataclass(frozen=True, slots=True)
class Hello:
    """What answering a hello found: the welcome's text and who the socket is."""

    frame: str  # the welcome, encoded (its state shared with the other joiners)
    seq: int  # what the welcome (with its catch-up) brings the socket up to
    catch_up: list[dict[str, Any]]  # the logged events to replay after it (if resuming)
    participant: Participant | None  # None for a viewer
    sees_private: bool
    joined: int  # people who have joined so far (for presence)


@dataclass(frozen=True, slots=True)
class ParticipantHello:
    """A participant's hello, waiting with others to be written in one transaction."""

    name: Any
    token: Any
    since: Any
    user: Any


def _participants_hello(
    workshop: Workshop, welcomes: SharedWelcomes, hellos: list[ParticipantHello]
) -> list[Hello | Exception]:
    """Join a group of hellos in one transaction, then welcome each of them, in order.

    Each join keeps its own savepoint: a bad name or token refuses that hello alone.
    """
    with transaction.atomic():
        joins = each_in_its_savepoint(
            hellos,
            lambda hello: services.participant_join(
                workshop=workshop, name=hello.name, token=hello.token, user=hello.user, seat=False
            ),
        )
        # Seated together, after the group's rows: one query for them all when no round
        # of tables is on (it was one per join), the same seats in arrival order when one is.
        made = [
            (at, joined[0])
            for at, (hello, joined) in enumerate(zip(hellos, joins, strict=True))
            if not isinstance(joined, Exception) and not hello.token
        ]
        if made and services.round_on(workshop.pk):
            seats = each_in_its_savepoint([p for _, p in made], services.seat_late_joiner)
            for (at, _), seated in zip(made, seats, strict=True):
                if isinstance(seated, Exception):
                    joins[at] = seated  # refused, as when its join failed (nothing was sent)
    room = _Room(workshop.pk, welcomes)
    answers: list[Hello | Exception] = []
    for hello, joined in zip(hellos, joins, strict=True):
        if isinstance(joined, Exception):
            answers.append(joined)
            continue
        participant, token = joined
        private = participant.role == Participant.Role.FACILITATOR
        # Someone who came without a token and is no facilitator was made just now.
        new = not hello.token and not private
        answers.append(
            room.welcome(
                you=_you(participant, new=new),
                token=token,
                since=hello.since,
                participant=participant,
                private=private,
            )
        )
    return answers


def _you(participant: Participant, *, new: bool) -> Callable[[bool], dict[str, Any]]:
    """What a participant's welcome says of them, read once the state's seq is known
    (`tables_on`: whether a round of tables may be on at that seq).

    Someone made just now has no rows of their own yet: a new joiner's welcome in a
    workshop without tables asks nothing (it asked three queries in a join wave)."""

    def read(tables_on: bool) -> dict[str, Any]:
        you = {
            "id": participant.pk,
            "name": participant.name,
            "role": participant.role,
            # Nobody votes before their welcome.
            "votes": {} if new else selectors.my_votes(participant),
            # A joiner may have been seated just now, at a round the state shows.
            "table": services.seat_of(participant) if tables_on else None,
        }
        for part in selectors.YOU_PARTS:
            blank = selectors.YOU_BLANKS.get(part) if new else None
            you.update(part(participant) if blank is None else blank)
        return you

    return read


def _viewer_hello(
    workshop: Workshop, welcomes: SharedWelcomes, *, user: Any, key: Any, since: Any
) -> Hello:
    # Read again: the socket's workshop may be the hub's, and its screen key revoked since.
    try:
        workshop = Workshop.objects.get(pk=workshop.pk)
    except Workshop.DoesNotExist:
        raise Refused("not_found", _("This workshop has been deleted.")) from None
    private = services.viewer_admit(workshop=workshop, user=user, key=key)
    you: dict[str, Any] = {
        "id": None,
        "name": "",
        "role": VIEWER,
        "sees": Participant.Role.FACILITATOR if private else Participant.Role.PARTICIPANT,
        "votes": {},
        "table": None,
    }
    room = _Room(workshop.pk, welcomes)
    return room.welcome(
        you=lambda tables_on: you, token=None, since=since, participant=None, private=private
    )


class _Room:
    """What every welcome of one group reads once: the workshop's version, people count."""

    def __init__(self, workshop_id: int, welcomes: SharedWelcomes) -> None:
        self.workshop_id = workshop_id
        self.welcomes = welcomes
        self.version = version_of(workshop_id)
        self._people: int | None = None

    def people(self) -> int:
        if self._people is None:
            self._people = selectors.people_joined(self.workshop_id)
        return self._people

    def welcome(
        self,
        *,
        you: Callable[[bool], dict[str, Any]],
        token: str | None,
        since: Any,
        participant: Participant | None,
        private: bool,
    ) -> Hello:
        last_seq = self.version[0]
        resumable = (
            isinstance(since, int)
            and not isinstance(since, bool)
            and 0 < since <= last_seq
            and last_seq - since <= selectors.REPLAY_LIMIT
        )
        if resumable:
            frame = {
                "type": "welcome",
                "protocol": PROTOCOL,
                "you": you(True),
                "token": token,
                "seq": last_seq,
            }
            catch_up = selectors.events_between(
                self.workshop_id,
                since,
                last_seq,
                private=private,
                reader=participant.pk if participant is not None else None,
            )
            return Hello(encode(frame), last_seq, catch_up, participant, private, self.people())
        state = self.welcomes.state(self.version, private=private)
        # `you` is read after the state's seq: a vote cast since is sent again as an event.
        text = welcome_frame(
            you=you(state.tables_on), token=token, seq=state.seq, state=state.text(self.people())
        )
        return Hello(text, state.seq, [], participant, private, self.people())


def _joins_of(hub: Hub, workshop: Workshop) -> GroupCommit[ParticipantHello, Hello]:
    """The hub's group commit of participants' hellos, made on first need."""
    if hub.joins is None:
        hub.joins = GroupCommit(functools.partial(_participants_hello, workshop, hub.welcomes))
    return cast(GroupCommit[ParticipantHello, Hello], hub.joins)


def _viewer_actor(workshop: Workshop | None, user: Any) -> Participant:
    """Who a viewer's command is logged under: the signed-in facilitator, made on first need."""
    if workshop is None or user is None:
        raise Refused("forbidden", _("A screen shows the workshop; it cannot send commands."))
    try:
        return services.facilitator_participant(workshop=workshop, user=user)
    except protocol.PASSING_FAILURES as failure:
        log.warning("a viewer's command is unavailable for now: %r", failure)
        raise protocol.unavailable() from failure
