"""Commands sent at the same moment on one workshop are all stored, in one gap-free log.

Each command locks the workshop row before it reads `last_seq` (services/core.py): a
second command waits for the first to commit. Without that lock two commands read the
same `last_seq`, and one of them is refused by the unique seq constraint: a contribution
lost. SQLite writes one transaction at a time whatever the code does, so this needs
PostgreSQL, where transactions really run side by side.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.conftest import needs
from workshops import services
from workshops.models import Event, Participant, Workshop

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 4
VALUES_EACH = 25


def test_values_sent_at_once_by_several_people_are_all_kept_in_consecutive_seqs(
    workshop: Workshop,
) -> None:
    needs("postgres")
    people = [
        services.participant_join(workshop=workshop, name=f"Person {n}")[0] for n in range(PEOPLE)
    ]
    workshop.refresh_from_db()
    first_seq = workshop.last_seq + 1  # after whatever creating and joining logged
    start = threading.Barrier(PEOPLE)
    failures: list[BaseException] = []

    def send_values(person: Participant) -> None:
        try:  # each thread has its own connection, as each server worker does
            start.wait()
            for n in range(VALUES_EACH):
                services.value_add(participant=person, text=f"idea {n}", ref=f"v{n}")
        except BaseException as failure:  # an IntegrityError here is a lost contribution
            failures.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=send_values, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    sent = Event.objects.filter(workshop=workshop, seq__gte=first_seq).order_by("seq")
    expected = list(range(first_seq, first_seq + PEOPLE * VALUES_EACH))
    assert list(sent.values_list("seq", flat=True)) == expected
    workshop.refresh_from_db()
    assert workshop.last_seq == expected[-1]
    for person in people:
        assert Event.objects.filter(actor=person, kind="value.added").count() == VALUES_EACH
