"""The control room's credentials card: the switch, the wording, revoking."""

import pytest
from django.urls import reverse

from credentials import services as credential_services
from credentials.models import Credential, CredentialSettings

pytestmark = pytest.mark.django_db


def test_the_card_turns_credentials_on_and_words_the_achievement(workshop, facilitator, client):
    client.force_login(facilitator)
    page = client.get(reverse("control_room", args=[workshop.code])).content.decode()
    assert 'id="credentials-card"' in page and "Co-author of the principles of" in page
    response = client.post(
        reverse("credentials:control_settings", args=[workshop.code]),
        {"enabled": "on", "name": "Co-author of our principles", "description": "", "criteria": ""},
    )
    assert response.status_code == 302 and response["Location"].endswith("#credentials-card")
    chosen = CredentialSettings.objects.get(workshop=workshop)
    assert chosen.enabled and chosen.name == "Co-author of our principles"


def test_only_its_facilitators_reach_the_card(workshop, outsider, client):
    client.force_login(outsider)
    response = client.post(
        reverse("credentials:control_settings", args=[workshop.code]), {"enabled": "on"}
    )
    assert response.status_code == 404
    assert not CredentialSettings.objects.filter(workshop=workshop, enabled=True).exists()


def test_the_card_lists_and_revokes_what_was_issued(lineage, facilitator, client):
    credential_services.credential_claim(participant=lineage.ada, name="Ada Lovelace")
    credential = Credential.objects.get()
    client.force_login(facilitator)
    page = client.get(reverse("control_room", args=[lineage.workshop.code])).content.decode()
    assert "Ada Lovelace" in page
    client.post(
        reverse("credentials:control_revoke", args=[lineage.workshop.code]),
        {"id": credential.credential_id},
    )
    credential.refresh_from_db()
    assert credential.revoked_at is not None
