"""An ideas phase in real browsers: the facilitator adds and opens it with columns, two
participants add cards and answer one, the facilitator hides one, the projector shows
the columns side by side.

Stable selectors:
  participant: #ideas-panel, #idea-input, #idea-buttons .idea-add[data-column=KEY],
    #idea-wall [data-testid=idea-column][data-column=KEY] [data-testid=idea], .idea-answer,
    #idea-answering
  control room: #phase-add-kind, #phase-add-columns, #control-ideas [data-testid=control-idea]
  projector: #screen-ideas [data-testid=idea-column]
"""

from __future__ import annotations

import pytest

from tests.e2e.pages import join, sign_in

pytestmark = [pytest.mark.browser]


def add_idea(page, text: str, button: str) -> None:
    page.fill("#idea-input", text)
    page.click(f"#idea-buttons {button}")


def test_a_wall_of_ideas_runs_from_the_control_room_to_the_projector(server, workshop, contexts):
    from playwright.sync_api import expect

    control = sign_in(contexts, server)
    control.goto(f"{server.url}/facilitate/{workshop.code}/")
    control.click("#phase-add summary")
    control.select_option("#phase-add-kind", "ideas")
    control.fill("#phase-add-title", "What, so what, now what")
    control.fill("#phase-add-columns", "What?\nSo what?\nNow what?")
    control.click("#phase-add-submit")
    control.click("#phase-close-values")
    control.click("#phase-open-ideas")

    screen = sign_in(contexts, server, width=1600)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    ada = join(contexts, server, workshop, "Ada")
    bob = join(contexts, server, workshop, "Bob")

    # One tap per column: the buttons say where the card goes.
    expect(ada.locator("#idea-buttons .idea-add")).to_have_text(
        ["Add to What?", "Add to So what?", "Add to Now what?"]
    )
    add_idea(ada, "Half the room joined late", ".idea-add[data-column=what]")
    add_idea(bob, "Start on time next week", ".idea-add[data-column=now-what]")
    # Typed while the first is on its way: neither is lost.
    add_idea(bob, "Something rude", ".idea-add[data-column=so-what]")

    what = bob.locator("#idea-wall [data-testid=idea-column][data-column=what]")
    card = what.locator("[data-testid=idea]", has_text="Half the room joined late")
    expect(card).to_have_count(1, timeout=2000)

    # Answering a card is one tap on it; the answer sits under it, in its column.
    card.locator(".idea-answer").first.click()
    expect(bob.locator("#idea-answering")).to_contain_text("Half the room joined late")
    expect(bob.locator("#idea-buttons .idea-add")).to_have_text(["Add answer"])
    add_idea(bob, "The link came late", ".idea-add")
    answer = ada.locator(
        "#idea-wall [data-column=what] .idea-card__answers [data-testid=idea]",
        has_text="The link came late",
    )
    expect(answer).to_have_count(1, timeout=2000)
    expect(bob.locator("#idea-answering")).to_be_hidden()

    # The facilitator hides one from the live feed: gone from every phone and the screen.
    rude = control.locator("#control-ideas [data-testid=control-idea]", has_text="Something rude")
    rude.locator(".hide-button").click()
    for page in (ada, bob):
        expect(page.locator("#idea-wall", has_text="Something rude")).to_have_count(0)
    expect(screen.locator("#screen-ideas", has_text="Something rude")).to_have_count(0)

    # The projector: three columns side by side, the answer under its card.
    columns = screen.locator("#screen-ideas [data-testid=idea-column]")
    expect(columns.locator(".idea-column__title")).to_have_text(["What?", "So what?", "Now what?"])
    boxes = [columns.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert abs(boxes[0]["y"] - boxes[2]["y"]) < 2
    answers = columns.nth(0).locator(".idea-card__answers").first
    expect(answers).to_contain_text("The link came late")
    expect(columns.nth(2)).to_contain_text("Start on time next week")
    expect(screen.locator("#screen-ideas button")).to_have_count(0)
