"""The live pages in a real browser, against a real daphne server.

Stable selectors these tests rely on (keep them when restyling the pages):

Participant page /j/CODE/
  #join-name, #join-button        the join panel (skipped when a resume token is stored)
  #workshop-view                  shown once the socket is welcomed
  #conn-status[data-state]        connection pill: connecting|connected|reconnecting|offline|gone
  #value-input, #value-submit     add a value; #value-counter ("12/80"); #value-error
  #values-cloud .cloud__text      the cloud's words (one per group); #values-list (screen readers)
  #activity-chips .chip, #statement-activity    the ACTIVITY of the statement builder
  #value-chips .chip, #statement-value          the VALUE of the statement builder
  #statement-preview, #statement-submit, #statement-error
  #statements-list [data-testid=statement] .statement__text
Projector /j/CODE/screen/
  #screen-cloud [data-testid=screen-value] .cloud__text,
  #screen-statements [data-testid=screen-statement],
  #screen-online, #screen-code, #screen-prompt
Control room /facilitate/CODE/
  #phase-open-<key>, #phase-close-<key>, #phase-list [data-phase=<key>] .phase-status,
  #control-values [data-testid=control-value], #control-statements [data-testid=control-statement]
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import join, sign_in

pytestmark = [pytest.mark.browser]


def add_value(page, text):
    page.fill("#value-input", text)
    page.click("#value-submit")


def cloud_words(page, selector="#values-cloud .cloud__text"):
    return page.locator(selector)


def test_it_shows_each_participants_values_to_the_other_within_a_second(server, workshop, contexts):
    from playwright.sync_api import expect

    ada = join(contexts, server, workshop, "Ada")
    bob = join(contexts, server, workshop, "Bob")

    add_value(ada, "equity")
    expect(cloud_words(bob).filter(has_text="equity")).to_have_count(1, timeout=1000)
    add_value(bob, "care")
    expect(cloud_words(ada).filter(has_text="care")).to_have_count(1, timeout=1000)
    # The same value again counts in one group, and the input is ready for the next one.
    add_value(bob, "Equity")
    expect(
        bob.locator("#values-cloud .cloud__item", has_text="equity").locator(".cloud__count")
    ).to_have_text("2")
    expect(bob.locator("#value-input")).to_have_value("")


def test_it_shows_the_values_on_the_projector(server, workshop, contexts):
    from playwright.sync_api import expect

    screen = sign_in(contexts, server, width=1600)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    expect(screen.locator("#screen-code")).to_have_text(workshop.code)
    expect(screen.locator("#conn-status")).to_have_attribute("data-state", "connected")
    ada = join(contexts, server, workshop, "Ada")

    add_value(ada, "transparency")
    expect(
        cloud_words(screen, "#screen-cloud .cloud__text").filter(has_text="transparency")
    ).to_have_count(1, timeout=1000)
    expect(screen.locator("#screen-online")).to_have_text(re.compile(r"^[1-9]\d*$"))
    # The projector is the facilitator's, but it shows no controls.
    expect(screen.locator("button")).to_have_count(0)


def test_it_shows_markup_typed_by_a_participant_as_plain_text(server, workshop, contexts):
    from playwright.sync_api import expect

    screen = sign_in(contexts, server, width=1600)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    expect(screen.locator("#conn-status")).to_have_attribute("data-state", "connected")
    ada = join(contexts, server, workshop, "Ada")
    bob = join(contexts, server, workshop, "Bob")

    add_value(ada, "<b>x</b>")
    for page, selector in ((bob, "#values-cloud"), (screen, "#screen-cloud")):
        words = page.locator(f"{selector} .cloud__text")
        expect(words.filter(has_text="<b>x</b>")).to_have_count(1, timeout=2000)
        assert page.locator(f"{selector} b").count() == 0


def test_it_builds_a_statement_from_a_chip_and_a_live_value(server, workshop, contexts):
    from playwright.sync_api import expect

    ada = join(contexts, server, workshop, "Ada")
    bob = join(contexts, server, workshop, "Bob")
    add_value(bob, "equity")
    expect(cloud_words(ada).filter(has_text="equity")).to_have_count(1)

    control = sign_in(contexts, server, width=1280, height=900)
    control.goto(f"{server.url}/facilitate/{workshop.code}/")
    control.click("#phase-open-statements")
    expect(control.locator("#phase-list [data-phase=statements] .phase-status")).to_contain_text(
        "Open"
    )

    expect(ada.locator("#statement-panel")).to_be_visible()
    ada.locator("#activity-chips .chip", has_text="assessment").click()
    ada.locator("#value-chips .chip", has_text="equity").click()
    expected = "What might assessment look like as a practice of equity?"
    expect(ada.locator("#statement-preview")).to_have_text(expected)
    ada.click("#statement-submit")

    statement = bob.locator("#statements-list [data-testid=statement] .statement__text")
    expect(statement.filter(has_text=expected)).to_have_count(1, timeout=1000)
    expect(control.locator("#control-statements [data-testid=control-statement]")).to_contain_text(
        expected
    )


def test_it_sends_what_was_typed_offline_once_the_server_is_back(server, workshop, contexts):
    from playwright.sync_api import expect

    ada = join(contexts, server, workshop, "Ada")
    bob = join(contexts, server, workshop, "Bob")

    server.stop()
    expect(ada.locator("#conn-status")).not_to_have_attribute("data-state", "connected")
    add_value(ada, "resilience")
    expect(ada.locator("#conn-status")).to_contain_text("1 waiting to send")

    server.start()
    expect(ada.locator("#conn-status")).to_have_attribute("data-state", "connected", timeout=15000)
    expect(cloud_words(bob).filter(has_text="resilience")).to_have_count(1, timeout=15000)
    expect(cloud_words(ada).filter(has_text="resilience")).to_have_count(1)
    # Sent once, although it was queued across a reconnect.
    ada.reload()
    expect(ada.locator("#workshop-view")).to_be_visible()
    expect(
        ada.locator("#values-cloud .cloud__item", has_text="resilience").locator(".cloud__count")
    ).to_be_hidden()
