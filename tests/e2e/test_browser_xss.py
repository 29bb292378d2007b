"""The classic payloads, typed into every field, show as text on every screen."""

from __future__ import annotations

import pytest

from principles import services as principle_services
from tests.e2e.pages import fill_sign_in
from workshops import services

pytestmark = [pytest.mark.browser]

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '"><svg onload=window.__xss=1>',
    "javascript:window.__xss=1",
    "<b>bold</b>{{7*7}}",
]


@pytest.fixture
def poisoned(facilitator):
    """A workshop where every field a person can type holds a payload."""
    workshop = services.workshop_create(
        title=PAYLOADS[0], description=PAYLOADS[1], facilitator=facilitator
    )
    host = services.participant_join(workshop=workshop, user=facilitator)[0]
    services.phase_open(participant=host, phase="statements")
    services.phase_open(participant=host, phase="principles")
    sources = []
    for n, payload in enumerate(PAYLOADS):
        person = services.participant_join(workshop=workshop, name=payload[:60])[0]
        services.value_add(participant=person, text=payload[:80])
        event = services.statement_add(
            participant=person, activity=payload[:80], value=PAYLOADS[n - 1][:80]
        )
        sources.append(event.data["id"])
    principle = principle_services.principle_propose(
        participant=host, title=PAYLOADS[2], body="\n".join(PAYLOADS), sources=sources[:2]
    )
    principle_services.consent_open(participant=host, id=principle.data["id"])
    person = services.participant_join(workshop=workshop, name="Reasoner")[0]
    principle_services.consent_place(
        participant=person, id=principle.data["id"], level="cannot", reason=PAYLOADS[1]
    )
    return workshop


def assert_inert(page):
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src=x], svg[onload], script:not([src]):not([type])").count() == 0
    assert page.locator("b", has_text="bold").count() == 0


def test_no_payload_runs_on_any_page(browser, server, poisoned):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{server.url}/j/{poisoned.code}/")
    page.fill("#join-name", PAYLOADS[4])
    page.click("#join-button")
    page.wait_for_selector("#conn-status[data-state=connected]")
    page.wait_for_timeout(500)
    assert "<script>window.__xss=1</script>" in page.inner_text("body")
    assert_inert(page)

    page.goto(f"{server.url}/accounts/login/")
    fill_sign_in(page)
    assert_inert(page)
    for path in ["screen/", ""]:
        url = (
            f"{server.url}/j/{poisoned.code}/{path}"
            if path
            else (f"{server.url}/facilitate/{poisoned.code}/")
        )
        page.goto(url)
        page.wait_for_selector("#conn-status[data-state=connected]")
        page.wait_for_timeout(500)
        assert_inert(page)
    for path in ["report/", "replay/"]:
        page.goto(f"{server.url}/facilitate/{poisoned.code}/{path}")
        page.wait_for_load_state("networkidle")
        assert_inert(page)
    assert errors == []
    context.close()
