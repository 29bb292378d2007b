"""The hub's promises, with stand-in sockets: order, no gaps, one encode per batch."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, channel_layers

from workshops import services
from workshops.live import hub as fanout

pytestmark = pytest.mark.django_db(transaction=True)


class FakeLine:
    """Stands in for daphne's connection (wire.DirectLine): counts what is still unread."""

    def __init__(self, socket, unread=0):
        self.socket = socket
        self.unread = unread
        self.frames = []
        self.written_at = []

    def write(self, frame):
        self.frames.append(frame)
        self.written_at.append(asyncio.get_running_loop().time())
        self.socket.texts.append(frame.text)
        return self.unread

    def backlog(self):
        return self.unread


class FakeSocket:
    def __init__(self, seq=0, sees_private=False, delay=0.0, direct=False):
        self.seq = seq
        self.sees_private = sees_private
        self.viewer = False
        self.delay = delay
        self.texts = []
        self.line = FakeLine(self) if direct else None
        self.told_to_resync = False

    async def send(self, text_data=None, bytes_data=None):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.texts.append(text_data)

    async def workshop_deleted(self):
        pass

    async def fell_behind(self):
        self.told_to_resync = True

    @property
    def batches(self):
        return [t for t in self.texts if t.startswith('{"type":"events"')]

    @property
    def seqs(self):
        return [e["seq"] for t in self.texts for e in json.loads(t).get("events", [])]


async def add_values(participant, count):
    for n in range(count):
        await database_sync_to_async(services.value_add)(participant=participant, text=f"v{n}")


async def turns():
    """A few turns of the event loop: what is ready runs, no timer is due yet."""
    for _ in range(3):
        await asyncio.sleep(0)


async def settle():
    await asyncio.sleep(fanout.BUSY_SPACING * 2)


async def test_events_arriving_out_of_order_go_out_in_order(workshop, ada):
    hub = await fanout.hub_for(workshop.pk)
    socket = FakeSocket()
    await hub.attach(socket)
    await add_values(ada, 3)
    await settle()
    socket.texts.clear()
    hub.sent_seq = 0  # replay the three events as if their doorbells came in any order
    events = await database_sync_to_async(lambda: fanout.selectors.events_between(workshop.pk, 0))()
    socket.seq = 0
    hub.offer([events[2]])
    hub.offer([events[0]])
    hub.offer([events[1]])
    await settle()
    assert socket.seqs == [1, 2, 3]
    assert len(socket.batches) == 1  # coalesced into one batch


async def test_a_lost_doorbell_is_filled_from_the_log(workshop, ada):
    hub = await fanout.hub_for(workshop.pk)
    socket = FakeSocket()
    await hub.attach(socket)
    # Write three events without ringing the doorbell, then ring only for the last.
    original = fanout.publish
    rung = []
    fanout.publish = lambda workshop_id, event: rung.append(event)
    try:
        await add_values(ada, 3)
    finally:
        fanout.publish = original
    hub.offer([rung[-1]])
    await settle()
    assert socket.seqs == [1, 2, 3]


async def test_a_doorbell_that_rings_while_the_log_is_read_skips_nothing(
    workshop, ada, monkeypatch
):
    """Two processes: the log is read for a late doorbell, and meanwhile the other
    process commits more and rings for its last one. The seqs the read could not see
    yet still go out, in order, before that one."""
    hub = await fanout.hub_for(workshop.pk)
    await add_values(ada, 5)
    await settle()
    socket = FakeSocket()
    await hub.attach(socket)
    hub.sent_seq = socket.seq = 0  # as if events 1-5 were still to come
    socket.texts.clear()
    read = fanout._events_between
    reads = []

    async def read_before_3_to_5_committed(workshop_id, after, upto, private, reader=None):
        logged = await read(workshop_id, after, upto, private, reader)
        if reads:
            return logged
        reads.append(after)
        hub.offer([event for event in logged if event["seq"] == 5])  # its doorbell, meanwhile
        return [event for event in logged if event["seq"] <= 2]

    monkeypatch.setattr(fanout, "_events_between", read_before_3_to_5_committed)
    hub.known_seq = 2  # the poll saw seq 2 in the log
    hub._schedule_flush()
    await settle()
    await settle()
    assert socket.seqs == [1, 2, 3, 4, 5]


