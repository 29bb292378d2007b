"""Accessibility in a real browser, against a real daphne server (WCAG 2.2 AA).

axe-core (vendored in tests/e2e/vendor, MPL-2.0) runs inside each main page; then what
axe cannot see: the participant flow by keyboard alone with a visible focus ring, grouped
live announcements, the cloud's list for screen readers, reduced motion, no sideways
scrolling at 360 px, and a projector readable from the back of the room.

Relies on the selectors listed in test_browser_live.py and test_browser_cocreation.py, and:
  #announcer (polite live region), #values-cloud (aria-hidden) + #values-list,
  #activity-chips .chip, #value-chips .chip, #workshop-title (focused after joining)
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from principles import services as principle_services
from principles.models import Principle
from tests.e2e.pages import join, sign_in
from workshops import services
from workshops.models import Statement

pytestmark = [pytest.mark.browser]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
LONG_WORD = "interoperability-of-micro-credentials-across-every-institution-we-know"


@pytest.fixture
def earlier(workshop):
    """Someone who joined before the browser did, and said a few things."""
    return services.participant_join(workshop=workshop, name="Earlier")[0]


def seed(workshop, host, earlier, *, statements=True, principle=False):
    for text in ("equity", "openness", "care", "equity", LONG_WORD):
        services.value_add(participant=earlier, text=text)
    if not statements:
        return
    services.phase_close(participant=host, phase="values")
    services.phase_open(participant=host, phase="statements")
    ids = [
        services.statement_add(participant=earlier, activity=activity, value=value).data["id"]
        for activity, value in [("assessment", "equity"), ("recognition", LONG_WORD)]
    ]
    if principle:
        services.phase_close(participant=host, phase="statements")
        services.phase_open(participant=host, phase="principles")
        event = principle_services.principle_propose(
            participant=host, title="Assessment serves equity", body="Why it matters.", sources=ids
        )
        principle_services.consent_open(participant=host, id=event.data["id"])


# ---------------------------------------------------------------------------- axe


SETTLED = """() => document.getAnimations().every((a) => a.playState !== "running"
    || a.effect.getComputedTiming().iterations === Infinity)"""


def wait_until(page, script: str, timeout: float = 5) -> None:
    """Poll a condition from here: wait_for_function would eval a string in the page,
    which its Content-Security-Policy forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {script}"
        time.sleep(0.1)


def settle(page) -> None:
    """Wait for the finite animations (things arriving) to end."""
    wait_until(page, SETTLED)


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core findings on the page as it is now."""
    settle(page)  # an item still fading in is not a contrast failure
    page.evaluate(AXE)  # page.evaluate is not bound by the page's Content-Security-Policy
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => `${v.impact} ${v.id}: ${v.help} at `
                    + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
        }"""
    )
    return found


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_axe_finds_nothing_serious_on_the_main_pages(
    server, workshop, host, earlier, contexts, lang
):
    from playwright.sync_api import expect

    seed(workshop, host, earlier)
    headers = {"locale": lang, "extra_http_headers": {"Accept-Language": lang}}
    visitor = contexts(**headers).new_page()
    visitor.goto(f"{server.url}/")
    assert axe_violations(visitor) == [], "home"
    visitor.goto(f"{server.url}/j/{workshop.code}/")
    assert axe_violations(visitor) == [], "join form"

    participant = join(contexts, server, workshop, **headers)
    participant.fill("#statement-activity", "co-creation")
    participant.fill("#statement-value", "care")
    participant.click("#statement-submit")
    expect(participant.locator("#statements-list [data-testid=statement]")).to_have_count(3)
    assert axe_violations(participant) == [], "participant page"

    facilitator = sign_in(contexts, server, **headers)
    assert axe_violations(facilitator) == [], "workshop list"
    facilitator.goto(f"{server.url}/facilitate/{workshop.code}/")
    facilitator.wait_for_selector("#conn-status[data-state=connected]")
    expect(
        facilitator.locator("#control-statements [data-testid=control-statement]")
    ).to_have_count(3)
    assert axe_violations(facilitator) == [], "control room"
    facilitator.goto(f"{server.url}/facilitate/{workshop.code}/report/")
    assert axe_violations(facilitator) == [], "report"
    facilitator.goto(f"{server.url}/facilitate/{workshop.code}/replay/")
    facilitator.wait_for_selector("#main[data-ready]")
    assert axe_violations(facilitator) == [], "replay"
    facilitator.set_viewport_size({"width": 1600, "height": 900})
    facilitator.goto(f"{server.url}/j/{workshop.code}/screen/")
    facilitator.wait_for_selector("#conn-status[data-state=connected]")
    expect(facilitator.locator("#screen-statements [data-testid=screen-statement]")).to_have_count(
        3
    )
    assert axe_violations(facilitator) == [], "projector"


