import pytest

from workshops import services
from workshops.models import Phase
from workshops.services import JOIN_CODE_ALPHABET, Refused

pytestmark = pytest.mark.django_db


def test_it_creates_the_open_values_phases_with_values_open(facilitator):
    workshop = services.workshop_create(title="Open futures", facilitator=facilitator)
    phases = list(workshop.phases.values_list("key", "status"))
    assert phases == [
        ("values", Phase.Status.OPEN),
        ("statements", Phase.Status.PENDING),
        ("principles", Phase.Status.PENDING),
    ]
    assert workshop.phases.get(key="values").prompt == "What are your open values?"
    assert "What might (ACTIVITY) look like as a practice of (VALUE)?" in (
        workshop.phases.get(key="statements").prompt
    )
    assert workshop.facilitators.get() == facilitator


def test_it_suggests_the_recorded_workshops_activities():
    workshop = services.workshop_create(title="Open futures")
    assert workshop.activity_suggestions == [
        "assessment",
        "recognition",
        "accessibility",
        "PLAR/RPL",
        "co-creation",
        "micro-credential policy",
    ]


def test_it_licenses_outputs_cc_by_by_default():
    assert services.workshop_create(title="x").licence == "CC BY 4.0"


def test_join_codes_have_six_characters_without_look_alikes():
    codes = {services.workshop_create(title=f"w{i}").code for i in range(30)}
    assert len(codes) == 30
    for code in codes:
        assert len(code) == 6
        assert set(code) <= set(JOIN_CODE_ALPHABET)
        assert not set(code) & set("0O1IL")


def test_it_rejects_an_empty_title():
    with pytest.raises(Refused) as refused:
        services.workshop_create(title="   ")
    assert refused.value.code == "empty"


def test_the_blank_template_exists():
    workshop = services.workshop_create(title="Blank", template="blank")
    assert workshop.phases.filter(status=Phase.Status.OPEN).count() == 1
