"""The facilitator's choices around consent, seen from the control room and the projector:
finalizing over an open round or objections is asked and said, and reasons go on the
projector only when the facilitator puts them there."""

from __future__ import annotations

import json

import pytest

from principles import services as principle_services
from tests.e2e.pages import join
from tests.e2e.test_browser_control_room import control_room
from tests.e2e.test_browser_projector import projector
from workshops import services

pytestmark = [pytest.mark.browser]


def room(workshop, host, names=("Ada", "Bob", "Cy")):
    services.phase_open(participant=host, phase="principles")
    return [services.participant_join(workshop=workshop, name=name)[0] for name in names]


def test_finalizing_over_an_open_round_with_objections_asks_first_and_says_why(
    server, workshop, host, contexts
):
    from playwright.sync_api import expect

    ada, bob, cy = room(workshop, host)
    pid = principle_services.principle_propose(participant=host, title="Open by default").data["id"]
    principle_services.consent_open(participant=host, id=pid)
    principle_services.consent_place(participant=ada, id=pid, level="full")
    principle_services.consent_place(participant=bob, id=pid, level="cannot", reason="Privacy")
    principle_services.consent_place(participant=cy, id=pid, level="cannot")
    screen = projector(contexts, server, workshop)
    page = control_room(contexts, server, workshop)
    sent: list[dict] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(json.loads(f))))
    page.reload()
    page.wait_for_selector("#conn-status[data-state=connected]")

    questions: list[str] = []
    answers = iter([False, True])

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept() if next(answers) else dialog.dismiss()

    page.on("dialog", answer)
    card = page.locator(f"#control-principles [data-principle='{pid}']")
    finalize = page.locator(f"#principle-finalize-{pid}")

    finalize.click()  # and "Cancel"
    assert len(questions) == 1
    assert "The consent round is still open." in questions[0]
    assert "2 people cannot support this." in questions[0]
    assert "Agreed with objections noted" in questions[0]
    page.wait_for_timeout(300)
    assert not [frame for frame in sent if frame["type"] == "principle.finalize"]
    expect(card.locator(".cp__status")).to_have_text("Draft")

    finalize.click()  # and "OK"
    expect(finalize).to_be_hidden()
    expect(card.locator(".cp__status")).to_have_text("Final")
    expect(page.locator("#principles-error")).to_have_text("")
    assert [f.get("confirm") for f in sent if f["type"] == "principle.finalize"] == [True]
    status = screen.locator("#screen-principles [data-testid=screen-principle]").locator(
        ".screen-principle__status"
    )
    expect(status).to_have_text("Agreed with objections noted")


def test_a_clear_round_is_finalized_without_a_question(server, workshop, host, contexts):
    from playwright.sync_api import expect

    (ada,) = room(workshop, host, names=("Ada",))
    pid = principle_services.principle_propose(participant=host, title="Credit every voice").data[
        "id"
    ]
    principle_services.consent_open(participant=host, id=pid)
    principle_services.consent_place(participant=ada, id=pid, level="reservations")
    principle_services.consent_close(participant=host, id=pid)
    page = control_room(contexts, server, workshop)
    questions: list[str] = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.click(f"#principle-finalize-{pid}")
    expect(page.locator(f"#principle-finalize-{pid}")).to_be_hidden()
    assert questions == []


def test_reasons_at_every_level_reach_the_projector_only_when_the_facilitator_shows_them(
    server, workshop, host, contexts
):
    from playwright.sync_api import expect

    ada, bob, _cy = room(workshop, host)
    pid = principle_services.principle_propose(participant=host, title="Open by default").data["id"]
    phone = join(contexts, server, workshop, "Dee")
    screen = projector(contexts, server, workshop)
    page = control_room(contexts, server, workshop)
    page.click(f"#consent-open-{pid}")
    expect(phone.locator("#consent-panel")).to_be_visible()
    expect(phone.locator("label[for=consent-reason]")).to_have_text(
        "Why? (optional) The facilitator sees it without your name, and may show it on the screen."
    )
    principle_services.consent_place(participant=ada, id=pid, level="full", reason="Yes, now")
    principle_services.consent_place(participant=bob, id=pid, level="discuss", reason="Whose data?")
    phone.fill("#consent-reason", "Not every record")
    phone.click("#consent-cannot")

    card = page.locator(f"#control-principles [data-principle='{pid}']")
    expect(card.locator(".cp__reasons .reason")).to_have_text(
        [
            "Full support: Yes, now",
            "Need more discussion: Whose data?",
            "Cannot support: Not every record",
        ]
    )
    expect(screen.locator("#screen-consent")).to_be_visible()
    expect(
        screen.locator("#screen-consent-bar [data-level=cannot] .consent-bar__count")
    ).to_have_text("1")
    reasons = screen.locator("#screen-consent-reasons li")
    expect(reasons).to_have_count(0)

    show = page.locator(f"#consent-reasons-show-{pid}")
    expect(show).to_have_text("Show reasons on the projector")
    show.click()
    expect(reasons.locator(".screen-consent__reason-text")).to_have_text(
        ["Yes, now", "Whose data?", "Not every record"]
    )
    expect(reasons.locator(".screen-consent__reason-level")).to_have_text(
        ["Full support:", "Need more discussion:", "Cannot support:"]
    )
    expect(screen.locator("#screen-consent")).not_to_contain_text("Dee")
    expect(screen.locator("#screen-consent")).not_to_contain_text("Bob")

    # They stay up for the discussion once the round is closed, until taken off.
    page.click(f"#consent-close-{pid}")
    expect(screen.locator("#screen-consent-eyebrow")).to_have_text("Consent round closed")
    expect(reasons).to_have_count(3)
    expect(show).to_have_text("Hide reasons from the projector")
    show.click()
    expect(reasons).to_have_count(0)
    expect(screen.locator("#screen-consent")).to_be_visible()
