"""Retention: deleted means gone. Roles: co-facilitators and organisers by username."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command

from principles import services as principle_services
from tests.workshops.live.client import join
from workshops import services
from workshops.services import Refused

pytestmark = pytest.mark.django_db(transaction=True)


def rows_of(workshop_id):
    """Every row anywhere that still belongs to the workshop."""
    found = {}
    for model in apps.get_app_config("workshops").get_models():
        if model.__name__ == "Workshop":
            count = model.objects.filter(pk=workshop_id).count()
        elif any(f.name == "workshop" for f in model._meta.fields):
            count = model.objects.filter(workshop_id=workshop_id).count()
        else:
            continue
        if count:
            found[model.__name__] = count
    return found


@pytest.fixture
def busy_workshop(workshop, ada, bob, host):
    services.value_add(participant=ada, text="equity")
    services.phase_open(participant=host, phase="statements")
    sid = services.statement_add(participant=bob, activity="assessment", value="equity").data["id"]
    services.vote_cast(participant=ada, target={"kind": "statement", "id": sid})
    principle_services.principle_propose(participant=host, title="Care", sources=[sid])
    return workshop


def test_deleting_a_workshop_leaves_no_row_of_it(busy_workshop, facilitator):
    workshop_id = busy_workshop.pk
    assert rows_of(workshop_id)
    services.workshop_delete(workshop=busy_workshop, by=facilitator)
    assert rows_of(workshop_id) == {}
    from principles.models import Principle
    from workshops.models import Vote

    assert not Principle.objects.exists()
    assert not Vote.objects.exists()


def test_only_its_facilitators_delete_a_workshop(busy_workshop, outsider):
    with pytest.raises(Refused) as refused:
        services.workshop_delete(workshop=busy_workshop, by=outsider)
    assert refused.value.code == "forbidden"
    assert rows_of(busy_workshop.pk)


def test_purge_expired_deletes_what_is_due_and_nothing_else(busy_workshop, facilitator):
    later = services.workshop_create(title="Next year", facilitator=facilitator)
    services.workshop_schedule_deletion(
        workshop=busy_workshop, by=facilitator, delete_after=date.today() - timedelta(days=1)
    )
    services.workshop_schedule_deletion(
        workshop=later, by=facilitator, delete_after=date.today() + timedelta(days=30)
    )
    call_command("purge_expired")
    assert rows_of(busy_workshop.pk) == {}
    assert rows_of(later.pk)


def test_participants_remove_their_own_contributions(ada, bob):
    value_id = services.value_add(participant=ada, text="oops").data["id"]
    with pytest.raises(Refused) as refused:
        services.value_remove(participant=bob, id=value_id)
    assert refused.value.code == "forbidden"
    event = services.value_remove(participant=ada, id=value_id)
    assert event.data == {"id": value_id, "regrouped": []}
    from workshops.models import Value

    assert not Value.objects.filter(pk=value_id).exists()


def test_nothing_can_be_removed_once_every_phase_is_closed(ada, host):
    value_id = services.value_add(participant=ada, text="kept").data["id"]
    services.phase_close(participant=host, phase="values")
    with pytest.raises(Refused) as refused:
        services.value_remove(participant=ada, id=value_id)
    assert refused.value.code == "phase_closed"


def test_facilitators_add_organisers_and_co_facilitators(workshop, facilitator, outsider):
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username="charlie", role="organiser"
    )
    assert workshop.organisers.filter(pk=outsider.pk).exists()
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username="charlie", role="facilitator"
    )
    assert workshop.facilitators.filter(pk=outsider.pk).exists()
    assert not workshop.organisers.filter(pk=outsider.pk).exists()
    with pytest.raises(Refused) as refused:
        services.workshop_member_add(
            workshop=workshop, by=facilitator, username="nobody", role="organiser"
        )
    assert refused.value.code == "not_found"


def test_a_workshop_keeps_at_least_one_facilitator(workshop, facilitator):
    with pytest.raises(Refused):
        services.workshop_member_remove(workshop=workshop, by=facilitator, user_id=facilitator.pk)


async def test_sockets_of_a_deleted_workshop_are_told_and_closed(workshop, facilitator):
    from channels.db import database_sync_to_async

    ada = await join(workshop.code, "Ada")
    while not ada.others:  # presence comes once the socket is attached to its hub
        await ada.receive_presence()
    await database_sync_to_async(services.workshop_delete)(workshop=workshop, by=facilitator)
    frame = await ada.receive(timeout=5)
    assert (frame["type"], frame["code"]) == ("error", "not_found")
    assert (await ada.ws.receive_output(timeout=5))["type"] == "websocket.close"


def test_values_merged_into_a_removed_value_count_under_their_own_key_again(ada, bob, host):
    """Found by the state machine: clients must learn that the group came apart."""
    equity = services.value_add(participant=ada, text="equity").data["id"]
    care = services.value_add(participant=bob, text="care").data["id"]
    services.value_merge(participant=host, id=equity, into=care)
    event = services.value_remove(participant=bob, id=care)
    assert event.data["regrouped"] == [{"id": equity, "key": "equity"}]
