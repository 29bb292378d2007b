"""Co-creation in a real browser, against a real daphne server: moderation, dot voting,
principles with their roots, consent rounds, and the recorded workshop from end to end.

Stable selectors these tests rely on (keep them when restyling the pages):

Control room /facilitate/CODE/
  #phase-open-<key>, #phase-close-<key>, #timer-minutes-<key>, #timer-start-<key>,
  #timer-stop-<key>, #phase-timer-<key>, #results-toggle-<key>, #phase-up-<key>,
  #phase-down-<key>, #phase-edit-<key> (settings form: #phase-title-<key>,
  #phase-prompt-<key>, #phase-budget-<key>, #phase-save-<key>), #phase-remove-<key>,
  #phase-add-form (#phase-add-kind, #phase-add-title, #phase-add-prompt)
  #wording-form (#wording-title, #wording-template, #wording-suggestions, #wording-submit)
  #pulse-values, #pulse-statements            "3 of 4 have added a value"
  #control-values [data-testid=control-value] .hide-button
  #control-statements [data-testid=control-statement] .source-check   (sources to propose from)
  #suggestions-list [data-testid=merge-suggestion] .suggestion-merge
  #hidden-list [data-testid=hidden-item] .restore-button
  #propose-form (#propose-title, #propose-body, #propose-submit)
  #control-principles [data-testid=control-principle][data-principle=<id>]:
      #principle-up-<id>, #principle-down-<id>, #principle-edit-<id>, #consent-open-<id>,
      #consent-close-<id>, #principle-finalize-<id>, .consent-bar [data-level] .consent-bar__count
  #audit (details) #audit-list [data-testid=audit-entry]
  #people, #export-json, #export-json-anon (and csv, xlsx, md)
Participant page /j/CODE/
  #phase-timer, #results-hidden, #my-values [data-testid=my-value] .remove-mine,
  #statements-list .statement-remove, .vote-cast, .vote-retract, #vote-budget
  #principles-list [data-testid=principle] .principle__title, .principle__roots .root,
      .principle-vote, .principle-retract, #principle-budget
  #principle-propose (details) #principle-form (#principle-title, #principle-body,
      #principle-sources .principle-source, #principle-submit)
  #consent-panel: #consent-full, #consent-reservations, #consent-discuss, #consent-cannot,
      #consent-reason, #consent-distribution [data-level] .consent-bar__count
Projector /j/CODE/screen/
  #screen-timer, #screen-results-hidden, #screen-principles [data-testid=screen-principle]
  .screen-principle__title, [data-testid=screen-root]; #screen-consent, #screen-consent-bar
"""

from __future__ import annotations

import re

import pytest

from principles import services as principle_services
from tests.e2e.pages import join, sign_in
from workshops import services
from workshops.demo import STATEMENTS, VALUES

pytestmark = [pytest.mark.browser]

QUESTION = "What might {activity} look like as a practice of {value}?"


def control_room(new_context, server, workshop):
    page = sign_in(new_context, server)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{server.url}/facilitate/{workshop.code}/")
    page.wait_for_selector("#conn-status[data-state=connected]")
    return page


def projector(new_context, server, workshop):
    page = sign_in(new_context, server, width=1600, height=900)
    page.goto(f"{server.url}/j/{workshop.code}/screen/")
    page.wait_for_selector("#conn-status[data-state=connected]")
    return page


def add_value(page, text):
    page.fill("#value-input", text)
    page.click("#value-submit")


def question(activity, value):
    return QUESTION.format(activity=activity, value=value)


def statement_row(page, text):
    return page.locator("#statements-list [data-testid=statement]").filter(
        has=page.locator(".statement__text", has_text=re.compile(f"^{re.escape(text)}$"))
    )


def seed_statements(workshop, host, pairs):
    """Values and statements written by people who are not in the browser test."""
    author = services.participant_join(workshop=workshop, name="Earlier")[0]
    for _activity, value in pairs:
        services.value_add(participant=author, text=value)
    services.phase_open(participant=host, phase="statements")
    ids = {}
    for activity, value in pairs:
        event = services.statement_add(participant=author, activity=activity, value=value)
        ids[(activity, value)] = event.data["id"]
    return ids


# ---------------------------------------------------------------------------- moderation


