"""Every design of the library, run in real browsers from its first step to its outcome:
a facilitator (control room, projector, and their own join page for the futures wheel's
centre card) and four participants on phones. Where a step runs in tables, the
facilitator forms two (1-2-4-All: pairs, then one four); people add cards to each
column, answer cards, vote; the tables end and merge back, the projector shows each
table's top items, the session ends on the outcome; then the JSON export, the Markdown
export and the report show the tables, the columns and the parents.

One daphne server and one set of browser contexts serve every design (module scope): a
design is one parametrized test, its own workshop. Nothing sleeps; every step waits on
what a page shows.

DESIGN_SHOTS=DIR takes screenshots of each design's key step (phone at 390, projector at
1600x900) and of its outcome into DIR; DESIGN_LANG=fr runs the same in French (the
assertions read keys and ids, never words).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.utils import translation

from tests.conftest import FACILITATOR_PASSWORD
from tests.e2e.conftest import LiveServer
from tests.e2e.pages import fill_sign_in, log_console
from workshops.designs import DESIGNS, PhaseDesign

pytestmark = [pytest.mark.browser]

PEOPLE = ("Ada", "Bob", "Cy", "Di")
LANG = os.environ.get("DESIGN_LANG", "en")
SHOTS = os.environ.get("DESIGN_SHOTS", "")
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs/export.schema.json").read_text())
# The step that makes each method, photographed with DESIGN_SHOTS.
KEY_STEPS = {
    "open-values": "statements",
    "blank": "values",
    "1-2-4-all": "pairs",
    "min-specs": "max-specs",
    "what-so-what-now-what": "debrief",
    "three-horizons": "horizons",
    "futures-wheel": "wheel",
    "backcasting": "steps-back",
    "questions": "questions",
}
# People per table where a step seats them (default 2: two tables of the four).
TABLE_SIZES = {("1-2-4-all", "fours"): 4}
# Steps whose cards answer a card the facilitator puts at the centre, ring by ring.
WHEELS = {("futures-wheel", "wheel")}


class Room:
    """The facilitator's pages and the four phones, kept from one design to the next."""

    def __init__(self, server: LiveServer, browser: Any) -> None:
        self.server = server
        headers = {"Accept-Language": LANG}
        desk = browser.new_context(
            viewport={"width": 1400, "height": 900}, locale=LANG, extra_http_headers=headers
        )
        self.contexts = [desk]
        self.control = log_console(desk.new_page(), "control")
        self.control.on("dialog", lambda dialog: dialog.accept())
        wall = browser.new_context(
            viewport={"width": 1600, "height": 900}, locale=LANG, extra_http_headers=headers
        )
        self.contexts.append(wall)
        self.screen = log_console(wall.new_page(), "screen")
        self.centre = log_console(desk.new_page(), "centre")  # the facilitator's join page
        self.phones: dict[str, Any] = {}
        for name in PEOPLE:
            phone = browser.new_context(
                viewport={"width": 390, "height": 844}, locale=LANG, extra_http_headers=headers
            )
            self.contexts.append(phone)
            self.phones[name] = log_console(phone.new_page(), name)
        for page in self.pages():
            page.set_default_timeout(8000)

    def pages(self) -> list[Any]:
        return [self.control, self.screen, self.centre, *self.phones.values()]

    def sign_in(self) -> None:
        """The facilitator signs in (each design starts from an empty database); the
        projector shares the sign-in, in its own window size."""
        self.control.goto(f"{self.server.url}/accounts/login/")
        fill_sign_in(self.control)
        self.contexts[1].clear_cookies()
        self.contexts[1].add_cookies(self.contexts[0].cookies())

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture(scope="module")
def live(django_db_setup) -> Iterator[LiveServer]:
    """One server for the module, on the session's test database (each design's rows are
    committed, and flushed after it, as `transactional_db` does)."""
    # Playwright's loop runs in this thread for the whole module, the flush after each
    # design included (it comes after the function-scoped fixture that allows it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    server = LiveServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()
        server.log.unlink(missing_ok=True)
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def room(live, browser) -> Iterator[Room]:
    room = Room(live, browser)
    yield room
    room.close()


