"""Whatever arrives on the socket, the server answers with an error frame, a reply, or a
clean close: never an unhandled exception."""

import asyncio
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workshops.live.client import connect
from workshops.live import hub as fanout
from workshops.live import protocol

TYPES = (
    st.sampled_from(["hello", *protocol.COMMANDS, "nonsense", ""])
    | st.text(max_size=12)
    | st.lists(st.sampled_from(["hello", "value.add"]), max_size=2)  # unhashable types
    | st.dictionaries(st.sampled_from(["type"]), st.just("value.add"))
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=100)
    # Half a surrogate pair: json.dumps escapes it, and json.loads gives it back alone.
    | st.sampled_from(["\ud800", "x\udfff", "\udc00\ud800"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    [
        "ref",
        "text",
        "activity",
        "value",
        "id",
        "into",
        "phase",
        "target",
        "title",
        "body",
        "sources",
        "name",
        "token",
        "since",
        "seconds",
        "level",
        "premoderated",
        "position",
    ]
)
MESSAGES = st.builds(
    lambda kind, fields: {"type": kind, **fields},
    TYPES,
    st.dictionaries(FIELDS, VALUES, max_size=5),
)
FRAMES = (
    MESSAGES.map(json.dumps)
    | st.text(max_size=200)
    | st.binary(max_size=50).map(lambda b: b.decode("latin-1"))
    | VALUES.map(json.dumps)
    # Deeper than the JSON parser recurses, under the 64 KiB frame limit.
    | st.integers(1_000, 20_000).map(lambda depth: "[" * depth + "]" * depth)
    | st.integers(1_000, 10_000).map(lambda depth: '{"type":' + "[" * depth + "]" * depth + "}")
)
REPLIES = {"ack", "error", "welcome"}


async def exchange(code, frames):
    client = await connect(code)
    try:
        for frame in frames:
            await client.ws.send_input({"type": "websocket.receive", "text": frame})
            while True:
                output = await client.ws.receive_output(timeout=5)
                if output["type"] == "websocket.close":
                    return
                reply = json.loads(output["text"])
                if reply["type"] in REPLIES:
                    break
        await client.ws.disconnect()
    finally:
        await fanout.stop_all()


@pytest.mark.django_db(transaction=True)
def test_random_and_malformed_frames_never_break_the_server(workshop):
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(frames=st.lists(FRAMES, min_size=1, max_size=6), hello_first=st.booleans())
    def check(frames, hello_first):
        if hello_first:
            frames = [json.dumps({"type": "hello", "name": "Fuzz"}), *frames]
        asyncio.run(exchange(workshop.code, frames))

    check()
