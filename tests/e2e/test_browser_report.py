"""The report and the replay in a real browser, against a real daphne server.

Stable selectors (keep them when restyling):
Report /facilitate/CODE/report/ and /r/CODE/KEY/
  #report-title, #report-figures, svg.values-chart, #values-table, #report-print,
  #report-share (make or renew the link), #report-share-url, #report-unshare
Replay /facilitate/CODE/replay/
  #main[data-ready], #replay-play, .replay-speed__btn[data-speed=N], #replay-scrubber,
  #replay-time, #replay-progress, #replay-cloud [data-testid=replay-value],
  #replay-statements [data-testid=replay-statement]
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import fill_sign_in
from workshops.demo import TITLE, demo_workshop_ensure

pytestmark = [pytest.mark.browser]

STATEMENT = "What might assessment look like as a practice of equity?"


@pytest.fixture
def demo(facilitator):
    return demo_workshop_ensure(facilitator)


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context, server, demo):
    page = context.new_page()
    page.on("console", lambda message: print(f"[console] {message.type}: {message.text}"))
    page.goto(f"{server.url}/accounts/login/")
    fill_sign_in(page)
    return page


def pdf_title(pdf: bytes) -> str:
    """The document title Chromium writes into the PDF's info dictionary."""
    match = re.search(rb"/Title\s*(<[0-9A-Fa-f]+>|\((?:[^()\\]|\\.)*\))", pdf)
    assert match, "the PDF has no title"
    raw = match.group(1)
    if raw.startswith(b"<"):
        data = bytes.fromhex(raw[1:-1].decode())
        return data[2:].decode("utf-16-be") if data[:2] == b"\xfe\xff" else data.decode("latin-1")
    return raw[1:-1].decode("latin-1")


def test_it_prints_the_report_to_a_paged_pdf(page, server, demo):
    page.goto(f"{server.url}/facilitate/{demo.code}/report/")
    assert page.locator("#report-title").inner_text() == TITLE
    assert page.locator("svg.values-chart").is_visible()
    assert page.locator("#values-table tbody tr").count() == 9
    assert page.get_by_text(STATEMENT).first.is_visible()

    page.emulate_media(media="print")
    assert not page.locator("#report-print").is_visible()  # tools are not printed
    assert not page.locator("#share").is_visible()
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    # The parts follow one another (the outcome under the cover): no forced page breaks
    # leaving pages half empty, as the cover and then each part on its own page did (4).
    assert 1 <= pages <= 3
    assert TITLE in pdf_title(pdf)


def test_it_shares_the_report_by_a_link_it_can_revoke(page, browser, server, demo):
    page.goto(f"{server.url}/facilitate/{demo.code}/report/")
    page.click("#report-share")
    link = page.locator("#report-share-url").input_value()
    assert link.startswith(f"{server.url}/r/{demo.code}/")

    stranger = browser.new_context()
    try:
        shared = stranger.new_page()
        response = shared.goto(link)
        assert response is not None and response.status == 200
        assert shared.locator("#report-title").inner_text() == TITLE
        assert shared.get_by_text(STATEMENT).first.is_visible()
        assert shared.locator("form, #report-print, #report-share").count() == 0

        page.click("#report-unshare")
        page.wait_for_selector("#report-share-url", state="detached")
        response = shared.goto(link)
        assert response is not None and response.status == 404
    finally:
        stranger.close()


def test_it_replays_the_session(page, server, demo):
    page.goto(f"{server.url}/facilitate/{demo.code}/replay/")
    page.wait_for_selector("#main[data-ready=true]")
    values = page.locator("#replay-cloud [data-testid=replay-value]")
    assert values.count() == 0
    assert page.locator("#replay-progress").inner_text().startswith("0 /")

    page.click(".replay-speed__btn[data-speed='64']")
    assert page.get_attribute(".replay-speed__btn[data-speed='64']", "aria-pressed") == "true"
    page.click("#replay-play")
    values.first.wait_for()
    page.wait_for_selector("#replay-play[data-state=ended]", timeout=15_000)
    total = page.locator("#replay-progress").inner_text()
    done, of = (int(n) for n in total.split("/"))
    assert done == of > 0
    assert values.count() == 9
    assert page.locator("#replay-cloud").get_by_text("equity", exact=True).is_visible()
    assert page.locator("#replay-statements").get_by_text(STATEMENT).is_visible()
    assert re.search(r"\d{1,2}:\d{2}:\d{2}", page.locator("#replay-time").inner_text())

    # Back to the start with the scrubber: the cloud empties again.
    page.eval_on_selector(
        "#replay-scrubber", "s => { s.value = '0'; s.dispatchEvent(new Event('input')); }"
    )
    assert values.count() == 0
    assert page.locator("#replay-progress").inner_text().startswith("0 /")


def test_a_workshop_made_in_the_browser_tells_times_in_the_browsers_zone(browser, server, demo):
    from workshops.models import Workshop

    context = browser.new_context(timezone_id="America/Toronto")
    page = context.new_page()
    page.goto(f"{server.url}/accounts/login/")
    fill_sign_in(page)
    page.goto(f"{server.url}/facilitate/")
    page.fill("#id_title", "Toronto morning")
    page.click("#create-form button[type=submit]")
    page.wait_for_url(re.compile(r"/facilitate/[A-Z0-9]{6}/$"))
    context.close()
    assert Workshop.objects.get(title="Toronto morning").time_zone == "America/Toronto"
