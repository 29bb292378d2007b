"""Attendees of one workshop speaking protocol v1, many per process.

Each worker process runs one asyncio loop holding a share of the attendees. The parent
(`bench.run`) drives the workers over a pipe with small requests: connect, send a plan
of values, wait for a seq, report, close.

The websocket client is a minimal one written on `asyncio.Protocol` rather than the
`websockets` library: the load generator shares the machine with the server under test,
so every microsecond it spends per received frame is taken from the server. It does the
RFC 6455 handshake, reads (possibly fragmented) server frames, answers pings and close,
and masks its own frames with the all-zero key (legal, and free).

Every attendee checks each `events` frame: `seq` must rise by exactly one, and each
`value.added` must arrive once. A value's text is `bench <uid> <send time>`; latency is
the receipt time minus that send time (`time.monotonic`, which is system-wide on Linux,
so it compares across processes). Identical frames are decoded once per process.

An attendee behaves like the browser client (`static/js/live.js`): once welcomed, a
socket the server closes (4408 for a reader that fell behind, a restart, a drop) or one
that sees a gap in `seq` reconnects with `hello` + `token` + `since` after 0.25-0.5 s,
doubling up to 10 s, and resends what was not acknowledged. So *lost* counts only what a
person would miss: a value never received, even after resuming. Every close is counted
by its code, and the sockets it happened to are named, so a report can say why.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import math
import os
import random
import resource
import ssl
import time
from array import array
from collections.abc import Callable
from contextlib import suppress
from typing import Any

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_HEAD = 64 * 1024
# As static/js/live.js: a reconnect waits between half and all of a ceiling that starts
# at 0.5 s and doubles up to 10 s; a welcome starts it again from 0.5 s.
BACKOFF_MIN = 0.5
BACKOFF_MAX = 10.0
CLOSE_DROPPED = 1006  # no close frame: what a browser reports for a dropped connection
CLOSE_NO_STATUS = 1005


def backoff(attempt: int) -> float:
    ceiling = min(BACKOFF_MAX, BACKOFF_MIN * 2**attempt)
    return ceiling / 2 + random.random() * ceiling / 2


def value_text(uid: str, sent_at: float) -> str:
    return f"bench {uid} {sent_at:.6f}"


class HandshakeError(ConnectionError):
    pass


class WebSocket(asyncio.Protocol):
    """A minimal websocket client connection (text frames in and out)."""

    def __init__(
        self,
        host: str,
        port: int,
        path: str,
        origin: str,
        on_text: Callable[[bytes, float], None],
        on_close: Callable[[WebSocket], None],
        cookie: str = "",
    ) -> None:
        self.host, self.port, self.path, self.origin = host, port, path, origin
        self.cookie = cookie  # a signed-in facilitator's (bench/facilitator.py)
        self.on_text, self.on_close = on_text, on_close
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        # A connection lost after its connect timed out has no one awaiting this: mark
        # its failure seen, or asyncio prints it at exit.
        self.opened.add_done_callback(lambda opened: opened.cancelled() or opened.exception())
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.close_code = CLOSE_DROPPED  # until a close frame says otherwise
        self._buf = bytearray()
        self._handshaking = True
        self._fragments: list[bytes] | None = None
        self._key = base64.b64encode(os.urandom(16))

    # -- asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        request = (
            f"GET {self.path} HTTP/1.1\r\n"
            f"Host: {self.host}:{self.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {self._key.decode()}\r\n"
            "Sec-WebSocket-Version: 13\r\n"
            f"Origin: {self.origin}\r\n"
            + (f"Cookie: sessionid={self.cookie}\r\n" if self.cookie else "")
            + "\r\n"
        )
        transport.write(request.encode())

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(f"closed during handshake: {exc}"))
        self.on_close(self)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        buf = self._buf
        buf += data
        if self._handshaking:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                if len(buf) > MAX_HEAD:
                    self._fail(HandshakeError("handshake response too long"))
                return
            head = bytes(buf[:end]).decode("latin-1")
            del buf[: end + 4]
            lines = head.split("\r\n")
            if not lines[0].startswith("HTTP/1.1 101"):
                self._fail(HandshakeError(lines[0]))
                return
            expected = base64.b64encode(hashlib.sha1(self._key + GUID).digest()).decode()
            headers = {
                k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
            }
            if headers.get("sec-websocket-accept") != expected:
                self._fail(HandshakeError("bad Sec-WebSocket-Accept"))
                return
            self._handshaking = False
            self.opened.set_result(None)
        self._parse(now)

    # -- frames

    def _parse(self, now: float) -> None:
        buf = self._buf
        while not self.closed:
            header = _frame_header(buf)
            if header is None:
                return  # the rest of the frame is still on its way
            b0, pos, end, mask = header
            payload = bytes(buf[pos:end])
            del buf[:end]
            if mask:
                payload = _unmask(payload, mask)
            if not self._on_frame(b0 & 0x0F, b0 & 0x80, payload, now):
                return

    def _on_frame(self, opcode: int, fin: int, payload: bytes, now: float) -> bool:
        """Act on one whole frame; False when nothing after it is to be read."""
        if opcode in (0x1, 0x2):
            if fin:
                self.on_text(payload, now)
            else:
                self._fragments = [payload]
        elif opcode == 0x0:
            if self._fragments is None:
                self._fail(ConnectionError("continuation without a first frame"))
                return False
            self._fragments.append(payload)
            if fin:
                whole, self._fragments = b"".join(self._fragments), None
                self.on_text(whole, now)
        elif opcode == 0x9:
            self._frame(0xA, payload)
        elif opcode == 0x8:
            code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 0
            self.close_code = code or CLOSE_NO_STATUS
            self._frame(0x8, payload[:2])
            self.closed = True
            if self.transport is not None:
                self.transport.close()
            return False
        return True

    def _frame(self, opcode: int, payload: bytes) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        n = len(payload)
        if n < 126:
            head = bytes((0x80 | opcode, 0x80 | n))
        elif n < 65536:
            head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
        else:
            head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
        self.transport.write(head + b"\0\0\0\0" + payload)  # zero mask key: payload as is

    def send_text(self, text: str) -> None:
        self._frame(0x1, text.encode())

    def close(self) -> None:
        """Start the closing handshake; the transport is aborted if the server dawdles."""
        if self.transport is None or self.closed:
            return
        self._frame(0x8, (1000).to_bytes(2, "big"))
        transport = self.transport
        asyncio.get_running_loop().call_later(2.0, transport.abort)

    def _fail(self, exc: Exception) -> None:
        if not self.opened.done():
            self.opened.set_exception(exc)
        if self.transport is not None:
            self.transport.abort()


def _frame_header(buf: bytearray) -> tuple[int, int, int, bytes] | None:
    """The first byte, where the payload starts and ends, and the mask, of the frame at
    the start of `buf`; None while the whole frame has not arrived."""
    n = len(buf)
    if n < 2:
        return None
    b1 = buf[1]
    length = b1 & 0x7F
    pos = 2
    if length == 126:
        if n < 4:
            return None
        length, pos = int.from_bytes(buf[2:4], "big"), 4
    elif length == 127:
        if n < 10:
            return None
        length, pos = int.from_bytes(buf[2:10], "big"), 10
    mask = b""
    if b1 & 0x80:  # servers must not mask; tolerate it anyway
        if n < pos + 4:
            return None
        mask, pos = bytes(buf[pos : pos + 4]), pos + 4
    if n < pos + length:
        return None
    return buf[0], pos, pos + length, mask


def _unmask(payload: bytes, mask: bytes) -> bytes:
    n = len(payload)
    key = (mask * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")


class Attendee:
    """One participant's socket and its checks."""

    def __init__(self, worker: Worker, gid: int, url: tuple[str, int, str]) -> None:
        self.worker, self.gid, self.url = worker, gid, url
        self.name = f"a{gid}"
        self.ws: WebSocket | None = None
        self.ready = False  # welcomed on the current socket
        self.stopped = False
        self.token: str | None = None
        self.seq = 0  # last seq applied, in order: what a resume sends as `since`
        self.joined_seq: int | None = None  # seq of the first welcome
        # got[i] is 1 once the value numbered i by this process (Worker.number) arrived:
        # a byte per value and attendee, where a set of strings would take 40 times more
        # (5,000 attendees x 5,000 values in the type wave).
        self.got = bytearray()
        self.dups = 0
        self.out_of_order = 0
        self.state_resyncs = 0
        self.errors: dict[str, int] = {}
        self.records = gid % worker.sample_every == 0  # its latencies are kept
        self.last_rx = 0.0
        self.back_at = 0.0  # when the latest welcome arrived
        self.welcome_bytes = 0  # size of the latest welcome
        self.connects = 0
        self.outbox: dict[str, tuple[str, float]] = {}  # ref -> (text, sent at)
        self._welcomed: asyncio.Future[None] | None = None
        self._reconnecting = False

    async def connect(self, timeout: float, open_timeout: float | None = None) -> None:
        """Open a socket, say hello (resuming when welcomed before) and wait for the welcome.

        `open_timeout` bounds the TCP connect and the HTTP upgrade; a hello then waits
        for its welcome up to `timeout` in all, as a browser waits in a join wave.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        opened_by = loop.time() + min(timeout, open_timeout or timeout)
        host, port, path = self.url
        scheme = "https" if self.worker.tls else "http"
        self._welcomed = loop.create_future()
        # A socket closed before its hello was sent leaves this failed with no one
        # awaiting it: mark it seen, or asyncio prints it at exit (the storm: ~1,000 times).
        self._welcomed.add_done_callback(
            lambda welcomed: welcomed.cancelled() or welcomed.exception()
        )
        _, ws = await asyncio.wait_for(
            loop.create_connection(
                lambda: WebSocket(
                    host, port, path, f"{scheme}://{host}:{port}", self.on_text, self._closed_cb
                ),
                host,
                port,
                ssl=self.worker.tls,
            ),
            max(0.01, opened_by - loop.time()),
        )
        self.ws = ws
        try:
            await asyncio.wait_for(ws.opened, max(0.01, opened_by - loop.time()))
            since = self.seq if self.token else 0
            hello = {"type": "hello", "name": self.name, "token": self.token, "since": since}
            ws.send_text(json.dumps(hello))
            await asyncio.wait_for(self._welcomed, max(0.01, deadline - loop.time()))
        except BaseException:
            if ws.transport is not None:
                ws.transport.abort()
            raise
        self.connects += 1

    def _closed_cb(self, ws: WebSocket) -> None:
        if ws is not self.ws:
            return  # an earlier socket, already replaced
        was_ready = self.ready
        self.ready = False
        self.ws = None
        if self._welcomed is not None and not self._welcomed.done():
            self._welcomed.set_exception(ConnectionError("closed before welcome"))
        if self.stopped or self.joined_seq is None:
            return  # closed by us, or a first join, which its caller retries
        if was_ready:
            self.worker.closed_by_server(self, ws.close_code)
        self._resume()

    def _resume(self) -> None:
        if self.worker.reconnect and not self.stopped and not self._reconnecting:
            self._reconnecting = True
            self.worker.tasks.add(task := asyncio.ensure_future(self._reconnect()))
            task.add_done_callback(self.worker.tasks.discard)

    async def _reconnect(self) -> None:
        """Back off like the browser client, then resume with `token` and `since`."""
        attempt = 0
        try:
            while not self.stopped and self.worker.reconnect:
                await asyncio.sleep(backoff(attempt))
                attempt += 1
                try:
                    await self.connect(timeout=10.0)
                    self.worker.resumed += 1
                    return
                except (TimeoutError, OSError, ConnectionError):
                    self.worker.reconnect_failures += 1
        finally:
            self._reconnecting = False

    def resync(self) -> None:
        """A gap in seq: drop this socket and catch up from the log, as the browser does."""
        self.worker.gaps += 1
        ws, self.ws, self.ready = self.ws, None, False
        if ws is not None:
            ws.close()
        self._resume()

    def close(self) -> None:
        self.stopped = True
        if self.ws is not None:
            self.ws.close()

    def send_value(self, uid: str, sent_at: float) -> None:
        text = value_text(uid, sent_at)
        self.outbox[uid] = (text, sent_at)
        if self.ready and self.ws is not None:
            self.ws.send_text(json.dumps({"type": "value.add", "ref": uid, "text": text}))

    def has(self, number: int) -> bool:
        return number < len(self.got) and self.got[number] == 1

    # -- frames from the server

    def on_text(self, payload: bytes, now: float) -> None:
        cache = self.worker.decoded
        msg = cache.get(payload)
        if msg is None:
            msg = decode(payload)
            if msg.get("type") in ("events", "presence"):
                if len(cache) > 4096:
                    cache.clear()
                cache[payload] = msg
        kind = msg.get("type")
        if kind == "events":
            self._on_events(msg["events"], now)
        elif kind == "ack":
            self._on_ack(msg, now)
        elif kind == "welcome":
            self._on_welcome(msg, now, payload)
        elif kind == "error":
            code = str(msg.get("code"))
            self.errors[code] = self.errors.get(code, 0) + 1
            ref = msg.get("ref")
            if ref in self.outbox:  # refused: it will never be acked
                del self.outbox[ref]
                self.worker.refused[ref] = code
            if ref is None and self._welcomed is not None and not self._welcomed.done():
                self._welcomed.set_exception(ConnectionError(f"hello refused: {code}"))

    def _on_events(self, events: list[dict[str, Any]], now: float) -> None:
        if not self.ready:
            return  # a socket being dropped for a gap: the resume brings these again
        for event in events:
            seq = event["seq"]
            if seq <= self.seq:  # sent twice: the protocol says exactly once
                self.out_of_order += 1
                continue
            if seq != self.seq + 1:
                self.out_of_order += 1
                self.resync()
                return
            self.seq = seq
            if event["event"] == "value.added":
                self._on_value(event, now)
        self.last_rx = now

    def _on_value(self, event: dict[str, Any], now: float) -> None:
        """Count a benchmark value's delivery (once per attendee) and its latency."""
        worker = self.worker
        parsed = event.get("_bench")
        if parsed is None:  # once per process: the dict is shared through the cache
            parts = event["data"]["text"].split()
            if len(parts) == 3 and parts[0] == "bench":
                parsed = event["_bench"] = (worker.number(parts[1]), float(parts[2]))
            else:
                parsed = event["_bench"] = (-1, 0.0)
        number, sent_at = parsed
        if number < 0:
            return
        got = self.got
        if number >= len(got):
            got.extend(bytes(number + 64 - len(got)))
        if got[number]:
            self.dups += 1
        else:
            got[number] = 1
            if self.records:
                worker.latencies.append(now - sent_at)
                worker.sent_ats.append(sent_at)

    def _on_ack(self, msg: dict[str, Any], now: float) -> None:
        ref = msg.get("ref")
        pending = self.outbox.pop(ref, None) if isinstance(ref, str) else None
        if pending is not None:
            self.worker.acked[ref] = (pending[1], now, int(msg["seq"]))

    def _on_welcome(self, msg: dict[str, Any], now: float, payload: bytes) -> None:
        self.token = msg.get("token")
        if self.joined_seq is None:
            self.joined_seq = self.seq = int(msg["seq"])
            if self.worker.welcome_sample is None and "state" in msg:
                self.worker.welcome_sample = payload
        elif "state" in msg:  # resumed too late for the log: events up to seq are in the state
            self.state_resyncs += 1
            self.seq = int(msg["seq"])
        # else: the events after `since` follow at once
        self.ready = True
        self.back_at = now
        self.welcome_bytes = len(payload)
        if self._welcomed is not None and not self._welcomed.done():
            self._welcomed.set_result(None)
        assert self.ws is not None
        for ref, (text, _) in list(self.outbox.items()):  # safe retry: same ref, same ack
            self.ws.send_text(json.dumps({"type": "value.add", "ref": ref, "text": text}))


