"""Who is at the other end of a websocket: the signed-in user of its session cookie."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from django.utils.module_loading import import_string


class SessionUserMiddleware:
    """Put `user` and `session_key` in a websocket's scope, once, at connect.

    Channels' AuthMiddlewareStack does the same but keeps a session wrapper around the
    socket's `send` for its whole life; a socket here only needs to know who it is, and
    re-reads the session when that matters (commands.run re-checks facilitators).
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        cookies: dict[str, str] = {}
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                cookies.update(parse_cookie(value.decode("latin-1")))
        session_key = cookies.get(settings.SESSION_COOKIE_NAME)
        user = await _user_of(session_key)
        return await self.inner({**scope, "user": user, "session_key": session_key}, receive, send)


@database_sync_to_async
def _user_of(session_key: str | None) -> Any:
    if not session_key:
        return AnonymousUser()
    request = HttpRequest()
    request.session = import_string(settings.SESSION_ENGINE).SessionStore(session_key)
    return get_user(request)
