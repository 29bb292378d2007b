"""What daphne costs per websocket handshake: a bare ASGI app with no Django work.

    python -m daphne -b 127.0.0.1 -p 8766 bench.handshake_app:application

It accepts every websocket and answers a `hello` with a small `welcome` (protocol v1's
shape, an empty state), and nothing else: no settings, no middleware, no database, no
channel layer. A join wave against it, beside the bare `websockets` server and the
project, splits the project's join time into what daphne (Twisted + autobahn + the ASGI
hand-over) takes and what our own code takes.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def welcome(participant: int) -> str:
    frame = {
        "type": "welcome",
        "protocol": 1,
        "you": {"id": participant, "name": "", "role": "participant", "votes": {}},
        "token": secrets.token_urlsafe(32),
        "seq": 0,
        "state": {"values": []},
    }
    return json.dumps(frame, separators=(",", ":"))


class Counter:
    joined = 0


async def application(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    if scope["type"] == "http":
        await receive()
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    if scope["type"] != "websocket":
        return
    while True:
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif message["type"] == "websocket.receive":
            Counter.joined += 1
            await send({"type": "websocket.send", "text": welcome(Counter.joined)})
        elif message["type"] == "websocket.disconnect":
            return
