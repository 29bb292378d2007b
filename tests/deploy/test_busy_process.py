"""A busy process stays in nginx's rotation (docs/deploy.md, "Capacity").

Under a join wave daphne resets a websocket handshake it has not accepted in time. With
nginx's default `max_fails=1`, one such reset takes that process out of rotation for
10 s, and with both out every attendee gets 502 without nginx even trying (measured by
`bench.run --only nginx`). The shipped site is run here against two stand-ins for daphne
that reset every connection: nginx must keep trying them.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import needs
from tests.deploy.shipped import HOST, Nginx, self_signed_certificate
from tests.e2e.conftest import free_port


class ResettingServer:
    """Accepts a connection, reads the request, and resets it: a process too busy to
    accept a handshake in time, as nginx sees it."""

    def __init__(self) -> None:
        self.listener = socket.create_server((HOST, 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            connection.recv(65536)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def nginx_before_resetting_processes(
    tmp_path: Path,
) -> Iterator[tuple[Nginx, ssl.SSLContext, list[ResettingServer]]]:
    needs("nginx")
    processes = [ResettingServer(), ResettingServer()]
    cert, key = self_signed_certificate(tmp_path)
    nginx = Nginx.render(
        tmp_path,
        https_port=free_port(),
        http_port=free_port(),
        upstreams=(processes[0].port, processes[1].port),
        certificate=(cert, key),
        static_root=tmp_path,
    )
    running = nginx.start(tmp_path / "nginx-stderr.log")
    try:
        yield nginx, ssl.create_default_context(cafile=str(cert)), processes
    finally:
        running.terminate()
        running.wait(timeout=10)
        for process in processes:
            process.close()


def websocket_handshake(nginx: Nginx, tls: ssl.SSLContext) -> int:
    connection = http.client.HTTPSConnection(HOST, nginx.https_port, context=tls, timeout=10)
    connection.request(
        "GET",
        "/ws/j/ABC234/",
        headers={
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13",
        },
    )
    status = connection.getresponse().status
    connection.close()
    return status


def test_a_process_that_reset_a_handshake_is_tried_again_for_the_next_one(
    nginx_before_resetting_processes,
):
    nginx, tls, processes = nginx_before_resetting_processes
    assert websocket_handshake(nginx, tls) == 502
    tried_first = [process.accepted for process in processes]
    assert tried_first == [1, 1]  # nginx tried the other process before answering 502

    assert websocket_handshake(nginx, tls) == 502
    assert [process.accepted for process in processes] == [2, 2], "taken out of rotation"
