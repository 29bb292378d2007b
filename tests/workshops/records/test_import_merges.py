"""Merges in an imported file: a chain that never ends is refused; one that ends is kept
one step deep, as the live app keeps every merge."""

from __future__ import annotations

import pytest

from workshops.models import Value
from workshops.records.exports import export_data
from workshops.records.imports import workshop_import

from .import_helpers import import_refused, within_seconds

pytestmark = pytest.mark.django_db


def test_it_refuses_two_values_merged_into_each_other(rich):
    data = export_data(rich.workshop)
    by_id = {value["id"]: value for value in data["values"]}
    by_id[rich.ids["equity"]]["merged_into"] = rich.ids["fairness"]  # fairness -> equity already
    with within_seconds(10):
        message = import_refused(data)
    assert "circle" in message


def test_it_refuses_a_value_merged_into_itself(rich):
    data = export_data(rich.workshop)
    data["values"][0]["merged_into"] = data["values"][0]["id"]
    assert "circle" in import_refused(data)


def test_it_refuses_a_longer_circle_of_merges(rich):
    data = export_data(rich.workshop)
    ids = [value["id"] for value in data["values"]]
    for value, into in zip(data["values"], [*ids[1:], ids[0]], strict=True):
        value["merged_into"] = into
    assert "circle" in import_refused(data)


def test_a_chain_of_merges_is_restored_pointing_at_its_end(rich):
    data = export_data(rich.workshop)
    by_id = {value["id"]: value for value in data["values"]}
    # care -> fairness -> equity: the live app would have merged care into equity.
    by_id[rich.ids["care"]]["merged_into"] = rich.ids["fairness"]
    imported = workshop_import(data=data)
    care = Value.objects.get(workshop=imported, text="care")
    assert care.merged_into is not None and care.merged_into.text == "equity"


def test_it_refuses_a_chain_of_merges_that_leaves_the_file(rich):
    data = export_data(rich.workshop)
    by_id = {value["id"]: value for value in data["values"]}
    by_id[rich.ids["care"]]["merged_into"] = rich.ids["equity"]
    by_id[rich.ids["equity"]]["merged_into"] = 999_999
    assert "999999" in import_refused(data)
