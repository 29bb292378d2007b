"""A co-author of a final principle claims their Open Badge from their own page."""

from __future__ import annotations

import pytest

from credentials import services as credentials
from credentials.models import Credential
from principles import services as principles
from tests.e2e.pages import join
from workshops import services
from workshops.models import Participant

pytestmark = [pytest.mark.browser]


def test_an_author_claims_their_credential_and_reaches_its_page(server, workshop, contexts, host):
    from playwright.sync_api import expect

    ada = join(contexts, server, workshop, "Ada")
    expect(ada.locator("#credential-panel")).to_be_hidden()
    author = Participant.objects.get(workshop=workshop, name="Ada")
    services.phase_open(participant=host, phase="statements")
    statement = services.statement_add(participant=author, activity="assessment", value="care")
    principle = principles.principle_propose(
        participant=host, title="Care first", sources=[statement.data["id"]]
    )
    principles.principle_finalize(participant=host, id=principle.data["id"])
    credentials.credentials_update(participant=host, enabled=True)

    ada.reload()  # who may claim is said at the welcome
    expect(ada.locator("#credential-panel")).to_be_visible()
    expect(ada.locator("#credential-name")).to_have_value("Ada")
    ada.fill("#credential-name", "Ada Lovelace")
    ada.click("#credential-submit")
    link = ada.locator("#credential-link")
    expect(link).to_be_visible()
    expect(link).to_be_focused()
    credential = Credential.objects.get(participant=author)
    assert link.get_attribute("href").endswith(f"/credentials/{credential.uuid}/")
    assert credential.document["credentialSubject"]["name"] == "Ada Lovelace"

    ada.reload()  # claimed already: the link, not the form
    expect(ada.locator("#credential-link")).to_be_visible()
    expect(ada.locator("#credential-form")).to_be_hidden()
