"""A session that goes on after the webinar, in a real browser: the facilitator gives the
room a link and schedules a phase from the control room; phones show the link, and a
phase opened after the end shows the activity instead of the ending.

Stable selectors: control room #material-title, #material-url, #material-add,
#materials-list, #phase-schedule-KEY, #phase-opens-KEY, #phase-closes-KEY,
#phase-schedule-save-KEY, .phase-row__schedule; phone #materials-panel, #materials-list,
#afterwards-note, #ending-panel.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.e2e.pages import join, sign_in
from workshops import services
from workshops.models import Phase

pytestmark = [pytest.mark.browser]

SLIDES = "https://example.org/slides.pdf"


def test_a_link_given_in_the_control_room_reaches_the_phone_and_a_schedule_is_set(
    server, workshop, host, contexts
):
    from playwright.sync_api import expect

    phone = join(contexts, server, workshop, viewport={"width": 390, "height": 844})
    expect(phone.locator("#materials-panel")).to_be_hidden()
    control = sign_in(contexts, server)
    control.goto(f"{server.url}/facilitate/{workshop.code}/")
    control.wait_for_selector("#conn-status[data-state=connected]")

    control.fill("#material-title", "Slides")
    control.fill("#material-url", "javascript:alert(1)")
    control.click("#material-add")
    expect(control.locator("#material-error")).to_contain_text("web address")
    control.fill("#material-url", SLIDES)
    control.click("#material-add")
    expect(control.locator("#materials-list a")).to_have_text(["Slides"])

    link = phone.locator("#materials-list a")
    expect(link).to_have_text(["Slides"])
    expect(link).to_have_attribute("href", SLIDES)

    control.click("#phase-schedule-statements")
    control.fill("#phase-opens-statements", "2030-01-31T18:00")
    control.fill("#phase-closes-statements", "2030-01-31T19:30")
    expect(control.locator(".phase-schedule .hint").first).to_contain_text("time zone")
    control.click("#phase-schedule-save-statements")
    row = control.locator("[data-phase=statements] .phase-row__schedule")
    expect(row).to_contain_text("Opens by itself")  # the line starts with a capital
    expect(row).to_contain_text("closes by itself")
    statements = Phase.objects.get(workshop=workshop, key="statements")
    assert statements.opens_at is not None and statements.closes_at is not None
    assert statements.closes_at > statements.opens_at


def test_a_phase_opened_by_its_schedule_after_the_end_shows_the_activity_on_the_phone(
    server, workshop, host, contexts
):
    from playwright.sync_api import expect

    services.session_end(participant=host)
    phone = join(contexts, server, workshop, viewport={"width": 390, "height": 844})
    expect(phone.locator("#ending-panel")).to_be_visible()
    services.phase_update(participant=host, phase="values", opens_at="2030-01-31T18:00:00Z")
    services.schedule_advance(now=datetime.fromisoformat("2030-01-31T18:00:00+00:00"))
    expect(phone.locator("#ending-panel")).to_be_hidden()
    expect(phone.locator("#afterwards-note")).to_be_visible()
    expect(phone.locator("#values-panel")).to_be_visible()
