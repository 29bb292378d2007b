"""The browsers' own reducer, static/js/state.js, rebuilds what the server holds.

tests/workshops/test_state_machine.py checks a Python copy of the reducer; here random
sessions (the same Hypothesis rules, and principles, phases and results besides) run
through services, and chromium applies the events a browser is sent to the state it was
welcomed with, with state.js itself. Whenever checked, its model (values, statements and
their votes, principles, phases) must equal a fresh `workshop_state`, for a participant
and for a facilitator (who also sees what awaits approval).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from principles import services as principle_services
from principles.models import Principle
from tests.workshops.test_state_machine import Session, run_sessions
from workshops import services
from workshops.errors import Refused
from workshops.models import Participant, Workshop
from workshops.selectors import events_between, workshop_state

pytestmark = [pytest.mark.browser]

STATE_JS = Path(__file__).resolve().parents[2] / "static/js/state.js"
ORIGIN = "http://reducer.test"
BROWSERS_MAX = 3  # per session: one joined early, one later, some facilitators

# What the page compares: the model as a screen shows it, in the server state's terms.
PROJECT = """
(model, facilitator) => {
  const shown = (item) => !item.hidden && (facilitator || !item.pending);
  const byId = (a, b) => a.id - b.id;
  return {
    values: [...model.values.values()].filter(shown).sort(byId)
      .map((v) => [v.id, v.key, Boolean(v.pending), v.table]),
    statements: [...model.statements.values()].filter(shown).sort(byId)
      .map((s) => [s.id, s.key, s.votes, Boolean(s.pending), s.table]),
    principles: [...model.principles.values()].sort(byId)
      .map((p) => [p.id, p.title, p.body, p.status, p.votes, [...p.sources].sort((a, b) => a - b)]),
    phases: model.phases.map((p) => [p.key, p.status, p.results_hidden, p.vote_budget]),
    ideas: [...model.ideas.values()].filter(shown).sort(byId)
      .map((i) => [i.id, i.phase, i.column, i.parent, i.votes, Boolean(i.pending), i.table]),
    tables: [...model.tables.values()].sort(byId)
      .map((t) => [t.id, t.name, [...t.members].sort((a, b) => a - b), t.ended]),
    message: model.workshop.message && [model.workshop.message.text, model.workshop.message.at],
  };
}
"""


def project(state: dict[str, Any]) -> dict[str, Any]:
    """The same projection of a `workshop_state`, in Python."""
    return {
        "values": [[v["id"], v["key"], v["pending"], v["table"]] for v in state["values"]],
        "statements": [
            [s["id"], s["key"], s["votes"], s["pending"], s["table"]] for s in state["statements"]
        ],
        "principles": sorted(
            [p["id"], p["title"], p["body"], p["status"], p["votes"], sorted(p["sources"])]
            for p in state["principles"]
        ),
        "phases": [
            [p["key"], p["status"], p["results_hidden"], p["vote_budget"]] for p in state["phases"]
        ],
        "ideas": [
            [i["id"], i["phase"], i["column"], i["parent"], i["votes"], i["pending"], i["table"]]
            for i in state["ideas"]
        ],
        "tables": [
            [t["id"], t["name"], sorted(t["members"]), t["ended"]]
            for t in sorted(state["tables"], key=lambda t: t["id"])
        ],
        "message": [message["text"], message["at"]]
        if (message := state["workshop"]["message"])
        else None,
    }


@pytest.fixture(scope="module")
def reducer_page(browser):
    """A page that has imported state.js as an ES module, as every page module does."""
    page = browser.new_page()

    def serve(route):
        if route.request.url == f"{ORIGIN}/static/js/state.js":
            route.fulfill(body=STATE_JS.read_text(), content_type="text/javascript")
        else:
            route.fulfill(body="<!doctype html><title>state.js</title>", content_type="text/html")

    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/")
    page.evaluate(
        """async (project) => {
          const reducer = await import("/static/js/state.js");
          const shape = eval(project);
          window.replay = (welcome, events, facilitator) => {
            const model = reducer.createModel(welcome);
            for (const event of events) reducer.applyEvent(model, event);
            return shape(model, facilitator);
          };
        }""",
        PROJECT,
    )
    yield page
    page.close()


def welcome(workshop: Workshop, facilitator: bool) -> dict[str, Any]:
    """What a browser joining now is sent first: the state, and the seq it is current to."""
    seq, state = workshop_state(workshop, private=facilitator)
    role = "facilitator" if facilitator else "participant"
    return {"you": {"id": None, "name": "", "role": role, "votes": {}}, "seq": seq, "state": state}


def assert_the_browser_shows_what_the_server_holds(
    page: Any, workshop: Workshop, welcomed: dict[str, Any], facilitator: bool
) -> None:
    """state.js, given the welcome and every event sent since, equals a fresh state."""
    sent = events_between(workshop.pk, welcomed["seq"], private=facilitator)
    rebuilt = page.evaluate(
        "([welcome, events, facilitator]) => window.replay(welcome, events, facilitator)",
        [welcomed, sent, facilitator],
    )
    _seq, fresh = workshop_state(workshop, private=facilitator)
    assert rebuilt == project(fresh)


class BrowserSession(Session):
    """Session's people and moderation, plus principles, phases and results; browsers
    that joined at some point apply every event sent to them since."""

    page: Any = None
    checks = 0  # how many times a browser's model was compared, over all examples

    # Session's own clients check its Python reducer, which knows nothing of what this
    # machine adds (pending items, principles): here browsers check state.js instead.
    def connect(self):
        raise NotImplementedError

    def reconnect_with_since(self, client):
        raise NotImplementedError

    @initialize()
    def no_browser_yet(self):
        self.browsers: list[dict[str, Any]] = []

    @precondition(lambda self: len(self.browsers) < BROWSERS_MAX)
    @rule(facilitator=st.booleans())
    def a_browser_joins(self, facilitator):
        joined = {"welcome": welcome(self.workshop, facilitator), "facilitator": facilitator}
        self.browsers.append(joined)

    @invariant()
    def every_browser_shows_what_the_server_holds(self):
        for browser in getattr(self, "browsers", []):
            assert_the_browser_shows_what_the_server_holds(
                self.page, self.workshop, browser["welcome"], browser["facilitator"]
            )
            BrowserSession.checks += 1

    @rule(pick=st.integers(0, 50), premoderated=st.booleans())
    def moderate_first(self, pick, premoderated):
        """Pre-moderation on or off, and a contribution awaiting approval approved."""
        services.moderation_set(participant=self.host, premoderated=premoderated)
        pending = list(self.workshop.value_set.filter(pending=True).values_list("id", flat=True))
        if pending:
            with contextlib.suppress(Refused):  # hidden meanwhile
                services.value_approve(participant=self.host, id=pending[pick % len(pending)])
        waiting = self._idea_ids(pending=True)
        if waiting:
            with contextlib.suppress(Refused):  # hidden meanwhile
                services.idea_approve(participant=self.host, id=waiting[pick % len(waiting)])

    @rule(
        phase=st.sampled_from(["values", "statements", "principles", "ideas"]), open_=st.booleans()
    )
    def move_through_phases(self, phase, open_):
        with contextlib.suppress(Refused):  # already so
            (services.phase_open if open_ else services.phase_close)(
                participant=self.host, phase=phase
            )

    @rule(hide=st.booleans(), phase=st.sampled_from(["statements", "ideas"]))
    def hide_or_reveal_results(self, hide, phase):
        (services.results_hide if hide else services.results_reveal)(
            participant=self.host, phase=phase
        )

    @rule(text=st.sampled_from(["Five minutes left", "Back to the room", "", None]))
    def message_the_room(self, text):
        """The facilitator's message to every screen sent, replaced or (None) cleared."""
        with contextlib.suppress(Refused):  # empty, or nothing to clear
            if text is None:
                services.message_clear(participant=self.host)
            else:
                services.message_send(participant=self.host, text=text)

    @rule(pick=st.integers(0, 50), hide=st.booleans())
    def moderate_a_statement(self, pick, hide):
        statements = list(self.workshop.statement_set.values_list("id", flat=True))
        if statements:
            moderate = services.statement_hide if hide else services.statement_restore
            with contextlib.suppress(Refused):
                moderate(participant=self.host, id=statements[pick % len(statements)])

    @rule(title=st.sampled_from(["Care", "Trust first", ""]), picks=st.lists(st.integers(0, 50)))
    def propose_a_principle(self, title, picks):
        statements = list(self.workshop.statement_set.values_list("id", flat=True))
        sources = sorted({statements[p % len(statements)] for p in picks}) if statements else []
        with contextlib.suppress(Refused):  # an empty title
            principle_services.principle_propose(
                participant=self.host, title=title, body="Why.", sources=sources
            )

    def _principle_ids(self) -> list[int]:
        return list(Principle.objects.filter(workshop=self.workshop).values_list("id", flat=True))

    @rule(pick=st.integers(0, 50), finalize=st.booleans(), position=st.integers(0, 3))
    def shape_a_principle(self, pick, finalize, position):
        principles = self._principle_ids()
        if not principles:
            return
        id = principles[pick % len(principles)]
        if finalize:
            principle_services.principle_finalize(participant=self.host, id=id)
        else:
            principle_services.principle_edit(
                participant=self.host, id=id, title=f"Edited {position}", position=position
            )

    @rule(person=Session.people, pick=st.integers(0, 50), retract=st.booleans())
    def vote_on_a_principle(self, person, pick, retract):
        principles = self._principle_ids()
        if principles:
            target = {"kind": "principle", "id": principles[pick % len(principles)]}
            with contextlib.suppress(Refused):  # phase closed, budget spent
                (services.vote_retract if retract else services.vote_cast)(
                    participant=person, target=target
                )


