"""The yardstick: protocol v1's live subset on a bare `websockets` server.

No Django, no database, no channel layer: `hello` gets a `welcome` (with `seq`, and the
values as state unless `since` resumes from the in-memory log), `value.add` gets an
`ack` and one `events` frame, encoded once, broadcast to every socket at once with
`websockets.broadcast`. Whatever latency this shows on a machine is the floor that the
Python websocket stack and the load generator themselves impose there.

Two options make it the yardstick of the heavier scenarios:
- `--state FILE`: a welcome's state starts from this JSON object (the values added since
  are appended to its `values`), so a join into a full workshop sends a welcome as big
  as the project's.
- `--window SECONDS`: events are gathered and broadcast in one frame at most this often,
  as the project's hub batches them; without it, a type wave of 5,000 would be 25
  million frames, more than any server on two cores can write.

    python -m bench.bare_server --port 8765 [--state welcome-state.json] [--window 0.03]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed


def encode(frame: dict[str, Any]) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


class Room:
    def __init__(self, state: dict[str, Any] | None = None, window: float = 0.0) -> None:
        self.state = state or {}
        self.window = window
        self.pending: list[dict[str, Any]] = []
        self.seq = 0
        self.log: list[dict[str, Any]] = []
        self.sockets: set[ServerConnection] = set()
        self.tokens: dict[str, tuple[int, str]] = {}  # token -> (participant id, name)
        self.done: dict[tuple[int, str], int] = {}  # (participant, ref) -> seq

    async def handler(self, ws: ServerConnection) -> None:
        me: tuple[int, str] | None = None
        try:
            async for raw in ws:
                try:
                    message = json.loads(raw)
                except ValueError:
                    message = None
                if not isinstance(message, dict):
                    await ws.send(encode({"type": "error", "ref": None, "code": "bad_json"}))
                    continue
                kind, ref = message.get("type"), message.get("ref")
                if kind == "hello" and me is None:
                    me = await self.hello(ws, message)
                elif kind == "value.add" and me is not None:
                    await self.value_add(ws, me, ref, message.get("text"))
                else:
                    await ws.send(encode({"type": "error", "ref": ref, "code": "unknown_type"}))
        except ConnectionClosed:
            pass
        finally:
            self.sockets.discard(ws)

    async def hello(self, ws: ServerConnection, message: dict[str, Any]) -> tuple[int, str]:
        token = message.get("token")
        if not isinstance(token, str) or token not in self.tokens:
            token = secrets.token_urlsafe(32)
            name = str(message.get("name") or "")[:60]
            self.tokens[token] = (len(self.tokens) + 1, name)
        me = self.tokens[token]
        since = message.get("since")
        welcome: dict[str, Any] = {
            "type": "welcome",
            "protocol": 1,
            "you": {"id": me[0], "name": me[1], "role": "participant", "votes": {}},
            "token": token,
            "seq": self.seq,
        }
        resumed = isinstance(since, int) and 0 < since <= self.seq
        if not resumed:
            values = list(self.state.get("values", []))
            values += [event["data"] for event in self.log]
            welcome["state"] = {**self.state, "values": values}
        await ws.send(encode(welcome))
        if resumed:
            await ws.send(encode({"type": "events", "events": self.log[since:]}))
        self.sockets.add(ws)
        return me

    async def value_add(
        self, ws: ServerConnection, me: tuple[int, str], ref: Any, text: Any
    ) -> None:
        key = (me[0], str(ref))
        if key not in self.done:
            if not isinstance(text, str) or not 1 <= len(text.strip()) <= 80:
                await ws.send(encode({"type": "error", "ref": ref, "code": "invalid"}))
                return
            self.seq += 1
            at = datetime.now(UTC)
            event = {
                "seq": self.seq,
                "event": "value.added",
                "at": at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z",
                "data": {
                    "id": self.seq,
                    "text": text.strip(),
                    "key": text.strip().casefold(),
                    "by": {"id": me[0], "name": me[1]},
                },
            }
            self.log.append(event)
            self.done[key] = self.seq
            if not self.window:
                broadcast(self.sockets, encode({"type": "events", "events": [event]}))
            else:
                if not self.pending:
                    asyncio.get_running_loop().call_later(self.window, self.flush)
                self.pending.append(event)
        await ws.send(encode({"type": "ack", "ref": ref, "seq": self.done[key]}))

    def flush(self) -> None:
        events, self.pending = self.pending, []
        broadcast(self.sockets, encode({"type": "events", "events": events}))


async def main(host: str, port: int, state: dict[str, Any] | None, window: float) -> None:
    room = Room(state, window)
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with serve(room.handler, host, port, max_size=64 * 1024, compression=None):
        print(f"bare server on ws://{host}:{port}/", flush=True)
        await stop


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--state", type=Path, help="JSON object a welcome's state starts from")
    parser.add_argument("--window", type=float, default=0.0, help="batch events (seconds)")
    args = parser.parse_args()
    initial = json.loads(args.state.read_text()) if args.state else None
    asyncio.run(main(args.host, args.port, initial, args.window))