async def test_every_socket_gets_the_same_text_encoded_once(workshop, ada, monkeypatch):
    hub = await fanout.hub_for(workshop.pk)
    sockets = [FakeSocket() for _ in range(50)]
    for socket in sockets:
        await hub.attach(socket)
    encodes = []
    original = fanout.encode
    monkeypatch.setattr(fanout, "encode", lambda frame: encodes.append(frame) or original(frame))
    await add_values(ada, 5)
    await settle()
    batches = [e for e in encodes if e.get("type") == "events"]
    assert all(s.seqs == [1, 2, 3, 4, 5] for s in sockets)
    assert len(batches) == len(sockets[0].batches)
    assert all(s.batches == sockets[0].batches for s in sockets)


async def test_a_socket_joining_mid_stream_gets_only_what_it_lacks(workshop, ada):
    hub = await fanout.hub_for(workshop.pk)
    early = FakeSocket()
    await hub.attach(early)
    await add_values(ada, 2)
    await settle()
    late = FakeSocket(seq=1)  # its state was read at seq 1
    await hub.attach(late)
    await add_values(ada, 1)
    await settle()
    assert early.seqs == [1, 2, 3]
    assert late.seqs == [2, 3]


async def test_a_socket_whose_state_is_ahead_is_not_sent_events_twice(workshop, ada):
    hub = await fanout.hub_for(workshop.pk)
    await add_values(ada, 2)
    ahead = FakeSocket(seq=2)
    await hub.attach(ahead)
    await settle()
    await add_values(ada, 1)
    await settle()
    assert ahead.seqs == [3]


async def test_a_gap_is_filled_when_the_next_doorbell_comes_from_the_database_thread(
    workshop, ada, monkeypatch
):
    """The doorbell of a command rings from inside a database call; the flush it starts
    must still be able to read the log (regression: asgiref refused, 'would deadlock')."""
    hub = await fanout.hub_for(workshop.pk)
    socket = FakeSocket()
    await hub.attach(socket)
    original = fanout.publish
    monkeypatch.setattr(fanout, "publish", lambda workshop_id, event: None)
    await add_values(ada, 2)  # doorbells lost
    monkeypatch.setattr(fanout, "publish", original)
    await add_values(ada, 1)  # rung from the database thread, as in production
    await settle()
    assert socket.seqs == [1, 2, 3]


async def test_a_slow_socket_does_not_hold_up_a_fast_one(workshop, ada):
    hub = await fanout.hub_for(workshop.pk)
    slow, fast = FakeSocket(delay=0.5), FakeSocket(direct=True)
    await hub.attach(slow)
    await hub.attach(fast)
    await add_values(ada, 1)
    await settle()
    assert fast.seqs == [1]  # written before the slow one's send has returned


async def test_a_batch_is_framed_once_for_every_direct_line(workshop, ada):
    hub = await fanout.hub_for(workshop.pk)
    sockets = [FakeSocket(direct=True) for _ in range(20)]
    for socket in sockets:
        await hub.attach(socket)
    await add_values(ada, 3)
    await settle()
    assert all(s.seqs == [1, 2, 3] for s in sockets)
    frames = [socket.line.frames for socket in sockets]
    assert all(len(f) == len(frames[0]) for f in frames)
    for i, frame in enumerate(frames[0]):
        assert all(f[i] is frame for f in frames)  # the same framed bytes, not copies


async def test_a_reader_that_stopped_reading_is_told_to_resync_and_the_rest_go_on(workshop, ada):
    hub = await fanout.hub_for(workshop.pk)
    stalled, reading = FakeSocket(direct=True), FakeSocket(direct=True)
    await hub.attach(stalled)
    await hub.attach(reading)
    await add_values(ada, 1)
    await settle()
    stalled.line.unread = fanout.LAG_LIMIT + 1  # what it has not read passes the bound
    await add_values(ada, 1)
    await settle()
    assert stalled.told_to_resync
    assert stalled not in hub.sockets  # nothing more is queued for it
    await add_values(ada, 1)
    await settle()
    assert stalled.seqs == [1, 2]
    assert reading.seqs == [1, 2, 3]


