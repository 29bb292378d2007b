"""What the import tests share: the refusal they expect, and a deadline for a test whose
failure would otherwise be a hang."""

from __future__ import annotations

import copy
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import pytest

from workshops import services
from workshops.models import Event, Participant, Phase, Statement, Value, Workshop
from workshops.records.imports import workshop_import


def import_refused(data: Any) -> str:
    """The message of the import's refusal of `data`, after checking it stored nothing."""
    before = stored()
    with pytest.raises(services.CommandError) as refused:
        workshop_import(data=data)
    assert refused.value.code == "invalid"
    assert stored() == before
    assert "\n" not in refused.value.message
    return refused.value.message


def stored() -> tuple[int, ...]:
    """How many rows of each kind an import writes are in the database."""
    return tuple(
        model.objects.count() for model in (Workshop, Phase, Participant, Value, Statement, Event)
    )


@contextmanager
def within_seconds(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the test's (main) thread if the block runs longer."""

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def normalised(data: dict[str, Any]) -> dict[str, Any]:
    """An export with ids replaced by their rank, and codes and times dropped."""
    data = copy.deepcopy(data)
    maps = {
        table: {item["id"]: n for n, item in enumerate(data[table])}
        for table in ("participants", "values", "statements", "principles", "ideas", "tables")
        if table in data
    }
    maps["statement"], maps["principle"] = maps["statements"], maps["principles"]
    maps["idea"] = maps.get("ideas", {})

    def person(id: int | None) -> int | None:
        return None if id is None else maps["participants"][id]

    data.pop("exported_at")
    data["workshop"].pop("code")
    data["workshop"].pop("created_at")
    for table in ("participants", "values", "statements", "principles", "ideas"):
        for item in data.get(table, []):
            item["id"] = maps[table][item["id"]]
            item.pop("created_at")
            if "author" in item:
                item["author"] = person(item["author"])
    for table in data.get("tables", []):
        table["id"] = maps["tables"][table["id"]]
        table.pop("created_at")
        table["members"] = sorted(maps["participants"][member] for member in table["members"])
    for kind in ("values", "statements", "ideas"):
        for item in data.get(kind, []):
            if item.get("table") is not None:
                item["table"] = maps["tables"][item["table"]]
    for value in data["values"]:
        if value["merged_into"] is not None:
            value["merged_into"] = maps["values"][value["merged_into"]]
    for statement in data["statements"]:
        if statement["value_id"] is not None:
            statement["value_id"] = maps["values"][statement["value_id"]]
    for idea in data.get("ideas", []):
        if idea["parent"] is not None:
            idea["parent"] = maps["ideas"][idea["parent"]]
    for principle in data["principles"]:
        principle["sources"] = sorted(maps["statements"][i] for i in principle["sources"])
    for vote in data["votes"]:
        vote.pop("created_at")
        vote["participant"] = person(vote["participant"])
        vote["target_id"] = maps[vote["target_kind"]][vote["target_id"]]
    for round in data.get("consent", []):
        round.pop("id")
        round["principle"] = maps["principles"][round["principle"]]
        for place in round["responses"]:
            place["participant"] = person(place["participant"])
    for entry in data.get("audit", []):
        entry["actor"] = person(entry["actor"])
    return data
