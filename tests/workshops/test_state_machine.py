"""Random sessions: whatever people do, the state a client rebuilds from the events it
receives equals the state read from the database.

Clients here keep a cursor in the log like browsers do: they fall behind (a dropped
connection) and catch up with `since`, or start over from a full state.
"""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
)

from workshops import services
from workshops.events import TEXT_KINDS
from workshops.selectors import events_between, workshop_state
from workshops.services import Refused

WORDS = st.sampled_from(["equity", "Equity ", "care", "caring", "trust", "", "x" * 81, "<b>x</b>"])
IDEAS = st.sampled_from(["remote exams", "schools as commons", "", "x" * 281, "<i>x</i>"])
# The ideas phase every session runs beside statements: its key and its columns.
IDEAS_PHASE = "ideas"
COLUMNS = [{"key": "h1", "title": "Horizon 1"}, {"key": "h3", "title": "Horizon 3"}]


@dataclass
class Mirror:
    """What a minimal client keeps of the state: each value's key, each statement's
    votes, each idea's column, parent and votes."""

    values: dict[int, str]
    statements: dict[int, int | None]
    ideas: dict[int, list[Any]]

    def value_shown(self, data: dict[str, Any]) -> None:
        self.values.setdefault(data["id"], data["key"])

    def value_gone(self, data: dict[str, Any]) -> None:
        self.values.pop(data["id"], None)
        for follower in data.get("regrouped", []):
            if follower["id"] in self.values:
                self.values[follower["id"]] = follower["key"]

    def values_merged(self, data: dict[str, Any]) -> None:
        for merged in data["ids"]:
            if merged in self.values:
                self.values[merged] = data["key"]

    def values_hidden(self, data: dict[str, Any]) -> None:
        for hidden in data["ids"]:
            self.values.pop(hidden, None)

    def statement_shown(self, data: dict[str, Any]) -> None:
        self.statements.setdefault(data["id"], 0)

    def statement_gone(self, data: dict[str, Any]) -> None:
        self.statements.pop(data["id"], None)

    def statements_hidden(self, data: dict[str, Any]) -> None:
        for hidden in data["ids"]:
            self.statements.pop(hidden, None)

    def statement_merged(self, data: dict[str, Any]) -> None:
        for merged in data["ids"]:
            if merged in self.statements:
                self.statements[merged] = None if data["total"] is None else 0
        if data["into"] in self.statements:
            self.statements[data["into"]] = data["total"]

    def vote_changed(self, data: dict[str, Any]) -> None:
        target = data["target"]
        if target in ({"kind": "statement", "id": id} for id in self.statements):
            self.statements[target["id"]] = data["total"]
        elif target in ({"kind": "idea", "id": id} for id in self.ideas):
            self.ideas[target["id"]][2] = data["total"]

    def idea_shown(self, data: dict[str, Any]) -> None:
        self.ideas.setdefault(data["id"], [data["column"], data["parent"], 0])

    def idea_gone(self, data: dict[str, Any]) -> None:
        self.ideas.pop(data["id"], None)
        for orphan in data.get("orphans", []):
            if orphan in self.ideas:
                self.ideas[orphan][1] = None

    def idea_moved(self, data: dict[str, Any]) -> None:
        if data["id"] in self.ideas:
            self.ideas[data["id"]][0] = data["column"]


# What each kind of event does to the mirror; other kinds change nothing it keeps.
REDUCERS: dict[str, Callable[[Mirror, dict[str, Any]], None]] = {
    "value.added": Mirror.value_shown,
    "value.restored": Mirror.value_shown,
    "value.hidden": Mirror.value_gone,
    "value.removed": Mirror.value_gone,
    "value.merged": Mirror.values_merged,
    "values.merged": Mirror.values_merged,
    "values.hidden": Mirror.values_hidden,
    "statement.added": Mirror.statement_shown,
    "statement.restored": Mirror.statement_shown,
    "statement.hidden": Mirror.statement_gone,
    "statement.removed": Mirror.statement_gone,
    "statements.hidden": Mirror.statements_hidden,
    "statement.merged": Mirror.statement_merged,
    "vote.changed": Mirror.vote_changed,
    "idea.added": Mirror.idea_shown,
    "idea.restored": Mirror.idea_shown,
    "idea.hidden": Mirror.idea_gone,
    "idea.removed": Mirror.idea_gone,
    "idea.moved": Mirror.idea_moved,
}