def test_a_hidden_value_leaves_two_participants_screens_within_a_second(server, workshop, contexts):
    from playwright.sync_api import expect

    ada = join(contexts, server, workshop, "Ada")
    bob = join(contexts, server, workshop, "Bob")
    control = control_room(contexts, server, workshop)
    add_value(ada, "equity")
    add_value(bob, "buy my course")
    for page in (ada, bob):
        expect(page.locator("#values-cloud .cloud__text", has_text="buy my course")).to_have_count(
            1
        )

    spam = control.locator("#control-values [data-testid=control-value]", has_text="buy my course")
    spam.locator(".hide-button").click()
    for page in (ada, bob):
        expect(page.locator("#values-cloud .cloud__text", has_text="buy my course")).to_have_count(
            0, timeout=1000
        )
        expect(page.locator("#values-cloud .cloud__text", has_text="equity")).to_have_count(1)

    # The control room keeps the text it had, lists it as hidden, and can bring it back.
    hidden = control.locator("#hidden-list [data-testid=hidden-item]")
    expect(hidden).to_have_count(1)
    expect(hidden).to_contain_text("buy my course")
    control.locator("#audit summary").click()
    expect(control.locator("#audit-list [data-testid=audit-entry]").first).to_contain_text("You")
    expect(control.locator("#audit-list")).to_contain_text("hid the value “buy my course”")
    hidden.locator(".restore-button").click()
    expect(ada.locator("#values-cloud .cloud__text", has_text="buy my course")).to_have_count(1)
    expect(hidden).to_have_count(0)

    # After a reload the hidden item is still listed (from the log), with its text.
    spam.locator(".hide-button").click()
    expect(ada.locator("#values-cloud .cloud__text", has_text="buy my course")).to_have_count(0)
    control.reload()
    expect(control.locator("#hidden-list [data-testid=hidden-item]")).to_contain_text(
        "buy my course"
    )


def test_a_participant_takes_back_their_own_value(server, workshop, contexts):
    from playwright.sync_api import expect

    ada = join(contexts, server, workshop, "Ada")
    bob = join(contexts, server, workshop, "Bob")
    add_value(ada, "equality")
    add_value(bob, "care")
    expect(bob.locator("#values-cloud .cloud__text", has_text="equality")).to_have_count(1)
    # Only one's own values can be taken back.
    expect(bob.locator("#my-values [data-testid=my-value] .my-item__text")).to_have_text(["care"])
    mine = ada.locator("#my-values [data-testid=my-value]", has_text="equality")
    mine.locator(".remove-mine").click()
    expect(bob.locator("#values-cloud .cloud__text", has_text="equality")).to_have_count(0)
    expect(ada.locator("#my-values-box")).to_be_hidden()


def test_merging_a_suggested_duplicate_counts_both_as_one(server, workshop, contexts):
    from playwright.sync_api import expect

    ada = join(contexts, server, workshop, "Ada")
    bob = join(contexts, server, workshop, "Bob")
    control = control_room(contexts, server, workshop)
    add_value(ada, "transparency")
    add_value(ada, "care")
    add_value(bob, "transparent")
    suggestion = control.locator("#suggestions-list [data-testid=merge-suggestion]")
    expect(suggestion).to_have_count(1, timeout=5000)
    suggestion.locator(".suggestion-merge").click()
    group = bob.locator("#values-cloud .cloud__item", has_text="transparen")
    expect(group).to_have_count(1)
    expect(group.locator(".cloud__count")).to_have_text("2")
    expect(suggestion).to_have_count(0, timeout=5000)


# ---------------------------------------------------------------------------- votes


