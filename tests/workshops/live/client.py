"""Helpers for talking protocol v1 to the consumer in-process (WebsocketCommunicator)."""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async as sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from config.asgi import application

ORIGIN = b"http://127.0.0.1"
HOST = b"127.0.0.1"  # what a browser on ORIGIN sends as the websocket's Host


@sync_to_async
def login_cookie(user) -> bytes:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode()


class Client:
    """One socket: send frames, read frames, and keep the events it was sent."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.ws = communicator
        self.events: list[dict[str, Any]] = []
        self.welcome: dict[str, Any] | None = None
        self.others: list[dict[str, Any]] = []

    async def send(self, **frame: Any) -> None:
        await self.ws.send_to(text_data=json.dumps(frame))

    async def receive(self, timeout: float = 3) -> dict[str, Any]:
        """The next frame that is not presence; events frames are also recorded."""
        while True:
            frame = json.loads(await self.ws.receive_from(timeout=timeout))
            if frame["type"] == "presence":
                self.others.append(frame)
                continue
            if frame["type"] == "events":
                self.events.extend(frame["events"])
            return frame

    async def receive_presence(self, timeout: float = 3) -> dict[str, Any]:
        """Wait for the next presence frame (sent when the socket joins its hub)."""
        while True:
            frame = json.loads(await self.ws.receive_from(timeout=timeout))
            if frame["type"] == "presence":
                self.others.append(frame)
                return frame
            if frame["type"] == "events":
                self.events.extend(frame["events"])

    async def reply(self, timeout: float = 3) -> dict[str, Any]:
        """The next ack or error, recording any events that come first."""
        while True:
            frame = await self.receive(timeout)
            if frame["type"] in ("ack", "error"):
                return frame

    async def hello(self, **fields: Any) -> dict[str, Any]:
        await self.send(type="hello", **{"name": "", "token": None, "since": 0, **fields})
        frame = await self.receive()
        if frame["type"] == "welcome":
            self.welcome = frame
        return frame

    async def wait_for_seq(self, seq: int, timeout: float = 5) -> None:
        while not self.events or self.events[-1]["seq"] < seq:
            await self.receive(timeout)

    async def close(self) -> None:
        await self.ws.disconnect()


async def connect(code: str, *, user=None, origin: bytes | None = ORIGIN, path=None) -> Client:
    headers = [(b"host", HOST)]
    if origin is not None:
        headers.append((b"origin", origin))
    if user is not None:
        headers.append((b"cookie", await login_cookie(user)))
    communicator = WebsocketCommunicator(application, path or f"/ws/j/{code}/", headers=headers)
    connected, _code = await communicator.connect(timeout=5)
    assert connected, "the websocket handshake was refused"
    return Client(communicator)


async def join(code: str, name: str = "", **kwargs: Any) -> Client:
    client = await connect(code, **kwargs)
    welcome = await client.hello(name=name)
    assert welcome["type"] == "welcome", welcome
    return client
