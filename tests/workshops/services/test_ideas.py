"""Ideas: free-text cards of an `ideas` phase, in its columns, answering each other."""

from __future__ import annotations

import pytest

from tests.edge import send
from workshops import events, services
from workshops.models import Event, Idea, Vote
from workshops.selectors import events_between, workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db

HORIZONS: list[events.Column] = [
    {"key": "h1", "title": "Horizon 1"},
    {"key": "h2", "title": "Horizon 2"},
    {"key": "h3", "title": "Horizon 3"},
]


@pytest.fixture
def horizons(host) -> str:
    """An open ideas phase with three columns; its key."""
    added = services.phase_add(
        participant=host, kind="ideas", title="Three Horizons", columns=HORIZONS
    )
    services.phase_open(participant=host, phase=added.data["phase"])
    return added.data["phase"]


@pytest.fixture
def pile(host) -> str:
    """An open ideas phase without columns; its key."""
    added = services.phase_add(participant=host, kind="ideas", title="Questions")
    services.phase_open(participant=host, phase=added.data["phase"])
    return added.data["phase"]


def add(participant, phase, text="more open data", **fields):
    return services.idea_add(participant=participant, phase=phase, text=text, **fields)


def test_an_idea_goes_in_a_column_and_everyone_is_told(ada, horizons):
    event = add(ada, horizons, "  schools as  commons ", column="h3", ref="c1")
    idea = Idea.objects.get()
    assert (idea.text, idea.column, idea.author) == ("schools as commons", "h3", ada)
    assert event.kind == "idea.added"
    assert event.data == {
        "id": idea.pk,
        "phase": horizons,
        "text": "schools as commons",
        "column": "h3",
        "parent": None,
        "table": None,
        "by": {"id": ada.pk, "name": "Ada"},
    }
    events.check(event.kind, event.data)


def test_a_phase_without_columns_takes_ideas_without_one(ada, pile):
    assert add(ada, pile).data["column"] is None
    with pytest.raises(Refused) as error:
        add(ada, pile, column="h1")
    assert error.value.code == "invalid"


def test_a_phase_with_columns_needs_one_of_them(ada, horizons):
    for column in (None, "h4", 3):
        with pytest.raises(Refused) as error:
            add(ada, horizons, column=column)
        assert error.value.code == "invalid"
        assert "h1, h2, h3" in error.value.message
    assert not Idea.objects.exists()


@pytest.mark.parametrize(
    ("text", "code"), [("", "empty"), ("   ", "empty"), ("x" * 281, "too_long"), (7, "invalid")]
)
def test_bad_text_is_refused_and_nothing_is_stored(ada, pile, text, code):
    with pytest.raises(Refused) as error:
        add(ada, pile, text)
    assert error.value.code == code
    assert not Idea.objects.exists() and not Event.objects.filter(kind="idea.added").exists()


def test_280_characters_fit(ada, pile):
    assert len(add(ada, pile, "x" * 280).data["text"]) == 280


def test_ideas_wait_for_their_phase_to_open(ada, host):
    key = services.phase_add(participant=host, kind="ideas", title="Later").data["phase"]
    with pytest.raises(Refused) as error:
        add(ada, key)
    assert error.value.code == "phase_closed"
    services.phase_open(participant=host, phase=key)
    services.phase_close(participant=host, phase=key)
    with pytest.raises(Refused) as error:
        add(ada, key)
    assert error.value.code == "phase_closed"


def test_only_an_ideas_phase_takes_ideas(ada):
    with pytest.raises(Refused) as error:
        add(ada, "values")  # open, but of another kind
    assert error.value.code == "invalid"
    with pytest.raises(Refused) as error:
        add(ada, "nowhere")
    assert error.value.code == "not_found"


def test_an_answer_sits_under_its_card_in_the_cards_column(ada, bob, horizons):
    card = add(ada, horizons, "remote exams", column="h1").data["id"]
    answer = add(bob, horizons, "less travel", parent=card)
    assert (answer.data["parent"], answer.data["column"]) == (card, "h1")
    elsewhere = add(bob, horizons, "but more cheating", parent=card, column="h2")
    assert elsewhere.data["column"] == "h2"