def test_votes_are_spent_within_the_budget_and_totals_update_live(server, workshop, host, contexts):
    from playwright.sync_api import expect

    pairs = [("assessment", "equity"), ("co-creation", "care")]
    seed_statements(workshop, host, pairs)
    ada = join(contexts, server, workshop, "Ada")
    bob = join(contexts, server, workshop, "Bob")
    control = control_room(contexts, server, workshop)
    first = question(*pairs[0])

    for left in (2, 1, 0):
        # As a person does: the row grows a "yours" line and a take-back button after a
        # vote, moving the button, so each click waits for the previous one to count.
        statement_row(ada, first).locator(".vote-cast").click()
        expect(ada.locator("#vote-budget")).to_have_text(f"{left} of 3 votes left")
    expect(statement_row(ada, first).locator(".vote-cast")).to_be_disabled()
    expect(statement_row(bob, first).locator(".statement__votes")).to_have_text(
        "3 votes", timeout=1000
    )
    statement_row(ada, first).locator(".vote-retract").click()
    expect(statement_row(bob, first).locator(".statement__votes")).to_have_text(
        "2 votes", timeout=1000
    )
    expect(ada.locator("#vote-budget")).to_have_text("1 of 3 votes left")

    # Hidden until reveal: the totals leave every screen, the budget still counts.
    control.click("#results-toggle-statements")
    expect(bob.locator("#results-hidden")).to_be_visible()
    expect(bob.locator("#results-hidden")).to_have_text(
        "Results hidden until the facilitator reveals them"
    )
    statement_row(bob, first).locator(".vote-cast").click()
    expect(bob.locator("#vote-budget")).to_have_text("2 of 3 votes left")
    expect(statement_row(ada, first).locator(".statement__votes")).to_be_hidden()
    control.click("#results-toggle-statements")
    expect(ada.locator("#results-hidden")).to_be_hidden()
    expect(statement_row(ada, first).locator(".statement__votes")).to_have_text("3 votes")


def test_the_vote_button_stays_under_the_finger_after_a_vote(server, workshop, host, contexts):
    """The first vote adds "1 of yours" and "Take back" to the row; on a phone they must
    not push "+1 vote" away from where the next tap lands."""
    from playwright.sync_api import expect

    pairs = [("peer review of open badges", "transparency")]
    seed_statements(workshop, host, pairs)
    ada = join(contexts, server, workshop, "Ada", viewport={"width": 390, "height": 844})
    row = statement_row(ada, question(*pairs[0]))
    cast = row.locator(".vote-cast")
    cast.scroll_into_view_if_needed()
    before = cast.bounding_box()
    cast.click()
    expect(row.locator(".vote-retract")).to_be_visible()
    expect(row.locator(".statement__mine")).to_have_text("1 of yours")
    assert cast.bounding_box() == before
    row.locator(".vote-retract").click()
    expect(row.locator(".vote-retract")).to_be_hidden()
    assert cast.bounding_box() == before

    cast.click()
    expect(row.locator(".vote-retract")).to_be_visible()
    services.phase_close(participant=host, phase="statements")
    expect(cast).to_be_hidden()  # voting is over: nothing to take back either
    expect(row.locator(".vote-retract")).to_be_hidden()
    expect(row.locator(".statement__mine")).to_have_text("1 of yours")


def test_a_timer_counts_down_on_the_phone_and_the_projector(server, workshop, contexts):
    from playwright.sync_api import expect

    ada = join(contexts, server, workshop, "Ada")
    screen = projector(contexts, server, workshop)
    control = control_room(contexts, server, workshop)
    expect(ada.locator("#phase-timer")).to_be_hidden()
    control.fill("#timer-minutes-values", "2")
    control.click("#timer-start-values")
    expect(ada.locator("#phase-timer")).to_have_text(re.compile(r"^(2:00|1:5\d) left$"))
    expect(screen.locator("#screen-timer")).to_have_text(re.compile(r"^(2:00|1:5\d)$"))
    expect(control.locator("#phase-timer-values")).to_be_visible()
    control.click("#timer-stop-values")
    expect(ada.locator("#phase-timer")).to_be_hidden()
    expect(screen.locator("#screen-timer")).to_be_hidden()


# ---------------------------------------------------------------------------- principles


def test_a_principle_from_two_statements_shows_both_roots_on_the_projector(
    server, workshop, host, contexts
):
    from playwright.sync_api import expect

    pairs = [("assessment", "equity"), ("recognition", "respect"), ("co-creation", "care")]
    ids = seed_statements(workshop, host, pairs)
    services.phase_open(participant=host, phase="principles")
    screen = projector(contexts, server, workshop)
    control = control_room(contexts, server, workshop)

    control.check(f"#source-{ids[pairs[0]]}")
    control.check(f"#source-{ids[pairs[1]]}")
    expect(control.locator("#propose-sources")).to_have_text("From 2 ticked statements.")
    control.fill("#propose-title", "Recognise learning wherever it happens")
    control.fill("#propose-body", "Assessment and recognition serve the learner first.")
    control.click("#propose-submit")

    principle = screen.locator("#screen-principles [data-testid=screen-principle]")
    expect(principle).to_have_count(1, timeout=2000)
    expect(principle.locator(".screen-principle__title")).to_have_text(
        "Recognise learning wherever it happens"
    )
    roots = principle.locator("[data-testid=screen-root]")
    expect(roots).to_have_count(2)
    expect(roots.nth(0)).to_contain_text(question(*pairs[0]))
    expect(roots.nth(0).locator(".screen-root__value")).to_have_text("equity")
    expect(roots.nth(1)).to_contain_text(question(*pairs[1]))
    expect(roots.nth(1).locator(".screen-root__value")).to_have_text("respect")

    # Edited in the control room, changed on the projector.
    card = control.locator("#control-principles [data-testid=control-principle]")
    pid = card.get_attribute("data-principle")
    control.click(f"#principle-edit-{pid}")
    control.fill(f"#principle-title-{pid}", "Recognise learning wherever it is done")
    control.click(f"#principle-save-{pid}")
    expect(principle.locator(".screen-principle__title")).to_have_text(
        "Recognise learning wherever it is done"
    )
    expect(roots).to_have_count(2)


