"""Writing one batch to a thousand sockets cheaply, and noticing a socket that lags.

The hub sends the same text to every socket of a workshop. Through ASGI, each of those
sends costs daphne a coroutine, autobahn framing the text again, and Twisted registering
and unregistering the socket with the event loop (two `epoll_ctl` calls) before the
bytes leave: about three times the bare `websockets` server's cost per delivery
(docs/decisions/0003). So when a consumer runs under daphne, the hub frames each batch
once (`autobahn`'s `PreparedMessage`, its API for broadcast) and hands the frame to the
connection itself; under any other ASGI server (and in tests' communicators) it uses the
consumer's ordinary `send`.

The direct line also tells how many bytes a connection has been given but not yet
passed to the kernel, which ASGI has no way to say: that is how the hub notices a reader
that stopped reading before its buffer grows without bound.
"""

from __future__ import annotations

import functools
import json
import pprint
from typing import Any

try:  # daphne is the deployed server; the project still imports without it
    import txaio
    from autobahn.websocket import protocol as autobahn_protocol
    from autobahn.websocket.protocol import PreparedMessage
    from daphne.server import Server as DaphneServer
    from daphne.ws_protocol import WebSocketProtocol
    from twisted.internet.tcp import Server as TcpServer
except ImportError:  # pragma: no cover
    DaphneServer = WebSocketProtocol = TcpServer = None  # type: ignore[assignment,misc]
    autobahn_protocol = None  # type: ignore[assignment]


NOT_FORMATTED = "(not formatted: autobahn's debug log is off)"


def pformat_if_logged(value: Any, *args: Any, **kwargs: Any) -> str:
    """Autobahn's `pformat`, only when its debug lines are written.

    Autobahn pretty-prints its whole configuration (forty settings) for a debug line at
    every connection, and txaio drops the line unwritten: 10% of the event loop's time
    in a join wave of 1,000 (docs/benchmarks.md, seventh round; fourth round: 13%).
    """
    if txaio.get_global_log_level() in ("debug", "trace"):  # type: ignore[attr-defined]
        return pprint.pformat(value, *args, **kwargs)
    return NOT_FORMATTED


if autobahn_protocol is not None:
    autobahn_protocol.pformat = pformat_if_logged  # type: ignore[assignment]


def encode(value: Any) -> str:
    """A frame's (or any part's) JSON text: compact, non-ASCII text left as it is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Frame:
    """A text message framed once, for every connection that receives it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._prepared: Any = None

    @property
    def prepared(self) -> Any:
        if self._prepared is None:
            # Server frames are not masked; framing is the same for every connection.
            self._prepared = PreparedMessage(self.text.encode(), False, False, False)
        return self._prepared


class DirectLine:
    """Daphne's websocket connection behind one consumer, written to without ASGI."""

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol

    def write(self, frame: Frame) -> int:
        """Queue a framed message. Returns the bytes this connection still has waiting
        here for the kernel to take, or -1 when the connection is no longer open."""
        protocol = self.protocol
        if protocol.state != protocol.STATE_OPEN:
            return -1
        if protocol._perMessageCompress is not None:  # daphne never offers compression
            protocol.sendPreparedMessage(frame.prepared)
            return self.backlog()
        transport = protocol.transport
        data = frame.prepared.payloadHybi
        if type(transport) is TcpServer and not transport.dataBuffer and not transport._tempDataLen:
            # Nothing queued ahead of it: try the kernel at once, as asyncio's transports
            # do, instead of Twisted's register-wait-write-unregister round trip. What the
            # kernel does not take goes to Twisted's buffer, in order, as usual.
            try:
                sent = transport.socket.send(data)
            except (BlockingIOError, InterruptedError):
                sent = 0
            except OSError:
                sent = 0  # Twisted's own write finds the error and closes the connection
            if sent == len(data):
                return 0
            data = data[sent:]
        transport.write(data)
        return self.backlog()

    def backlog(self) -> int:
        """Bytes written to this connection that the kernel has not taken yet."""
        transport = self.protocol.transport
        try:
            return int(len(transport.dataBuffer) - transport.offset + transport._tempDataLen)
        except AttributeError:  # not a Twisted file descriptor: nothing we can see
            return 0


def direct_line(send: Any) -> DirectLine | None:
    """The direct line behind an ASGI `send`, if daphne's websocket protocol is there.

    Daphne hands each application `functools.partial(server.handle_reply, protocol)`.
    Anything else (another server, a wrapper) gets None, and the hub falls back to `send`.
    """
    if DaphneServer is None or not isinstance(send, functools.partial):
        return None
    owner = getattr(send.func, "__self__", None)
    if not isinstance(owner, DaphneServer) or len(send.args) != 1:
        return None
    protocol = send.args[0]
    if not isinstance(protocol, WebSocketProtocol):
        return None
    return DirectLine(protocol)
