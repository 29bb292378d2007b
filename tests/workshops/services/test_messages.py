"""The facilitator's message to the room: one short line every screen shows at once (each
table's phones, the projector), a late joiner too, until it is cleared, replaced or the
session ends."""

from __future__ import annotations

import pytest

from tests.edge import send
from tests.workshops.live.client import connect, join
from workshops import services
from workshops.models import Event
from workshops.selectors import workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db

FIVE_LEFT = "Five minutes left: pick your table's top two"


def shown(workshop):
    return workshop_state(workshop)[1]["workshop"]["message"]


def test_a_facilitator_sends_a_message_every_state_shows(host, workshop):
    event = services.message_send(participant=host, text=f"  {FIVE_LEFT}\n")
    assert event.kind == "message.sent"
    assert event.data == {"text": FIVE_LEFT, "at": event.data["at"]}
    assert shown(workshop) == {"text": FIVE_LEFT, "at": event.data["at"]}


def test_a_new_message_replaces_the_last_and_clearing_takes_it_off(host, workshop):
    services.message_send(participant=host, text=FIVE_LEFT)
    services.message_send(participant=host, text="Back to the room, please")
    assert shown(workshop)["text"] == "Back to the room, please"
    cleared = services.message_clear(participant=host)
    assert (cleared.kind, cleared.data) == ("message.cleared", {})
    assert shown(workshop) is None


def test_clearing_when_no_message_is_shown_is_refused_and_logs_nothing(host, workshop):
    with pytest.raises(Refused) as refused:
        services.message_clear(participant=host)
    assert refused.value.code == "invalid"
    assert not Event.objects.filter(kind="message.cleared").exists()


@pytest.mark.parametrize("text, code", [("  ", "empty"), ("x" * 281, "too_long"), (7, "invalid")])
def test_a_message_is_1_to_280_characters_of_text(host, workshop, text, code):
    with pytest.raises(Refused) as refused:
        services.message_send(participant=host, text=text)
    assert refused.value.code == code
    assert shown(workshop) is None


def test_a_message_of_280_characters_is_taken(host, workshop):
    services.message_send(participant=host, text="x" * 280)
    assert shown(workshop)["text"] == "x" * 280


def test_participants_can_neither_send_nor_clear_one(host, ada, workshop):
    with pytest.raises(Refused) as refused:
        send(ada, "message.send", text="Free pizza")
    assert refused.value.code == "forbidden"
    services.message_send(participant=host, text=FIVE_LEFT)
    with pytest.raises(Refused) as refused:
        send(ada, "message.clear")
    assert refused.value.code == "forbidden"
    assert shown(workshop)["text"] == FIVE_LEFT


def test_ending_the_session_takes_the_message_off(host, workshop):
    services.message_send(participant=host, text=FIVE_LEFT)
    services.session_end(participant=host, share_report=False)
    assert shown(workshop) is None
    services.session_reopen(participant=host)
    assert shown(workshop) is None


@pytest.mark.django_db(transaction=True)
async def test_a_message_reaches_every_table_and_the_projector_and_a_late_joiner_sees_it(
    workshop, facilitator
):
    host = await join(workshop.code, user=facilitator)
    ada = await join(workshop.code, "Ada")
    bob = await join(workshop.code, "Bob")
    screen = await connect(workshop.code, user=facilitator)
    assert (await screen.hello(role="viewer"))["type"] == "welcome"
    await host.send(type="tables.form", ref="t1", count=2)
    assert (await host.reply())["type"] == "ack"
    await host.send(type="message.send", ref="m1", text=FIVE_LEFT)
    acked = await host.reply()
    assert acked["type"] == "ack", acked
    for socket in (ada, bob, screen):
        await socket.wait_for_seq(acked["seq"])
        sent = socket.events[-1]
        assert (sent["event"], sent["data"]["text"]) == ("message.sent", FIVE_LEFT)
    formed = next(event for event in ada.events if event["event"] == "tables.formed")
    seated = [table["members"] for table in formed["data"]["tables"]]
    assert sorted(map(len, seated)) == [1, 1]  # Ada and Bob sit apart, and both read it
    late = await join(workshop.code, "Cleo")
    assert late.welcome is not None
    assert late.welcome["state"]["workshop"]["message"]["text"] == FIVE_LEFT
    await host.send(type="message.clear", ref="m2")
    acked = await host.reply()
    await late.wait_for_seq(acked["seq"])
    assert late.events[-1]["event"] == "message.cleared"
    for socket in (host, ada, bob, screen, late):
        await socket.close()
