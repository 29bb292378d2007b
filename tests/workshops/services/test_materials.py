"""Materials: the facilitator gives the room links (slides, the recording, related work);
every screen, export and the report show them; only web addresses are taken."""

from __future__ import annotations

import pytest

from tests.edge import send
from tests.workshops.live.client import join
from workshops import services
from workshops.models import Material
from workshops.selectors import workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db

SLIDES = "https://example.org/slides.pdf"


def test_a_facilitator_adds_a_link_that_every_state_shows(host, workshop):
    event = services.material_add(participant=host, title=" Slides ", url=SLIDES)
    material = Material.objects.get()
    assert event.data == {"id": material.pk, "title": "Slides", "url": SLIDES}
    assert workshop_state(workshop)[1]["materials"] == [event.data]


def test_a_removed_link_is_gone_from_the_state(host, workshop):
    added = services.material_add(participant=host, title="Slides", url=SLIDES)
    removed = services.material_remove(participant=host, id=added.data["id"])
    assert removed.data == {"id": added.data["id"]}
    assert workshop_state(workshop)[1]["materials"] == []


@pytest.mark.parametrize(
    "url, code",
    [
        ("javascript:alert(1)", "invalid"),
        ("data:text/html,hi", "invalid"),
        ("ftp://example.org/file", "invalid"),
        ("example.org/slides", "invalid"),
        ("https://", "invalid"),
        ("   ", "empty"),
        ("https://example.org/" + "a" * 2000, "too_long"),
    ],
)
def test_only_a_web_address_is_taken(host, url, code):
    with pytest.raises(Refused) as refused:
        services.material_add(participant=host, title="Slides", url=url)
    assert refused.value.code == code
    assert not Material.objects.exists()


@pytest.mark.parametrize("title, code", [("", "empty"), ("x" * 201, "too_long")])
def test_a_title_is_1_to_200_characters(host, title, code):
    with pytest.raises(Refused) as refused:
        services.material_add(participant=host, title=title, url=SLIDES)
    assert refused.value.code == code


def test_participants_cannot_add_or_remove_links(host, ada):
    added = services.material_add(participant=host, title="Slides", url=SLIDES)
    with pytest.raises(Refused) as refused:
        send(ada, "material.add", title="Mine", url=SLIDES)
    assert refused.value.code == "forbidden"
    with pytest.raises(Refused):
        services.material_remove(participant=ada, id=added.data["id"])
    assert Material.objects.count() == 1


def test_removing_a_link_of_another_workshop_is_not_found(host, facilitator):
    other = services.workshop_create(title="Other", facilitator=facilitator)
    other_host, _ = services.participant_join(workshop=other, user=facilitator)
    theirs = services.material_add(participant=other_host, title="Slides", url=SLIDES)
    with pytest.raises(Refused) as refused:
        services.material_remove(participant=host, id=theirs.data["id"])
    assert refused.value.code == "not_found"
    assert Material.objects.count() == 1


@pytest.mark.django_db(transaction=True)
async def test_a_link_reaches_every_socket_and_a_participant_cannot_add_one(workshop, facilitator):
    host = await join(workshop.code, user=facilitator)
    ada = await join(workshop.code, "Ada")
    await ada.send(type="material.add", ref="m0", title="Mine", url=SLIDES)
    assert (await ada.reply())["code"] == "forbidden"
    await host.send(type="material.add", ref="m1", title="Slides", url="javascript:alert(1)")
    refused = await host.reply()
    assert (refused["code"], refused["message"]) == (
        "invalid",
        "The link must be a web address starting with https:// or http://.",
    )
    await host.send(type="material.add", ref="m2", title="Slides", url=SLIDES)
    acked = await host.reply()
    assert acked["type"] == "ack"
    await ada.wait_for_seq(acked["seq"])
    assert ada.events[-1]["event"] == "material.added"
    assert ada.events[-1]["data"]["url"] == SLIDES
    await host.close()
    await ada.close()


@pytest.mark.django_db(transaction=True)
async def test_a_schedule_set_over_the_socket_reaches_everyone_and_null_clears_it(
    workshop, facilitator
):
    host = await join(workshop.code, user=facilitator)
    ada = await join(workshop.code, "Ada")
    await host.send(
        type="phase.update", ref="s1", phase="statements", opens_at="2030-01-31T18:00:00+01:00"
    )
    acked = await host.reply()
    assert acked["type"] == "ack", acked
    await ada.wait_for_seq(acked["seq"])
    assert ada.events[-1]["data"]["opens_at"] == "2030-01-31T17:00:00.000Z"
    await host.send(type="phase.update", ref="s2", phase="statements", opens_at=None)
    acked = await host.reply()
    await ada.wait_for_seq(acked["seq"])
    assert ada.events[-1]["data"]["opens_at"] is None
    await host.send(type="phase.update", ref="s3", phase="statements", closes_at="soon")
    assert (await host.reply())["code"] == "invalid"
    await host.close()
    await ada.close()


def test_each_link_has_a_qr_code_for_the_projectors_ending(client, host, workshop, facilitator):
    slides = services.material_add(participant=host, title="Slides", url=SLIDES).data["id"]
    answer = client.get(f"/j/{workshop.code.lower()}/materials/{slides}/qr.svg")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/svg+xml"
    assert answer.content.startswith(b"<svg")
    other = services.workshop_create(title="Other", facilitator=facilitator)
    other_host, _ = services.participant_join(workshop=other, user=facilitator)
    theirs = services.material_add(participant=other_host, title="Theirs", url=SLIDES).data["id"]
    assert client.get(f"/j/{workshop.code}/materials/{theirs}/qr.svg").status_code == 404
