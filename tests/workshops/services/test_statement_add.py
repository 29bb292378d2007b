import pytest

from workshops import events, services
from workshops.models import Statement
from workshops.services import Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def statements_open(host):
    services.phase_open(participant=host, phase="statements")


def test_it_needs_the_statements_phase(ada):
    with pytest.raises(Refused) as refused:
        services.statement_add(participant=ada, activity="assessment", value="equity")
    assert refused.value.code == "phase_closed"


def test_it_builds_the_whole_question(ada, statements_open):
    event = services.statement_add(participant=ada, activity="assessment", value="equity")
    assert event.kind == "statement.added"
    assert event.data["text"] == "What might assessment look like as a practice of equity?"
    assert event.data["activity"] == "assessment"
    assert event.data["value"] == "equity"
    events.check(event.kind, event.data)


def test_it_links_to_the_live_value_with_the_same_key(ada, bob, statements_open):
    value_event = services.value_add(participant=bob, text="Equity")
    event = services.statement_add(participant=ada, activity="PLAR/RPL", value="equity ")
    assert event.data["value_id"] == value_event.data["id"]
    assert Statement.objects.get().value_id == value_event.data["id"]


def test_a_typed_value_nobody_added_is_kept_unlinked(ada, statements_open):
    event = services.statement_add(participant=ada, activity="recognition", value="respect")
    assert event.data["value_id"] is None


def test_the_same_question_twice_shares_a_key(ada, bob, statements_open):
    one = services.statement_add(participant=ada, activity="accessibility", value="transparency")
    two = services.statement_add(participant=bob, activity="Accessibility", value="transparency!")
    assert one.data["key"] == two.data["key"]


@pytest.mark.parametrize(
    ("activity", "value", "code"),
    [
        ("", "equity", "empty"),
        ("assessment", " ", "empty"),
        ("a" * 81, "equity", "too_long"),
        ("assessment", "v" * 81, "too_long"),
        (None, "equity", "invalid"),
    ],
)
def test_it_rejects_bad_fields(ada, statements_open, activity, value, code):
    with pytest.raises(Refused) as refused:
        services.statement_add(participant=ada, activity=activity, value=value)
    assert refused.value.code == code
    assert not Statement.objects.exists()
