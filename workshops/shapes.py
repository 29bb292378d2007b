"""Checking decoded JSON against a Python type, once, where it comes in.

The protocol table declares each command's fields with these types and the event
schemas are TypedDicts, so one checker serves both edges of the log: what a socket
sends in and what a command appends. The types it reads: `str`, `int` (a bool is not
one), `bool`, `None`, `X | Y`, `list[T]`, `dict[str, T]` and TypedDicts (their
`NotRequired` keys may be absent; other keys are let through, as older clients and
logs carry them).

A value is never converted, only checked: what passes is what came in, so a retried
command's digest (services/core.py) is the same before and after it.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, get_args, get_origin, is_typeddict


class ShapeError(ValueError):
    """`path` (`ids[2]`, `target.id`) is missing, or is not an `expected`."""

    def __init__(self, path: str, expected: Any, *, missing: bool = False) -> None:
        self.path, self.expected, self.missing = path, expected, missing
        problem = "missing" if missing else f"expected {describe(expected)}"
        super().__init__(f"{path}: {problem}")


def check(value: Any, expected: Any, path: str) -> None:
    """Raise ShapeError naming the first part of `value` that is not of type `expected`."""
    if expected is Any:
        return
    if expected is None or expected is type(None):
        if value is not None:
            raise ShapeError(path, expected)
        return
    if isinstance(expected, types.UnionType) or get_origin(expected) is typing.Union:
        _check_union(value, expected, path)
    elif is_typeddict(expected):
        _check_typeddict(value, expected, path)
    elif get_origin(expected) is list:
        _check_list(value, expected, path)
    elif get_origin(expected) is dict:
        _check_dict(value, expected, path)
    else:
        _check_plain(value, expected, path)


def _check_plain(value: Any, expected: Any, path: str) -> None:
    # A bool is an int to Python, never to the protocol.
    bool_for_number = expected in (int, float) and isinstance(value, bool)
    if bool_for_number or not isinstance(value, get_origin(expected) or expected):
        raise ShapeError(path, expected)


def _check_list(value: Any, expected: Any, path: str) -> None:
    if not isinstance(value, list):
        raise ShapeError(path, expected)
    (item,) = get_args(expected)
    for index, each in enumerate(value):
        check(each, item, f"{path}[{index}]")


def _check_dict(value: Any, expected: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise ShapeError(path, expected)
    _, item = get_args(expected)
    for key, each in value.items():
        check(each, item, f"{path}.{key}")


def _check_union(value: Any, expected: Any, path: str) -> None:
    options = get_args(expected)
    for option in options:
        try:
            check(value, option, path)
        except ShapeError as refused:
            # A value of the right outer shape is refused for its own inner part
            # (`target.id`), not as a whole: that names what to fix.
            if refused.path != path:
                raise
        else:
            return
    raise ShapeError(path, expected)


def _check_typeddict(value: Any, expected: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise ShapeError(path, expected)
    for name, (field_type, required) in keys(expected).items():
        if name not in value:
            if required:
                raise ShapeError(f"{path}.{name}", field_type, missing=True)
            continue
        check(value[name], field_type, f"{path}.{name}")


def fields(typed_dict: Any) -> dict[str, Any]:
    """A TypedDict's keys and their types, `NotRequired[...]` taken off."""
    return {name: field_type for name, (field_type, _) in keys(typed_dict).items()}


@functools.cache
def keys(typed_dict: Any) -> dict[str, tuple[Any, bool]]:
    """A TypedDict's keys: each one's type, and whether it is required."""
    # Read from the hints, not `__required_keys__`: under `from __future__ import
    # annotations` Python 3.11 cannot see `NotRequired` in them and calls every key required.
    hints = typing.get_type_hints(typed_dict, include_extras=True)
    found = {}
    for name, hint in hints.items():
        optional = get_origin(hint) is typing.NotRequired
        found[name] = (get_args(hint)[0] if optional else hint, not optional)
    return found


def describe(expected: Any) -> str:
    """A developer's name for a type: `list[int]`, `VoteTarget`."""
    if expected is None or expected is type(None):
        return "null"
    if isinstance(expected, type) and not get_args(expected):
        return expected.__name__
    return str(expected).replace("typing.", "")
