"""Mutated exports, imported: never a traceback. Each either imports, and then the live
app exports it again and imports that export to the same content, or is refused with one
clear line and nothing stored. As the protocol fuzz test does for frames."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from workshops import selectors, services
from workshops.records.exports import export_data
from workshops.records.imports import workshop_import, workshop_import_file

from .conftest import assert_valid
from .import_helpers import normalised, stored

pytestmark = pytest.mark.django_db


def nested(depth: int) -> Any:
    node: Any = "deep"
    for _level in range(depth):
        node = [node]
    return node


ODD_TEXTS = [
    "",
    " ",
    "1",
    "\x00",
    "a\x00b",
    " \t\n ",
    "\ud800",
    "x" * 2_001,  # over every limit of a text
    "(ACTIVITY) and (VALUE)",
    "{activity} {value} {value}",
    "values",
    "statements",
    "principles",
    "values-2",
    "statement",
    "principle",
    "pending",
    "open",
    "closed",
    "final",
    "facilitator",
    "blank",
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00",
    "2026-01-01T00:00:00Z\n",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
]
ODD_NUMBERS = [0, -1, 1, 2, 3, 50, 51, 2**31 - 1, 2**31, 2**63, 2**64, -(2**64), 10**100]
ODD_VALUES: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(
        [
            *(None, True, False, 1.0, 1.5, 1e300, float("nan"), float("inf"), [], {}, [1, 1]),
            *ODD_TEXTS,
            *ODD_NUMBERS,
        ]
    ),
    st.integers(),
    st.text(max_size=30),
    st.lists(st.integers(-2, 30), max_size=5),
    st.integers(1, 200).map(nested),
)
# Odd values of the type a field has already, which get past the schema to the cleaners.
SAME_TYPE = {
    str: st.sampled_from(ODD_TEXTS)
    | st.text(max_size=100)
    | st.integers(0, 3_000).map(lambda n: "é" * n),
    int: st.sampled_from(ODD_NUMBERS) | st.integers(),
}
# (what to do, which place: an index into all the file's places, values to put there)
MUTATIONS = st.tuples(
    st.sampled_from(["tweak"] * 6 + ["replace", "delete", "duplicate", "cycle"]),
    st.integers(0, 10**6),
    ODD_VALUES,
    SAME_TYPE[str],
    SAME_TYPE[int],
)


def places(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a field or an item of the file, its root aside."""
    if path:
        yield path
    if isinstance(node, dict):
        for key, child in node.items():
            yield from places(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from places(child, (*path, index))


def mutate(data: dict[str, Any], mutation: tuple[str, int, Any, str, int]) -> None:
    kind, where, value, text, number = mutation
    if kind == "cycle":
        merge_in_a_circle(data, where)
        return
    paths = list(places(data))
    if not paths:
        return
    *parents, last = paths[where % len(paths)]
    container: Any = data
    for step in parents:
        container = container[step]
    if kind == "tweak":
        tweak(container, last, where, text, number)
    elif kind == "replace":
        container[last] = value
    elif kind == "delete":
        del container[last]
    elif isinstance(container, list):  # duplicate an item of a list
        container.append(copy.deepcopy(container[last]))


def merge_in_a_circle(data: dict[str, Any], where: int) -> None:
    """Two values (or one) merged into each other."""
    values = data.get("values")
    if isinstance(values, list) and values and all(isinstance(v, dict) for v in values):
        one, other = values[where % len(values)], values[(where // 7) % len(values)]
        one["merged_into"], other["merged_into"] = other.get("id"), one.get("id")


def tweak(container: Any, last: Any, where: int, text: str, number: int) -> None:
    """A field changed to another of its type: a flag flipped, a text or a number
    replaced, an item taken out of a list."""
    current = container[last]
    if isinstance(current, bool):
        container[last] = not current
    elif isinstance(current, str):
        container[last] = text
    elif isinstance(current, int) or current is None:
        container[last] = number
    elif isinstance(current, list) and current:
        current.pop(where % len(current))


# Mostly none: a corrupted file is rarely JSON, and the fields are what is fuzzed here.
CORRUPTIONS = st.one_of(
    st.none(), st.none(), st.none(), st.tuples(st.integers(0, 10**6), st.binary(max_size=8))
)


def corrupt(text: bytes, corruption: tuple[int, bytes] | None) -> bytes:
    """The file's bytes with some cut out or replaced at one place."""
    if corruption is None:
        return text
    at, garbage = corruption
    at %= len(text) + 1
    return text[:at] + garbage + text[at + len(garbage) * 3 :]


def check_import(attempt: Any) -> str:
    """What became of the attempt ("imported" or "refused"), after checking it is right."""
    before = stored()
    try:
        imported = attempt()
    except services.Refused as refused:
        assert refused.code == "invalid"
        assert refused.message and "\n" not in refused.message
        assert len(refused.message) <= 300
        assert stored() == before, "a refused file stored something"
        return "refused"
    selectors.workshop_state(imported)  # what a joining socket is welcomed with
    again = export_data(imported)
    assert_valid(again)
    reimported = workshop_import(data=json.loads(json.dumps(again)))
    assert normalised(export_data(reimported)) == normalised(again)
    return "imported"


def test_mutated_exports_import_or_are_refused_in_one_line(rich, tmp_path: Path):
    original = json.loads(json.dumps(export_data(rich.workshop)))

    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        mutations=st.lists(MUTATIONS, min_size=1, max_size=3),
        through_a_file=st.booleans(),
        corruption=CORRUPTIONS,
    )
    def check(mutations, through_a_file, corruption):
        data = copy.deepcopy(original)
        for mutation in mutations:
            mutate(data, mutation)
        if not through_a_file:
            event(check_import(lambda: workshop_import(data=data)))
            return
        path = tmp_path / "export.json"
        path.write_bytes(corrupt(json.dumps(data).encode(), corruption))
        event(check_import(lambda: workshop_import_file(path)))

    check()


def test_files_nested_past_any_stack_are_refused_in_one_line(tmp_path: Path, db):
    for depth in (17, 1_000, 100_000):
        path = tmp_path / "deep.json"
        path.write_text(
            '{"format": "visioning-workshop", "version": 1, "x": ' + "[" * depth + "]" * depth + "}"
        )
        assert check_import(lambda path=path: workshop_import_file(path)) == "refused"
