"""What the room said, counted one way wherever it is summed up (the report, the Markdown
export): values with one key are one value, however often and in whatever wording it
was said; statements with one key are one statement. (The live screens group in the
browser, in static/js/state.js.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass
class StatementRow:
    """Statements with one key: one idea, said `count` times."""

    key: str
    text: str
    activity: str
    value: str
    count: int = 0
    # None once one of them had its votes hidden (results not revealed yet).
    votes: int | None = 0
    first_id: int = 0
    # The breakout tables it was said at, by name (none: only the room said it).
    tables: list[str] = field(default_factory=list)


@dataclass
class ValueGroup:
    """Values with one key, and the statements built on them."""

    key: str
    text: str
    # How many times it was said (mentions); one person may say it twice.
    count: int = 0
    first_id: int = 0
    own: bool = True
    statements: list[StatementRow] = field(default_factory=list)
    # Who said it: participant ids, and values whose author is gone (one person each).
    authors: set[int] = field(default_factory=set)
    unknown_authors: int = 0

    @property
    def people(self) -> int:
        """How many people named it: what the chart's bars and "Named by" show."""
        return len(self.authors) + self.unknown_authors

    @property
    def statement_count(self) -> int:
        return sum(row.count for row in self.statements)


class Mention(NamedTuple):
    """A value as it was said, and the key it counts under (a merged value: its target's)."""

    id: int
    key: str
    text: str
    author: int | None
    # Whether `text` is its key's own wording, not that of a value merged under it.
    own: bool


def group_values(mentions: Iterable[Mention]) -> dict[str, ValueGroup]:
    """Mentions grouped by key, in the order each key was first said. A group reads as
    the first wording that is its key's own, or else as the first one."""
    groups: dict[str, ValueGroup] = {}
    for mention in mentions:
        group = groups.get(mention.key)
        if group is None:
            group = groups[mention.key] = ValueGroup(
                key=mention.key, text=mention.text, first_id=mention.id, own=mention.own
            )
        elif mention.own and not group.own:
            group.text, group.own = mention.text, True
        group.count += 1
        if mention.author is not None:
            group.authors.add(mention.author)
        else:
            group.unknown_authors += 1
    return groups


def group_statements(
    statements: Iterable[dict[str, Any]], table_names: dict[int, str] | None = None
) -> dict[str, StatementRow]:
    """Statements grouped by key, in the order each key was first said, their votes
    summed (None as soon as one statement's votes are hidden), and the breakout tables
    (`table_names`: {id: name}) each was said at."""
    rows: dict[str, StatementRow] = {}
    for statement in statements:
        row = rows.get(statement["key"])
        if row is None:
            row = rows[statement["key"]] = StatementRow(
                key=statement["key"],
                text=statement["text"],
                activity=statement["activity"],
                value=statement["value"],
                first_id=statement["id"],
            )
        row.count += 1
        said_at = (table_names or {}).get(statement.get("table") or 0)
        if said_at is not None and said_at not in row.tables:
            row.tables.append(said_at)
        if statement["votes"] is None:
            row.votes = None
        elif row.votes is not None:
            row.votes += statement["votes"]
    return rows


def most_voted(rows: Iterable[StatementRow]) -> list[StatementRow]:
    """Most votes first, then the most said, then the first said."""
    return sorted(rows, key=lambda row: (-(row.votes or 0), -row.count, row.first_id))
