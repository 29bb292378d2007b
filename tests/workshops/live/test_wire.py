"""The direct line to daphne's connections (workshops/live/wire.py), on a real Twisted transport.

It reads Twisted's write buffer to tell how far behind a reader is, so these tests pin
what it relies on: a Twisted or daphne upgrade that changes it fails here, not in a
webinar.
"""

import functools
import socket

import pytest
from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol
from twisted.internet import tcp

from workshops.live import wire


class QuietReactor:
    """Enough of a reactor for a transport that is written to but never polled."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


@pytest.fixture
def connection():
    """A daphne websocket protocol, open, on a TCP-like transport over a socket pair."""
    ours, theirs = socket.socketpair()
    ours.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    theirs.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    protocol = WebSocketProtocol()
    transport = tcp.Server(ours, protocol, ("127.0.0.1", 1), None, 1, QuietReactor())
    protocol.transport = transport
    protocol.state = protocol.STATE_OPEN
    protocol._perMessageCompress = None
    yield protocol, transport, theirs
    ours.close()
    theirs.close()


def read_all(sock):
    sock.setblocking(False)
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except BlockingIOError:
            return b"".join(chunks)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def test_a_frame_goes_to_the_kernel_at_once_framed_as_rfc_6455_says(connection):
    protocol, _, theirs = connection
    line = wire.DirectLine(protocol)
    assert line.write(wire.Frame("héllo")) == 0
    payload = "héllo".encode()
    assert read_all(theirs) == bytes([0x81, len(payload)]) + payload


def test_what_the_kernel_cannot_take_waits_in_order_and_is_counted(connection):
    protocol, transport, theirs = connection
    line = wire.DirectLine(protocol)
    frames = [wire.Frame(f"{n:04d}" + "x" * 996) for n in range(400)]  # ~400 KB
    waiting = [line.write(frame) for frame in frames]
    assert waiting[-1] > 0 and waiting[-1] == line.backlog()
    assert waiting == sorted(waiting)  # it only grows while nobody reads
    received = read_all(theirs)
    while line.backlog():
        transport.doWrite()  # what the reactor does when the socket is writable
        received += read_all(theirs)
    expected = b"".join(frame.prepared.payloadHybi for frame in frames)
    assert received == expected


def test_a_closed_connection_takes_nothing(connection):
    protocol, _, theirs = connection
    protocol.state = protocol.STATE_CLOSED
    assert wire.DirectLine(protocol).write(wire.Frame("late")) == -1
    assert read_all(theirs) == b""


def test_the_line_is_found_behind_daphnes_send_and_nowhere_else():
    server = Server.__new__(Server)  # its handle_reply is all that matters here
    protocol = WebSocketProtocol()
    line = wire.direct_line(functools.partial(server.handle_reply, protocol))
    assert isinstance(line, wire.DirectLine) and line.protocol is protocol

    async def other_send(message):
        pass

    assert wire.direct_line(other_send) is None
    assert wire.direct_line(functools.partial(other_send)) is None