def test_an_answer_answers_a_card_of_the_same_phase_the_room_sees(ada, bob, host, horizons, pile):
    other = add(ada, pile, "elsewhere").data["id"]
    hidden = add(ada, horizons, "rude", column="h1").data["id"]
    services.idea_hide(participant=host, id=hidden)
    for parent in (other, hidden, 999_999):
        with pytest.raises(Refused) as error:
            add(bob, horizons, "an answer", parent=parent)
        assert error.value.code == "not_found"
    with pytest.raises(Refused) as error:
        send(bob, "idea.add", phase=horizons, text="an answer", parent="1")
    assert error.value.code == "invalid"


def test_the_same_ref_stores_one_idea(ada, pile):
    first = add(ada, pile, ref="c1")
    assert add(ada, pile, ref="c1").seq == first.seq
    assert Idea.objects.count() == 1


def test_the_author_takes_an_idea_back_and_its_text_leaves_the_log(ada, bob, pile):
    card = add(ada, pile, "a thing I regret").data["id"]
    answer = add(bob, pile, "an answer", parent=card).data["id"]
    with pytest.raises(Refused) as error:
        services.idea_remove(participant=bob, id=card)
    assert error.value.code == "forbidden"
    removed = services.idea_remove(participant=ada, id=card)
    assert removed.data == {"id": card, "orphans": [answer]}
    assert "regret" not in str(list(Event.objects.values_list("data", flat=True)))
    assert Idea.objects.get(pk=answer).parent is None


def test_an_idea_cannot_be_taken_back_once_its_phase_closed(ada, host, pile):
    card = add(ada, pile).data["id"]
    services.phase_close(participant=host, phase=pile)
    with pytest.raises(Refused) as error:
        services.idea_remove(participant=ada, id=card)
    assert error.value.code == "phase_closed"
    assert Idea.objects.filter(pk=card).exists()


def test_a_hidden_idea_leaves_the_room_and_comes_back_restored(ada, bob, host, pile):
    card = add(ada, pile, "an insult").data["id"]
    services.idea_hide(participant=host, id=card)
    assert workshop_state(ada.workshop)[1]["ideas"] == []
    catch_up = events_between(ada.workshop_id, 0, private=False)
    assert "insult" not in str(catch_up)
    restored = services.idea_restore(participant=host, id=card)
    assert restored.kind == "idea.restored" and restored.data["text"] == "an insult"
    assert [idea["id"] for idea in workshop_state(ada.workshop)[1]["ideas"]] == [card]
    assert "insult" in str(events_between(ada.workshop_id, 0, private=False))


def test_moderation_is_for_facilitators(ada, bob, pile):
    card = add(bob, pile).data["id"]
    for service, fields in [
        (services.idea_hide, {"id": card}),
        (services.idea_restore, {"id": card}),
        (services.idea_approve, {"id": card}),
        (services.idea_move, {"id": card, "column": None}),
    ]:
        with pytest.raises(Refused) as error:
            service(participant=ada, **fields)
        assert error.value.code == "forbidden"


def test_the_facilitator_moves_a_card_to_another_column(ada, host, horizons):
    card = add(ada, horizons, column="h1").data["id"]
    moved = services.idea_move(participant=host, id=card, column="h2")
    assert moved.data == {"id": card, "column": "h2"}
    assert Idea.objects.get(pk=card).column == "h2"
    with pytest.raises(Refused) as error:
        services.idea_move(participant=host, id=card, column="h9")
    assert error.value.code == "invalid"
    assert Idea.objects.get(pk=card).column == "h2"


def test_pre_moderated_ideas_reach_the_room_once_approved(ada, bob, host, pile):
    services.moderation_set(participant=host, premoderated=True)
    submitted = add(ada, pile, "wait for me")
    assert submitted.kind == "idea.submitted"
    card = submitted.data["id"]
    assert workshop_state(bob.workshop)[1]["ideas"] == []
    assert [
        idea["pending"] for idea in workshop_state(host.workshop, private=True)[1]["ideas"]
    ] == [True]
    live = events_between(bob.workshop_id, 0, private=False)
    assert "wait for me" not in str(live)
    approved = services.idea_approve(participant=host, id=card)
    assert approved.kind == "idea.added"
    assert [idea["text"] for idea in workshop_state(bob.workshop)[1]["ideas"]] == ["wait for me"]