def test_axe_finds_nothing_serious_during_a_consent_round(
    server, workshop, host, earlier, contexts
):
    seed(workshop, host, earlier, principle=True)
    participant = join(contexts, server, workshop)
    participant.wait_for_selector("#consent-panel:not([hidden])")
    participant.click("#consent-reservations")
    participant.wait_for_selector("#consent-reservations[aria-pressed=true]")
    assert axe_violations(participant) == []


def test_axe_finds_nothing_serious_on_projected_reasons_and_after_the_ending(
    server, workshop, host, earlier, contexts
):
    from playwright.sync_api import expect

    seed(workshop, host, earlier, principle=True)
    (principle,) = Principle.objects.filter(workshop=workshop)
    principle_services.consent_place(
        participant=earlier, id=principle.pk, level="cannot", reason="Not yet"
    )
    principle_services.consent_reasons_show(participant=host, id=principle.pk, shown=True)
    screen = sign_in(contexts, server, width=1600, height=900)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    expect(screen.locator("#screen-consent-reasons li")).to_have_count(1)
    assert axe_violations(screen) == [], "projector with the reasons shown"
    control = sign_in(contexts, server, width=1366, height=768)
    control.goto(f"{server.url}/facilitate/{workshop.code}/")
    control.wait_for_selector("#conn-status[data-state=connected]")
    assert axe_violations(control) == [], "control room during a round"

    principle_services.principle_finalize(participant=host, id=principle.pk, confirm=True)
    services.session_end(participant=host, share_report=True)
    participant = join(contexts, server, workshop)
    for page, prefix in ((participant, "ending"), (screen, "screen")):
        expect(page.locator(f"#{prefix}-outcome")).to_be_visible()
    assert axe_violations(participant) == [], "the phone's outcome"
    assert axe_violations(screen) == [], "the projector's outcome"
    expect(control.locator("#session-reopen-button")).to_be_visible()
    assert axe_violations(control) == [], "control room once ended"