def test_a_consent_round_shows_the_distribution_live(server, workshop, host, contexts):
    from playwright.sync_api import expect

    pairs = [("assessment", "equity")]
    ids = seed_statements(workshop, host, pairs)
    services.phase_open(participant=host, phase="principles")
    event = principle_services.principle_propose(
        participant=host, title="Open by default", body="", sources=[ids[pairs[0]]]
    )
    pid = event.data["id"]
    ada = join(contexts, server, workshop, "Ada")
    bob = join(contexts, server, workshop, "Bob")
    screen = projector(contexts, server, workshop)
    control = control_room(contexts, server, workshop)
    expect(ada.locator("#consent-panel")).to_be_hidden()

    control.click(f"#consent-open-{pid}")
    expect(ada.locator("#consent-panel")).to_be_visible()
    expect(ada.locator("#consent-title")).to_have_text("Open by default")
    expect(screen.locator("#screen-consent")).to_be_visible()

    def count(page, container, level):
        return page.locator(f"{container} [data-level={level}] .consent-bar__count")

    ada.click("#consent-full")
    expect(ada.locator("#consent-full")).to_have_attribute("aria-pressed", "true")
    bob.fill("#consent-reason", "Some data must stay private.")
    bob.click("#consent-cannot")
    card = f"#control-principles [data-principle='{pid}'] .consent-bar"
    for page, container in (
        (control, card),
        (screen, "#screen-consent-bar"),
        (ada, "#consent-distribution"),
    ):
        expect(count(page, container, "full")).to_have_text("1", timeout=1000)
        expect(count(page, container, "cannot")).to_have_text("1", timeout=1000)
    expect(control.locator(f"#control-principles [data-principle='{pid}']")).to_contain_text(
        "Some data must stay private."
    )
    # On the projector once the facilitator chooses to show them.
    control.click(f"#consent-reasons-show-{pid}")
    expect(screen.locator("#screen-consent-reasons")).to_contain_text(
        "Some data must stay private."
    )

    # Moving one's place moves the count.
    bob.click("#consent-reservations")
    expect(count(screen, "#screen-consent-bar", "cannot")).to_have_text("0")
    expect(count(screen, "#screen-consent-bar", "reservations")).to_have_text("1")

    control.click(f"#consent-close-{pid}")
    expect(ada.locator("#consent-panel")).to_be_hidden()
    # The projector keeps the result up until the facilitator moves on.
    expect(screen.locator("#screen-consent-eyebrow")).to_have_text("Consent round closed")
    expect(control.locator(f"#consent-open-{pid}")).to_have_text("New consent round")


# ---------------------------------------------------------------------------- the whole session


def test_the_recorded_workshop_from_the_first_value_to_final_principles(server, workshop, contexts):
    """OE Global 2021, "Open Futures for Micro-credentialing", as its results post has it:
    nine values, eight statements; then principles drafted, voted and agreed."""
    names = ["Lena", "Tannis", "Deborah"]
    people = [join(contexts, server, workshop, name) for name in names]
    screen = projector(contexts, server, workshop)
    control = control_room(contexts, server, workshop)
    the_room_names_its_values(people, screen, control)
    the_room_situates_them_in_statements(people, screen, control)
    the_room_votes_on_statements(people, names, screen)
    principles = principles_are_drafted_and_voted(people, screen, control)
    each_principle_is_consented_to_and_final(people, screen, control, principles)