def test_votes_on_ideas_spend_the_budget_of_the_ideas_phase(ada, bob, host, pile):
    card = add(ada, pile).data["id"]
    services.phase_update(participant=host, phase=pile, vote_budget=1)
    cast = services.vote_cast(participant=bob, target={"kind": "idea", "id": card})
    assert cast.data["total"] == 1 and cast.data["phase"] == pile
    with pytest.raises(Refused) as error:
        services.vote_cast(participant=bob, target={"kind": "idea", "id": card})
    assert error.value.code == "over_budget"
    assert workshop_state(ada.workshop)[1]["ideas"][0]["votes"] == 1
    services.vote_retract(participant=bob, target={"kind": "idea", "id": card})
    assert workshop_state(ada.workshop)[1]["ideas"][0]["votes"] == 0


def test_votes_on_ideas_close_with_their_phase(ada, bob, host, pile):
    card = add(ada, pile).data["id"]
    services.phase_close(participant=host, phase=pile)
    with pytest.raises(Refused) as error:
        services.vote_cast(participant=bob, target={"kind": "idea", "id": card})
    assert error.value.code == "phase_closed"


def test_hiding_an_idea_gives_its_votes_back(ada, bob, host, pile):
    card = add(ada, pile).data["id"]
    services.vote_cast(participant=bob, target={"kind": "idea", "id": card})
    assert services.idea_hide(participant=host, id=card).data == {"id": card, "refunded": True}
    assert not Vote.objects.exists()


def test_hidden_results_hide_the_totals_of_that_phase_only(ada, bob, host, horizons, pile):
    hidden = add(ada, pile).data["id"]
    shown = add(ada, horizons, column="h1").data["id"]
    services.results_hide(participant=host, phase=pile)
    assert (
        services.vote_cast(participant=bob, target={"kind": "idea", "id": hidden}).data["total"]
        is None
    )
    services.vote_cast(participant=bob, target={"kind": "idea", "id": shown})
    votes = {idea["id"]: idea["votes"] for idea in workshop_state(ada.workshop)[1]["ideas"]}
    assert votes == {hidden: None, shown: 1}


def test_an_ideas_phase_is_added_with_columns_the_state_shows(host):
    added = services.phase_add(participant=host, kind="ideas", title="Min Specs", columns=HORIZONS)
    assert added.data["columns"] == HORIZONS
    events.check(added.kind, added.data)
    phase = next(p for p in workshop_state(host.workshop)[1]["phases"] if p["kind"] == "ideas")
    assert phase["columns"] == HORIZONS


@pytest.mark.parametrize(
    "columns",
    [
        "h1",
        [{"key": "h1"}],
        [{"key": "", "title": "Empty"}],
        [{"key": "a b", "title": "Space"}],
        [{"key": "h1", "title": "One"}, {"key": "h1", "title": "Again"}],
        [{"key": f"c{n}", "title": "Many"} for n in range(13)],
    ],
)
def test_bad_columns_are_refused_and_no_phase_is_added(host, columns):
    before = workshop_state(host.workshop)[1]["phases"]
    with pytest.raises(Refused) as error:
        services.phase_add(participant=host, kind="ideas", title="Bad", columns=columns)
    assert error.value.code in {"invalid", "empty"}
    assert workshop_state(host.workshop)[1]["phases"] == before


def test_only_an_ideas_phase_has_columns(host):
    with pytest.raises(Refused) as error:
        services.phase_add(participant=host, kind="values", title="Words", columns=HORIZONS)
    assert error.value.code == "invalid"


def test_a_column_holding_ideas_is_kept(ada, host, horizons):
    add(ada, horizons, column="h2")
    with pytest.raises(Refused) as error:
        services.phase_update(participant=host, phase=horizons, columns=HORIZONS[::2])
    assert "h2" in error.value.message
    renamed = [{**column, "title": column["title"].upper()} for column in HORIZONS]
    updated = services.phase_update(participant=host, phase=horizons, columns=renamed)
    assert updated.data["columns"] == renamed


def test_ideas_count_towards_the_contribution_limit(ada, host, pile):
    services.contribution_limit_set(participant=host, limit=2)
    services.value_add(participant=ada, text="equity")
    add(ada, pile, "one idea")
    with pytest.raises(Refused) as error:
        add(ada, pile, "one too many")
    assert error.value.code == "over_budget"
    assert Idea.objects.count() == 1
