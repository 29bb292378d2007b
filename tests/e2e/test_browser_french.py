# French typography writes its apostrophe as U+2019, which ruff takes for a look-alike.
# ruff: noqa: RUF001
"""The whole interface in French, in a real browser asking for French.

Every main page is read as a person sees it (document.body.innerText, the title, and the
aria-label / title / placeholder / alt texts a screen reader or a tooltip shows), in each
state that shows different parts of the interface. No English message of the catalogs
(any run of two words or more between its placeholders) may be left, and no common
English word either (for text that never went through gettext). What people wrote is
in French here, so it cannot hide an English leftover.

Relies on the selectors listed in test_browser_live.py and test_browser_cocreation.py.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from principles import services as principle_services
from tests.e2e.pages import fill_sign_in
from tests.test_french import english_fragments
from workshops import services
from workshops.models import Statement

pytestmark = [pytest.mark.browser]

FRENCH = {"locale": "fr-FR", "extra_http_headers": {"Accept-Language": "fr-FR,fr;q=0.9"}}
# Words that are not French: seen on a French page, they are an untranslated leftover.
ENGLISH_WORDS = {
    "the", "your", "you", "with", "from", "this", "and", "of", "to", "is", "are", "has",
    "have", "what", "add", "join", "joined", "waiting", "votes left", "hidden", "connected",
    "people", "statement", "statements", "value", "values", "principle", "principles",
    "remove", "edit", "save", "close", "start", "stop", "merge", "hide", "screen", "report",
}  # fmt: skip

VISIBLE_TEXT = """() => {
    const parts = [document.title, document.body.innerText];
    for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
        if (el.closest("[hidden]")) continue;
        for (const name of ["aria-label", "title", "placeholder", "alt"]) {
            const value = el.getAttribute(name);
            if (value) parts.push(value);
        }
    }
    return {lang: document.documentElement.lang, text: parts.join("\\n")};
}"""


@pytest.fixture
def workshop(facilitator):
    with translation.override("fr"):
        return services.workshop_create(
            title="Avenirs ouverts de la microcertification",
            description="Nos valeurs, nos pratiques, nos principes.",
            facilitator=facilitator,
        )


@pytest.fixture
def amelie(workshop):
    return services.participant_join(workshop=workshop, name="Amélie")[0]


@pytest.fixture
def contexts(browser):
    opened = []

    def new_context(**kwargs):
        context = browser.new_context(
            **{"viewport": {"width": 390, "height": 844}, **FRENCH, **kwargs}
        )
        opened.append(context)
        return context

    yield new_context
    for context in opened:
        context.close()


@pytest.fixture(scope="module")
def fragments():
    found = english_fragments()
    assert "Waiting for the facilitator…".rstrip("…") in found  # the list is not empty
    return sorted({fragment.lower() for fragment in found}, key=len, reverse=True)


def assert_french(page, where: str, fragments: list[str]) -> None:
    seen = page.evaluate(VISIBLE_TEXT)
    assert seen["lang"] == "fr", where
    text = " ".join(seen["text"].replace("\u00a0", " ").replace("\u202f", " ").split()).lower()
    # Whole words only: "a list" is English, "dans la liste" is not.
    left = [f for f in fragments if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text)]
    assert left == [], f"English left on {where}: {left}\n---\n{text}"
    # The brand, and the wording's slot names (kept in English: they are typed as such).
    for name in ("open visioning", "(activity)", "(value)"):
        text = text.replace(name, "")
    words = set(re.findall(r"[^\W\d_]+", text))
    english = words & ENGLISH_WORDS
    context = [
        m.group(0) for w in english for m in re.finditer(rf".{{0,60}}\b{w}\b.{{0,60}}", text)
    ]
    assert english == set(), f"English words on {where}: {english} in {context}"


def sign_in(new_context, server, fragments, width=1400, height=900):
    page = new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(f"{server.url}/accounts/login/")
    assert_french(page, "the sign-in page", fragments)
    fill_sign_in(page)
    return page


def test_every_page_speaks_french(server, workshop, host, amelie, contexts, fragments):
    from playwright.sync_api import expect

    for text in ("équité", "ouverture", "bienveillance", "équité"):
        services.value_add(participant=amelie, text=text)

    home = contexts().new_page()
    home.goto(f"{server.url}/")
    assert_french(home, "the home page", fragments)
    home.fill("#id_code", "ZZZZZZ")
    home.press("#id_code", "Enter")
    expect(home.locator("#code-errors")).to_contain_text("Aucun atelier ne porte le code")
    assert_french(home, "the home page with an unknown code", fragments)

    # The participant: joining, then each phase.
    page = contexts().new_page()
    page.goto(f"{server.url}/j/{workshop.code}/")
    assert_french(page, "the join form", fragments)
    page.fill("#join-name", "Bérénice")
    page.click("#join-button")
    page.wait_for_selector("#conn-status[data-state=connected]")
    expect(page.locator("#phase-prompt")).to_have_text(
        "Quelles sont vos valeurs d’ouverture\u202f?"
    )
    page.fill("#value-input", "sobriété")
    page.press("#value-input", "Enter")
    expect(page.locator("#my-values [data-testid=my-value]")).to_have_count(1)
    page.press("#value-input", "Enter")  # empty: an error message
    expect(page.locator("#value-error")).to_have_text("Écrivez d’abord une valeur.")
    assert_french(page, "the participant page, values phase", fragments)

    services.phase_close(participant=host, phase="values")
    services.phase_open(participant=host, phase="statements")
    services.statement_add(participant=amelie, activity="évaluation", value="équité")
    page.wait_for_selector("#statement-panel:not([hidden])")
    expect(page.locator("#activity-chips .chip").first).to_have_text("évaluation")
    page.locator("#activity-chips .chip", has_text="reconnaissance").click()
    page.locator("#value-chips .chip", has_text="sobriété").click()
    expect(page.locator("#statement-preview")).to_have_text(
        "À quoi ressemblerait l’activité reconnaissance au service de la valeur sobriété\u202f?"
    )
    page.click("#statement-submit")
    expect(page.locator("#statements-list [data-testid=statement]")).to_have_count(2)
    page.locator("#statements-list .vote-cast").first.click()
    expect(page.locator("#vote-budget")).to_have_text("Votes restants\u00a0: 2 sur 3")
    services.timer_start(participant=host, phase="statements", seconds=300)
    expect(page.locator("#phase-timer")).to_contain_text("Encore")
    assert_french(page, "the participant page, statements phase", fragments)

    screen = sign_in(contexts, server, fragments, width=1600, height=900)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")
    expect(screen.locator("#screen-statements [data-testid=screen-statement]")).to_have_count(2)
    assert_french(screen, "the projector, statements phase", fragments)

    services.phase_close(participant=host, phase="statements")
    services.phase_open(participant=host, phase="principles")
    event = principle_services.principle_propose(
        participant=host,
        title="L’évaluation sert l’équité",
        body="Parce que chacun compte.",
        sources=list(Statement.objects.filter(workshop=workshop).values_list("pk", flat=True)),
    )
    principle_services.consent_open(participant=host, id=event.data["id"])
    page.wait_for_selector("#consent-panel:not([hidden])")
    page.click("#consent-discuss")
    expect(page.locator("#consent-mine")).to_contain_text("Votre choix\u00a0: À discuter davantage")
    page.click("#principle-propose summary")
    page.click("#principle-submit")  # no title: an error message
    expect(page.locator("#principle-error")).to_have_text("Donnez un titre à votre principe.")
    assert_french(page, "the participant page, principles phase and consent round", fragments)
    expect(screen.locator("#screen-consent")).to_be_visible()
    assert_french(screen, "the projector, consent round", fragments)

    services.phase_close(participant=host, phase="principles")
    expect(page.locator("#waiting-panel")).to_be_visible()
    assert_french(page, "the participant page between phases", fragments)

    # The facilitator's pages.
    control = screen
    control.set_viewport_size({"width": 1400, "height": 900})
    control.goto(f"{server.url}/facilitate/")
    assert_french(control, "the workshop list", fragments)
    control.goto(f"{server.url}/facilitate/{workshop.code}/")
    control.wait_for_selector("#conn-status[data-state=connected]")
    expect(control.locator("#control-values [data-testid=control-value]")).to_have_count(4)
    control.click("#audit summary")
    expect(control.locator("#audit-list [data-testid=audit-entry]").first).to_be_visible()
    assert_french(control, "the control room", fragments)
    control.goto(f"{server.url}/facilitate/{workshop.code}/report/")
    expect(control.locator("#report-title")).to_be_visible()
    assert_french(control, "the report", fragments)
    control.goto(f"{server.url}/facilitate/{workshop.code}/replay/")
    control.wait_for_selector("#main[data-ready]")
    assert_french(control, "the replay", fragments)
