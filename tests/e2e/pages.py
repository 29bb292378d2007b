"""Steps every browser test takes: join a workshop, sign in as the facilitator."""

from __future__ import annotations

import re

from tests.conftest import FACILITATOR_PASSWORD


def log_console(page, name):
    """Print what the page's console said, shown with a failure."""
    page.on("console", lambda message: print(f"[{name}] {message.type}: {message.text}"))
    page.on("pageerror", lambda error: print(f"[{name}] page error: {error}"))
    return page


def join(new_context, server, workshop, name="Ada", **context):
    """A participant's page, joined under `name` and connected."""
    page = log_console(new_context(**context).new_page(), name)
    page.goto(f"{server.url}/j/{workshop.code}/")
    page.fill("#join-name", name)
    page.click("#join-button")
    page.wait_for_selector("#conn-status[data-state=connected]")
    return page


def sign_in(new_context, server, width=1400, height=900, **context):
    """The facilitator's page, signed in and on /facilitate/."""
    page = log_console(
        new_context(viewport={"width": width, "height": height}, **context).new_page(), "alice"
    )
    page.goto(f"{server.url}/accounts/login/")
    fill_sign_in(page)
    return page


def fill_sign_in(page):
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", FACILITATOR_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/facilitate/$"))
