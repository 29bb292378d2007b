"""The control room's consent record in a real browser: every round on every principle,
with every reason at any level, from the first paint (state and history) and live.

Stable selectors: #consent-record-card, #consent-record, .consent-record__principle,
.consent-record__round, .consent-record__round-title, .consent-record__reasons li.
"""

from __future__ import annotations

import pytest

from principles import services as principle_services
from tests.e2e.pages import log_console, sign_in
from workshops import services

pytestmark = [pytest.mark.browser]


def test_the_control_room_keeps_every_consent_round_and_every_reason(
    server, workshop, host, ada, bob, contexts
):
    from playwright.sync_api import expect

    services.phase_open(participant=host, phase="principles")
    pid = principle_services.principle_propose(participant=host, title="Open by default").data["id"]
    principle_services.consent_open(participant=host, id=pid)
    principle_services.consent_place(
        participant=ada, id=pid, level="reservations", reason="Who pays for hosting?"
    )
    principle_services.consent_close(participant=host, id=pid)
    principle_services.consent_open(participant=host, id=pid)

    page = log_console(sign_in(contexts, server), "control")
    page.goto(f"{server.url}/facilitate/{workshop.code}/")
    page.wait_for_selector("#conn-status[data-state=connected]")
    rounds = page.locator("#consent-record .consent-record__round")
    expect(rounds).to_have_count(2)
    expect(rounds.nth(0)).to_contain_text("Round 1 · closed · 1 response")
    expect(rounds.nth(0)).to_contain_text("Support with reservations: Who pays for hosting?")
    expect(rounds.nth(1)).to_contain_text("Round 2 · open · 0 responses")

    # Live: a call for discussion, with its reason, reaches the record at once.
    principle_services.consent_place(
        participant=bob, id=pid, level="discuss", reason="Ask the learners first"
    )
    expect(rounds.nth(1)).to_contain_text("Need more discussion: Ask the learners first")
    expect(rounds.nth(1)).to_contain_text("Round 2 · open · 1 response")
