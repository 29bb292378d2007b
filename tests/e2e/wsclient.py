"""A small protocol v1 client over a real network socket, for tests against daphne."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import websockets
from websockets.typing import Origin


class Attendee:
    def __init__(self, server_ws_url: str, code: str, name: str = "") -> None:
        self.code = code
        self.use(server_ws_url)
        self.name = name
        self.token: str | None = None
        self.seq = 0
        self.events: list[dict[str, Any]] = []
        self.replies: dict[str, dict[str, Any]] = {}
        self.welcomes: list[dict[str, Any]] = []
        self.ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        # Commands sent but not acknowledged, resent after every reconnect (as live.js does).
        self.outbox: dict[str, dict[str, Any]] = {}
        self.unavailable = 0  # `unavailable` answers, each followed by a resend
        self._resends: set[asyncio.Task[None]] = set()

    def use(self, server_ws_url: str) -> None:
        """Connect to this server from the next join on (the other one, after a crash)."""
        self.url = f"{server_ws_url}/ws/j/{self.code}/"
        self.origin = Origin(server_ws_url.replace("ws://", "http://"))

    @property
    def connected(self) -> bool:
        return self._reader is not None and not self._reader.done()

    async def rejoin(self) -> None:
        """Reconnect with token and since, then resend what was never acknowledged."""
        await self.join()
        for frame in list(self.outbox.values()):
            await self.ws.send(json.dumps(frame))

    async def post(self, **frame: Any) -> None:
        """Send a command through the outbox: it survives a dropped connection."""
        self.outbox[str(frame["ref"])] = frame
        with contextlib.suppress(websockets.ConnectionClosed):  # resent by rejoin()
            await self.ws.send(json.dumps(frame))

    async def join(self, since: int | None = None) -> dict[str, Any]:
        self.ws = await websockets.connect(self.url, origin=self.origin, open_timeout=10)
        hello = {
            "type": "hello",
            "name": self.name,
            "token": self.token,
            "since": self.seq if since is None else since,
        }
        await self.ws.send(json.dumps(hello))
        while True:
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
            if frame["type"] == "welcome":
                break
            if frame["type"] == "error":
                raise AssertionError(f"hello refused: {frame}")
        self.token = frame["token"]
        if "state" in frame:
            self.seq = frame["seq"]
        self.welcomes.append(frame)
        self._reader = asyncio.create_task(self._read())
        return frame

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                frame = json.loads(raw)
                if frame["type"] == "events":
                    for event in frame["events"]:
                        if event["seq"] <= self.seq:
                            continue
                        assert event["seq"] == self.seq + 1, (self.seq, event["seq"])
                        self.events.append(event)
                        self.seq = event["seq"]
                elif frame.get("code") == "unavailable" and str(frame["ref"]) in self.outbox:
                    # As live.js does: nothing was stored; send it again soon, same ref.
                    self.unavailable += 1
                    resend = asyncio.create_task(self._resend(str(frame["ref"])))
                    self._resends.add(resend)
                    resend.add_done_callback(self._resends.discard)
                elif frame["type"] in ("ack", "error"):
                    self.replies[str(frame["ref"])] = frame
                    self.outbox.pop(str(frame["ref"]), None)
        except websockets.ConnectionClosed:
            pass

    async def _resend(self, ref: str) -> None:
        await asyncio.sleep(0.25)
        if ref in self.outbox and self.connected:
            with contextlib.suppress(websockets.ConnectionClosed):  # resent by rejoin()
                await self.ws.send(json.dumps(self.outbox[ref]))

    async def send(self, **frame: Any) -> None:
        await self.ws.send(json.dumps(frame))

    async def command(self, timeout: float = 10, **frame: Any) -> dict[str, Any]:
        await self.send(**frame)
        return await self.reply(frame["ref"], timeout)

    async def reply(self, ref: str, timeout: float = 10) -> dict[str, Any]:
        deadline = asyncio.get_running_loop().time() + timeout
        while ref not in self.replies:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"no reply to {ref}")
            await asyncio.sleep(0.01)
        return self.replies[ref]

    async def wait_for_seq(self, seq: int, timeout: float = 10) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while self.seq < seq:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"reached seq {self.seq}, not {seq}")
            await asyncio.sleep(0.01)

    async def closed(self, timeout: float = 10) -> None:
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await self._reader
