from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workshops import events, services
from workshops.models import Event, Value
from workshops.services import Refused, normalise_key

pytestmark = pytest.mark.django_db


def test_it_stores_the_value_and_logs_an_event(ada):
    event = services.value_add(participant=ada, text="  equity ", ref="c1")
    value = Value.objects.get()
    assert value.text == "equity"
    assert value.author == ada
    assert event.kind == "value.added"
    assert event.seq == 1
    assert event.data == {
        "id": value.pk,
        "text": "equity",
        "key": "equity",
        "by": {"id": ada.pk, "name": "Ada"},
    }
    events.check(event.kind, event.data)


def test_seqs_rise_by_exactly_one(ada, bob):
    seqs = [
        services.value_add(participant=p, text=f"v{i}").seq for i, p in enumerate([ada, bob] * 5)
    ]
    assert seqs == list(range(1, 11))


def test_the_same_ref_stores_nothing_new_and_returns_the_same_seq(ada):
    first = services.value_add(participant=ada, text="care", ref="c1")
    again = services.value_add(participant=ada, text="care", ref="c1")
    assert again.seq == first.seq
    assert Value.objects.count() == 1
    assert Event.objects.count() == 1


def test_refs_are_per_participant(ada, bob):
    services.value_add(participant=ada, text="care", ref="c1")
    services.value_add(participant=bob, text="care", ref="c1")
    assert Value.objects.count() == 2


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_it_rejects_empty_text(ada, text):
    with pytest.raises(Refused) as refused:
        services.value_add(participant=ada, text=text)
    assert refused.value.code == "empty"
    assert not Value.objects.exists()


def test_it_accepts_80_characters_and_rejects_81(ada):
    services.value_add(participant=ada, text="x" * 80)
    with pytest.raises(Refused) as refused:
        services.value_add(participant=ada, text="y" * 81)
    assert refused.value.code == "too_long"
    assert "81" in refused.value.message
    assert Value.objects.count() == 1


def test_it_rejects_text_that_is_not_a_string(ada):
    with pytest.raises(Refused) as refused:
        services.value_add(participant=ada, text=["equity"])
    assert refused.value.code == "invalid"


def test_it_refuses_when_the_values_phase_is_closed(ada, host):
    services.phase_close(participant=host, phase="values")
    with pytest.raises(Refused) as refused:
        services.value_add(participant=ada, text="equity")
    assert refused.value.code == "phase_closed"
    assert not Value.objects.exists()


def test_equal_values_share_a_key_whatever_the_case_spacing_or_punctuation():
    assert normalise_key("Equity") == normalise_key("equity ") == normalise_key("EQUITY!")
    assert normalise_key("Reputation - networks - trust") == "reputation networks trust"
    assert normalise_key("Équité") == "équité"


def test_it_keeps_markup_as_plain_text(ada):
    services.value_add(participant=ada, text="<b>x</b>")
    assert Value.objects.get().text == "<b>x</b>"


def test_it_writes_with_a_fixed_number_of_queries(ada):
    services.value_add(participant=ada, text="warm-up")
    with CaptureQueriesContext(connection) as queries:
        services.value_add(participant=ada, text="equity", ref="r2")
    # Begin, lock (reading the seq and moderation too), ref check, phase, insert value,
    # bump seq, insert event, commit: commands run one at a time, so each query counts.
    assert len(queries) <= 8


@pytest.mark.parametrize("text", ["\u200b", "\u200b \u200b", "\ufeff", "\u2060\u200d"])
def test_it_refuses_text_made_only_of_invisible_characters(ada, text):
    with pytest.raises(Refused) as refused:
        services.value_add(participant=ada, text=text)
    assert refused.value.code == "empty"
    assert not Value.objects.exists()


def test_punctuation_only_values_keep_a_key_of_their_own(ada):
    for text in ("!!!", "???", "---", "🌍"):
        services.value_add(participant=ada, text=text)
    keys = list(Value.objects.order_by("id").values_list("key", flat=True))
    assert keys == ["!!!", "???", "---", "🌍"]
    assert "" not in keys


def test_invisible_characters_are_no_part_of_a_key():
    assert normalise_key("equi\u200bty") == normalise_key("equity")
    assert normalise_key("❤️") == normalise_key("❤")


def test_values_stored_with_the_old_shared_empty_key_get_their_own(ada):
    services.value_add(participant=ada, text="!!!")
    services.value_add(participant=ada, text="---")
    Value.objects.update(key="")  # as the old normalise_key stored them
    import_module("workshops.migrations.0010_exports_rekey_marks_only").rekey(apps, None)
    assert sorted(Value.objects.values_list("key", flat=True)) == ["!!!", "---"]