# ---------------------------------------------------------------------------- keyboard


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab (only Tab) until the focus is on `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


FOCUS_RING = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        visible: el.matches(":focus-visible"),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
            && !style.outlineColor.endsWith(", 0)"),
        shadow: style.boxShadow !== "none",
        what: el.id || el.className,
    };
}"""


def assert_focus_is_visible(page) -> None:
    ring = page.evaluate(FOCUS_RING)
    assert ring["visible"], ring
    assert ring["outline"] or ring["shadow"], ring


def test_a_participant_takes_part_by_keyboard_alone(server, workshop, host, earlier, contexts):
    from playwright.sync_api import expect

    services.value_add(participant=earlier, text="equity")
    page = contexts().new_page()
    page.goto(f"{server.url}/j/{workshop.code}/")

    # The first Tab reaches the skip link, and it is visible when focused.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert_focus_is_visible(page)
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0

    tab_to(page, "#join-name")
    assert_focus_is_visible(page)
    page.keyboard.type("Kay")
    tab_to(page, "#join-button")
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_selector("#conn-status[data-state=connected]")
    # The Join button is gone: the keyboard lands on the workshop's title, not on <body>.
    expect(page.locator("#workshop-title")).to_be_focused()

    tab_to(page, "#value-input")
    assert_focus_is_visible(page)
    page.keyboard.type("openness")
    page.keyboard.press("Enter")
    expect(page.locator("#values-cloud .cloud__text", has_text="openness")).to_have_count(1)
    expect(page.locator("#value-input")).to_be_focused()
    tab_to(page, "#value-submit")
    assert_focus_is_visible(page)

    services.phase_close(participant=host, phase="values")
    services.phase_open(participant=host, phase="statements")
    page.wait_for_selector("#statement-panel:not([hidden])")

    # Build the statement from chips, with Space on one and Enter on the other.
    tab_to(page, "#activity-chips .chip[data-text=recognition]")
    assert_focus_is_visible(page)
    page.keyboard.press("Space")
    expect(page.locator("#statement-activity")).to_have_value("recognition")
    expect(page.locator("#activity-chips .chip[data-text=recognition]")).to_have_attribute(
        "aria-pressed", "true"
    )
    tab_to(page, "#value-chips .chip[data-text=openness]")
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#statement-value")).to_have_value("openness")
    expect(page.locator("#statement-preview")).to_have_text(
        "What might recognition look like as a practice of openness?"
    )
    tab_to(page, "#statement-submit")
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#statements-list .statement__text")).to_have_text(
        ["What might recognition look like as a practice of openness?"]
    )
    expect(page.locator("#statement-sent")).to_have_text("Statement added.")

    # And a vote, still by keyboard.
    tab_to(page, "#statements-list .vote-cast")
    assert_focus_is_visible(page)
    page.keyboard.press("Space")
    expect(page.locator("#statements-list .statement__votes")).to_have_text("1 vote")


# ---------------------------------------------------------------------------- screen readers


def test_new_contributions_are_announced_politely_and_grouped(server, workshop, earlier, contexts):
    page = join(contexts, server, workshop)
    announcer = page.locator("#announcer")
    assert announcer.get_attribute("aria-live") == "polite"
    page.evaluate(
        """() => {
            window.announced = [];
            const region = document.getElementById("announcer");
            new MutationObserver(() => window.announced.push(region.textContent))
                .observe(region, {childList: true, characterData: true, subtree: true});
        }"""
    )
    for index in range(10):
        services.value_add(participant=earlier, text=f"value {index}")
    wait_until(page, "() => window.announced.length > 0")
    time.sleep(2)  # anything said one by one would have arrived by now
    announced = [text for text in page.evaluate("window.announced") if text]
    assert announced == ["10 new values"]
    # What the participant adds is not announced back to them.
    page.fill("#value-input", "mine")
    page.press("#value-input", "Enter")
    time.sleep(1.5)
    assert [text for text in page.evaluate("window.announced") if text] == ["10 new values"]


def test_the_values_cloud_has_a_list_for_screen_readers(server, workshop, earlier, contexts):
    from playwright.sync_api import expect

    for text in ("equity", "care", "Equity", "openness"):
        services.value_add(participant=earlier, text=text)
    page = join(contexts, server, workshop)
    expect(page.locator("#values-cloud .cloud__text")).to_have_count(3)
    assert page.get_attribute("#values-cloud", "aria-hidden") == "true"
    items = page.locator("#values-list li")
    expect(items).to_have_text(["equity (2 people)", "care", "openness"])
    # Hidden from the eye only: still in the accessibility tree.
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.getElementById('values-list'));"
        " return [s.display, s.visibility]; }"
    )
    assert style == ["block", "visible"]
    snapshot = page.locator("#cloud-panel").aria_snapshot()
    assert "equity (2 people)" in snapshot
    assert "listitem: care" in snapshot


# ---------------------------------------------------------------------------- motion


MOVING = """() => {
    const seconds = (value) => Math.max(...value.split(",").map((part) =>
        part.trim().endsWith("ms") ? parseFloat(part) / 1000 : parseFloat(part)));
    const moving = [];
    for (const el of document.querySelectorAll("*")) {
        const style = getComputedStyle(el);
        const animated = style.animationName !== "none" && seconds(style.animationDuration) > 0.01;
        const transition = style.transitionProperty !== "none"
            && seconds(style.transitionDuration) > 0.01;
        if (animated || transition) moving.push(el.tagName + "." + el.className);
    }
    const running = document.getAnimations().filter((a) =>
        a.playState === "running" && a.effect.getComputedTiming().duration > 10).length;
    return {moving, running};
}"""


def test_reduced_motion_turns_animations_and_transitions_off(
    server, workshop, host, earlier, contexts
):
    services.value_add(participant=earlier, text="equity")
    calm = join(contexts, server, workshop, reduced_motion="reduce")
    assert calm.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    services.value_add(participant=earlier, text="openness")  # arrives with .is-new
    calm.wait_for_selector("#values-cloud .cloud__text:text('openness')")
    assert calm.evaluate(MOVING) == {"moving": [], "running": 0}

    services.phase_close(participant=host, phase="values")  # the waiting dots bounce
    calm.wait_for_selector("#waiting-panel:not([hidden])")
    assert calm.evaluate(MOVING) == {"moving": [], "running": 0}

    # The same page without the preference does move: the check above can fail.
    lively = join(contexts, server, workshop, name="Bo", reduced_motion="no-preference")
    lively.wait_for_selector("#waiting-panel:not([hidden])")
    assert lively.evaluate(MOVING)["moving"] != []


# ---------------------------------------------------------------------------- small screens


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_participant_page_fits_360_px_in_every_phase(
    server, workshop, host, earlier, contexts, lang
):
    def assert_fits(what):
        page.wait_for_timeout(300)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{what}: the page is {width} px wide"

    for text in ("equity", LONG_WORD):
        services.value_add(participant=earlier, text=text)
    page = join(
        contexts,
        server,
        workshop,
        name="Maximilienne-Alexandrine de la Tour",
        viewport={"width": 360, "height": 740},
        locale=lang,
        extra_http_headers={"Accept-Language": lang},
    )
    page.fill("#value-input", "x" * 80)
    page.click("#value-submit")
    page.wait_for_selector("#my-values-box:not([hidden])")
    assert_fits("values")

    services.phase_close(participant=host, phase="values")
    page.wait_for_selector("#waiting-panel:not([hidden])")
    assert_fits("between phases")

    services.phase_open(participant=host, phase="statements")
    page.wait_for_selector("#statement-panel:not([hidden])")
    page.fill("#statement-activity", "y" * 80)
    page.fill("#statement-value", LONG_WORD)
    page.click("#statement-submit")
    page.wait_for_selector("#statements-list [data-testid=statement]")
    assert_fits("statements")

    services.phase_close(participant=host, phase="statements")
    services.phase_open(participant=host, phase="principles")
    statement_id = Statement.objects.get(workshop=workshop).pk
    event = principle_services.principle_propose(
        participant=host, title=LONG_WORD, body=LONG_WORD, sources=[statement_id]
    )
    principle_services.consent_open(participant=host, id=event.data["id"])
    page.wait_for_selector("#consent-panel:not([hidden])")
    page.click("#principle-propose summary")
    assert_fits("principles and a consent round")


# ---------------------------------------------------------------------------- projector


CONTRAST = """(selector) => {
    const parse = (text) => {
        const m = text.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(parseFloat);
        return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
    };
    const over = (top, under) => ({
        r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
        b: top.b * top.a + under.b * (1 - top.a), a: 1,
    });
    const luminance = ({r, g, b}) => {
        const c = [r, g, b].map((v) => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const ratio = (a, b) => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
    };
    const results = [];
    for (const el of document.querySelectorAll(selector)) {
        if (!el.getClientRects().length) continue;
        // Every background the text might sit on: each colour stop of a gradient counts,
        // over the colours below it.
        const layers = [];
        let opacity = 1;
        for (let node = el; node; node = node.parentElement) {
            const style = getComputedStyle(node);
            opacity *= parseFloat(style.opacity);
            const stops = (style.backgroundImage.match(/rgba?\\([^)]+\\)/g) || []).map(parse);
            const colour = parse(style.backgroundColor);
            layers.push({stops, colour});
            if (colour && colour.a === 1) break;
        }
        let backgrounds = [{r: 255, g: 255, b: 255, a: 1}];
        for (const {stops, colour} of layers.reverse()) {
            if (colour && colour.a > 0) backgrounds = backgrounds.map((b) => over(colour, b));
            if (stops.length) {
                backgrounds = backgrounds.flatMap((b) => [b, ...stops.map((s) => over(s, b))]);
            }
        }
        let text = parse(getComputedStyle(el).color);
        text = {...text, a: text.a * opacity};
        const worst = Math.min(...backgrounds.map((b) => ratio(over(text, b), b)));
        results.push({
            text: el.textContent.trim().slice(0, 30),
            ratio: Math.round(worst * 100) / 100,
            size: parseFloat(getComputedStyle(el).fontSize),
        });
    }
    return results;
}"""


def test_the_projector_is_readable_from_the_back_of_the_room(
    server, workshop, host, earlier, contexts
):
    from playwright.sync_api import expect

    for text in ("equity", "openness", "care", "equity", "trust", "respect", "joy"):
        services.value_add(participant=earlier, text=text)
    screen = sign_in(contexts, server, width=1600, height=900)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    expect(screen.locator("#screen-cloud [data-testid=screen-value]")).to_have_count(6)

    settle(screen)
    prompt = screen.evaluate(CONTRAST, "#screen-prompt")
    assert prompt[0]["text"] == "What are your open values?"
    assert prompt[0]["ratio"] >= 7, prompt
    assert prompt[0]["size"] >= 40, prompt
    words = screen.evaluate(CONTRAST, "#screen-cloud .cloud__text")
    assert len(words) == 6
    for word in words:
        assert word["ratio"] >= 7, word
        assert word["size"] >= 24, word
    code = screen.evaluate(CONTRAST, "#screen-code")
    assert code[0]["ratio"] >= 7 and code[0]["size"] >= 48, code

    # Statements on the screen, and the cloud above them, stay readable too.
    services.phase_close(participant=host, phase="values")
    services.phase_open(participant=host, phase="statements")
    services.statement_add(participant=earlier, activity="assessment", value="equity")
    expect(screen.locator("#screen-statements [data-testid=screen-statement]")).to_have_count(1)
    settle(screen)
    for item in screen.evaluate(CONTRAST, "#screen-statements .screen-statement__text"):
        assert item["ratio"] >= 7 and item["size"] >= 20, item
    for word in screen.evaluate(CONTRAST, "#screen-cloud .cloud__text"):
        assert word["ratio"] >= 4.5 and word["size"] >= 18, word
    for item in screen.evaluate(CONTRAST, "#screen-phase, #screen-online-label, #screen-title"):
        assert item["ratio"] >= 4.5, item