STATE_AT = b',"state":'


async def facilitator_command(
    url: tuple[str, int, str], cookie: str, command: dict[str, Any], timeout: float = 30.0
) -> dict[str, Any]:
    """Open a facilitator's socket, run one command, and return the event it made
    (with its seq), as the control room would; raises on an error or no event in time."""
    loop = asyncio.get_running_loop()
    host, port, path = url
    frames: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    _, ws = await loop.create_connection(
        lambda: WebSocket(
            host,
            port,
            path,
            f"http://{host}:{port}",
            lambda payload, _now: frames.put_nowait(json.loads(payload)),
            lambda _ws: None,
            cookie=cookie,
        ),
        host,
        port,
    )
    try:
        await asyncio.wait_for(ws.opened, timeout)
        ws.send_text(json.dumps({"type": "hello", "name": "bench host"}))
        ws.send_text(json.dumps({**command, "ref": "bench-1"}))
        seen: dict[int, dict[str, Any]] = {}  # events by seq: they may precede the ack
        acked: int | None = None
        async with asyncio.timeout(timeout):
            while acked not in seen:
                msg = await frames.get()
                if msg.get("type") == "error":
                    raise RuntimeError(f"{command['type']} refused: {msg}")
                if msg.get("type") == "ack" and msg.get("ref") == "bench-1":
                    acked = int(msg["seq"])
                for event in msg.get("events", []) if msg.get("type") == "events" else []:
                    seen[event["seq"]] = event
        assert acked is not None
        return seen[acked]
    finally:
        ws.close()


