"""Exports say what was credited; deleting a workshop keeps its credentials verifiable."""

import pytest
from django.urls import reverse

from credentials import documents
from credentials import services as credential_services
from credentials.models import Credential
from tests.workshops.records.conftest import assert_valid
from workshops import services
from workshops.records.exports import export_data

pytestmark = pytest.mark.django_db


def test_the_export_lists_each_credited_contribution(lineage):
    credential_services.credential_claim(participant=lineage.ada, name="Ada")
    credential_services.credential_claim(participant=lineage.bob, name="Bob")
    data = export_data(lineage.workshop)
    assert_valid(data)
    credits = data["credits"]
    assert [(row["kind"], row["id"], row["holder"]) for row in credits] == [
        ("value", lineage.value_id, lineage.ada.pk),
        ("statement", lineage.statement_id, lineage.bob.pk),
    ]
    assert all(row["revoked"] is False for row in credits)
    anonymous = export_data(lineage.workshop, anonymize=True)["credits"]
    assert [row["holder"] for row in anonymous] == [None, None]


def test_deleting_the_workshop_keeps_the_credential_verifiable(lineage, facilitator, client):
    credential_services.credential_claim(participant=lineage.ada, name="Ada")
    credential = Credential.objects.get()
    services.workshop_delete(workshop=lineage.workshop, by=facilitator)
    credential.refresh_from_db()
    assert credential.workshop_id is None and credential.participant_id is None
    assert documents.credential_verifies(credential)
    response = client.get(reverse("credentials:document", args=[credential.uuid]))
    assert response.json() == credential.document
    assert client.get(reverse("credentials:status_list")).status_code == 200
