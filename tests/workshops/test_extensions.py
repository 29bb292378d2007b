"""Principles and credentials plug into a workshop through one WorkshopExtension each,
registered once; a name taken twice is refused, and then nothing is registered."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from workshops import events, extensions, selectors
from workshops.extensions import WorkshopExtension
from workshops.live import protocol
from workshops.records import exports
from workshops.services import VOTE_TARGETS


def test_principles_and_credentials_are_each_registered_once():
    assert list(extensions.REGISTERED) == ["principles", "credentials"]
    principles = extensions.REGISTERED["principles"]
    assert set(principles.event_schemas) <= set(events.SCHEMAS)
    assert set(principles.commands) <= set(protocol.COMMANDS)
    assert VOTE_TARGETS["principle"] is principles.vote_targets["principle"]
    assert principles.state_part in selectors.STATE_PARTS
    assert [part.table for part in exports.EXPORT_PARTS] == ["principles", "consent", "credits"]


def test_credentials_widen_workshop_update_with_their_switch():
    assert "credentials" in protocol.COMMANDS["workshop.update"].fields
    assert "title" in protocol.COMMANDS["workshop.update"].fields


def _registries() -> tuple[object, ...]:
    return (
        list(extensions.REGISTERED),
        list(events.SCHEMAS),
        list(protocol.COMMANDS),
        dict(VOTE_TARGETS),
        list(selectors.STATE_PARTS),
        list(exports.EXPORT_PARTS),
    )


def _state(workshop) -> dict:
    return {}


@pytest.mark.parametrize(
    ("extension", "named"),
    [
        (WorkshopExtension(name="principles"), "'principles'"),
        (
            WorkshopExtension(
                name="polls", state_part=_state, event_schemas={"value.added": events.ItemId}
            ),
            "'value.added'",
        ),
        (
            WorkshopExtension(
                name="polls", commands={"principle.propose": protocol.COMMANDS["value.add"]}
            ),
            "'principle.propose'",
        ),
        (
            WorkshopExtension(name="polls", vote_targets={"principle": lambda w, i: True}),
            "'principle'",
        ),
        (
            WorkshopExtension(name="polls", command_wrappers={"poll.vote": lambda c: c}),
            "poll.vote",
        ),
    ],
)
def test_a_name_taken_twice_is_refused_and_nothing_is_registered(extension, named):
    before = _registries()
    with pytest.raises(ImproperlyConfigured, match=named):
        extensions.register(extension)
    assert _registries() == before