def decode(payload: bytes) -> dict[str, Any]:
    """A frame as a dict; of a big welcome, only what comes before its state.

    Both servers put `state` last, after `you`, `token` and `seq`. Decoding a 200 KiB
    state for each of 1,000 joiners would cost the load generator, on the server's
    cores, more than some servers take to build it; its presence is all we check.
    """
    if len(payload) > 16 * 1024 and payload.startswith(b'{"type":"welcome"'):
        at = payload.find(STATE_AT)
        if at > 0:
            with suppress(ValueError):
                head: dict[str, Any] = json.loads(payload[:at] + b',"state":{}}')
                return head
    result: dict[str, Any] = json.loads(payload)
    return result


class Worker:
    """One process's share of the attendees, driven by requests from the parent."""

    def __init__(self) -> None:
        self.tls: ssl.SSLContext | None = None  # kept across resets: see cmd_use_tls
        self.reset()

    def reset(self) -> None:
        self.attendees: dict[int, Attendee] = {}
        self.decoded: dict[bytes, dict[str, Any]] = {}
        self.numbers: dict[str, int] = {}  # value uid -> its index in Attendee.got
        self.sample_every = 1  # keep the latencies of every n-th attendee
        self.latencies = array("d")
        self.sent_ats = array("d")  # the send time of each latency, to split by phase
        self.acked: dict[str, tuple[float, float, int]] = {}  # uid -> (sent, acked, seq)
        self.refused: dict[str, str] = {}
        self.reconnect = True  # resume after a server close, as the browser does
        self.reconnect_failures = 0
        self.resumed = 0
        self.gaps = 0
        self.closes: dict[int, int] = {}  # close code -> sockets the server closed with it
        self.closed_gids: dict[int, list[int]] = {}  # close code -> a few of those attendees
        self.welcome_sample: bytes | None = None  # the first full welcome received
        self.tasks: set[asyncio.Future[None]] = set()

    def number(self, uid: str) -> int:
        return self.numbers.setdefault(uid, len(self.numbers))

    def closed_by_server(self, attendee: Attendee, code: int) -> None:
        self.closes[code] = self.closes.get(code, 0) + 1
        named = self.closed_gids.setdefault(code, [])
        if len(named) < 20:
            named.append(attendee.gid)

    async def cmd_configure(self, sample_every: int = 1) -> None:
        self.sample_every = max(1, sample_every)

    async def cmd_wave(
        self,
        gids: list[int],
        urls: list[tuple[str, int, str]],
        at: float,
        spread: float,
        timeout: float,
    ) -> dict[str, Any]:
        """Open one socket per gid, evenly spread over `spread` s from `at` (monotonic).

        No concurrency limit: a join wave is everyone clicking the link within a second.
        A socket refused or dropped before its welcome tries again as a browser would
        (0.25-0.5 s, doubling up to 10 s); a join time runs from the first attempt to
        the welcome, retries included.
        """
        join_times: list[float] = []
        welcomed_at: list[float] = []
        errors: dict[str, int] = {}
        retried = 0

        async def join(index: int, gid: int) -> None:
            nonlocal retried
            start = at + spread * index / max(1, len(gids))
            await asyncio.sleep(max(0.0, start - time.monotonic()))
            start = time.monotonic()
            attendee = Attendee(self, gid, urls[gid % len(urls)])
            attempt = 0
            while (left := start + timeout - time.monotonic()) > 0:
                try:
                    await attendee.connect(left, open_timeout=10.0)
                except (TimeoutError, OSError, ConnectionError) as failed:
                    name = type(failed).__name__ + (f": {failed}" if str(failed) else "")
                    errors[name[:120]] = errors.get(name[:120], 0) + 1
                    await asyncio.sleep(backoff(attempt))
                    attempt += 1
                    continue
                retried += attempt > 0
                join_times.append(attendee.back_at - start)
                welcomed_at.append(attendee.back_at)
                self.attendees[gid] = attendee
                return

        await asyncio.gather(*(join(index, gid) for index, gid in enumerate(gids)))
        sizes = [self.attendees[g].welcome_bytes for g in gids if g in self.attendees]
        return {
            "joined": len(join_times),
            "wanted": len(gids),
            "join_times": join_times,
            "last_welcome": max(welcomed_at, default=math.nan),
            "retried": retried,
            "errors": errors,
            "welcome_bytes": max(sizes, default=0),
            "welcome_sample": (self.welcome_sample or b"").decode(),
        }

    async def cmd_connect(
        self, gids: list[int], urls: list[tuple[str, int, str]], concurrency: int, timeout: float
    ) -> dict[str, Any]:
        gate = asyncio.Semaphore(max(1, concurrency))
        loop = asyncio.get_running_loop()
        times: list[float] = []
        errors: dict[str, int] = {}

        async def join(gid: int) -> None:
            attendee = Attendee(self, gid, urls[gid % len(urls)])
            async with gate:
                for attempt in range(3):
                    started = loop.time()
                    try:
                        await attendee.connect(timeout)
                    except (TimeoutError, OSError, ConnectionError) as failed:
                        name = type(failed).__name__ + (f": {failed}" if str(failed) else "")
                        errors[name[:120]] = errors.get(name[:120], 0) + 1
                        await asyncio.sleep(0.2 * (attempt + 1))
                        continue
                    times.append(loop.time() - started)
                    self.attendees[gid] = attendee
                    return

        started = loop.time()
        await asyncio.gather(*(join(gid) for gid in gids))
        return {
            "joined": len(times),
            "wanted": len(gids),
            "seconds": loop.time() - started,
            "join_times": times,
            "errors": errors,
        }

    async def cmd_send(self, plan: list[tuple[float, int, str]], ack_wait: float) -> dict[str, Any]:
        """Send each (at, gid, uid) at its monotonic time; then wait for the acks."""
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu0 = usage.ru_utime + usage.ru_stime
        late = 0.0
        for at, gid, uid in sorted(plan):
            delay = at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            now = time.monotonic()
            late = max(late, now - at)
            attendee = self.attendees.get(gid)
            if attendee is not None:
                attendee.send_value(uid, now)
        deadline = time.monotonic() + ack_wait
        while time.monotonic() < deadline and any(a.outbox for a in self.attendees.values()):
            await asyncio.sleep(0.05)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "acked": {uid: self.acked[uid] for _, _, uid in plan if uid in self.acked},
            "refused": {uid: self.refused[uid] for _, _, uid in plan if uid in self.refused},
            "max_send_lag": late,
            "cpu": usage.ru_utime + usage.ru_stime - cpu0,
        }

    async def cmd_wait_seq(self, target: int, timeout: float) -> dict[str, Any]:
        """Wait until every attendee has received everything up to `target`."""
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if all(a.seq >= target for a in self.attendees.values()):
                break
            await asyncio.sleep(0.02)
        behind = sum(1 for a in self.attendees.values() if a.seq < target)
        return {"behind": behind, "waited": time.monotonic() - started}

    async def cmd_set_reconnect(self, on: bool) -> None:
        self.reconnect = on

    async def cmd_wait_back(self, after: float, timeout: float) -> dict[str, Any]:
        """Wait until every attendee has been welcomed again since `after`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(a.ready and a.back_at > after for a in self.attendees.values()):
                break
            await asyncio.sleep(0.05)
        back = [a.back_at for a in self.attendees.values() if a.ready and a.back_at > after]
        return {
            "back": back,
            "missing": len(self.attendees) - len(back),
            "reconnect_failures": self.reconnect_failures,
        }

    async def cmd_report(self, expected: list[str]) -> dict[str, Any]:
        # A value this process never saw has no number: nobody here received it.
        wanted = [self.numbers[uid] for uid in set(expected) if uid in self.numbers]
        lost = dups = ooo = resyncs = delivered = unexpected = 0
        errors: dict[str, int] = {}
        last_rx: list[float] = []
        for attendee in self.attendees.values():
            received = sum(1 for number in wanted if attendee.has(number))
            delivered += received
            lost += len(expected) - received
            unexpected += attendee.got.count(1) - received
            dups += attendee.dups
            ooo += attendee.out_of_order
            resyncs += attendee.state_resyncs
            last_rx.append(attendee.last_rx)
            for code, count in attendee.errors.items():
                errors[code] = errors.get(code, 0) + count
        return {
            "attendees": len(self.attendees),
            "delivered": delivered,
            "lost": lost,
            "duplicated": dups,
            "out_of_order": ooo,
            "unexpected": unexpected,
            "state_resyncs": resyncs,
            "errors": errors,
            "latencies": self.latencies.tobytes(),
            "sent_ats": self.sent_ats.tobytes(),
            "last_rx": last_rx,
            "closes": self.closes,
            "closed_gids": self.closed_gids,
            "resumed": self.resumed,
            "gaps": self.gaps,
            "reconnect_failures": self.reconnect_failures,
        }

    async def cmd_reset_stats(self) -> None:
        self.latencies = array("d")
        self.sent_ats = array("d")
        for attendee in self.attendees.values():
            attendee.last_rx = 0.0
            attendee.got.clear()  # what comes next is counted afresh (lost, unexpected)

    async def cmd_use_tls(self, cafile: str | None) -> None:
        """Connect over TLS from now on, trusting `cafile` (behind nginx); None: plain TCP."""
        self.tls = ssl.create_default_context(cafile=cafile) if cafile else None

    async def cmd_close(self) -> dict[str, Any]:
        self.reconnect = False
        for attendee in self.attendees.values():
            attendee.close()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(
            a.ws is not None for a in self.attendees.values()
        ):
            await asyncio.sleep(0.05)
        still = sum(1 for a in self.attendees.values() if a.ws is not None)
        self.reset()
        return {"still_open": still}


def worker_main(conn: Any) -> None:
    """Entry point of a worker process: serve the parent's requests until 'exit'."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(_serve(conn))


async def _serve(conn: Any) -> None:
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
    loop.add_reader(conn.fileno(), lambda: inbox.put_nowait(conn.recv()))
    worker = Worker()
    while True:
        name, kwargs = await inbox.get()
        if name == "exit":
            await worker.cmd_close()
            conn.send(("ok", None))
            return
        try:
            result = await getattr(worker, f"cmd_{name}")(**kwargs)
            conn.send(("ok", result))
        except Exception as failed:  # reported to the parent, which stops the run
            conn.send(("error", f"{type(failed).__name__}: {failed}"))
