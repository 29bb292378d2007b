"""The ending in a real browser: the facilitator ends the session from the control room;
the projector, each phone and the replay then show the same outcome.

Stable selectors: control room #session-share-report, #session-end-button,
#session-reopen-button; projector #screen-outcome, #screen-report-url; phone
#ending-panel, #ending-report; replay #replay-outcome. In each outcome:
[data-testid=outcome-principle] (.outcome-principle__number, .outcome-principle__title,
.outcome-principle__status), [data-testid=outcome-source], [data-testid=outcome-value].
"""

from __future__ import annotations

import pytest

from principles import services as principle_services
from tests.e2e.pages import join, sign_in
from tests.e2e.test_browser_a11y import axe_violations
from workshops import services

pytestmark = [pytest.mark.browser]


def seed_outcome(workshop, host):
    """Values, two statements, one agreed principle from them and one left in draft."""
    ada = services.participant_join(workshop=workshop, name="Ada")[0]
    for text in ("equity", "care", "equity", "trust", "equity", "care"):
        services.value_add(participant=ada, text=text)
    services.phase_open(participant=host, phase="statements")
    sources = [
        services.statement_add(participant=ada, activity=activity, value=value).data["id"]
        for activity, value in (("assessment", "equity"), ("peer review", "care"))
    ]
    agreed = principle_services.principle_propose(
        participant=host, title="Assess to include", sources=sources
    ).data["id"]
    principle_services.principle_propose(participant=host, title="Still a draft")
    principle_services.principle_finalize(participant=host, id=agreed)


def assert_outcome(page, prefix):
    from playwright.sync_api import expect

    outcome = page.locator(f"#{prefix}-outcome")
    expect(outcome).to_be_visible()
    principle = outcome.locator("[data-testid=outcome-principle]")
    expect(principle).to_have_count(1)  # the agreed one; the draft is not the outcome
    expect(principle.locator(".outcome-principle__title")).to_have_text("Assess to include")
    expect(principle.locator(".outcome-principle__number")).to_have_text("1")
    expect(principle.locator(".outcome-principle__status")).to_have_text("Agreed")
    expect(principle.locator("[data-testid=outcome-source]")).to_have_count(2)
    expect(outcome.locator("[data-testid=outcome-value] .outcome-value__text")).to_have_text(
        ["equity", "care", "trust"]
    )


def test_the_ending_shows_the_outcome_on_projector_phone_and_replay(
    server, workshop, host, contexts
):
    from playwright.sync_api import expect

    seed_outcome(workshop, host)
    phone = join(contexts, server, workshop)
    screen = sign_in(contexts, server, width=1600, height=900)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    screen.wait_for_selector("#conn-status[data-state=connected]")
    control = sign_in(contexts, server)
    control.on("dialog", lambda dialog: dialog.accept())
    control.goto(f"{server.url}/facilitate/{workshop.code}/")
    control.wait_for_selector("#conn-status[data-state=connected]")
    control.check("#session-share-report")
    control.click("#session-end-button")
    expect(control.locator("#session-reopen-button")).to_be_visible()

    workshop.refresh_from_db()
    report = f"/r/{workshop.code}/{workshop.report_key}/"
    assert_outcome(screen, "screen")
    expect(screen.locator("#screen-prompt")).to_have_text("Thank you for taking part!")
    expect(screen.locator("#screen-report-url")).to_contain_text(
        f"127.0.0.1:{server.port}{report}".rstrip("/")
    )
    expect(screen.locator("#screen-qr")).to_be_visible()
    expect(screen.locator("#screen-stage")).to_be_hidden()

    assert_outcome(phone, "ending")
    expect(phone.locator("#statement-panel")).to_be_hidden()
    expect(phone.locator("#ending-report")).to_have_attribute("href", report)
    assert axe_violations(screen) == [], "projector's ending"
    assert axe_violations(phone) == [], "phone's ending"
    phone.click("#ending-report")
    expect(phone.locator("h1")).to_contain_text(workshop.title)

    # Someone who joins afterwards gets the same ending from the state.
    late = join(contexts, server, workshop, name="Late")
    assert_outcome(late, "ending")

    replay = sign_in(contexts, server, width=1366, height=768)
    replay.goto(f"{server.url}/facilitate/{workshop.code}/replay/")
    replay.wait_for_selector("#main[data-ready=true]")
    replay.evaluate(
        """() => { const s = document.getElementById('replay-scrubber');
                   s.value = s.max; s.dispatchEvent(new Event('input')); }"""
    )
    assert_outcome(replay, "replay")
    expect(replay.locator("#replay-prompt")).to_have_text("Thank you for taking part!")
    assert axe_violations(replay) == [], "replay's ending"


def test_without_sharing_the_phones_get_no_report_link_and_reopening_returns(
    server, workshop, host, contexts
):
    from playwright.sync_api import expect

    seed_outcome(workshop, host)
    phone = join(contexts, server, workshop)
    services.session_end(participant=host)
    assert_outcome(phone, "ending")
    expect(phone.locator("#ending-report-wrap")).to_be_hidden()
    services.session_reopen(participant=host)
    expect(phone.locator("#ending-panel")).to_be_hidden()
    services.phase_open(participant=host, phase="values")
    expect(phone.locator("#values-panel")).to_be_visible()