def the_room_names_its_values(people, screen, control):
    from playwright.sync_api import expect

    # Activity one: what are your open values?
    for index, text in enumerate(VALUES):
        add_value(people[index % 3], text)
    expect(screen.locator("#screen-cloud [data-testid=screen-value]")).to_have_count(len(VALUES))
    expect(control.locator("#pulse-values")).to_have_text(
        re.compile(r"^3 of \d+ have added a value$")
    )


def the_room_situates_them_in_statements(people, screen, control):
    from playwright.sync_api import expect

    # Activity two: situate your values in an activity statement.
    control.click("#phase-close-values")
    control.click("#phase-open-statements")
    for index, (activity, value) in enumerate(STATEMENTS):
        page = people[index % 3]
        expect(page.locator("#statement-panel")).to_be_visible()
        page.fill("#statement-activity", activity)
        page.fill("#statement-value", value)
        page.click("#statement-submit")
        expect(page.locator("#statement-activity")).to_have_value("")
    distinct = {question(a, v) for a, v in STATEMENTS}  # accessibility/transparency twice
    expect(screen.locator("#screen-statements [data-testid=screen-statement]")).to_have_count(
        len(distinct)
    )
    expect(control.locator("#stat-statements")).to_have_text(str(len(STATEMENTS)))


def the_room_votes_on_statements(people, names, screen):
    from playwright.sync_api import expect

    lena = people[0]
    # Dot voting: three votes each.
    ballots = {
        "Lena": [("assessment", "equity")] * 2 + [("co-creation", "care")],
        "Tannis": [
            ("accessibility", "transparency"),
            ("assessment", "equity"),
            ("co-creation", "care"),
        ],
        "Deborah": [("accessibility", "transparency")] * 2 + [("recognition", "respect")],
    }
    for page, name in zip(people, names, strict=True):
        for left, pair in zip((2, 1, 0), ballots[name], strict=True):
            statement_row(page, question(*pair)).locator(".vote-cast").click()
            expect(page.locator("#vote-budget")).to_have_text(f"{left} of 3 votes left")
    expect(
        statement_row(lena, question("assessment", "equity")).locator(".statement__votes")
    ).to_have_text("3 votes")
    top = screen.locator("#screen-statements [data-testid=screen-statement]").first
    expect(top.locator(".screen-statement__votes")).to_have_text("3 votes")


def principles_are_drafted_and_voted(people, screen, control):
    from playwright.sync_api import expect

    lena, tannis, _deborah = people
    # Principles: one from a participant's phone, one drafted by the facilitator.
    control.click("#phase-close-statements")
    control.click("#phase-open-principles")
    expect(lena.locator("#principle-propose")).to_be_visible()
    lena.locator("#principle-propose summary").click()
    lena.fill("#principle-title", "Assessment as a practice of equity")
    lena.fill("#principle-body", "Recognise prior learning and assess fairly.")
    lena.locator(
        "#principle-sources .source-picker__item", has_text=question("assessment", "equity")
    ).locator("input").check()
    lena.locator(
        "#principle-sources .source-picker__item", has_text=question("PLAR/RPL", "equity")
    ).locator("input").check()
    lena.click("#principle-submit")
    expect(lena.locator("#principle-sent")).to_contain_text("Principle proposed")

    for pair in [("accessibility", "transparency"), ("co-creation", "care")]:
        row = control.locator(
            "#control-statements [data-testid=control-statement]", has_text=question(*pair)
        )
        row.locator(".source-check").check()
    control.fill("#propose-title", "Open and co-created by design")
    control.click("#propose-submit")

    principles = control.locator("#control-principles [data-testid=control-principle]")
    expect(principles).to_have_count(2)
    for page in people:
        expect(page.locator("#principles-list [data-testid=principle]")).to_have_count(2)

    # Provenance on the phone: a principle leads back to its statements and their values.
    first = tannis.locator("#principles-list [data-testid=principle]").first
    expect(first.locator(".principle__title")).to_have_text("Assessment as a practice of equity")
    first.locator(".principle__roots summary").click()
    expect(first.locator(".root")).to_have_count(2)
    expect(first.locator(".root").first).to_contain_text("builds on the value “equity”")

    # Votes on principles, within the principles budget.
    for page in people:
        page.locator(
            "#principles-list [data-testid=principle]", has_text="Open and co-created"
        ).locator(".principle-vote").click()
    lena.locator("#principles-list [data-testid=principle]", has_text="Assessment as").locator(
        ".principle-vote"
    ).click()
    expect(lena.locator("#principle-budget")).to_have_text("1 of 3 votes left")
    ranked = screen.locator("#screen-principles [data-testid=screen-principle]")
    expect(ranked.first.locator(".screen-principle__title")).to_have_text(
        "Open and co-created by design"
    )
    expect(ranked.first.locator(".screen-principle__votes")).to_have_text("3 votes")
    expect(ranked.first.locator("[data-testid=screen-root]")).to_have_count(2)

    return principles


