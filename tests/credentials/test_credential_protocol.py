"""credential.claim, credential.revoke and workshop.update's `credentials`, over the socket."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from credentials.models import Credential, CredentialSettings
from tests.workshops.live.client import connect, join
from workshops.services.people import hash_token

pytestmark = pytest.mark.django_db(transaction=True)


async def as_participant(workshop, participant):
    """A socket resuming `participant` (their resume token set here)."""

    def set_token() -> str:
        token = f"token-of-{participant.pk}"
        participant.token_hash = hash_token(token)
        participant.save(update_fields=["token_hash"])
        return token

    client = await connect(workshop.code)
    await client.hello(token=await database_sync_to_async(set_token)())
    return client


async def answer(client) -> dict:
    """The next answer to a command: a credential, an ack or an error (events skipped)."""
    while True:
        frame = await client.receive(timeout=10)
        if frame["type"] in ("credential", "ack", "error"):
            return frame


async def test_a_claim_is_answered_with_the_credential_and_its_page(lineage):
    ada = await as_participant(lineage.workshop, lineage.ada)
    await ada.send(type="credential.claim", ref="c1", name="Ada Lovelace")
    claimed = await answer(ada)
    assert claimed["type"] == "credential" and claimed["ref"] == "c1", claimed
    assert claimed["url"].startswith("http://localhost:8000/credentials/")
    assert claimed["url"].endswith(".json") and claimed["page"].endswith("/")
    response = await database_sync_to_async(Client().get)(claimed["url"])
    assert response["Content-Type"] == "application/vc+ld+json"
    assert response.json()["credentialSubject"]["name"] == "Ada Lovelace"
    # Claimed again, with another ref: the same credential.
    await ada.send(type="credential.claim", ref="c2", name="A. L.")
    again = await answer(ada)
    assert (again["url"], again["page"]) == (claimed["url"], claimed["page"])
    await ada.close()


async def test_someone_with_no_part_gets_not_eligible(lineage):
    cleo = await as_participant(lineage.workshop, lineage.cleo)
    await cleo.send(type="credential.claim", ref="c1", name="Cleo")
    refused = await answer(cleo)
    assert refused["type"] == "error" and refused["code"] == "not_eligible"
    await cleo.close()


async def test_only_a_facilitator_revokes(lineage, facilitator):
    ada = await as_participant(lineage.workshop, lineage.ada)
    await ada.send(type="credential.claim", ref="c1", name="Ada")
    credential_id = (await answer(ada))["id"]
    await ada.send(type="credential.revoke", ref="r1", id=credential_id)
    assert (await ada.reply())["code"] == "forbidden"
    host = await join(lineage.workshop.code, user=facilitator)
    await host.send(type="credential.revoke", ref="r1", id=credential_id)
    assert (await host.reply())["type"] == "ack"
    await host.send(type="credential.revoke", ref="r2", id="urn:uuid:not-one")
    assert (await host.reply())["code"] == "invalid"
    revoked = await database_sync_to_async(
        lambda: Credential.objects.get(participant=lineage.ada).revoked_at
    )()
    assert revoked is not None
    await ada.close()
    await host.close()


async def test_workshop_update_turns_credentials_on_and_off(lineage, facilitator):
    host = await join(lineage.workshop.code, user=facilitator)
    enabled = database_sync_to_async(
        lambda: CredentialSettings.objects.get(workshop=lineage.workshop).enabled
    )
    await host.send(type="workshop.update", ref="u1", credentials=False)
    assert (await host.reply())["type"] == "ack"
    assert await enabled() is False
    await host.send(type="workshop.update", ref="u2", credentials="yes")
    assert (await host.reply())["code"] == "invalid"
    await host.send(type="workshop.update", ref="u3", credentials=True, title="Renamed")
    assert (await host.reply())["type"] == "ack"
    assert await enabled() is True
    await host.close()


async def test_the_welcome_tells_an_author_they_may_claim(lineage):
    ada = await as_participant(lineage.workshop, lineage.ada)
    assert ada.welcome["you"]["credential"] == {"eligible": True, "page": None}
    await ada.close()
    cleo = await as_participant(lineage.workshop, lineage.cleo)
    assert cleo.welcome["you"]["credential"] is None
    await cleo.close()
