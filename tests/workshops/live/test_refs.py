"""A ref is acknowledged only for the command it was first sent with: never for
something that was not stored."""

import pytest
from channels.db import database_sync_to_async as sync_to_async

from tests.workshops.live.client import join
from workshops import services
from workshops.errors import Refused
from workshops.models import Value

pytestmark = pytest.mark.django_db(transaction=True)


async def value_texts() -> list[str]:
    return await sync_to_async(lambda: sorted(Value.objects.values_list("text", flat=True)))()


async def test_a_number_ref_is_refused_so_1_and_string_1_never_collide(workshop):
    ada = await join(workshop.code, "Ada")
    await ada.send(type="value.add", ref="1", text="care")
    assert (await ada.reply())["type"] == "ack"
    await ada.send(type="value.add", ref=1, text="equity")
    refused = await ada.reply()
    assert refused["type"] == "error"
    assert refused["code"] == "invalid"
    assert refused["ref"] == 1
    assert await value_texts() == ["care"]
    await ada.close()


async def test_a_ref_reused_with_other_text_is_refused_not_acked(workshop):
    ada = await join(workshop.code, "Ada")
    await ada.send(type="value.add", ref="c1", text="care")
    assert (await ada.reply())["type"] == "ack"
    await ada.send(type="value.add", ref="c1", text="equity")
    refused = await ada.reply()
    assert refused["type"] == "error"
    assert refused["code"] == "invalid"
    assert "c1" in refused["message"]
    assert await value_texts() == ["care"]
    await ada.close()


async def test_a_ref_reused_for_another_command_is_refused_not_acked(workshop):
    ada = await join(workshop.code, "Ada")
    await ada.send(type="value.add", ref="c1", text="care")
    ack = await ada.reply()
    await ada.send(type="value.remove", ref="c1", id=ack["seq"])
    refused = await ada.reply()
    assert (refused["type"], refused["code"]) == ("error", "invalid")
    assert await value_texts() == ["care"]
    await ada.close()


async def test_the_same_command_again_with_its_ref_is_still_acked_once(workshop):
    ada = await join(workshop.code, "Ada")
    await ada.send(type="value.add", ref="c1", text="care")
    first = await ada.reply()
    await ada.send(type="value.add", ref="c1", text="care")
    assert await ada.reply() == first
    assert await value_texts() == ["care"]
    await ada.close()


def test_a_service_called_twice_with_one_ref_and_other_fields_refuses_the_second(ada):
    services.value_add(participant=ada, text="care", ref="form-1")
    with pytest.raises(Refused) as refused:
        services.value_add(participant=ada, text="equity", ref="form-1")
    assert refused.value.code == "invalid"
    assert list(Value.objects.values_list("text", flat=True)) == ["care"]
