"""A facilitator starts from a design on the workshop list, reads each phase's notes
beside it in the control room and edits them; the participants' phones never get them."""

from __future__ import annotations

import pytest

from tests.e2e.pages import sign_in
from workshops.models import Phase, Workshop

pytestmark = [pytest.mark.browser]

NEW_NOTES = "Ask each table for one move.\nThen vote."


def frames_received(page) -> list[str]:
    """Every frame the page's socket receives from now on."""
    received: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(frame)))
    return received


def test_a_facilitator_sees_and_edits_a_phases_notes_which_phones_never_get(
    server, contexts, facilitator
):
    from playwright.sync_api import expect

    page = sign_in(contexts, server, width=1600, height=900)
    page.fill("#id_title", "Our horizons")
    page.get_by_label("Three Horizons").check()
    page.click("#create-form button[type=submit]")
    page.wait_for_selector("#conn-status[data-state=connected]")
    workshop = Workshop.objects.get(title="Our horizons")

    # The phase people see has its script open beside it, with the suggested minutes.
    horizons = page.locator(".phase-row[data-phase=horizons]")
    expect(horizons.locator(".phase-notes")).to_have_attribute("open", "")
    expect(horizons.locator(".phase-notes__text")).to_contain_text("Name the system")
    expect(horizons.locator(".phase-notes__text")).to_contain_text("Policy Horizons Canada")
    expect(horizons.locator(".phase-kind")).to_contain_text("30 min suggested")
    expect(horizons.locator(".phase-kind")).to_contain_text("in tables")
    expect(horizons.locator(".timer-minutes")).to_have_value("30")

    ada = contexts(viewport={"width": 390, "height": 844}).new_page()
    received = frames_received(ada)
    ada.goto(f"{server.url}/j/{workshop.code}/")
    ada.fill("#join-name", "Ada")
    ada.click("#join-button")
    ada.wait_for_selector("#conn-status[data-state=connected]")
    expect(ada.locator("body")).to_contain_text("H1")

    # Another phase's notes, edited with its minutes in the phase's settings.
    pathway = page.locator(".phase-row[data-phase=pathway]")
    pathway.locator(".phase-settings").click()
    pathway.locator("textarea#phase-notes-pathway").fill(NEW_NOTES)
    pathway.locator("#phase-minutes-pathway").fill("12")
    pathway.locator("#phase-save-pathway").click()
    expect(pathway.locator(".phase-edit")).to_have_count(0)
    expect(pathway.locator(".phase-notes__text")).to_have_text(NEW_NOTES)
    expect(pathway.locator(".phase-kind")).to_contain_text("12 min suggested")
    saved = Phase.objects.get(workshop=workshop, key="pathway")
    assert (saved.notes, saved.minutes) == (NEW_NOTES, 12)

    # The phone got the change (its minutes) but never a word of any notes.
    page.wait_for_timeout(500)
    assert any("phase.updated" in frame for frame in received)
    everything = "".join(received) + ada.content()
    assert "Ask each table" not in everything
    assert "Name the system" not in everything
