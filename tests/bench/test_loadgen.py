"""The load generator's attendee resumes as the browser does, so `lost` is what a person misses.

A scripted `websockets` server plays the project's part: a welcome, some events, then
the server's reasons to drop a socket (a 4408 for a reader that fell behind, a gap in
seq). The attendee must come back with its token and the last seq it applied, and the
report must count the close by its code and nothing as lost.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

from bench import loadgen


def welcome(seq: int, *, state: bool) -> str:
    frame: dict[str, Any] = {"type": "welcome", "you": {"id": 1}, "token": "t0k", "seq": seq}
    if state:
        frame["state"] = {"values": []}
    return json.dumps(frame)


def value_added(seq: int, uid: str) -> dict[str, Any]:
    return {"seq": seq, "event": "value.added", "data": {"text": loadgen.value_text(uid, 0.0)}}


def events(*items: dict[str, Any]) -> str:
    return json.dumps({"type": "events", "events": list(items)})


class Script:
    """Each connection gets the next list of frames (then a close, if a code is given)."""

    def __init__(self, sessions: list[tuple[list[str], int | None]]) -> None:
        self.sessions = sessions
        self.hellos: list[dict[str, Any]] = []

    async def handler(self, ws: ServerConnection) -> None:
        self.hellos.append(json.loads(await ws.recv()))
        frames, close = self.sessions[len(self.hellos) - 1]
        for frame in frames:
            await ws.send(frame)
        if close is not None:
            await ws.close(close)
        else:
            await ws.wait_closed()


async def attend(script: Script, expected: list[str]) -> dict[str, Any]:
    async with serve(script.handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        worker = loadgen.Worker()
        joined = await worker.cmd_connect(
            [0], [("127.0.0.1", port, "/ws/j/CODE/")], concurrency=1, timeout=5
        )
        assert joined["joined"] == 1
        for _ in range(200):
            if len(script.hellos) == len(script.sessions) and worker.attendees[0].ready:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.1)  # the last session's events
        report = await worker.cmd_report(expected)
        await worker.cmd_close()
        return report


async def test_a_socket_closed_as_a_laggard_resumes_with_its_token_and_since() -> None:
    script = Script(
        [
            ([welcome(1, state=True), events(value_added(2, "a"))], 4408),
            ([welcome(3, state=False), events(value_added(3, "b"))], None),
        ]
    )
    report = await attend(script, ["a", "b"])
    assert script.hellos[1]["token"] == "t0k"
    assert script.hellos[1]["since"] == 2
    assert report["closes"] == {4408: 1}
    assert report["resumed"] == 1
    assert (report["delivered"], report["lost"], report["duplicated"]) == (2, 0, 0)


async def test_a_gap_in_seq_resumes_from_the_last_seq_applied() -> None:
    script = Script(
        [
            ([welcome(1, state=True), events(value_added(2, "a"), value_added(4, "c"))], None),
            ([welcome(4, state=False), events(value_added(3, "b"), value_added(4, "c"))], None),
        ]
    )
    report = await attend(script, ["a", "b", "c"])
    assert script.hellos[1]["since"] == 2
    assert report["gaps"] == 1
    assert (report["delivered"], report["lost"], report["duplicated"]) == (3, 0, 0)


async def test_a_value_never_received_even_after_resuming_is_lost() -> None:
    script = Script(
        [
            ([welcome(1, state=True), events(value_added(2, "a"))], 4408),
            ([welcome(3, state=True)], None),  # too far behind: a state, not the events
        ]
    )
    report = await attend(script, ["a", "b"])
    assert report["state_resyncs"] == 1
    assert (report["delivered"], report["lost"]) == (1, 1)
