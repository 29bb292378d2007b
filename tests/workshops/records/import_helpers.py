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
    with pytest.raises(services.Refused) as refused:
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


# The tables whose items have ids, and the links between items: (table, field, the
# table the field points into).
ITEM_TABLES = ("participants", "values", "statements", "principles", "ideas")
LINKS = (
    ("values", "merged_into", "values"),
    ("statements", "value_id", "values"),
    ("ideas", "parent", "ideas"),
    # The breakout table each contribution was said at.
    ("values", "table", "tables"),
    ("statements", "table", "tables"),
    ("ideas", "table", "tables"),
)


def normalised(data: dict[str, Any]) -> dict[str, Any]:
    """An export with ids replaced by their rank, and codes and times dropped."""
    data = copy.deepcopy(data)
    ranks = {
        table: {item["id"]: n for n, item in enumerate(data[table])}
        for table in (*ITEM_TABLES, "tables")
        if table in data
    }
    ranks["statement"], ranks["principle"] = ranks["statements"], ranks["principles"]
    ranks["idea"] = ranks.get("ideas", {})
    data.pop("exported_at")
    data["workshop"].pop("code")
    data["workshop"].pop("created_at")
    _rank_items(data, ranks)
    _rank_votes_consent_and_audit(data, ranks)
    return data


def _ranked(ranks: dict[int, int], id: int | None) -> int | None:
    return None if id is None else ranks[id]


def _rank_items(data: dict[str, Any], ranks: dict[str, dict[int, int]]) -> None:
    for table in ITEM_TABLES:
        for item in data.get(table, []):
            item["id"] = ranks[table][item["id"]]
            item.pop("created_at")
            if "author" in item:
                item["author"] = _ranked(ranks["participants"], item["author"])
    for table, link, target in LINKS:
        for item in data.get(table, []):
            item[link] = _ranked(ranks.get(target, {}), item.get(link))
    for principle in data["principles"]:
        principle["sources"] = sorted(ranks["statements"][i] for i in principle["sources"])
    for table in data.get("tables", []):
        table["id"] = ranks["tables"][table["id"]]
        table.pop("created_at")
        table["members"] = sorted(ranks["participants"][member] for member in table["members"])


def _rank_votes_consent_and_audit(data: dict[str, Any], ranks: dict[str, dict[int, int]]) -> None:
    people = ranks["participants"]
    for vote in data["votes"]:
        vote.pop("created_at")
        vote["participant"] = _ranked(people, vote["participant"])
        vote["target_id"] = ranks[vote["target_kind"]][vote["target_id"]]
    for round in data.get("consent", []):
        round.pop("id")
        round["principle"] = ranks["principles"][round["principle"]]
        for place in round["responses"]:
            place["participant"] = _ranked(people, place["participant"])
    for entry in data.get("audit", []):
        entry["actor"] = _ranked(people, entry["actor"])
