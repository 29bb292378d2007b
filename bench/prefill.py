"""A workshop that already holds many values and statements, for the heavy join wave.

    DATABASE_URL=... python -m bench.prefill --values 1000 --statements 300

Prints the join code on the last line, like `manage.py create_workshop`. Everything goes
through the services, as in a live session (and as `workshops/demo.py` does), so the
welcome a joiner gets is the one a real workshop of that size sends.
"""

from __future__ import annotations

import argparse
import os


def prefill(values: int, statements: int, authors: int) -> str:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model

    from workshops import services

    host_user, _ = get_user_model().objects.get_or_create(username="bench-facilitator")
    workshop = services.workshop_create(title="Bench: a full workshop", facilitator=host_user)
    host, _token = services.participant_join(workshop=workshop, user=host_user)
    people = [
        services.participant_join(workshop=workshop, name=f"seed {n}")[0] for n in range(authors)
    ]
    for n in range(values):
        services.value_add(participant=people[n % authors], text=f"seed value {n}")
    services.phase_open(participant=host, phase="statements")
    for n in range(statements):
        services.statement_add(
            participant=people[n % authors],
            activity=f"seed activity {n}",
            value=f"seed value {n % max(1, values)}",
        )
    return workshop.code


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=300)
    parser.add_argument("--authors", type=int, default=100)
    args = parser.parse_args()
    print(prefill(args.values, args.statements, args.authors))
