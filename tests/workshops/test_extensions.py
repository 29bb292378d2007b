"""Principles and credentials plug into a workshop through one WorkshopExtension each,
registered once; a name taken twice is refused, and then nothing is registered."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import workshops
from workshops import events, extensions, selectors
from workshops.extensions import WorkshopExtension
from workshops.live import protocol
from workshops.records import exports, report
from workshops.services import VOTE_TARGETS


def test_principles_and_credentials_are_each_registered_once():
    assert list(extensions.REGISTERED) == ["principles", "credentials"]
    principles = extensions.REGISTERED["principles"]
    assert set(principles.event_schemas) <= set(events.SCHEMAS)
    assert set(principles.commands) <= set(protocol.COMMANDS)
    assert VOTE_TARGETS["principle"] is principles.vote_targets["principle"]
    assert principles.state_part in selectors.STATE_PARTS
    assert [part.table for part in exports.EXPORT_PARTS] == ["principles", "consent", "credits"]
    assert set(principles.markdown_sections) == {"principles"}
    assert principles.report_part in report.REPORT_PARTS


def test_the_workshops_app_never_imports_the_apps_that_plug_into_it():
    """They reach it through their WorkshopExtension; the reverse would be a cycle."""
    root = Path(workshops.__file__).parent
    imported = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add((node.module.split(".")[0], path.relative_to(root)))
            elif isinstance(node, ast.Import):
                imported |= {
                    (alias.name.split(".")[0], path.relative_to(root)) for alias in node.names
                }
    assert not [(name, path) for name, path in imported if name in extensions.REGISTERED]


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
        dict(exports.MARKDOWN_SECTIONS),
        list(report.REPORT_PARTS),
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
        (
            WorkshopExtension(name="polls", markdown_sections={"principles": lambda data: []}),
            "'principles'",
        ),
        (
            WorkshopExtension(name="polls", markdown_sections={"ideas": lambda data: []}),
            "'ideas'",
        ),
    ],
)
def test_a_name_taken_twice_is_refused_and_nothing_is_registered(extension, named):
    before = _registries()
    with pytest.raises(ImproperlyConfigured, match=named):
        extensions.register(extension)
    assert _registries() == before