async def test_the_welcome_a_socket_is_still_reading_does_not_count_against_it(workshop, ada):
    hub = await fanout.hub_for(workshop.pk)
    phone = FakeSocket(direct=True)
    phone.line.unread = 3 * fanout.LAG_LIMIT  # a large state, still on its way
    await hub.attach(phone)
    await add_values(ada, 2)
    await settle()
    assert not phone.told_to_resync
    assert phone.seqs == [1, 2]


async def test_an_event_goes_out_as_soon_as_its_command_has_returned(workshop, ada, monkeypatch):
    """The consumer calls flush_early after the ack: no gathering window to wait out."""
    monkeypatch.setattr(fanout, "FLUSH_WINDOW", 60.0)  # only flush_early can send it
    hub = await fanout.hub_for(workshop.pk)
    socket = FakeSocket(direct=True)
    await hub.attach(socket)
    await add_values(ada, 1)
    hub.flush_early()
    for _ in range(500):  # on Redis, the doorbell to other processes leaves first
        if socket.seqs:
            break
        await asyncio.sleep(0.01)
    assert socket.seqs == [1]


async def test_during_a_burst_batches_start_further_apart(workshop, ada, monkeypatch):
    """Each batch is a write to every socket: a burst's commands get the time between."""
    hub = await fanout.hub_for(workshop.pk)
    socket = FakeSocket(direct=True)
    await hub.attach(socket)
    rung = []
    monkeypatch.setattr(fanout, "publish", lambda workshop_id, event: rung.append(event))
    await add_values(ada, fanout.BUSY_BATCH + 1)
    hub.offer(rung[: fanout.BUSY_BATCH])  # a burst's worth arrives at once
    hub.flush_early()
    await turns()
    assert len(socket.batches) == 1
    hub.offer(rung[fanout.BUSY_BATCH :])
    hub.flush_early()  # too soon after a burst's batch: it waits its turn
    await turns()
    assert len(socket.batches) == 1
    await settle()
    assert socket.seqs == list(range(1, fanout.BUSY_BATCH + 2))
    first, second = socket.line.written_at
    assert second - first >= fanout.BUSY_SPACING


async def test_the_doorbell_to_other_processes_leaves_before_the_batch_is_written(
    workshop, ada, monkeypatch
):
    """While a batch is written the loop can do nothing else: ringing after it would make
    every other process's sockets wait for this one's."""
    monkeypatch.setattr(fanout, "FLUSH_WINDOW", 60.0)  # only flush_early can send it
    hub = await fanout.hub_for(workshop.pk)
    socket = FakeSocket(direct=True)
    await hub.attach(socket)
    happened = []

    class SlowLayer:
        async def group_send(self, group, message):
            await asyncio.sleep(0.05)
            happened.append("rung")

    write = socket.line.write
    monkeypatch.setattr(
        socket.line, "write", lambda frame: happened.append("written") or write(frame)
    )
    rung = []
    monkeypatch.setattr(fanout, "publish", lambda workshop_id, event: rung.append(event))
    await add_values(ada, 1)
    hub.layer = SlowLayer()
    hub.committed([rung[0]])
    hub.flush_early()
    await settle()
    assert happened == ["rung", "written"]


class LayerThatLosesCancellations(InMemoryChannelLayer):
    """As Redis's client does now and then with a blocking pop: a cancelled receive goes
    on waiting, and returns only when a message comes."""

    losing = True

    async def receive(self, channel):
        while True:
            try:
                return await super().receive(channel)
            except asyncio.CancelledError:
                if not self.losing:
                    raise


async def test_a_stopped_hub_leaves_no_listener_behind_even_when_the_layer_loses_a_cancel(
    workshop, monkeypatch
):
    layer = LayerThatLosesCancellations()
    monkeypatch.setitem(channel_layers.backends, "default", layer)
    hub = await fanout.hub_for(workshop.id)
    await asyncio.sleep(0.05)  # the listener is waiting on the layer
    await hub.stop()
    try:
        assert all(task.done() for task in hub._tasks)
    finally:  # a failure must not leave the test's event loop a task it cannot cancel
        layer.losing = False
        for task in hub._tasks:
            task.cancel()