def each_principle_is_consented_to_and_final(people, screen, control, principles):
    from playwright.sync_api import expect

    lena, tannis, deborah = people
    # The facilitator puts the agreed order right, then a consent round on each, and final.
    second_id = principles.nth(1).get_attribute("data-principle")
    control.click(f"#principle-up-{second_id}")
    expect(principles.first).to_have_attribute("data-principle", second_id)
    for principle_id in [p.get_attribute("data-principle") for p in principles.all()]:
        control.click(f"#consent-open-{principle_id}")
        for page in people:
            expect(page.locator("#consent-panel")).to_be_visible()
        lena.click("#consent-full")
        tannis.click("#consent-full")
        deborah.click("#consent-reservations")
        bar = f"#control-principles [data-principle='{principle_id}'] .consent-bar"
        expect(control.locator(f"{bar} [data-level=full] .consent-bar__count")).to_have_text("2")
        expect(
            control.locator(f"{bar} [data-level=reservations] .consent-bar__count")
        ).to_have_text("1")
        control.click(f"#consent-close-{principle_id}")
        control.click(f"#principle-finalize-{principle_id}")
        expect(control.locator(f"#principle-finalize-{principle_id}")).to_be_hidden()

    # The finalized set, on every phone, in the agreed order.
    for page in people:
        titles = page.locator("#principles-list [data-testid=principle] .principle__title")
        expect(titles).to_have_text(
            ["Open and co-created by design", "Assessment as a practice of equity"]
        )
        expect(page.locator("#principles-list .principle__status:visible")).to_have_count(2)
    expect(screen.locator("#screen-principles .screen-principle.is-final")).to_have_count(2)
    control.locator("#audit summary").click()
    expect(control.locator("#audit-list")).to_contain_text("finalized the principle")


# ---------------------------------------------------------------------------- design


def test_the_facilitator_redesigns_phases_and_wording_live(server, workshop, host, contexts):
    from playwright.sync_api import expect

    services.phase_open(participant=host, phase="statements")
    ada = join(contexts, server, workshop, "Ada")
    control = control_room(contexts, server, workshop)

    control.click("#phase-edit-statements")
    control.fill("#phase-title-statements", "Activity statements")
    control.fill("#phase-prompt-statements", "Where does each value show up in practice?")
    control.fill("#phase-budget-statements", "5")
    control.click("#phase-save-statements")
    expect(ada.locator("#phase-title")).to_have_text("Activity statements")
    expect(ada.locator("#phase-prompt")).to_have_text("Where does each value show up in practice?")
    expect(ada.locator("#vote-budget")).to_have_text("5 of 5 votes left")

    control.fill("#wording-template", "How could (ACTIVITY) embody (VALUE)?")
    control.fill("#wording-suggestions", "badging\npeer review")
    control.click("#wording-submit")
    expect(control.locator("#wording-saved")).to_contain_text("Saved")
    expect(ada.locator("#activity-chips .chip").first).to_have_text("badging")
    ada.fill("#statement-activity", "peer review")
    ada.fill("#statement-value", "care")
    expect(ada.locator("#statement-preview")).to_have_text("How could peer review embody care?")

    # Add a phase, move it first, then remove it (after confirming).
    control.locator("#phase-add summary").click()
    control.select_option("#phase-add-kind", "values")
    control.fill("#phase-add-title", "Warm-up")
    control.click("#phase-add-submit")
    rows = control.locator("#phase-list > li")
    expect(rows).to_have_count(4)
    expect(rows.last).to_have_attribute("data-phase", "values-2")
    for _ in range(3):
        control.click("#phase-up-values-2")
    expect(rows.first).to_have_attribute("data-phase", "values-2")
    control.click("#phase-remove-values-2")
    expect(rows).to_have_count(3)
    control.locator("#audit summary").click()
    expect(control.locator("#audit-list")).to_contain_text("removed the phase “Warm-up”")