def rebuild(state: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """A minimal client: apply events to a state, as static/js/state.js does."""
    mirror = Mirror(
        values={v["id"]: v["key"] for v in state["values"]},
        statements={s["id"]: s["votes"] for s in state["statements"]},
        ideas={i["id"]: [i["column"], i["parent"], i["votes"]] for i in state.get("ideas", [])},
    )
    # Breakout tables, and the table each value, statement and idea came from.
    tables = {
        t["id"]: [t["name"], sorted(t["members"]), t["ended"]] for t in state.get("tables", [])
    }
    labels = {
        f"{kind}:{item['id']}": item.get("table")
        for kind in ("value", "statement", "idea")
        for item in state.get(f"{kind}s", [])
    }
    for event in events:
        kind, data = event["event"], event["data"]
        if data.get("redacted"):
            continue  # taken back by its author, or hidden: nothing left to show
        if kind in TEXT_KINDS:
            labels.setdefault(f"{TEXT_KINDS[kind]}:{data['id']}", data.get("table"))
        rebuild_tables(tables, kind, data)
        reducer = REDUCERS.get(kind)
        if reducer is not None:
            reducer(mirror, data)
    shown = {
        f"{kind}:{id}"
        for kind, items in (
            ("value", mirror.values),
            ("statement", mirror.statements),
            ("idea", mirror.ideas),
        )
        for id in items
    }
    return {
        "values": mirror.values,
        "statements": mirror.statements,
        "ideas": mirror.ideas,
        "tables": tables,
        "labels": {item: table for item, table in labels.items() if item in shown},
    }


def rebuild_tables(tables: dict[int, list[Any]], kind: str, data: dict[str, Any]) -> None:
    """Apply a table event to {id: [name, members, ended]}, as state.js does."""
    reducer = TABLE_REDUCERS.get(kind)
    if reducer is not None:
        reducer(tables, data)


def _tables_formed(tables: dict[int, list[Any]], data: dict[str, Any]) -> None:
    for table in data["tables"]:
        tables[table["id"]] = [table["name"], sorted(table["members"]), False]


def _table_added(tables: dict[int, list[Any]], data: dict[str, Any]) -> None:
    tables.setdefault(data["id"], [data["name"], [], False])


def _table_changed(tables: dict[int, list[Any]], data: dict[str, Any]) -> None:
    for table in tables.values():
        if not table[2] and data["participant"] in table[1]:
            table[1].remove(data["participant"])
    if data["table"] in tables:
        tables[data["table"]][1] = sorted({*tables[data["table"]][1], data["participant"]})


def _table_renamed(tables: dict[int, list[Any]], data: dict[str, Any]) -> None:
    if data["table"] in tables:
        tables[data["table"]][0] = data["name"]


def _tables_ended(tables: dict[int, list[Any]], data: dict[str, Any]) -> None:
    for id in data["tables"]:
        if id in tables:
            tables[id][2] = True


TABLE_REDUCERS: dict[str, Callable[[dict[int, list[Any]], dict[str, Any]], None]] = {
    "tables.formed": _tables_formed,
    "table.added": _table_added,
    "table.changed": _table_changed,
    "table.renamed": _table_renamed,
    "tables.ended": _tables_ended,
}


def visible(state: dict[str, Any]) -> dict[str, Any]:
    return rebuild(state, [])


class Session(RuleBasedStateMachine):
    people = Bundle("people")
    clients = Bundle("clients")

    @initialize()
    def open_workshop(self):
        self.workshop = services.workshop_create(title="Random session")
        self.host = services.participant_join(workshop=self.workshop)[0]
        self.host.role = "facilitator"
        self.host.save()
        services.phase_open(participant=self.host, phase="statements")
        services.phase_add(participant=self.host, kind="ideas", title="Ideas", columns=COLUMNS)
        services.phase_open(participant=self.host, phase=IDEAS_PHASE)
        self.refs = 0

    @rule(target=people, name=st.text(max_size=10))
    def join(self, name):
        return services.participant_join(workshop=self.workshop, name=name)[0]

    @rule(target=clients)
    def connect(self):
        seq, state = workshop_state(self.workshop)
        return {"seq": seq, "state": rebuild(state, [])}

    def _ref(self, reuse: bool) -> str:
        if not reuse:
            self.refs += 1
        return f"r{self.refs}"

    @rule(person=people, text=WORDS, reuse=st.booleans())
    def add_value(self, person, text, reuse):
        with contextlib.suppress(Refused):
            services.value_add(participant=person, text=text, ref=self._ref(reuse))

    @rule(person=people, activity=WORDS, value=WORDS)
    def add_statement(self, person, activity, value):
        with contextlib.suppress(Refused):
            services.statement_add(participant=person, activity=activity, value=value)

    @rule(person=people, pick=st.integers(0, 50), retract=st.booleans())
    def vote(self, person, pick, retract):
        statements = list(self.workshop.statement_set.values_list("id", flat=True))
        if not statements:
            return
        target = {"kind": "statement", "id": statements[pick % len(statements)]}
        with contextlib.suppress(Refused):
            (services.vote_retract if retract else services.vote_cast)(
                participant=person, target=target
            )

    @rule(pick=st.integers(0, 50), hide=st.booleans())
    def moderate(self, pick, hide):
        values = list(self.workshop.value_set.values_list("id", "hidden"))
        if not values:
            return
        value_id, _hidden = values[pick % len(values)]
        moderate = services.value_hide if hide else services.value_restore
        with contextlib.suppress(Refused):
            moderate(participant=self.host, id=value_id)

    @rule(pick=st.integers(0, 50), into=st.integers(0, 50))
    def merge(self, pick, into):
        values = list(self.workshop.value_set.filter(hidden=False).values_list("id", flat=True))
        if len(values) < 2:
            return
        with contextlib.suppress(Refused):
            services.value_merge(
                participant=self.host,
                id=values[pick % len(values)],
                into=values[into % len(values)],
            )

    @rule(picks=st.lists(st.integers(0, 50), min_size=1, max_size=4), into=st.integers(0, 50))
    def moderate_a_card(self, picks, into):
        """values.hide, values.merge and statement.merge: one command for several items."""
        values = list(self.workshop.value_set.filter(hidden=False).values_list("id", flat=True))
        statements = list(
            self.workshop.statement_set.filter(hidden=False).values_list("id", flat=True)
        )
        with contextlib.suppress(Refused):
            if values and into % 3 == 0:
                services.values_hide(
                    participant=self.host, ids=[values[p % len(values)] for p in picks]
                )
            elif values and into % 3 == 1:
                services.values_merge(
                    participant=self.host,
                    ids=[values[p % len(values)] for p in picks],
                    into=values[into % len(values)],
                )
            elif statements:
                services.statement_merge(
                    participant=self.host,
                    id=statements[picks[0] % len(statements)],
                    into=statements[into % len(statements)],
                )

    @rule(person=people, pick=st.integers(0, 50))
    def take_back(self, person, pick):
        mine = list(self.workshop.value_set.filter(author=person).values_list("id", flat=True))
        if mine:
            with contextlib.suppress(Refused):  # hidden by the facilitator meanwhile
                services.value_remove(participant=person, id=mine[pick % len(mine)])

    def _idea_ids(self, **flags: bool) -> list[int]:
        return list(self.workshop.idea_set.filter(**flags).values_list("id", flat=True))

    @rule(person=people, text=IDEAS, column=st.sampled_from([None, "h1", "h3", "h9"]))
    def add_idea(self, person, text, column):
        with contextlib.suppress(Refused):
            services.idea_add(participant=person, phase=IDEAS_PHASE, text=text, column=column)

    @rule(person=people, text=IDEAS, pick=st.integers(0, 50))
    def answer_an_idea(self, person, text, pick):
        ideas = self._idea_ids()
        if ideas:
            with contextlib.suppress(Refused):  # hidden, or awaiting approval
                services.idea_add(
                    participant=person,
                    phase=IDEAS_PHASE,
                    text=text,
                    parent=ideas[pick % len(ideas)],
                )

    @rule(person=people, pick=st.integers(0, 50), retract=st.booleans())
    def vote_on_an_idea(self, person, pick, retract):
        ideas = self._idea_ids()
        if ideas:
            target = {"kind": "idea", "id": ideas[pick % len(ideas)]}
            with contextlib.suppress(Refused):
                (services.vote_retract if retract else services.vote_cast)(
                    participant=person, target=target
                )

    @rule(pick=st.integers(0, 50), how=st.sampled_from(["hide", "restore", "h1", "h3"]))
    def moderate_an_idea(self, pick, how):
        ideas = self._idea_ids()
        if not ideas:
            return
        id = ideas[pick % len(ideas)]
        with contextlib.suppress(Refused):
            if how == "hide":
                services.idea_hide(participant=self.host, id=id)
            elif how == "restore":
                services.idea_restore(participant=self.host, id=id)
            else:
                services.idea_move(participant=self.host, id=id, column=how)

    @rule(person=people, pick=st.integers(0, 50))
    def take_back_an_idea(self, person, pick):
        mine = self._idea_ids(author=person)
        if mine:
            with contextlib.suppress(Refused):  # hidden meanwhile
                services.idea_remove(participant=person, id=mine[pick % len(mine)])

    def _table_ids(self) -> list[int]:
        return list(self.workshop.tables.filter(ended_at=None).values_list("id", flat=True))

    @rule(size=st.integers(1, 13), by_count=st.booleans(), apart=st.booleans())
    def form_tables(self, size, by_count, apart):
        fields = {"count": size} if by_count else {"size": size}
        with contextlib.suppress(Refused):  # formed already; a size out of range
            services.tables_form(participant=self.host, apart=apart, **fields)

    @rule(person=people, pick=st.integers(0, 50))
    def move_someone(self, person, pick):
        tables = self._table_ids()
        if tables:
            with contextlib.suppress(Refused):  # already there
                services.table_move(
                    participant=self.host, person=person.pk, table=tables[pick % len(tables)]
                )

    @rule(how=st.sampled_from(["add", "rename", "end"]), pick=st.integers(0, 50))
    def change_the_tables(self, how, pick):
        with contextlib.suppress(Refused):  # no tables formed
            if how == "add":
                services.table_add(participant=self.host)
            elif how == "end":
                services.tables_end(participant=self.host)
            elif tables := list(self.workshop.tables.values_list("id", flat=True)):
                table = tables[pick % len(tables)]
                services.table_rename(participant=self.host, table=table, name=f"T{pick}")

    @rule(client=consumes(clients), target=clients)
    def reconnect_with_since(self, client):
        labels = client["state"]["labels"]
        catch_up = events_between(self.workshop.pk, client["seq"], private=False)
        rebuilt = rebuild(
            {
                "values": [
                    {"id": i, "key": k, "table": labels[f"value:{i}"]}
                    for i, k in client["state"]["values"].items()
                ],
                "statements": [
                    {"id": i, "votes": v, "table": labels[f"statement:{i}"]}
                    for i, v in client["state"]["statements"].items()
                ],
                "ideas": [
                    {"id": i, "column": c, "parent": p, "votes": v, "table": labels[f"idea:{i}"]}
                    for i, (c, p, v) in client["state"]["ideas"].items()
                ],
                "tables": [
                    {"id": i, "name": name, "members": members, "ended": ended}
                    for i, (name, members, ended) in client["state"]["tables"].items()
                ],
            },
            catch_up,
        )
        seq, state = workshop_state(self.workshop)
        assert rebuilt == visible(state)
        return {"seq": seq, "state": rebuilt}

    @invariant()
    def the_log_is_contiguous(self):
        if not hasattr(self, "workshop"):
            return
        seqs = [e["seq"] for e in events_between(self.workshop.pk, 0)]
        assert seqs == list(range(1, len(seqs) + 1))


def run_sessions(machine: type[Session], *, sessions: int, steps: int) -> None:
    """Run `sessions` random sessions of up to `steps` steps (tests/e2e/test_state_js.py
    runs its subclass of Session with this too)."""
    machine.TestCase.settings = settings(
        max_examples=sessions,
        stateful_step_count=steps,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    machine.TestCase().runTest()


@pytest.mark.django_db
def test_clients_rebuild_the_database_state_from_events():
    run_sessions(Session, sessions=15, steps=25)
