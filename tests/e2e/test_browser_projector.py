"""The projector in a real browser: nothing it shows is cut or hidden without saying so.

Stable selectors (keep them when restyling the screen):
  #screen-cloud [data-testid=screen-value], #screen-cloud-more
  #screen-statements [data-testid=screen-statement], #screen-statements-more
  #screen-principles [data-testid=screen-principle], #screen-principles-more
  The "…-more" indicators carry data-shown and data-total ("7-12 of 40" with an en dash).
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import sign_in
from workshops import services

pytestmark = [pytest.mark.browser]

SIZES = [(1024, 768), (1280, 720), (1600, 900), (1920, 1080), (3840, 2160)]

# For every list on the screen: the items shown whole, the ones cut by an edge, and
# what its indicator counts. An item not displayed at all has an empty box.
MEASURE = """() => {
    const view = {top: 0, left: 0, bottom: innerHeight, right: innerWidth};
    const inside = (r, b) => r.width > 0 && r.height > 0 && r.top >= b.top - 1
        && r.bottom <= b.bottom + 1 && r.left >= b.left - 1 && r.right <= b.right + 1;
    const lists = [];
    for (const name of ["cloud", "statements", "principles"]) {
        const box = document.getElementById(`screen-${name}`);
        const more = document.getElementById(`screen-${name}-more`);
        const frame = box.getBoundingClientRect();
        let whole = 0;
        const cut = [];
        for (const item of box.children) {
            const r = item.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            if (inside(r, view) && inside(r, frame)) whole += 1;
            else cut.push(item.textContent);
        }
        const counted = Boolean(more) && !more.hidden && inside(more.getBoundingClientRect(), view);
        lists.push({
            name, items: box.children.length, whole, cut,
            displayed: getComputedStyle(box).display !== "none",
            shown: counted ? Number(more.dataset.shown) : null,
            total: counted ? Number(more.dataset.total) : null,
        });
    }
    const fixed = ["#screen-prompt", ".join-box", "#screen-online-wrap"]
        .filter((s) => !inside(document.querySelector(s).getBoundingClientRect(), view));
    return {lists, fixed};
}"""

WORDS = [
    *("equity", "openness", "care", "trust", "respect", "joy", "access", "agency", "belonging"),
    *("curiosity", "dignity", "fairness", "freedom", "generosity", "honesty", "humility"),
    *("inclusion", "justice", "kindness", "learning"),
]


def value_texts(n: int) -> list[str]:
    """n values: the first few named by many (big words, count badges), the rest once."""
    texts = []
    for i in range(n):
        texts.append(WORDS[i % 5] if i < n // 3 else f"{WORDS[i % len(WORDS)]} {i}")
    return texts


def assert_nothing_hidden_silently(screen, *, label: str, expected: dict[str, int]) -> None:
    found = screen.evaluate(MEASURE)
    assert found["fixed"] == [], f"{label}: cut off {found['fixed']}"
    for row in found["lists"]:
        where = f"{label}, {row['name']}"
        assert row["cut"] == [], f"{where}: cut by an edge: {row['cut'][:3]}"
        if row["name"] in expected and row["displayed"]:
            assert row["items"] == expected[row["name"]], where
        if row["shown"] is None:
            assert row["whole"] == (row["items"] if row["displayed"] else 0), (
                f"{where}: {row['whole']} of {row['items']} shown and nothing says so"
            )
        else:
            assert row["total"] == row["items"], where
            assert 0 < row["whole"] == row["shown"] < row["total"], f"{where}: {row}"


def check_every_size(screen, *, label: str, expected: dict[str, int]) -> None:
    for width, height in SIZES:
        screen.set_viewport_size({"width": width, "height": height})
        screen.wait_for_timeout(250)  # the resize re-renders on the next frame
        assert_nothing_hidden_silently(screen, label=f"{label} {width}x{height}", expected=expected)


@pytest.mark.parametrize("values", [0, 10, 60, 300])
def test_every_item_on_the_projector_is_visible_or_counted(
    server, workshop, host, contexts, values
):
    from playwright.sync_api import expect

    people = [services.participant_join(workshop=workshop, name=f"P{i}")[0] for i in range(4)]
    texts = value_texts(values)
    for i, text in enumerate(texts):
        services.value_add(participant=people[i % 4], text=text)
    distinct = len(set(texts))
    screen = sign_in(contexts, server, width=1600, height=900)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    screen.wait_for_selector("#conn-status[data-state=connected]")
    expect(screen.locator("#screen-cloud [data-testid=screen-value]")).to_have_count(distinct)
    check_every_size(screen, label="values phase", expected={"cloud": distinct})

    # The case the room saw: a timer running, the votes hidden, nine statements or more.
    services.phase_open(participant=host, phase="statements")
    count = 9 if values < 60 else 40
    ids = []
    for i in range(count):
        event = services.statement_add(
            participant=people[i % 4],
            activity=f"peer review round {i}",
            value=WORDS[i % len(WORDS)],
        )
        ids.append(event.data["id"])
    # The oldest two get the votes: most voted first must not read as newest first.
    for n, person in enumerate(people):
        for target in [ids[1]] + ([ids[0]] if n < 3 else []):
            services.vote_cast(participant=person, target={"kind": "statement", "id": target})
    services.results_hide(participant=host, phase="statements")
    services.timer_start(participant=host, phase="statements", seconds=600)
    expect(screen.locator("#screen-timer")).to_be_visible()
    expect(screen.locator("#screen-results-hidden")).to_be_visible()
    check_every_size(
        screen,
        label="statements, timer, votes hidden",
        expected={"cloud": distinct, "statements": count},
    )

    # Between activities: the most voted come first, not the newest two.
    services.results_reveal(participant=host, phase="statements")
    services.phase_close(participant=host, phase="statements")
    services.phase_close(participant=host, phase="values")
    expect(screen.locator("#main")).to_have_attribute("data-phase", "none")
    check_every_size(
        screen, label="between activities", expected={"cloud": distinct, "statements": count}
    )
    first = screen.locator("#screen-statements [data-testid=screen-statement]").first
    expect(first.locator(".screen-statement__text")).to_contain_text("peer review round 1 look")


def projector(contexts, server, workshop, **context):
    screen = sign_in(contexts, server, width=1600, height=900, **context)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    screen.wait_for_selector("#conn-status[data-state=connected]")
    return screen


def test_a_principle_has_the_same_number_on_phones_and_on_the_projector(
    server, workshop, host, contexts
):
    from playwright.sync_api import expect

    from principles import services as principle_services
    from tests.e2e.pages import join

    ids = [
        principle_services.principle_propose(participant=host, title=title).data["id"]
        for title in ("Open by default", "Credit every voice", "Learners own their records")
    ]
    services.phase_open(participant=host, phase="principles")
    voters = [services.participant_join(workshop=workshop, name=f"V{i}")[0] for i in range(2)]
    for voter in voters:  # the last drafted gets the most votes and leads on the projector
        services.vote_cast(participant=voter, target={"kind": "principle", "id": ids[2]})

    phone = join(contexts, server, workshop)
    screen = projector(contexts, server, workshop)
    rows = screen.locator("#screen-principles [data-testid=screen-principle]")
    expect(rows.first.locator(".screen-principle__title")).to_have_text(
        "Learners own their records"
    )
    on_phone = {
        phone.locator(f"#principles-list [data-testid=principle]:has-text('{title}')")
        .locator(".principle__rank")
        .inner_text(): title
        for title in ("Open by default", "Credit every voice", "Learners own their records")
    }
    on_screen = {
        rows.nth(i).locator(".screen-principle__rank").inner_text(): rows.nth(i)
        .locator(".screen-principle__title")
        .inner_text()
        for i in range(3)
    }
    assert (
        on_screen
        == on_phone
        == {
            "1": "Open by default",
            "2": "Credit every voice",
            "3": "Learners own their records",
        }
    )


@pytest.mark.parametrize(
    ("lang", "slots"), [("en", ["activity", "value"]), ("fr", ["activité", "valeur"])]
)
def test_the_statement_prompt_shows_its_slots_as_blanks_not_placeholders(
    server, facilitator, contexts, lang, slots
):
    from django.utils import translation
    from playwright.sync_api import expect

    with translation.override(lang):
        french = services.workshop_create(title="Atelier", facilitator=facilitator)
    me = services.participant_join(workshop=french, user=facilitator)[0]
    services.phase_open(participant=me, phase="statements")
    screen = projector(
        contexts, server, french, locale=lang, extra_http_headers={"Accept-Language": lang}
    )
    prompt = screen.locator("#screen-prompt")
    expect(prompt.locator(".screen-slot")).to_have_text(slots)
    assert "(" not in prompt.inner_text()
    # A blank reads smaller than the words around it: a slot to fill, not a word to read.
    sizes = screen.evaluate(
        """() => [getComputedStyle(document.querySelector('#screen-prompt')).fontSize,
                  getComputedStyle(document.querySelector('.screen-slot')).fontSize]
               .map(parseFloat)"""
    )
    assert sizes[1] < 0.8 * sizes[0]


def test_a_closed_consent_round_stays_on_the_projector_until_the_facilitator_moves_on(
    server, workshop, host, contexts
):
    from playwright.sync_api import expect

    from principles import services as principle_services

    ada, bob = (services.participant_join(workshop=workshop, name=n)[0] for n in ("Ada", "Bob"))
    services.phase_open(participant=host, phase="statements")
    sources = [
        services.statement_add(participant=ada, activity=f"open review {i}", value=value).data["id"]
        for i, value in enumerate(WORDS[:4])
    ]
    services.phase_open(participant=host, phase="principles")
    objected = principle_services.principle_propose(
        participant=host, title="Open by default", sources=sources
    )
    clear = principle_services.principle_propose(
        participant=host, title="Credit every voice", sources=sources[:2]
    )
    screen = projector(contexts, server, workshop)
    rows = screen.locator("#screen-principles [data-testid=screen-principle]")
    expect(rows).to_have_count(2)

    principle_services.consent_open(participant=host, id=clear.data["id"])
    principle_services.consent_place(participant=ada, id=clear.data["id"], level="full")
    principle_services.consent_close(participant=host, id=clear.data["id"])
    expect(screen.locator("#screen-consent-result")).to_have_text("No objection")
    principle_services.principle_finalize(participant=host, id=clear.data["id"])
    expect(
        rows.filter(has_text="Credit every voice").locator(".screen-principle__status")
    ).to_have_text("Agreed")

    pid = objected.data["id"]
    principle_services.consent_open(participant=host, id=pid)
    principle_services.consent_place(participant=ada, id=pid, level="full")
    principle_services.consent_place(participant=bob, id=pid, level="cannot", reason="Not yet")
    principle_services.consent_close(participant=host, id=pid)
    consent = screen.locator("#screen-consent")
    expect(consent).to_be_visible()
    expect(screen.locator("#screen-consent-eyebrow")).to_have_text("Consent round closed")
    expect(screen.locator("#screen-consent-title")).to_have_text("Open by default")
    expect(screen.locator("#screen-consent-result")).to_have_text("1 objection")
    check_every_size(screen, label="a closed round", expected={"principles": 2})

    # Finalized over an objection: the facilitator's choice, said as such, never a bare "Agreed".
    principle_services.principle_finalize(participant=host, id=pid, confirm=True)
    expect(screen.locator("#screen-consent-result")).to_have_text("Agreed with objections noted")
    status = rows.filter(has_text="Open by default").locator(".screen-principle__status")
    expect(status).to_have_text("Agreed with objections noted")

    services.phase_close(participant=host, phase="principles")
    expect(consent).to_be_hidden()


def test_a_long_list_turns_its_pages_by_itself_and_comes_back_to_the_start(
    server, workshop, host, contexts
):
    from playwright.sync_api import expect

    ada = services.participant_join(workshop=workshop, name="Ada")[0]
    services.phase_open(participant=host, phase="statements")
    for i in range(30):
        services.statement_add(participant=ada, activity=f"open review {i}", value="care")
    context = contexts(viewport={"width": 1024, "height": 768})
    screen = context.new_page()
    screen.clock.install()  # the page turns on the page's own clock: run it forward
    sign_in(lambda **_: context, server)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    more = screen.locator("#screen-statements-more")
    expect(more).to_have_text(re.compile(r"^1\u2013\d+ of 30$"))
    shown = int(more.get_attribute("data-shown"))
    first_page = screen.locator("#screen-statements .screen-statement__text").first.inner_text()
    seen = shown
    while seen < 30:
        screen.clock.run_for(10_000)
        expect(more).to_have_text(re.compile(rf"^{seen + 1}(\u2013\d+)? of 30$"))
        seen += int(more.get_attribute("data-shown"))
    screen.clock.run_for(10_000)
    expect(more).to_have_text(re.compile(r"^1\u2013\d+ of 30$"))
    expect(screen.locator("#screen-statements .screen-statement__text").first).to_have_text(
        first_page
    )


# The layout shifts the page made so far (what Lighthouse sums as CLS), with the prompt's
# top then: an observer handed the buffered entries, or none within half a second.
LAYOUT_SHIFT = """() => new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 500);
})"""


def test_the_stage_does_not_jump_when_the_projector_connects(server, workshop, host, contexts):
    from playwright.sync_api import expect

    services.phase_close(participant=host, phase="values")
    services.phase_open(participant=host, phase="statements")
    ada = services.participant_join(workshop=workshop, name="Ada")[0]
    for value in WORDS[:6]:
        services.statement_add(participant=ada, activity="assessment", value=value)
    screen = sign_in(contexts, server, width=1600, height=900)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    # The page itself already reads as the state will: the phase and its prompt.
    phase = screen.locator("#screen-phase")
    assert phase.inner_text() != ""
    screen.wait_for_selector("#conn-status[data-state=connected]")
    expect(screen.locator("#screen-statements [data-testid=screen-statement]")).to_have_count(6)
    assert screen.evaluate(LAYOUT_SHIFT) < 0.01
