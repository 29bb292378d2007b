"""The control room as a facilitator drives it during a session, at 1366x768."""

from __future__ import annotations

import json

import pytest

from tests.e2e.pages import join, sign_in
from workshops import services

pytestmark = [pytest.mark.browser]


def control_room(new_context, server, workshop, width=1366, height=768):
    page = sign_in(new_context, server, width=width, height=height)
    page.goto(f"{server.url}/facilitate/{workshop.code}/")
    page.wait_for_selector("#conn-status[data-state=connected]")
    return page


def commands_sent(page) -> list[dict]:
    """Record every command frame the page's socket sends from now on."""
    sent: list[dict] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framesent", lambda payload: sent.append(json.loads(payload))),
    )
    return sent


def test_hiding_a_card_of_25_duplicates_is_one_command(server, workshop, contexts):
    from playwright.sync_api import expect

    spammer = services.participant_join(workshop=workshop, name="Spam")[0]
    for _ in range(25):
        services.value_add(participant=spammer, text="buy my course")
    services.value_add(participant=spammer, text="equity")
    ada = join(contexts, server, workshop, "Ada")
    page = sign_in(contexts, server, width=1366, height=768)
    sent = commands_sent(page)
    page.goto(f"{server.url}/facilitate/{workshop.code}/")
    page.wait_for_selector("#conn-status[data-state=connected]")
    card = page.locator("#control-values [data-testid=control-value]", has_text="buy my course")
    expect(card).to_contain_text("25 times")
    card.locator(".hide-button").click()

    expect(ada.locator("#values-cloud .cloud__text", has_text="buy my course")).to_have_count(0)
    expect(page.locator("#hidden-list [data-testid=hidden-item]")).to_have_count(25)
    expect(page.locator("#values-error")).to_have_text("")
    hides = [frame for frame in sent if frame["type"].endswith(".hide")]
    assert [(f["type"], len(f["ids"])) for f in hides] == [("values.hide", 25)]
    expect(ada.locator("#values-cloud .cloud__text", has_text="equity")).to_have_count(1)


def test_a_misspelt_statement_is_merged_with_its_votes(server, workshop, contexts, facilitator):
    from playwright.sync_api import expect

    host = services.participant_join(workshop=workshop, user=facilitator)[0]
    services.phase_open(participant=host, phase="statements")
    ada = services.participant_join(workshop=workshop, name="Ada")[0]
    good = services.statement_add(participant=ada, activity="assessment", value="equity")
    typo = services.statement_add(participant=ada, activity="assesment", value="equity")
    for target in (good, typo, typo):
        services.vote_cast(participant=ada, target={"kind": "statement", "id": target.data["id"]})
    page = control_room(contexts, server, workshop)
    cards = page.locator("#control-statements [data-testid=control-statement]")
    expect(cards).to_have_count(2)
    misspelt = cards.filter(has_text="assesment")
    misspelt.locator(".merge-toggle").click()
    misspelt.locator(".merge-form select").select_option(index=0)
    misspelt.get_by_role("button", name="Merge", exact=True).click()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("What might assessment look like as a practice of equity?")
    expect(cards.first).to_contain_text("3 votes")


def test_the_phase_its_timer_and_the_moderated_feed_share_the_first_screen(
    server, workshop, contexts
):
    from playwright.sync_api import expect

    spammer = services.participant_join(workshop=workshop, name="Spam")[0]
    for index in range(40):
        services.value_add(participant=spammer, text=f"value {index}")
    page = control_room(contexts, server, workshop)
    page.fill("#timer-minutes-values", "3")
    page.click("#timer-start-values")
    for visible in (
        "#phase-list [data-phase=values] .phase-row__name",
        "#phase-timer-values",
        "#phase-close-values",
        "#control-values [data-testid=control-value] >> nth=0",
        "#control-values [data-testid=control-value] >> nth=0 >> .hide-button",
        "#moderation-heading",
        "#statements-heading",
    ):
        expect(page.locator(visible)).to_be_in_viewport()
    assert page.evaluate("window.scrollY") == 0
    # The rest is one click away, by keyboard too: the section links stay on screen.
    page.locator(".control-nav a[href='#people']").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#people-heading")).to_be_in_viewport()
    expect(page.locator(".control-nav")).to_be_in_viewport()
    expect(page.locator("#open-report")).to_have_attribute(
        "href", f"/facilitate/{workshop.code}/report/"
    )
    expect(page.locator("#open-replay")).to_have_attribute(
        "href", f"/facilitate/{workshop.code}/replay/"
    )