# `transactional_db`, requested here rather than by a mark, is set up after the e2e
# conftest lets the ORM run beside Playwright's event loop, and flushed before it stops.
def test_state_js_rebuilds_the_server_state_from_the_events_a_browser_is_sent(
    transactional_db, reducer_page
):
    BrowserSession.page = reducer_page
    run_sessions(BrowserSession, sessions=25, steps=40)
    assert BrowserSession.checks > 150, "the sessions hardly ever compared a browser's model"


@pytest.mark.parametrize("kind", ["statement", "principle"])
@pytest.mark.parametrize("hidden", ["before it is proposed", "after it is proposed"])
def test_no_total_shows_while_results_are_hidden(
    transactional_db, reducer_page, workshop: Workshop, host: Participant, kind: str, hidden: str
) -> None:
    # Found by the sessions above: state.js gave a new statement or principle 0 votes,
    # and kept the totals it had when results were hidden, where the server withholds
    # every total of a phase that hides its results.
    welcomed = welcome(workshop, facilitator=False)

    def hide_results() -> None:
        for phase in ("statements", "principles"):
            services.results_hide(participant=host, phase=phase)

    for phase in ("statements", "principles"):
        services.phase_open(participant=host, phase=phase)
    if hidden == "before it is proposed":
        hide_results()
    statement = services.statement_add(participant=host, activity="assessment", value="equity")
    if kind == "principle":
        principle_services.principle_propose(
            participant=host, title="Care", body="", sources=[statement.data["id"]]
        )
    if hidden == "after it is proposed":
        hide_results()
    assert_the_browser_shows_what_the_server_holds(reducer_page, workshop, welcomed, False)
