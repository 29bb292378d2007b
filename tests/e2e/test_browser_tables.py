"""Breakout tables in real browsers: a facilitator and four participants in two tables.
Each participant sees their table and its members, and their own table's statements
first (the whole room's on demand); when the tables end, the plenary and the projector
show both tables' work, labelled by table.

Stable selectors:
  participant: #table-panel, [data-testid=my-table], #table-members li, #table-scope,
    #statements-list [data-testid=statement] [data-testid=table-label]
  control room: #tables-form (#tables-size, #tables-number, input[name=tables-by]),
    #tables-form-submit, #tables-list [data-testid=control-table], #tables-add, #tables-end,
    #tables-top [data-testid=table-top]
  projector: #screen-tables, #screen-statements [data-testid=table-label]
"""

from __future__ import annotations

import pytest

from tests.e2e.pages import join, sign_in

pytestmark = [pytest.mark.browser]

WORDS = {"Ada": "assessment", "Bob": "badges", "Cy": "curricula", "Di": "diplomas"}


def add_statement(page, activity: str, value: str) -> None:
    page.fill("#statement-activity", activity)
    page.fill("#statement-value", value)
    page.click("#statement-submit")


def test_two_tables_work_apart_and_merge_back_into_the_room(server, workshop, contexts):
    from playwright.sync_api import expect

    control = sign_in(contexts, server)
    control.goto(f"{server.url}/facilitate/{workshop.code}/")
    people = {name: join(contexts, server, workshop, name) for name in WORDS}
    screen = sign_in(contexts, server, width=1600)
    screen.goto(f"{server.url}/j/{workshop.code}/screen/")

    control.click("#phase-close-values")
    control.click("#phase-open-statements")
    control.fill("#tables-size", "2")
    control.click("#tables-form-submit")
    tables = control.locator("#tables-list [data-testid=control-table]")
    expect(tables).to_have_count(2)
    expect(tables.locator("[data-testid=table-member]")).to_have_count(4)
    expect(screen.locator("#screen-tables")).to_have_text("Table 1: 2 people · Table 2: 2 people")

    # Each participant sees their table, with its two members, themselves among them.
    seats: dict[str, str] = {}
    for name, page in people.items():
        expect(page.locator("#table-panel")).to_be_visible()
        seats[name] = page.locator("[data-testid=my-table]").inner_text()
        members = page.locator("#table-members li")
        expect(members).to_have_count(2)
        expect(members.filter(has_text=f"{name} (you)")).to_have_count(1)
    assert sorted(seats.values()) == ["Table 1", "Table 1", "Table 2", "Table 2"]

    for name, page in people.items():
        add_statement(page, WORDS[name], "openness")

    # Own table's work first: the tablemate's statement, not the other table's.
    ada = people["Ada"]
    mate = next(n for n in people if n != "Ada" and seats[n] == seats["Ada"])
    other = [n for n in people if seats[n] != seats["Ada"]]
    statements = ada.locator("#statements-list [data-testid=statement]")
    expect(statements).to_have_count(2)
    expect(statements.filter(has_text=WORDS[mate])).to_have_count(1)
    expect(statements.filter(has_text=WORDS[other[0]])).to_have_count(0)
    # ... and the whole room on demand.
    ada.click("#table-scope")
    expect(statements).to_have_count(4)
    expect(ada.locator("#table-scope")).to_have_attribute("aria-pressed", "true")
    ada.click("#table-scope")
    expect(statements).to_have_count(2)

    # The facilitator renames a table; every phone there reads the new name.
    first = tables.filter(has=control.get_by_role("heading", name=seats["Ada"], exact=True))
    first.get_by_role("button", name=f"Rename {seats['Ada']}").click()
    first.locator(".table-rename input").fill("Optimists")
    first.locator(".table-rename button[type=submit]").click()
    expect(ada.locator("[data-testid=my-table]")).to_have_text("Optimists")
    expect(people[mate].locator("[data-testid=my-table]")).to_have_text("Optimists")

    # The facilitator moves someone of the other table to Ada's: their phone follows.
    moved = other[1]
    row = tables.locator("[data-testid=table-member]", has_text=moved)
    row.locator("select").select_option(label="Optimists")
    expect(people[moved].locator("[data-testid=my-table]")).to_have_text("Optimists")
    expect(ada.locator("#table-members li")).to_have_count(3)
    optimists = tables.filter(has=control.get_by_role("heading", name="Optimists", exact=True))
    expect(optimists.locator("[data-testid=table-member]")).to_have_count(3)

    # The "All" step: each table's top items side by side in the control room.
    expect(control.locator("#tables-top [data-testid=table-top]")).to_have_count(2)

    # The tables end: everyone is back in the room, each statement labelled by table.
    control.click("#tables-end")
    for page in people.values():
        expect(page.locator("#table-panel")).to_be_hidden()
        room = page.locator("#statements-list [data-testid=statement]")
        expect(room).to_have_count(4)
        labelled = room.filter(has_text=WORDS["Ada"]).locator("[data-testid=table-label]")
        expect(labelled).to_have_text("Optimists")
        other_label = room.filter(has_text=WORDS[other[0]]).locator("[data-testid=table-label]")
        expect(other_label).to_have_text(seats[other[0]])
    expect(screen.locator("#screen-tables")).to_be_hidden()
    on_screen = screen.locator("#screen-statements [data-testid=screen-statement]")
    expect(on_screen).to_have_count(4)
    # What the moved person wrote stays their first table's: two labels each.
    expect(on_screen.locator("[data-testid=table-label]", has_text="Optimists")).to_have_count(2)
    expect(on_screen.locator("[data-testid=table-label]", has_text=seats[other[0]])).to_have_count(
        2
    )
    # The "All" step on the projector: each table's top items side by side, on request.
    control.click("#tables-top-show")
    expect(screen.locator("#screen-tables-top [data-testid=screen-table-top]")).to_have_count(2)
    expect(screen.locator("#screen-statements")).to_be_hidden()
    control.click("#tables-top-show")
    expect(screen.locator("#screen-tables-top")).to_be_hidden()
    expect(screen.locator("#screen-statements")).to_be_visible()
    # Forming tables again is offered once these have ended.
    expect(control.locator("#tables-form")).to_be_visible()
