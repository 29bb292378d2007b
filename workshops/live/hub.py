"""Fan-out: how a logged event reaches every socket of its workshop.

One `Hub` per live workshop per server process. The hub is the process's single
subscriber to the workshop's channel-layer group; it keeps the set of that workshop's
sockets on this process, gathers events into batches, encodes each batch to JSON once
and sends the same text to every socket. A command run by this process has its event
sent as soon as it returns; other events wait up to FLUSH_WINDOW for company; batches
start at least that far apart, and BUSY_SPACING apart during a burst, so that a
thousand values typed at once go out in a few dozen writes. The channel layer is only a
fast doorbell: it may drop or reorder messages, so the hub delivers strictly in `seq`
order, fills any gap from the `Event` table, and polls the table's last seq now and then
in case a doorbell was lost entirely. (Measurements: docs/benchmarks.md; why: ARCHITECTURE.)

The registry of hubs is process-local on purpose: each process holds its own sockets;
nothing here must be shared between processes.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
import uuid
from typing import Any, Protocol

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from .. import events, selectors
from ..models import Participant, Workshop
from . import collector
from .joins import GroupCommit
from .welcome import SharedWelcomes
from .wire import DirectLine, Frame, encode

log = logging.getLogger(__name__)

FLUSH_WINDOW = 0.03  # seconds events are gathered into one batch, at most
# A batch of this many events means a burst: batches then start this many seconds apart.
BUSY_BATCH = 3
BUSY_SPACING = 0.1
POLL_INTERVAL = 2.0  # seconds between checks of the log for lost doorbells
PRESENCE_WINDOW = 0.5  # presence counts are sent at most this often
PRESENCE_HEARTBEAT = 10.0  # each hub re-announces its count; silent hubs expire at 3x
IDLE_GRACE = 15.0  # a hub with no sockets waits this long for reconnects before it stops
# Bytes a socket may leave unread beyond what it had queued when it joined (its welcome)
# before it is told to resync: a reader that stopped never holds more than this here.
LAG_LIMIT = 256 * 1024
LAYER_TIMEOUT = 2.0  # seconds to wait on the channel layer outside the delivery path


def group_name(workshop_id: int) -> str:
    return f"workshop.{workshop_id}"


def publish(workshop_id: int, event: dict[str, Any]) -> None:
    """Ring the doorbell for a committed event. Runs in the database thread, after commit.

    It must not wait for the event loop: the loop may be busy writing a batch to a
    thousand sockets, and every command waits for this thread. So this process's hub is
    handed the event directly, and rings the channel layer for other processes itself
    (`Hub.committed`). A failure loses nothing: the event is in the log and every hub's
    poll finds it.
    """
    publish_many(workshop_id, [event])


def publish_many(workshop_id: int, events: list[dict[str, Any]]) -> None:
    """Ring once for events committed together (a group's, in seq order)."""
    message = {"type": "events", "events": events}
    try:
        layer = get_channel_layer()
        hub = _hubs.get(workshop_id)
        if hub is not None and hub.loop.is_running():
            # A fresh context: this thread's one says "inside a database call", and a
            # flush started from it could not make database calls of its own.
            hub.loop.call_soon_threadsafe(hub.committed, events, context=contextvars.Context())
        elif layer is not None:
            # No socket of this workshop here (a management command, say): ring and wait,
            # or, in a thread that runs an event loop itself, ring from that loop.
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                async_to_sync(layer.group_send)(group_name(workshop_id), message)
            else:
                _pending_doorbells.add(
                    task := running.create_task(layer.group_send(group_name(workshop_id), message))
                )
                task.add_done_callback(_pending_doorbells.discard)
    except Exception as error:
        DOORBELL.failed(workshop_id, error)


# Doorbells rung from a thread's own loop, kept until done (asyncio keeps weak references).
_pending_doorbells: set[asyncio.Task[None]] = set()


class LayerHealth:
    """Logs a channel layer that went away once, when it goes, and once when it is back:
    during a Redis restart every command's doorbell fails, and none of them lost anything
    (the hubs' log poll delivers), so a warning per command would only bury the news."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.away = False

    def failed(self, workshop_id: int, error: BaseException | None) -> None:
        if not self.away:
            self.away = True
            log.warning(
                "%s failed (workshop %s: %r); the log poll delivers meanwhile",
                self.what,
                workshop_id,
                error,
            )

    def worked(self) -> None:
        if self.away:
            self.away = False
            log.info("%s works again", self.what)


DOORBELL = LayerHealth("the channel layer's doorbell")
LISTENING = LayerHealth("listening to the channel layer")


def _in_memory(layer: Any) -> bool:
    """The in-memory layer reaches only this process, whose hub already has the event."""
    return type(layer).__name__ == "InMemoryChannelLayer"


def publish_deleted(workshop_id: int) -> None:
    """Tell every process that a workshop is gone, so they close its sockets."""
    _tell_every_hub(workshop_id, "deleted", "the deletion")


def publish_members_changed(workshop_id: int) -> None:
    """Tell every process that a workshop's facilitators changed: each hub re-reads the
    rights of its sockets (a co-facilitator removed stops reading private events)."""
    _tell_every_hub(workshop_id, "members", "new members")


def _tell_every_hub(workshop_id: int, kind: str, what: str) -> None:
    try:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group_name(workshop_id), {"type": kind})
    except Exception:
        log.exception("could not announce %s of workshop %s", what, workshop_id)


class Socket(Protocol):
    """What the hub needs of a consumer."""

    seq: int  # the last seq this socket has been sent
    sees_private: bool  # receives events in full (facilitators): see `events.for_everyone`
    participant: Participant | None  # who it is: they read their own secret votes
    viewer: bool  # a projector or control room: delivered to, never counted online
    # A viewer let in by a facilitator's sign-in (no participant row): whose rights decide
    # whether it still sees private events. None for everyone else.
    viewer_user_id: int | None
    line: DirectLine | None  # daphne's connection, written to directly (wire.py)
    backlog_limit: int  # unread bytes past which it is told to resync (set on attach)

    async def workshop_deleted(self) -> None: ...

    async def fell_behind(self) -> None: ...

    async def send(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None: ...


class Batch:
    """Events to send together, encoded and framed once however many sockets receive them."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        self.events = events
        self._frame: Frame | None = None

    @property
    def frame(self) -> Frame:
        if self._frame is None:
            self._frame = Frame(encode({"type": "events", "events": self.events}))
        return self._frame


class Audiences:
    """One batch as each reader may see it. Contributions awaiting approval go to
    facilitators in full, to others as ids; a secret vote names its voter to
    facilitators and the voter alone."""

    def __init__(self, batch: list[dict[str, Any]]) -> None:
        self.full = Batch(batch)
        self.public = self.full
        self.owned: dict[int, Batch] = {}  # voter -> the batch with their own votes in full
        everyone = [events.for_everyone(event) for event in batch]
        if any(shown is not event for shown, event in zip(everyone, batch, strict=True)):
            self.public = Batch(everyone)
            voters = {voter for event in batch if (voter := events.owner(event)) is not None}
            for voter in voters:
                self.owned[voter] = Batch([events.for_reader(event, voter) for event in batch])

    def of(self, socket: Socket) -> Batch:
        if socket.sees_private:
            return self.full
        return self.owned.get(_reader(socket) or 0, self.public) if self.owned else self.public


class Hub:
    def __init__(self, workshop_id: int) -> None:
        self.workshop_id = workshop_id
        self.id = uuid.uuid4().hex
        self.loop = asyncio.get_running_loop()
        self.layer = get_channel_layer()
        self.sockets: set[Socket] = set()
        self.sent_seq = 0  # every socket here has been sent everything up to this seq
        self.known_seq = 0  # the highest seq known to be in the log
        self.pending: dict[int, dict[str, Any]] = {}
        self.ready = asyncio.Event()
        self._flush_lock = asyncio.Lock()
        self._flush_timer: asyncio.TimerHandle | None = None
        self._flushed_at = -BUSY_SPACING  # loop time the last batch started out
        self._last_batch_size = 0
        self._ringing: set[asyncio.Future[None]] = set()  # doorbells on their way out
        self._early = False  # flush_early was asked while a doorbell was on its way
        self._presence_timer: asyncio.TimerHandle | None = None
        self._idle_timer: asyncio.TimerHandle | None = None
        self._other_hubs: dict[str, tuple[int, float]] = {}  # hub id -> (online, expires)
        # Who facilitates, as last re-read (None: not since this hub started): a socket
        # that attaches after a re-read it missed takes its rights from it.
        self._facilitating: set[int] | None = None
        self._online_sent: tuple[int, int] = (-1, -1)  # (online, joined) last sent
        self.joined = 0  # people who have joined the workshop so far, the highest heard
        self._tasks: list[asyncio.Task[None]] = []
        self.stopped = False
        self.channel = ""
        # What joining sockets share: the state, encoded once per version, and the
        # gathering of their hellos into one transaction (the consumer's).
        self.welcomes = SharedWelcomes(workshop_id)
        self.joins: GroupCommit[Any, Any] | None = None
        self.arriving = 0  # hellos being answered: the hub must not stop under them
        # The workshop as its first joiner looked it up: the sockets that come after it
        # take this one instead of a query each (`known_workshop`).
        self.workshop: Workshop | None = None
        self._people = 0  # sockets here that are people (not screens)

    # -- life cycle

    async def start(self) -> None:
        if self.layer is not None:
            self.channel = await self.layer.new_channel()
            # A layer that is away (Redis restarting) must not keep anyone out: the poll
            # delivers, and the heartbeat joins the group again once it is back.
            await self._resubscribe()
            self._tasks.append(asyncio.create_task(self._listen()))
        # Read after subscribing: anything committed later rings the doorbell.
        self.sent_seq = self.known_seq = await _last_seq(self.workshop_id)
        self._tasks.append(asyncio.create_task(self._poll()))
        # A hub started for a hello that was then refused has no socket to stop it.
        self._idle_timer = self.loop.call_later(IDLE_GRACE, self._stop_if_idle)
        self.ready.set()

    def serve(self, workshop: Workshop) -> None:
        """Known by its code from now on: a socket opened with it needs no query."""
        if self.workshop is None and not self.stopped:
            self.workshop = workshop
            _codes[workshop.code] = self.workshop_id

    async def stop(self) -> None:
        if _hubs.get(self.workshop_id) is self:
            del _hubs[self.workshop_id]
        if self.workshop is not None and _codes.get(self.workshop.code) == self.workshop_id:
            del _codes[self.workshop.code]
        self.stopped = True
        running = [t for t in self._tasks if t is not asyncio.current_task() and not t.done()]
        for task in running:
            task.cancel()
        for timer in (self._flush_timer, self._presence_timer, self._idle_timer):
            if timer:
                timer.cancel()
        if self.layer is not None and self.channel:
            try:
                await asyncio.wait_for(
                    self.layer.group_discard(group_name(self.workshop_id), self.channel),
                    LAYER_TIMEOUT,
                )
            except Exception:
                log.warning("could not leave group of workshop %s", self.workshop_id)
        if running:
            await self._wait_stopped(running)

    async def _wait_stopped(self, tasks: list[asyncio.Task[None]]) -> None:
        """Wait for the cancelled tasks to end. Redis's client now and then loses the
        cancellation of a blocking pop, and the layer's receive then pops on forever; it
        still returns on a message, so the listener is sent one, and ends (`stopped`)."""
        _, stuck = await asyncio.wait(tasks, timeout=LAYER_TIMEOUT)
        if stuck and self.layer is not None and self.channel:
            try:
                await asyncio.wait_for(
                    self.layer.send(self.channel, {"type": "hub.stopped"}), LAYER_TIMEOUT
                )
            except Exception:
                log.warning("could not wake the listener of workshop %s", self.workshop_id)
            _, stuck = await asyncio.wait(stuck, timeout=LAYER_TIMEOUT)
        if stuck:
            log.warning("%d tasks of workshop %s's hub did not stop", len(stuck), self.workshop_id)

    # -- sockets

    async def attach(self, socket: Socket) -> None:
        """Start delivering to a socket that has everything up to `socket.seq`."""
        await self.ready.wait()
        if self._idle_timer:
            self._idle_timer.cancel()
            self._idle_timer = None
        # Catch up with what this hub already delivered since the socket's state was read;
        # no await between the last check and joining, so nothing slips between.
        while socket.seq < self.sent_seq:
            upto = self.sent_seq
            missed = await _events_between(
                self.workshop_id, socket.seq, upto, socket.sees_private, _reader(socket)
            )
            if missed:
                await socket.send(text_data=encode({"type": "events", "events": missed}))
            socket.seq = upto
        # What it still has to read of its welcome does not count against it.
        socket.backlog_limit = (socket.line.backlog() if socket.line else 0) + LAG_LIMIT
        if self._facilitating is not None:  # members changed while it was saying hello
            self._apply_rights(socket, self._facilitating)
        if socket not in self.sockets:
            self.sockets.add(socket)
            self._people += not socket.viewer
        self._presence_changed()
        await socket.send(text_data=encode(self._presence_frame()))

    def detach(self, socket: Socket) -> None:
        self._remove(socket)
        self._presence_changed()
        if not self.sockets and self._idle_timer is None:
            self._idle_timer = self.loop.call_later(IDLE_GRACE, self._stop_if_idle)

    def _stop_if_idle(self) -> None:
        self._idle_timer = None
        if self.arriving:  # hellos still waiting for their welcomes (a join wave)
            self._idle_timer = self.loop.call_later(IDLE_GRACE, self._stop_if_idle)
        elif not self.sockets:
            self._tasks.append(asyncio.ensure_future(self.stop()))

    # -- events

    async def _listen(self) -> None:
        assert self.layer is not None
        while not self.stopped:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                # The layer went away (Redis restart): the poll keeps delivering meanwhile.
                LISTENING.failed(self.workshop_id, error)
                await asyncio.sleep(1)
                continue
            LISTENING.worked()
            if message.get("type") == "events":
                if self.offer(message["events"]):
                    # Committed by another process: nothing here is still finishing it.
                    self.flush_early()
            elif message.get("type") == "deleted":
                await self._workshop_gone()
                return
            elif message.get("type") == "members":
                await self.reread_rights()
            elif message.get("type") == "presence" and message.get("hub") != self.id:
                expires = time.monotonic() + 3 * PRESENCE_HEARTBEAT
                self._other_hubs[message["hub"]] = (int(message["online"]), expires)
                self.joined = max(self.joined, int(message.get("joined", 0)))
                self._presence_changed(announce=False)

    async def reread_rights(self) -> None:
        """Each socket reads private events only while its person facilitates the
        workshop, as the database says now (not as it said at hello)."""
        try:
            facilitating = await _facilitator_user_ids(self.workshop_id)
        except Exception:
            log.warning("could not re-read the rights of workshop %s", self.workshop_id)
            return
        self._facilitating = facilitating
        for socket in self.sockets:
            self._apply_rights(socket, facilitating)

    @staticmethod
    def _apply_rights(socket: Socket, facilitating: set[int]) -> None:
        participant = getattr(socket, "participant", None)
        if participant is not None and participant.role == Participant.Role.FACILITATOR:
            socket.sees_private = participant.user_id in facilitating
        elif getattr(socket, "viewer_user_id", None) is not None:
            socket.sees_private = socket.viewer_user_id in facilitating

    def offer(self, batch: list[dict[str, Any]]) -> bool:
        """Take events from the doorbell; they go out with the next flush. Returns whether
        any of them was new here (this process's own come back through the layer too)."""
        new = False
        for event in batch:
            if event["seq"] > self.sent_seq and event["seq"] not in self.pending:
                self.pending[event["seq"]] = event
                self.known_seq = max(self.known_seq, event["seq"])
                new = True
        self._schedule_flush()
        return new

    def committed(self, events: list[dict[str, Any]]) -> None:
        """Events this process committed (one, or a group's together): they go out with
        the next flush, and the other processes' hubs are rung through the channel layer,
        once for them all: one `group_send` per event was a quarter of the event loop's
        time in a two-process type wave (the Redis pool's checkout, decision 0016)."""
        self.offer(events)
        if self.layer is None or _in_memory(self.layer):
            return  # no other process to tell
        task = self._ring({"type": "events", "events": events})
        self._ringing.add(task)
        task.add_done_callback(self._rung)

    def _ring(self, message: dict[str, Any]) -> asyncio.Task[None]:
        """Send to the workshop's group, bounded: a layer that went away may never answer."""
        assert self.layer is not None
        doorbell = self.layer.group_send(group_name(self.workshop_id), message)
        return asyncio.create_task(asyncio.wait_for(doorbell, LAYER_TIMEOUT))

    def _rung(self, task: asyncio.Future[None]) -> None:
        self._ringing.discard(task)
        self._rang(task)
        if self._early and not self._ringing:
            self.flush_early()

    def _rang(self, task: asyncio.Future[None]) -> None:
        """Log a ring that failed (once per outage); nothing is lost, the poll delivers."""
        if not task.cancelled():
            if task.exception() is not None:
                DOORBELL.failed(self.workshop_id, task.exception())
            else:
                DOORBELL.worked()

    async def _poll(self) -> None:
        next_heartbeat = time.monotonic() + PRESENCE_HEARTBEAT
        while True:
            await asyncio.sleep(POLL_INTERVAL)
            try:
                last = await _last_seq(self.workshop_id)
            except Workshop.DoesNotExist:
                # Deleted by another process whose announcement did not come (a cron
                # purge with no Redis, or while it was away): close the sockets here.
                await self._workshop_gone()
                return
            except Exception:
                log.warning("poll of workshop %s failed", self.workshop_id)
                continue
            self.known_seq = max(self.known_seq, last)
            self._schedule_flush()  # also retries a flush that failed
            collector.collect_if_quiet()
            if time.monotonic() >= next_heartbeat:
                next_heartbeat = time.monotonic() + PRESENCE_HEARTBEAT
                await self._resubscribe()
                self._presence_changed()

    async def _workshop_gone(self) -> None:
        """Tell this process's sockets that the workshop was deleted, then stop."""
        for socket in list(self.sockets):
            await socket.workshop_deleted()
        await self.stop()

    async def _resubscribe(self) -> None:
        """Join the group again: a restarted Redis has forgotten it, and memberships expire."""
        if self.layer is None or not self.channel:
            return
        try:
            # Bounded: a layer whose server went away may never answer, and the poll
            # that delivers meanwhile must not wait on it.
            await asyncio.wait_for(
                self.layer.group_add(group_name(self.workshop_id), self.channel), LAYER_TIMEOUT
            )
        except Exception:
            log.warning("could not rejoin the group of workshop %s", self.workshop_id)

    def _schedule_flush(self) -> None:
        """Send what is pending once the window is over: more events may join the batch."""
        if self._flush_timer is None and self.known_seq > self.sent_seq:
            at = max(self.loop.time() + FLUSH_WINDOW, self._next_batch_at())
            self._flush_timer = self.loop.call_at(at, self._start_flush)

    def flush_early(self) -> None:
        """Send what is pending now, without the window: a command of this process has
        returned, or another process's event has come.

        Not from every `offer`: this process's own doorbell rings while its command is
        still finishing in the database thread, and a thousand writes fighting that thread
        for the interpreter lock cost 40% more CPU per delivery (leading-edge flushes
        measured, docs/benchmarks.md). Once the command has returned, the thread is free.
        """
        if self._ringing:
            # The doorbell leaves first: while this batch is being written the loop could
            # not send it, and the other processes' sockets would wait for this write.
            self._early = True
            return
        self._early = False
        if self.known_seq <= self.sent_seq:
            return
        due = self._next_batch_at()
        if self._flush_timer is not None:
            if self._flush_timer.when() <= due:
                return
            self._flush_timer.cancel()
        if due <= self.loop.time() and not self._flush_lock.locked():
            self._start_flush()
        else:
            self._flush_timer = self.loop.call_at(due, self._start_flush)

    def _next_batch_at(self) -> float:
        """Batches start a window apart, and further apart during a burst: each one is a
        write to every socket, and the burst's commands need the interpreter lock too."""
        busy = self._last_batch_size >= BUSY_BATCH
        return self._flushed_at + (BUSY_SPACING if busy else FLUSH_WINDOW)

    def _start_flush(self) -> None:
        self._flush_timer = None
        self._flushed_at = self.loop.time()
        self._tasks.append(asyncio.ensure_future(self.flush()))
        self._tasks = [task for task in self._tasks if not task.done()]

    async def flush(self) -> None:
        """Send every event after `sent_seq`, in order, as one encoded batch."""
        try:
            await self._flush()
        except Exception:
            # Nothing is lost: sent_seq moves only once a batch is ready to go out, and
            # the next poll tries again.
            log.exception("flush of workshop %s failed", self.workshop_id)
            return
        self._schedule_flush()

    async def _flush(self) -> None:
        async with self._flush_lock:
            before = self.sent_seq
            if self.known_seq <= before:
                return
            last = await self._sendable_until(before)
            if last == before:
                return  # flush() schedules the next try
            batch = [self.pending[s] for s in range(before + 1, last + 1) if s in self.pending]
            self._last_batch_size = len(batch)
            audiences = Audiences(batch)
            # From here on, a socket that attaches catches up to `last` from the log itself.
            self.sent_seq = last
            collector.busy()
            self.pending = {seq: e for seq, e in self.pending.items() if seq > last}
            await self._deliver(audiences, before, last)

    async def _sendable_until(self, before: int) -> int:
        """The last seq after `before` that can go out with none missing before it; the
        pending events are filled from the log first when some doorbell is missing."""
        logged = before  # the log, when read, held every seq up to this one
        if any(seq not in self.pending for seq in range(before + 1, self.known_seq + 1)):
            # A doorbell was lost or is late: the log has them all, in order.
            fetched = await _events_between(self.workshop_id, before, None, True)
            self.pending.update({event["seq"]: event for event in fetched})
            logged = max([before, *[e["seq"] for e in fetched]])
            self.known_seq = max(self.known_seq, logged)
        # Only as far as nothing is missing: a doorbell that rang while the log was
        # being read may announce a seq whose predecessors committed after the read
        # (two processes); those wait for the next flush, which reads them. A seq the
        # log itself lacks below what it held is no event at all.
        last = before
        while last < self.known_seq and (last + 1 in self.pending or last + 1 <= logged):
            last += 1
        return last

    async def _deliver(self, audiences: Audiences, before: int, last: int) -> None:
        """Each socket its reader's part of the batch from `before` to `last`.

        Straight to daphne's connections first, without a single await: none of them
        waits for another. Sockets without a direct line (other ASGI servers, tests'
        communicators) are sent to through ASGI afterwards, in turn."""
        through_asgi = []
        for socket in list(self.sockets):
            frame = self._frame_for(socket, audiences.of(socket), before)
            if frame is None:
                continue
            socket.seq = last
            if socket.line is not None:
                self._write(socket, socket.line, frame)
            else:
                through_asgi.append((socket, frame))
        for socket, frame in through_asgi:
            await self._send(socket, frame)

    @staticmethod
    def _frame_for(socket: Socket, batch: Batch, before: int) -> Frame | None:
        """What of a batch this socket lacks: all of it, the part after its seq, or none."""
        if socket.seq == before:
            return batch.frame
        missing = [event for event in batch.events if event["seq"] > socket.seq]
        if not missing:
            return None  # its welcome state already held these
        return Frame(encode({"type": "events", "events": missing}))

    async def _send(self, socket: Socket, frame: Frame) -> None:
        """One frame to a socket through ASGI (not under daphne: tests, other servers)."""
        try:
            await socket.send(text_data=frame.text)
        except Exception:
            log.info("dropping a socket of workshop %s that failed to send", self.workshop_id)
            self._remove(socket)

    def _write(self, socket: Socket, line: DirectLine, frame: Frame) -> None:
        """One frame straight to daphne's connection: no coroutine, no framing per socket."""
        waiting = line.write(frame)
        if waiting < 0:
            self._remove(socket)  # closing; its disconnect detaches it
        elif waiting > socket.backlog_limit:
            # It stopped reading: stop queueing for it, and have it catch up from the log
            # with `since` when it reconnects, instead of buffering without bound here.
            log.info("a socket of workshop %s fell behind; telling it to resync", self.workshop_id)
            self.detach(socket)
            self._tasks.append(asyncio.ensure_future(socket.fell_behind()))

    # -- presence

    def online(self) -> int:
        now = time.monotonic()
        self._other_hubs = {h: v for h, v in self._other_hubs.items() if v[1] > now}
        return self._people_here() + sum(count for count, _ in self._other_hubs.values())

    def _people_here(self) -> int:
        # Screens are not people: the projector and the control room are not "online".
        # Counted as sockets come and go: a join wave asks at every attach.
        return self._people

    def _remove(self, socket: Socket) -> None:
        if socket in self.sockets:
            self.sockets.discard(socket)
            self._people -= not socket.viewer

    def joined_at_least(self, joined: int) -> None:
        """A hello counted `joined` people so far: tell the room with the next presence."""
        if joined > self.joined:
            self.joined = joined
            self._presence_changed()

    def _presence_frame(self) -> dict[str, Any]:
        return {"type": "presence", "online": self.online(), "joined": self.joined}

    def _presence_changed(self, announce: bool = True) -> None:
        if announce:
            self._announce = True
        if self._presence_timer is None:
            self._presence_timer = self.loop.call_later(PRESENCE_WINDOW, self._send_presence)

    _announce = False

    def _send_presence(self) -> None:
        self._presence_timer = None
        if self._announce and self.layer is not None:
            self._announce = False
            message = {
                "type": "presence",
                "hub": self.id,
                "online": self._people_here(),
                "joined": self.joined,
            }
            task = self._ring(message)
            task.add_done_callback(self._rang)
            self._tasks.append(task)
        presence = self._presence_frame()
        if (presence["online"], presence["joined"]) != self._online_sent:
            self._online_sent = (presence["online"], presence["joined"])
            frame = Frame(encode(presence))
            for socket in list(self.sockets):
                if socket.line is not None:
                    self._write(socket, socket.line, frame)
                else:
                    self._tasks.append(asyncio.ensure_future(self._send(socket, frame)))


_hubs: dict[int, Hub] = {}
_codes: dict[str, int] = {}  # join code -> workshop id, of the hubs that serve one


_lookups: dict[str, asyncio.Task[Workshop | None]] = {}  # code -> its lookup, while it runs


async def workshop_for(code: str) -> Workshop | None:
    """The workshop of a join code (None: no such workshop): a running hub's, or read
    once for all the sockets that ask while it is being read (a wave's first sockets
    all connect before any of them has said hello)."""
    known = known_workshop(code)
    if known is not None:
        return known
    key = code.strip().upper()
    loop = asyncio.get_running_loop()
    lookup = _lookups.get(key)
    if lookup is None or lookup.get_loop() is not loop:
        lookup = _lookups[key] = loop.create_task(_workshop_by_code(key))
        lookup.add_done_callback(
            lambda done: _lookups.pop(key, None) if _lookups.get(key) is done else None
        )
    # Shielded: a socket that goes away does not cancel the others' lookup.
    return await asyncio.shield(lookup)


@database_sync_to_async
def _workshop_by_code(code: str) -> Workshop | None:
    return selectors.workshop_by_code(code)


def known_workshop(code: str) -> Workshop | None:
    """The workshop a running hub of this process serves under this join code, if any.

    A join wave's sockets each looked their workshop up by code at connect: a query per
    socket in the database thread, a fifth of its time in the wave (docs/benchmarks.md,
    seventh round). While a hub runs, it is told of a deletion (and stops), so its
    workshop stands for the code; what may change on the row (a screen's key) is read
    again where it matters (`consumer._viewer_hello`).
    """
    hub = _hubs.get(_codes.get(code.strip().upper(), 0))
    if hub is None or hub.stopped or hub.loop is not asyncio.get_running_loop():
        return None
    return hub.workshop


async def hub_for(workshop_id: int) -> Hub:
    """This process's hub for a workshop, started on first use."""
    hub = _hubs.get(workshop_id)
    if hub is None or hub.loop is not asyncio.get_running_loop():
        hub = _hubs[workshop_id] = Hub(workshop_id)
        try:
            await hub.start()
        except BaseException:
            await hub.stop()
            raise
    else:
        await hub.ready.wait()
    return hub


async def stop_all() -> None:
    """Stop every hub of this process (tests; shutdown)."""
    for hub in list(_hubs.values()):
        await hub.stop()


@database_sync_to_async
def _last_seq(workshop_id: int) -> int:
    return Workshop.objects.values_list("last_seq", flat=True).get(pk=workshop_id)


def _reader(socket: Socket) -> int | None:
    """The participant a socket reads as (none for a socket that is nobody yet)."""
    participant = getattr(socket, "participant", None)
    return participant.pk if participant is not None else None


@database_sync_to_async
def _events_between(
    workshop_id: int, after: int, upto: int | None, private: bool, reader: int | None = None
) -> list[dict[str, Any]]:
    return selectors.events_between(workshop_id, after, upto, private=private, reader=reader)


@database_sync_to_async
def _facilitator_user_ids(workshop_id: int) -> set[int]:
    through = Workshop.facilitators.through
    return set(through.objects.filter(workshop_id=workshop_id).values_list("user_id", flat=True))
