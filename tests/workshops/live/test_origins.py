"""Only a page of this site may open a websocket: scheme, host and port of its Origin
must be the site's own (or a trusted proxy's), as Django's CSRF check requires."""

import asyncio

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from config.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


async def handshake(code: str, *, host: bytes, origin: bytes) -> bool:
    communicator = WebsocketCommunicator(
        application, f"/ws/j/{code}/", headers=[(b"host", host), (b"origin", origin)]
    )
    connected, _ = await communicator.connect(timeout=5)
    await communicator.disconnect()
    return connected


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        (b"127.0.0.1:8000", b"http://127.0.0.1:9999"),  # another port, same host name
        (b"127.0.0.1", b"http://127.0.0.1:9999"),
        (b"127.0.0.1:8000", b"http://127.0.0.1"),
        (b"127.0.0.1", b"https://127.0.0.1"),  # another scheme
        (b"127.0.0.1", b"ws://127.0.0.1"),
        (b"evil.example", b"http://evil.example"),  # a host this site does not serve
        (b"127.0.0.1", b"http://127.0.0.1.evil.example"),
    ],
)
async def test_a_page_on_another_scheme_host_or_port_cannot_open_a_socket(workshop, host, origin):
    assert not await handshake(workshop.code, host=host, origin=origin)


@pytest.mark.parametrize(
    ("host", "origin"),
    [(b"127.0.0.1:8000", b"http://127.0.0.1:8000"), (b"localhost", b"http://localhost")],
)
async def test_the_sites_own_pages_open_a_socket(workshop, host, origin):
    assert await handshake(workshop.code, host=host, origin=origin)


async def test_over_https_only_the_https_origin_opens_a_socket(workshop, settings):
    settings.HTTPS = True
    assert await handshake(workshop.code, host=b"localhost", origin=b"https://localhost")
    assert not await handshake(workshop.code, host=b"localhost", origin=b"http://localhost")


async def test_a_trusted_proxy_origin_opens_a_socket(workshop, settings):
    settings.TRUSTED_ORIGINS = ["https://visioning.example.org", "https://*.events.example"]
    for origin in (b"https://visioning.example.org", b"https://room1.events.example"):
        assert await handshake(workshop.code, host=b"127.0.0.1:8000", origin=origin)
    for origin in (b"http://visioning.example.org", b"https://visioning.example.org:444"):
        assert not await handshake(workshop.code, host=b"127.0.0.1:8000", origin=origin)


async def test_a_refused_socket_takes_no_channel_of_the_layer(workshop):
    communicator = WebsocketCommunicator(
        application,
        f"/ws/j/{workshop.code}/",
        headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://evil.example")],
    )
    connected, _ = await communicator.connect(timeout=5)
    assert not connected
    await asyncio.sleep(0.2)  # the refusal is still open: it would be listening by now
    layer = get_channel_layer()
    assert getattr(layer, "receive_count", 0) == 0  # Redis: nobody waits on a channel
    assert not getattr(layer, "channels", {})  # in memory: no channel was made
    await communicator.disconnect()
