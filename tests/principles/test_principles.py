import pytest

from principles import services
from principles.models import Principle
from workshops import events
from workshops import services as workshop_services
from workshops.selectors import workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_statements(ada, bob, host):
    workshop_services.phase_open(participant=host, phase="statements")
    one = workshop_services.statement_add(participant=ada, activity="assessment", value="equity")
    two = workshop_services.statement_add(participant=bob, activity="co-creation", value="care")
    return [one.data["id"], two.data["id"]]


def test_a_facilitator_proposes_a_principle_from_two_statements(host, two_statements):
    event = services.principle_propose(
        participant=host,
        title="Assessment is an act of care",
        body="We assess to recognise, not to exclude.",
        sources=two_statements,
    )
    assert event.kind == "principle.proposed"
    assert event.data["sources"] == two_statements
    assert event.data["status"] == "draft"
    events.check(event.kind, event.data)
    principle = Principle.objects.get()
    assert sorted(principle.sources.values_list("pk", flat=True)) == sorted(two_statements)


def test_participants_propose_only_while_the_principles_phase_is_open(ada, host, two_statements):
    with pytest.raises(Refused) as refused:
        services.principle_propose(participant=ada, title="Openness first")
    assert refused.value.code == "phase_closed"
    workshop_services.phase_open(participant=host, phase="principles")
    event = services.principle_propose(participant=ada, title="Openness first")
    assert event.data["by"]["id"] == ada.pk


def test_a_participant_proposes_at_most_5_principles_so_welcomes_stay_light(ada, bob, host):
    workshop_services.phase_open(participant=host, phase="principles")
    for n in range(services.PROPOSALS_MAX):
        services.principle_propose(participant=ada, title=f"Principle {n}", body="x" * 2000)
    with pytest.raises(Refused) as refused:
        services.principle_propose(participant=ada, title="One more")
    assert refused.value.code == "over_budget"
    assert Principle.objects.filter(author=ada).count() == services.PROPOSALS_MAX
    services.principle_propose(participant=bob, title="Mine")  # others still can
    for n in range(services.PROPOSALS_MAX + 1):  # facilitators have no such limit
        services.principle_propose(participant=host, title=f"Draft {n}")


def test_unknown_sources_are_not_found(host, two_statements):
    with pytest.raises(Refused) as refused:
        services.principle_propose(participant=host, title="x", sources=[*two_statements, 999])
    assert refused.value.code == "not_found"
    assert not Principle.objects.exists()


@pytest.mark.parametrize(
    ("title", "body", "code"),
    [
        ("", "", "empty"),
        ("t" * 121, "", "too_long"),
        ("ok", "b" * 2001, "too_long"),
        (5, "", "invalid"),
    ],
)
def test_it_checks_title_and_body(host, title, body, code):
    with pytest.raises(Refused) as refused:
        services.principle_propose(participant=host, title=title, body=body)
    assert refused.value.code == code


def test_only_a_facilitator_edits_and_finalises(ada, host, two_statements):
    principle_id = services.principle_propose(participant=host, title="Draft").data["id"]
    with pytest.raises(Refused) as refused:
        services.principle_edit(participant=ada, id=principle_id, title="Mine now")
    assert refused.value.code == "forbidden"
    edited = services.principle_edit(
        participant=host, id=principle_id, title="Open by default", sources=two_statements[:1]
    )
    assert edited.data["title"] == "Open by default"
    assert edited.data["sources"] == two_statements[:1]
    final = services.principle_finalize(participant=host, id=principle_id)
    assert final.data == {"id": principle_id}
    assert Principle.objects.get().status == "final"


def test_principles_are_in_the_state_with_their_sources_and_votes(ada, host, two_statements):
    workshop_services.phase_open(participant=host, phase="principles")
    principle_id = services.principle_propose(
        participant=host, title="Care", sources=two_statements
    ).data["id"]
    workshop_services.vote_cast(participant=ada, target={"kind": "principle", "id": principle_id})
    _seq, state = workshop_state(host.workshop)
    [principle] = state["principles"]
    assert principle["sources"] == sorted(two_statements)
    assert principle["votes"] == 1


def test_a_removed_co_facilitator_proposes_only_while_the_phase_is_open(
    workshop, facilitator, outsider
):
    workshop_services.workshop_member_add(
        workshop=workshop, by=facilitator, username=outsider.username, role="facilitator"
    )
    charlie, _token = workshop_services.participant_join(workshop=workshop, user=outsider)
    workshop_services.workshop_member_remove(workshop=workshop, by=facilitator, user_id=outsider.pk)
    with pytest.raises(Refused) as refused:
        services.principle_propose(participant=charlie, title="Still in charge?")
    assert refused.value.code == "phase_closed"