def card_text(name: str, step: str, column: str | None = None) -> str:
    return f"{name} at {step}" + (f" in {column}" if column else "")


def shot(page: Any, design: str, what: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        # A phone's whole page (people scroll it); the projector's one screen.
        full = page.viewport_size["width"] < 600
        if full:  # from the top: the sticky header then stays where it belongs
            page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=f"{SHOTS}/{design}-{what}-{LANG}.png", full_page=full)


class Run:
    """One design, driven step by step through the pages of `room`."""

    def __init__(self, room: Room, key: str) -> None:
        self.room = room
        self.key = key
        self.design = DESIGNS[key]
        self.url = room.server.url
        self.seated = False
        self.rounds: list[int] = []  # how many tables each round had
        self.texts: dict[str, list[str]] = {}  # each step's cards

    # -------------------------------------------------------------- set-up

    def create(self) -> None:
        control = self.room.control
        control.goto(f"{self.url}/facilitate/")
        control.fill("#id_title", f"Design {self.key}")
        control.check(f"#create-form input[name=template][value='{self.key}']", force=True)
        control.click("#create-form button[type=submit]")
        control.wait_for_url(re.compile(r"/facilitate/[A-Z0-9]{6}/$"))
        self.code = control.url.rstrip("/").rsplit("/", 1)[1]
        control.wait_for_selector("#conn-status[data-state=connected]")
        self.room.screen.goto(f"{self.url}/j/{self.code}/screen/")
        self.room.screen.wait_for_selector("#conn-status[data-state=connected]")
        for name, phone in self.room.phones.items():
            phone.goto(f"{self.url}/j/{self.code}/")
            phone.fill("#join-name", name)
            phone.click("#join-button")
        for phone in self.room.phones.values():
            phone.wait_for_selector("#conn-status[data-state=connected]")

    # -------------------------------------------------------------- tables

    def form_tables(self, size: int) -> None:
        from playwright.sync_api import expect

        control = self.room.control
        control.check("input[name=tables-by][value=size]")
        control.fill("#tables-size", str(size))
        control.click("#tables-form-submit")
        count = len(PEOPLE) // size
        tables = control.locator("#tables-list [data-testid=control-table]")
        expect(tables).to_have_count(count)
        expect(tables.locator("[data-testid=table-member]")).to_have_count(len(PEOPLE))
        for phone in self.room.phones.values():
            expect(phone.locator("#table-members li")).to_have_count(size)
        self.seated = True
        self.rounds.append(count)

    def seats(self) -> dict[str, str]:
        return {
            name: phone.locator("[data-testid=my-table]").inner_text()
            for name, phone in self.room.phones.items()
        }

    def end_tables(self) -> None:
        """The tables end and merge back; the projector shows each table's top items."""
        from playwright.sync_api import expect

        control = self.room.control
        control.click("#tables-end")
        expect(control.locator("#tables-form")).to_be_visible()
        for phone in self.room.phones.values():
            expect(phone.locator("#table-panel")).to_be_hidden()
        self.seated = False

    def show_tops(self) -> None:
        """The "All" step: each table's top items side by side, on the projector."""
        from playwright.sync_api import expect

        control, screen = self.room.control, self.room.screen
        tops = control.locator("#tables-top [data-testid=table-top]")
        expect(tops).to_have_count(sum(self.rounds))
        control.click("#tables-top-show")
        on_screen = screen.locator("#screen-tables-top [data-testid=screen-table-top]")
        expect(on_screen).to_have_count(sum(self.rounds))
        # The oldest card of the last step in tables leads its table's list.
        at_tables = [step.key for step in self.design.phases if step.tables]
        made = [text for text in self.texts[at_tables[-1]] if " centre" not in text]
        expect(screen.locator("#screen-tables-top")).to_contain_text(made[0])
        control.click("#tables-top-show")
        expect(screen.locator("#screen-tables-top")).to_be_hidden()

    # -------------------------------------------------------------- steps

    def open(self, step: PhaseDesign, previous: PhaseDesign | None) -> None:
        from playwright.sync_api import expect

        control = self.room.control
        if previous is not None:
            control.click(f"#phase-close-{previous.key}")
            expect(control.locator(f"#phase-open-{step.key}")).to_be_enabled()
            control.click(f"#phase-open-{step.key}")
        size = TABLE_SIZES.get((self.key, step.key), 2)
        if self.seated and (not step.tables or size != len(PEOPLE) // self.rounds[-1]):
            self.end_tables()
            if not step.tables:
                self.show_tops()
        if step.tables and not self.seated:
            self.form_tables(size)
        for phone in self.room.phones.values():
            expect(phone.locator("body")).to_have_attribute("data-phase", step.kind)

    def values(self, step: PhaseDesign) -> None:
        from playwright.sync_api import expect

        for name, phone in self.room.phones.items():
            phone.fill("#value-input", f"{name.lower()}ness")
            phone.click("#value-submit")
        cloud = self.room.screen.locator("#screen-cloud li")
        expect(cloud).to_have_count(len(PEOPLE))
        if step.key == KEY_STEPS[self.key]:
            self.photograph()

    def statements(self, step: PhaseDesign) -> None:
        from playwright.sync_api import expect

        for name, phone in self.room.phones.items():
            phone.fill("#statement-activity", f"{name.lower()}ing")
            phone.fill("#statement-value", f"{name.lower()}ness")
            phone.click("#statement-submit")
        rows = self.room.phones["Di"].locator("#statements-list [data-testid=statement]")
        expect(rows).to_have_count(len(PEOPLE))
        if step.key == KEY_STEPS[self.key]:
            self.photograph()
        for phone in self.room.phones.values():
            ada = phone.locator("#statements-list [data-testid=statement]", has_text="adaing")
            ada.locator(".vote-cast").click()
        screen = self.room.screen.locator("#screen-statements [data-testid=screen-statement]")
        expect(screen).to_have_count(len(PEOPLE))

    def principles(self, step: PhaseDesign) -> None:
        from playwright.sync_api import expect

        control = self.room.control
        for activity in ("adaing", "bobing"):
            row = control.locator(
                "#control-statements [data-testid=control-statement]", has_text=activity
            )
            row.locator(".source-check").check()
        control.fill("#propose-title", "Care in every step")
        control.click("#propose-submit")
        principle = control.locator("#control-principles [data-testid=control-principle]")
        expect(principle).to_have_count(1)
        principle.locator("[id^=principle-finalize-]").click()
        for phone in self.room.phones.values():
            expect(phone.locator("#principles-list [data-testid=principle]")).to_have_count(1)

    def ideas(self, step: PhaseDesign) -> None:
        from playwright.sync_api import expect

        texts = self.texts.setdefault(step.key, [])
        if (self.key, step.key) in WHEELS:
            self.wheel(step)
        else:
            self.add_cards(step)
        expect(self.room.screen.locator("#screen-ideas [data-testid=idea]")).to_have_count(
            len(texts)
        )
        if step.columns:
            self.check_columns(step)
        if self.seated:
            self.check_tables(texts)
        if step.key == KEY_STEPS[self.key]:
            self.photograph()
        if step.vote_budget:
            self.vote(texts[0])

    def add_cards(self, step: PhaseDesign) -> None:
        """Each person adds a card to each column (one card when there are none)."""
        from playwright.sync_api import expect

        for column in [key for key, _title in step.columns] or [""]:
            # Everyone types at once, as a room does; each phone's next card waits for
            # the ack of its last (the input clears on it).
            for name, phone in self.room.phones.items():
                text = card_text(name, step.key, column or None)
                phone.fill("#idea-input", text)
                phone.click(f"#idea-buttons .idea-add[data-column='{column}']")
                self.texts[step.key].append(text)
            for phone in self.room.phones.values():
                expect(phone.locator("#idea-input")).to_have_value("")

    def check_columns(self, step: PhaseDesign) -> None:
        """The projector: the step's columns side by side, each card in its own."""
        from playwright.sync_api import expect

        walls = self.room.screen.locator("#screen-ideas [data-testid=idea-column]")
        expect(walls).to_have_count(len(step.columns))
        for index, (column, _title) in enumerate(step.columns):
            expect(walls.nth(index)).to_have_attribute("data-column", column)
            cards = walls.nth(index).locator("[data-testid=idea]", has_text=f" in {column}")
            expect(cards).to_have_count(len(PEOPLE))
        boxes = [walls.nth(i).bounding_box() for i in range(len(step.columns))]
        assert [box["x"] for box in boxes] == sorted(box["x"] for box in boxes)
        assert len({round(box["y"]) for box in boxes}) == 1

    def check_tables(self, texts: list[str]) -> None:
        """Each table sees its own work first (and the centre); the projector labels
        every card with its table."""
        from playwright.sync_api import expect

        seats = self.seats()
        for name, phone in self.room.phones.items():
            mates = [other for other in PEOPLE if seats[other] == seats[name]]
            ours = [t for t in texts if t.split(" ", 1)[0] in mates or " centre" in t]
            expect(phone.locator("#idea-wall [data-testid=idea]")).to_have_count(len(ours))
        labels = self.room.screen.locator(
            "#screen-ideas [data-testid=idea] [data-testid=table-label]"
        )
        expect(labels.filter(has_text=re.compile(r"\S"))).to_have_count(
            len([t for t in texts if " centre" not in t])
        )

    def vote(self, target: str) -> None:
        from playwright.sync_api import expect

        for phone in self.room.phones.values():
            card = phone.locator("#idea-wall [data-testid=idea]", has_text=target)
            card.locator(".idea-vote").first.click()
        votes = self.room.screen.locator("#screen-ideas [data-testid=idea]", has_text=target)
        expect(votes.locator(".idea-card__votes")).to_have_text(re.compile(str(len(PEOPLE))))

    def wheel(self, step: PhaseDesign) -> None:
        """The facilitator's change at the centre; each person answers it (the first
        ring), then answers a tablemate's answer (the second ring)."""
        from playwright.sync_api import expect

        phones, texts = self.room.phones, self.texts[step.key]
        centre = self.room.centre
        centre.goto(f"{self.url}/j/{self.code}/")
        centre.click("#join-button")
        centre.wait_for_selector("#conn-status[data-state=connected]")
        middle = "The change at the centre"
        centre.fill("#idea-input", middle)
        centre.click("#idea-buttons .idea-add")
        expect(centre.locator("#idea-input")).to_have_value("")
        texts.append(middle)

        def answer(phone: Any, to: str, text: str) -> None:
            card = phone.locator("#idea-wall [data-testid=idea]", has_text=to).last
            card.locator(".idea-answer").first.click()
            expect(phone.locator("#idea-answering")).to_contain_text(to)
            phone.fill("#idea-input", text)
            phone.click("#idea-buttons .idea-add")
            expect(phone.locator("#idea-answering")).to_be_hidden()
            texts.append(text)

        for name, phone in phones.items():
            answer(phone, middle, card_text(name, "ring 1"))
        seats = self.seats()
        for name, phone in phones.items():
            mate = next(o for o in PEOPLE if o != name and seats[o] == seats[name])
            answer(phone, card_text(mate, "ring 1"), card_text(name, "ring 2"))
        # The projector: the centre, its answers, and theirs, ring inside ring.
        rings = self.room.screen.locator(
            "#screen-ideas [data-testid=idea] .idea-card__answers [data-testid=idea] "
            ".idea-card__answers [data-testid=idea]"
        )
        expect(rings).to_have_count(len(PEOPLE))

    def photograph(self) -> None:
        shot(self.room.phones["Ada"], self.key, "phone")
        shot(self.room.screen, self.key, "projector")

    # -------------------------------------------------------------- the end

    def end(self) -> None:
        from playwright.sync_api import expect

        control, screen = self.room.control, self.room.screen
        if self.seated:
            self.end_tables()
        control.click("#session-end-button")
        expect(control.locator("#session-reopen-button")).to_be_visible()
        expect(screen.locator("#screen-outcome")).to_be_visible()
        outcome_ideas = screen.locator("#screen-outcome [data-testid=outcome-idea]")
        last = self.design.phases[-1]
        if last.kind == "ideas":
            # The outcome of a design of ideas: its last step's cards, most voted first.
            expect(outcome_ideas.first).to_contain_text(self.texts[last.key][0])
        else:
            expect(screen.locator("#screen-outcome [data-testid=outcome-principle]")).to_have_count(
                1
            )
        for phone in self.room.phones.values():
            expect(phone.locator("#ending-panel")).to_be_visible()
        shot(screen, self.key, "outcome-projector")
        shot(self.room.phones["Ada"], self.key, "outcome-phone")

    # -------------------------------------------------------------- the records

    def records(self) -> None:
        """The JSON and Markdown exports and the report carry tables, columns, parents."""
        from playwright.sync_api import expect

        control = self.room.control
        base = f"{self.url}/facilitate/{self.code}"
        response = control.request.get(f"{base}/export.json")
        assert response.ok, response.status
        data = response.json()
        jsonschema.Draft202012Validator(SCHEMA).validate(data)
        markdown = control.request.get(f"{base}/export.md").text()
        control.goto(f"{base}/report/")
        assert len(data["tables"]) == sum(self.rounds)
        names = {table["id"]: table["name"] for table in data["tables"]}
        steps = {step.key: step for step in self.design.phases}
        ideas = data.get("ideas", [])
        assert sorted(i["text"] for i in ideas) == sorted(
            t for step in self.texts.values() for t in step
        )
        for idea in ideas:
            step = steps[idea["phase"]]
            if step.tables and " centre" not in idea["text"]:
                assert idea["table"] in names, idea
                assert f"{names[idea['table']]}" in markdown
            elif not step.tables:
                assert idea["table"] is None, idea
            if step.columns:
                assert idea["column"] in idea["text"], idea
        with translation.override(LANG):
            for step in self.design.phases:
                for _key, title in step.columns:
                    assert f"### {title}" in markdown
                    column = control.locator(".report-ideas__column h3", has_text=str(title))
                    expect(column.first).to_be_visible()
        answers = [idea for idea in ideas if idea["parent"] is not None]
        if any((self.key, step) in WHEELS for step in steps):
            by_id = {idea["id"]: idea for idea in ideas}
            second = [a for a in answers if by_id[a["parent"]]["parent"] is not None]
            assert len(answers) == 2 * len(PEOPLE) and len(second) == len(PEOPLE)
            assert re.search(r"^    - Ada at ring 2", markdown, re.M), markdown
            nested = control.locator(".report-idea__answers .report-idea__answers .report-idea")
            expect(nested).to_have_count(len(PEOPLE))
        else:
            assert answers == []
        if self.rounds:
            expect(control.locator(".report-tag--table").first).to_be_visible()
        if any(step.kind == "statements" for step in self.design.phases):
            assert len(data["statements"]) == len(PEOPLE)
            assert [p["status"] for p in data["principles"]] == ["final"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", list(DESIGNS))
def test_a_design_runs_from_its_first_step_to_its_outcome(room, key, django_user_model):
    django_user_model.objects.create_user("alice", password=FACILITATOR_PASSWORD)
    room.sign_in()
    run = Run(room, key)
    previous = None
    run.create()
    try:
        for step in run.design.phases:
            run.open(step, previous)
            getattr(run, step.kind)(step)
            previous = step
        run.end()
        run.records()
    except Exception:
        # What each page showed when it failed, beside the daphne log.
        for name, page in [
            ("control", room.control),
            ("screen", room.screen),
            *room.phones.items(),
        ]:
            page.screenshot(
                path=f"{room.server.log.parent}/designs-{key}-{name}.png", full_page=True
            )
        raise
