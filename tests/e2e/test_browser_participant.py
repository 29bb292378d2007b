"""What a participant on a phone notices: the connection, what waits to be sent, news
that opens while they are scrolled away, and what a screen reader says."""

from __future__ import annotations

import time

import pytest

from principles import services as principles
from tests.e2e.pages import join
from workshops import services

pytestmark = [pytest.mark.browser]

PHONE = {"viewport": {"width": 360, "height": 740}}


def test_it_says_offline_within_2_seconds_and_shows_what_waits_under_yours(
    server, workshop, contexts
):
    from playwright.sync_api import expect

    ada = join(contexts, server, workshop, "Ada", **PHONE)
    ada.fill("#value-input", "equity")
    ada.press("#value-input", "Enter")
    expect(ada.locator("#my-values [data-testid=my-value]")).to_have_count(1)

    ada.context.set_offline(True)
    expect(ada.locator("#conn-status")).to_have_attribute("data-state", "offline", timeout=2000)
    expect(ada.locator("#conn-status")).to_have_text("Offline")
    ada.fill("#value-input", "resilience")
    ada.press("#value-input", "Enter")
    waiting = ada.locator("#my-values [data-testid=my-value-waiting]")
    expect(waiting).to_have_text("resilience waiting to send")
    expect(ada.locator("#conn-status")).to_have_text("Offline · 1 waiting to send")
    # The status fits in the header of a 360 px phone.
    box = ada.locator("#conn-status").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert ada.evaluate("document.documentElement.scrollWidth") <= 360

    ada.context.set_offline(False)
    expect(ada.locator("#conn-status")).to_have_attribute("data-state", "connected", timeout=10000)
    expect(waiting).to_have_count(0)
    expect(ada.locator("#my-values [data-testid=my-value]")).to_have_count(2)


def test_a_consent_round_opened_below_the_fold_is_brought_to_view(
    server, workshop, contexts, facilitator
):
    from playwright.sync_api import expect

    host = services.participant_join(workshop=workshop, user=facilitator)[0]
    for index in range(40):  # a cloud long enough to scroll past
        services.value_add(participant=host, text=f"a long value number {index}")
    ada = join(contexts, server, workshop, "Ada", **PHONE)
    principle = principles.principle_propose(
        participant=host, title="Assess fairly", body="", sources=[]
    )
    ada.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(ada.locator("#workshop-title")).not_to_be_in_viewport()
    principles.consent_open(participant=host, id=principle.data["id"])
    prompt = ada.locator("#jump-prompt")
    expect(prompt).to_be_visible()
    expect(prompt).to_contain_text("Consent round: Assess fairly")
    expect(ada.locator("#announcer")).to_contain_text("A consent round is open on Assess fairly.")
    prompt.click()
    expect(prompt).to_be_hidden()
    expect(ada.locator("#consent-panel")).to_be_in_viewport()
    expect(ada.locator("#consent-panel")).to_be_focused()


def test_a_few_new_values_are_read_by_their_words(server, workshop, contexts):
    earlier = services.participant_join(workshop=workshop, name="Bea")[0]
    page = join(contexts, server, workshop)
    page.evaluate(
        """() => {
            window.announced = [];
            const region = document.getElementById("announcer");
            new MutationObserver(() => window.announced.push(region.textContent))
                .observe(region, {childList: true, characterData: true, subtree: true});
        }"""
    )
    for text in ("equity", "care", "trust"):
        services.value_add(participant=earlier, text=text)
    page.wait_for_function("() => window.announced.length > 0")
    time.sleep(1.5)
    assert [t for t in page.evaluate("window.announced") if t] == [
        "3 new values: equity, care, trust"
    ]
    services.value_add(participant=earlier, text="openness")
    page.wait_for_function("() => window.announced.length > 1", timeout=8000)
    assert page.evaluate("window.announced").pop() == "New value: openness"


def test_five_statement_cards_fit_a_phone_and_remove_stays_one_word(
    server, workshop, contexts, facilitator
):
    from playwright.sync_api import expect

    host = services.participant_join(workshop=workshop, user=facilitator)[0]
    ada = join(contexts, server, workshop, "Ada", viewport={"width": 360, "height": 640})
    ada.fill("#value-input", "a value long enough to wrap onto a second line here")
    ada.press("#value-input", "Enter")
    remove = ada.locator("#my-values .remove-mine").first
    expect(remove).to_be_visible()
    line = ada.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.remove-mine')).lineHeight)"
    )
    assert remove.bounding_box()["height"] < 2 * line + 16  # one line of text, and its padding
    mine = ada.locator("#values-cloud .cloud__item.is-mine .cloud__text").first
    assert mine.evaluate("n => getComputedStyle(n).textDecorationLine") == "none"

    services.phase_close(participant=host, phase="values")
    services.phase_open(participant=host, phase="statements")
    for activity in ("assessment", "recognition", "peer review", "badges", "portfolios"):
        services.statement_add(participant=host, activity=activity, value="equity")
    cards = ada.locator("#statements-list [data-testid=statement]")
    expect(cards).to_have_count(5)
    top = cards.nth(0).bounding_box()["y"]
    bottom = cards.nth(4).bounding_box()
    assert bottom["y"] + bottom["height"] - top <= 640