def test_with_two_phases_open_it_says_which_one_people_see(server, workshop, contexts):
    from playwright.sync_api import expect

    page = control_room(contexts, server, workshop)
    expect(page.locator("#phase-on-screen")).to_have_text("People see “Values”.")
    page.click("#phase-open-statements")
    title = page.locator("#phase-list [data-phase=statements] .phase-row__name").inner_text()
    expect(page.locator("#phase-on-screen")).to_contain_text(f"People see “{title}”.")
    expect(page.locator("#phase-on-screen")).to_contain_text(
        "is open too, but not on their screens"
    )
    expect(page.locator("#phase-list [data-phase=values] .phase-status")).to_contain_text(
        "not shown to people"
    )
    expect(page.locator("#phase-list [data-phase=statements] .phase-status")).to_contain_text(
        "people see this"
    )


def test_an_activity_a_participant_typed_is_removed_from_every_phone_for_good(
    server, workshop, contexts, facilitator
):
    from playwright.sync_api import expect

    host = services.participant_join(workshop=workshop, user=facilitator)[0]
    services.phase_close(participant=host, phase="values")
    services.phase_open(participant=host, phase="statements")
    troll = services.participant_join(workshop=workshop, name="Troll")[0]
    services.statement_add(participant=troll, activity="Lurking", value="equity")
    services.statement_add(participant=troll, activity="lurking", value="care")
    services.statement_add(participant=troll, activity="mentoring", value="care")
    ada = join(contexts, server, workshop, "Ada")
    chips = ada.locator("#activity-chips button")
    expect(chips.filter(has_text="Lurking")).to_have_count(1)

    page = sign_in(contexts, server, width=1366, height=768)
    sent = commands_sent(page)
    page.goto(f"{server.url}/facilitate/{workshop.code}/")
    page.wait_for_selector("#conn-status[data-state=connected]")
    typed = page.locator("#typed-activities [data-testid=typed-activity]")
    # The facilitator's own suggestions are theirs to edit in the wording; only typed ones.
    expect(typed).to_have_count(2)
    lurking = typed.filter(has_text="Lurking")
    expect(lurking).to_contain_text("in 2 statements")
    lurking.get_by_role("button", name="Remove the activity “Lurking”").click()

    expect(chips.filter(has_text="Lurking")).to_have_count(0)
    expect(chips.filter(has_text="mentoring")).to_have_count(1)
    expect(ada.locator("#statements-list", has_text="Lurking")).to_have_count(0)
    expect(typed).to_have_count(1)
    expect(page.locator("#statements-error")).to_have_text("")
    assert [f["type"] for f in sent if f["type"].startswith("activity.")] == ["activity.remove"]

    # Typed again, it waits for approval: the room is not offered it behind the host's back.
    services.statement_add(participant=troll, activity="LURKING", value="trust")
    expect(page.locator("#pending-list", has_text="LURKING")).to_have_count(1)
    # And a phone that reloads (a fresh state, then the log) never receives the word.
    received: list[str] = []
    ada.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(frame)))
    ada.reload()
    ada.wait_for_selector("#conn-status[data-state=connected]")
    expect(chips.filter(has_text="mentoring")).to_have_count(1)
    assert received and not any("lurking" in str(frame).lower() for frame in received)
