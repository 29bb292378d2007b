"""The control room's facilitation log names who did what: each co-facilitator by name,
live and after a reload, and the changes made beside the session (people, links, the
deletion date) among the rest. No key is ever on the page's log."""

from __future__ import annotations

import pytest

from tests.e2e.pages import sign_in
from workshops import services

pytestmark = [pytest.mark.browser]


def test_the_log_names_each_facilitator_and_lists_people_links_and_retention(
    server, workshop, facilitator, contexts, django_user_model
):
    from playwright.sync_api import expect

    django_user_model.objects.create_user("cora", password="cora-pass-123")
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username="cora", role="facilitator"
    )
    cora_user = workshop.facilitators.get(username="cora")
    cora = services.participant_join(workshop=workshop, user=cora_user)[0]
    ada = services.participant_join(workshop=workshop, name="Ada")[0]
    spam = services.value_add(participant=ada, text="buy my course").data["id"]
    services.value_hide(participant=cora, id=spam)
    key = services.screen_share(workshop=workshop, by=facilitator)

    control = sign_in(contexts, server)
    control.goto(f"{server.url}/facilitate/{workshop.code}/")
    control.wait_for_selector("#conn-status[data-state=connected]")
    control.locator("#audit summary").click()
    entries = control.locator("#audit-list [data-testid=audit-entry]")
    expect(entries.filter(has_text="made cora a co-facilitator")).to_contain_text("alice")
    expect(entries.filter(has_text="hid the value “buy my course”")).to_contain_text("cora")
    expect(entries.filter(has_text="made a projector link")).to_contain_text("alice")

    # Live: what another facilitator does is theirs, not "A facilitator".
    more = services.value_add(participant=ada, text="more spam").data["id"]
    services.value_hide(participant=cora, id=more)
    expect(entries.filter(has_text="hid the value “more spam”")).to_contain_text("cora")
    expect(control.locator("#audit-list")).not_to_contain_text("A facilitator")

    # The deletion date, set from the page's own form, after it reloads.
    control.fill("#id_delete_after", "2031-01-31")
    control.click("#retention-save")
    control.wait_for_selector("#conn-status[data-state=connected]")
    control.evaluate("document.getElementById('audit').open = true")
    expect(entries.filter(has_text="set the workshop to be deleted on")).to_contain_text("2031")
    assert key not in control.locator("#audit-list").inner_text()
