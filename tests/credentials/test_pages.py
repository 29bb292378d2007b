"""The credential's page for people, and its baked badge."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from credentials import services as credential_services
from credentials.models import Credential

pytestmark = pytest.mark.django_db

OPENBADGES = "{https://purl.imsglobal.org/ob/v3p0}credential"


@pytest.fixture
def credential(lineage) -> Credential:
    credential_services.credential_claim(participant=lineage.ada, name="Ada Lovelace")
    return Credential.objects.get()


def test_the_page_says_what_by_whom_from_which_workshop_and_that_it_verifies(credential, client):
    page = client.get(reverse("credentials:page", args=[credential.uuid])).content.decode()
    assert "Co-author of the principles of “Open Futures for Micro-credentialing”" in page
    assert "Ada Lovelace" in page
    assert "From the workshop “Open Futures for Micro-credentialing”." in page
    assert "Open by default" in page and "a practice of openness" in page
    assert "Verified: signed by this instance" in page
    assert "?download=1" in page and reverse("credentials:badge", args=[credential.uuid]) in page


def test_a_revoked_credential_says_so(credential, lineage, client):
    credential_services.credential_revoke(participant=lineage.host, id=credential.credential_id)
    page = client.get(reverse("credentials:page", args=[credential.uuid])).content.decode()
    assert "Revoked: this credential no longer verifies." in page


def test_the_page_speaks_french(credential, client):
    page = client.get(
        reverse("credentials:page", args=[credential.uuid]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Vérifié" in page and "Ajoutez-le à un portefeuille" in page


def test_the_json_downloads_as_a_file(credential, client):
    response = client.get(reverse("credentials:document", args=[credential.uuid]) + "?download=1")
    assert response["Content-Type"] == "application/vc+ld+json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.json() == credential.document


def test_the_badge_carries_the_credential_baked_in(credential, client):
    response = client.get(reverse("credentials:badge", args=[credential.uuid]))
    assert response["Content-Type"] == "image/svg+xml"
    baked = ET.fromstring(response.content).find(OPENBADGES)
    assert baked is not None and json.loads(baked.text or "") == credential.document


def test_an_unknown_credential_is_a_404(client):
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(reverse("credentials:page", args=[missing])).status_code == 404


def test_the_report_counts_credentials_and_names_only_who_agreed(lineage, client, facilitator):
    credential_services.credential_claim(participant=lineage.ada, name="Ada Lovelace", named=True)
    credential_services.credential_claim(participant=lineage.bob, name="Robert Private")
    client.force_login(facilitator)
    page = client.get(reverse("report", args=[lineage.workshop.code])).content.decode()
    assert "2 people received an Open Badge for their part in the principles." in page
    assert "Ada Lovelace" in page and "Robert Private" not in page


def test_the_page_and_the_participant_page_with_the_claim_are_valid_html(
    credential, lineage, client
):
    from tests.conftest import needs
    from tests.e2e.test_html_valid import vnu_errors

    needs("vnu")
    pages = {
        f"credential-{lang}": client.get(
            reverse("credentials:page", args=[credential.uuid]), HTTP_ACCEPT_LANGUAGE=lang
        ).content.decode()
        for lang in ("en", "fr")
    }
    pages["participant"] = client.get(
        reverse("join", args=[lineage.workshop.code])
    ).content.decode()
    assert 'id="credential-panel"' in pages["participant"]
    assert vnu_errors(pages) == []


def test_a_name_that_closes_cdata_stays_text_in_the_badge(lineage, client):
    """The badge holds the credential in CDATA: a name with "]]>" must not end it and let
    the rest be read as SVG markup."""
    credential_services.credential_claim(
        participant=lineage.ada, name="Ada ]]><script>alert(1)</script>"
    )
    credential = Credential.objects.get()
    response = client.get(reverse("credentials:badge", args=[credential.uuid]))
    svg = ET.fromstring(response.content)
    assert not [node for node in svg.iter() if node.tag.endswith("script")]
    baked = svg.find(OPENBADGES)
    assert baked is not None and json.loads(baked.text or "") == credential.document
