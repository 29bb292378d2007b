"""What the import tests share: the refusal they expect, and a deadline for a test whose
failure would otherwise be a hang."""

from __future__ import annotations

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
