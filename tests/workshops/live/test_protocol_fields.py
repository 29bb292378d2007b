"""Each command's fields are declared with their types in the protocol table and checked
there once: a field of another type is refused as `invalid`, naming the field, before
any service runs, and nothing is stored."""

from __future__ import annotations

import inspect
import re
import typing

import pytest
from channels.db import database_sync_to_async

from tests.workshops.live.client import join
from workshops.errors import Refused
from workshops.live import protocol
from workshops.models import Event, Value

SENDER = {"participant", "ref"}


@pytest.mark.parametrize("kind", sorted(protocol.COMMANDS))
def test_every_command_declares_the_fields_its_service_takes_with_their_types(kind):
    command = protocol.COMMANDS[kind]
    parameters = inspect.signature(command.service).parameters
    hints = typing.get_type_hints(command.service)
    # A field the sender's own keyword holds is passed under another name (table.move).
    field_of = {kwarg: field for field, kwarg in command.renamed}
    named = {
        field_of.get(name, name)
        for name, p in parameters.items()
        if p.kind is p.KEYWORD_ONLY and name not in SENDER
    }
    takes_more = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    if takes_more:  # a service that wraps another (workshop.update with credentials)
        assert named <= set(command.fields)
    else:
        assert named == set(command.fields)
    for name in named:
        kwarg = dict(command.renamed).get(name, name)
        assert command.fields[name] == hints[kwarg], name


def refusal(command_type: str, **fields) -> Refused:
    with pytest.raises(Refused) as refused:
        protocol.parse(protocol.COMMANDS[command_type], {"type": command_type, **fields})
    return refused.value


@pytest.mark.parametrize(
    ("kind", "fields", "named"),
    [
        ("value.add", {"text": 42}, "text"),
        ("value.hide", {"id": "7"}, "id"),
        ("value.hide", {"id": True}, "id"),
        ("value.hide", {"id": 7.0}, "id"),
        ("values.hide", {"ids": "1,2"}, "ids"),
        ("values.hide", {"ids": [1, True]}, "ids[1]"),
        ("vote.cast", {"target": "statement 3"}, "target"),
        ("vote.cast", {"target": {"kind": "statement", "id": "3"}}, "target.id"),
        ("vote.cast", {"target": {"id": 3}}, "target.kind"),
        ("moderation.set", {"premoderated": "yes"}, "premoderated"),
        ("contribution_limit.set", {"limit": "5"}, "limit"),
        ("phase.update", {"phase": "values", "vote_budget": 2.5}, "vote_budget"),
        (
            "phase.add",
            {"kind": "ideas", "title": "H", "columns": [{"key": "h1"}]},
            "columns[0].title",
        ),
        ("workshop.update", {"activity_suggestions": ["teaching", 3]}, "activity_suggestions[1]"),
        ("session.end", {"share_report": 1}, "share_report"),
        ("idea.add", {"phase": "ideas", "text": "x", "parent": "1"}, "parent"),
        ("principle.finalize", {"id": 1, "confirm": "yes"}, "confirm"),
        ("consent.reasons_show", {"id": 1, "shown": None}, "shown"),
        ("credential.claim", {"name": "Ada", "named": "no"}, "named"),
    ],
)
def test_a_field_of_another_type_is_invalid_and_the_message_names_it(kind, fields, named):
    refused = refusal(kind, **fields)
    assert refused.code == "invalid"
    assert re.search(rf"\s{re.escape(named)}(\s|\.$)", refused.message), refused.message


def test_a_field_left_out_is_named_as_missing_unless_the_command_may_go_without():
    assert "needs its field text" in refusal("value.add").message
    parsed = protocol.parse(protocol.COMMANDS["phase.update"], {"phase": "values"})
    assert parsed == {
        "phase": "values",
        "title": None,
        "prompt": None,
        "vote_budget": None,
        "columns": None,
        "notes": None,
        "minutes": None,
        "tables": None,
        "opens_at": None,
        "closes_at": None,
    }


def test_a_schedule_time_sent_as_null_is_cleared_and_one_left_out_is_kept():
    parsed = protocol.parse(protocol.COMMANDS["phase.update"], {"phase": "v", "opens_at": None})
    assert parsed["opens_at"] == ""  # the service reads "" as: clear it
    assert parsed["closes_at"] is None  # left out: kept


def test_what_passes_is_what_was_sent_so_a_retried_ref_means_the_same_command():
    target = {"kind": "statement", "id": 3, "from": "an older client"}
    parsed = protocol.parse(protocol.COMMANDS["vote.cast"], {"type": "vote.cast", "target": target})
    assert parsed["target"] is target


def test_the_message_is_in_the_language_of_the_socket():
    from django.utils import translation

    with translation.override("fr"):
        refused = refusal("values.hide", ids=[1, "2"])
    assert refused.message == "Le champ ids[1] doit être un nombre entier."


@pytest.mark.django_db(transaction=True)
async def test_over_the_socket_a_mistyped_field_stores_nothing_and_the_socket_lives(
    workshop, facilitator
):
    host = await join(workshop.code, user=facilitator)
    await host.send(type="value.add", ref="v1", text="care")
    assert (await host.reply())["type"] == "ack"
    stored = await database_sync_to_async(Event.objects.count)()
    value_id = await database_sync_to_async(lambda: Value.objects.get().pk)()
    await host.send(type="values.hide", ref="h1", ids=[value_id, "all"])
    reply = await host.reply()
    assert (reply["type"], reply["code"], reply["ref"]) == ("error", "invalid", "h1")
    assert "ids[1]" in reply["message"]
    assert await database_sync_to_async(Event.objects.count)() == stored
    assert not await database_sync_to_async(Value.objects.filter(hidden=True).exists)()
    await host.send(type="values.hide", ref="h2", ids=[value_id])
    assert (await host.reply())["type"] == "ack"
    await host.close()
