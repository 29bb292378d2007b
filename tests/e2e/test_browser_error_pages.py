"""A mistyped workshop link in a real browser: the site's page, styled, with a way on."""

from __future__ import annotations

import pytest

from tests.e2e.pages import log_console

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize(
    ("lang", "title", "join"),
    [("en", "Page not found", "Join"), ("fr", "Page introuvable", "Rejoindre")],
)
def test_a_mistyped_link_shows_the_styled_404_with_the_join_form(
    server, workshop, contexts, lang, title, join
):
    from playwright.sync_api import expect

    page = log_console(
        contexts(locale=lang, extra_http_headers={"Accept-Language": lang}).new_page(), lang
    )
    response = page.goto(f"{server.url}/j/XXXXXX/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text(title)
    # The site's stylesheet applies: its background and its header, not a bare page.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(244, 245, 249)"
    expect(page.locator(".site-header .brand")).to_be_visible()
    page.fill("#join-code-form input[name=code]", workshop.code.lower())
    page.get_by_role("button", name=join, exact=True).click()
    page.wait_for_url(f"{server.url}/j/{workshop.code}/")
    expect(page.locator("#join-title")).to_have_text(workshop.title)
