"""A merge chain that goes round in a circle (left by an import before imports refused
them) is refused by value.merge instead of looping forever inside the database thread."""

from __future__ import annotations

import pytest

from tests.workshops.records.import_helpers import within_seconds
from workshops import services
from workshops.models import Value

pytestmark = pytest.mark.django_db


def test_merging_into_a_circle_of_merges_is_refused_not_hung(ada, bob, host):
    equity = services.value_add(participant=ada, text="equity").data["id"]
    fairness = services.value_add(participant=bob, text="fairness").data["id"]
    care = services.value_add(participant=ada, text="care").data["id"]
    Value.objects.filter(pk=equity).update(merged_into=fairness)
    Value.objects.filter(pk=fairness).update(merged_into=equity)
    with within_seconds(10), pytest.raises(services.Refused) as refused:
        services.value_merge(participant=host, id=care, into=equity)
    assert refused.value.code == "invalid"
    assert Value.objects.get(pk=care).merged_into is None


def test_merging_into_a_chain_lands_on_its_end(ada, bob, host):
    equity = services.value_add(participant=ada, text="equity").data["id"]
    fairness = services.value_add(participant=bob, text="fairness").data["id"]
    justice = services.value_add(participant=bob, text="justice").data["id"]
    care = services.value_add(participant=ada, text="care").data["id"]
    Value.objects.filter(pk=justice).update(merged_into=fairness)
    Value.objects.filter(pk=fairness).update(merged_into=equity)
    event = services.value_merge(participant=host, id=care, into=justice)
    assert event.data["into"] == equity
