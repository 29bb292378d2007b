"""The facilitator's message to the room, and the timer, in real browsers: four people at
two tables and the projector read the same line at once; a phone may put it away; a late
joiner sees it; the projector's ending lists the links given to the room.

Stable selectors: control room #message-text, #message-send, #message-shown-text,
#message-clear, #message-error; participant #room-message [data-testid=room-message],
#room-message-box, #room-message-text, #room-message-dismiss, #phase-timer; projector
#screen-message-box
[data-testid=screen-message], #screen-message-text, #screen-timer, #screen-materials
[data-testid=screen-material] (.screen-material__title, .screen-material__url,
.screen-material__qr), #screen-materials-more.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import join, sign_in
from tests.e2e.test_browser_a11y import axe_violations
from workshops import services

pytestmark = [pytest.mark.browser]

FIVE_LEFT = "Five minutes left: pick your table's top two"


def test_a_message_and_the_timer_reach_every_table_and_the_projector(
    server, workshop, host, contexts
):
    from playwright.sync_api import expect

    people = {name: join(contexts, server, workshop, name) for name in ("Ada", "Bob", "Cy", "Di")}
    screen = sign_in(contexts, server, width=1600, height=900)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    screen.wait_for_selector("#conn-status[data-state=connected]")
    services.tables_form(participant=host, count=2)
    for page in people.values():
        expect(page.locator("#table-panel")).to_be_visible()
    seats = [page.locator("[data-testid=my-table]").inner_text() for page in people.values()]
    assert sorted(seats) == ["Table 1", "Table 1", "Table 2", "Table 2"]

    control = sign_in(contexts, server)
    control.goto(f"{server.url}/facilitate/{workshop.code}/")
    control.wait_for_selector("#conn-status[data-state=connected]")
    control.fill("#timer-minutes-values", "5")
    control.click("#timer-start-values")
    control.click("#message-send")  # nothing written: said so, nothing sent
    expect(control.locator("#message-error")).to_have_text("Write the message first.")
    control.fill("#message-text", FIVE_LEFT)
    control.click("#message-send")
    expect(control.locator("#message-shown-text")).to_have_text(FIVE_LEFT)
    expect(control.locator("#message-text")).to_have_value("")
    for page in people.values():  # at both tables, the same countdown and the same line
        expect(page.locator("#phase-timer")).to_have_text(re.compile(r"^(5:00|4:5\d) left$"))
        expect(page.locator("#room-message-text")).to_have_text(FIVE_LEFT)
        expect(page.locator("#room-message [role=status]")).to_contain_text(FIVE_LEFT)
    expect(screen.locator("#screen-timer")).to_have_text(re.compile(r"^(5:00|4:5\d)$"))
    expect(screen.locator("#screen-message-text")).to_have_text(FIVE_LEFT)
    ada = people["Ada"]
    assert axe_violations(ada) == [], "a phone with the facilitator's message"

    # Ada puts it away: gone from her phone, after a reload too; the others still read it.
    ada.click("#room-message-dismiss")
    expect(ada.locator("#room-message-box")).to_be_hidden()
    expect(ada.locator("#room-message-dismiss")).to_be_hidden()
    assert ada.evaluate("document.activeElement.id") == "workshop-title"
    ada.reload()
    ada.wait_for_selector("#conn-status[data-state=connected]")
    expect(ada.locator("#phase-timer")).to_be_visible()
    expect(ada.locator("#room-message-box")).to_be_hidden()
    expect(people["Bob"].locator("#room-message-text")).to_have_text(FIVE_LEFT)

    # Someone who joins late is seated and reads the message from the welcome's state.
    late = join(contexts, server, workshop, "Eve")
    expect(late.locator("#table-panel")).to_be_visible()
    expect(late.locator("#room-message-text")).to_have_text(FIVE_LEFT)

    # A new message shows again on Ada's phone; clearing takes it off every screen.
    services.message_send(participant=host, text="Back to the room, please")
    expect(ada.locator("#room-message-text")).to_have_text("Back to the room, please")
    control.click("#message-clear")
    expect(control.locator("#message-shown")).to_be_hidden()
    control.locator("#audit summary").click()  # the facilitation log says who sent what
    entries = control.locator("#audit-list [data-testid=audit-entry]")
    sent = entries.filter(has_text=f"sent everyone the message “{FIVE_LEFT}”")
    expect(sent).to_contain_text("You")  # the facilitator on this page sent it
    expect(entries.filter(has_text="took the message off every screen")).to_have_count(1)
    for page in [*people.values(), late]:
        expect(page.locator("#room-message-box")).to_be_hidden()
    expect(screen.locator("#screen-message-box")).to_be_hidden()


def test_the_projectors_ending_lists_the_links_with_their_qr_codes(
    server, workshop, host, contexts
):
    from playwright.sync_api import expect

    links = [
        ("Slides", "https://example.org/slides.pdf"),
        ("Recording", "https://video.example.org/watch?v=Xy12AbC"),
        ("Declaration", "https://example.org/declaration/"),
        ("Reading list", "https://example.org/reading"),
    ]
    for title, url in links:
        services.material_add(participant=host, title=title, url=url)
    screen = sign_in(contexts, server, width=1600, height=900)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    screen.wait_for_selector("#conn-status[data-state=connected]")
    expect(screen.locator("#screen-materials")).to_be_hidden()  # the ending's, not the live one's
    services.message_send(participant=host, text=FIVE_LEFT)
    expect(screen.locator("#screen-message-text")).to_have_text(FIVE_LEFT)

    services.session_end(participant=host, share_report=False)
    materials = screen.locator("#screen-materials [data-testid=screen-material]")
    expect(materials).to_have_count(3)  # a row of three; the fourth is counted
    expect(materials.locator(".screen-material__title")).to_have_text(
        ["Slides", "Recording", "Declaration"]
    )
    expect(materials.locator(".screen-material__url")).to_have_text(
        ["example.org/slides.pdf", "video.example.org/watch?v=Xy12AbC", "example.org/declaration"]
    )
    expect(screen.locator("#screen-materials-more")).to_have_text("1 more link on every phone")
    expect(screen.locator("#screen-message-box")).to_be_hidden()  # the ending took it off
    qr = materials.first.locator(".screen-material__qr")
    expect(qr).to_have_attribute("alt", "QR code of the link Slides")
    screen.wait_for_function(
        "() => [...document.querySelectorAll('.screen-material__qr')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 72, "a code too small to scan"
    # Everything fits: the links end above the bottom of the screen.
    last = screen.locator("#screen-materials").bounding_box()
    assert last is not None and last["y"] + last["height"] <= 900
    assert axe_violations(screen) == [], "projector's ending with links"
