"""Who is at the other end of a websocket: a page of this site (its Origin), and the
signed-in user of its session cookie."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain
from django.utils.module_loading import import_string


class Refusal(WebsocketDenier):
    """Closes a socket at its handshake. It takes no channel of the channel layer (a
    refused socket is sent nothing): Channels' own denier listens on one, and on Redis
    that is a blocking pop per refusal whose task may not end when cancelled (redis-py 7+
    loses the cancellation of a pop now and then), so a flood of refused sockets would
    leave a flood of listeners."""

    channel_layer_alias = "none: a refused socket is sent nothing"


class OriginValidator:
    """Refuse, at the handshake, a websocket opened by a page that is not this site's.

    Channels' AllowedHostsOriginValidator compares only the Origin's host name, so
    `http://127.0.0.1:9999` and `https://127.0.0.1` passed for a site on
    `http://127.0.0.1:8000`. As Django's CSRF check does, the whole origin must match:
    the served scheme and the Host the socket was opened on (one of ALLOWED_HOSTS, port
    included), or one of TRUSTED_ORIGINS (`https://*.example.org` covers subdomains).
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await Refusal()(scope, receive, send)
        return await self.inner(scope, receive, send)


def origin_allowed(scope: dict[str, Any]) -> bool:
    origin = _header(scope, b"origin").lower()
    if not origin or origin == "null":
        return False
    host = _header(scope, b"host").lower() or _server_host(scope)
    domain, _port = split_domain_port(host)
    served = f"{_served_scheme(scope)}://{host}"
    if domain and validate_host(domain, settings.ALLOWED_HOSTS) and origin == served:
        return True
    if origin in (trusted.lower() for trusted in settings.TRUSTED_ORIGINS):
        return True
    parsed = urlsplit(origin)
    return any(
        parsed.scheme == urlsplit(trusted).scheme
        and is_same_domain(parsed.netloc, urlsplit(trusted).netloc.lower().lstrip("*"))
        for trusted in settings.TRUSTED_ORIGINS
        if "://*." in trusted
    )


def _served_scheme(scope: dict[str, Any]) -> str:
    # daphne leaves `scheme` out of a websocket's scope (it means ws); HTTPS=1 says the
    # site is served over TLS, directly or behind a proxy that terminates it.
    if settings.HTTPS or scope.get("scheme") in ("wss", "https"):
        return "https"
    return "http"


def _header(scope: dict[str, Any], name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _server_host(scope: dict[str, Any]) -> str:
    """No Host header (not from a browser): the address the server listens on, as
    Django falls back to SERVER_NAME and SERVER_PORT."""
    server = scope.get("server")
    if not server or server[0] is None:
        return ""
    name, port = server[0], server[1]
    default = 443 if _served_scheme(scope) == "https" else 80
    return name if port in (None, default) else f"{name}:{port}"


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
        # A participant's phone has no session: no trip to the database thread, where a
        # join wave's handshakes would wait behind its joins (and meet daphne's timeout).
        user = await _user_of(session_key) if session_key else ANONYMOUS
        return await self.inner({**scope, "user": user, "session_key": session_key}, receive, send)


# Shared by every socket without a session: AnonymousUser holds no state of its own.
ANONYMOUS = AnonymousUser()


@database_sync_to_async
def _user_of(session_key: str) -> Any:
    request = HttpRequest()
    request.session = import_string(settings.SESSION_ENGINE).SessionStore(session_key)
    return get_user(request)
