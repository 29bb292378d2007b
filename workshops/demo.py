"""The demo workshop: OE Global 2021 "Open Futures for Micro-credentialing", as recorded.

Source: shared/seed/000_e787ce1955f7eb94.txt, the results post the facilitators wrote
after the session. Everything is added through the services, like a live session.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from . import services
from .models import Workshop

TITLE = "Open Futures for Micro-credentialing"
DESCRIPTION = (
    "A visioning session to sharpen the focus on openness in micro-credentialing activity "
    "and guide open approaches to policy and practice (OE Global 2021)."
)
VALUES = [
    "cooperative vs competitive",
    "Climate education",
    "Reputation - networks - trust",
    "equity",
    "togetherness",
    "transparency",
    "respect",
    "generosity",
    "care",
]
STATEMENTS = [
    ("PLAR/RPL", "equity"),
    ("assessment", "equity"),
    ("the approach to micro-credential policy", "togetherness"),
    ("accessibility", "transparency"),
    ("recognition", "respect"),
    ("assessment", "generosity"),
    ("accessibility", "transparency"),
    ("co-creation", "care"),
]


def demo_workshop_ensure(facilitator: User) -> Workshop:
    """The demo workshop of this facilitator, created and filled the first time."""
    existing = Workshop.objects.filter(title=TITLE, facilitators=facilitator).first()
    if existing is not None:
        return existing
    workshop = services.workshop_create(
        title=TITLE, description=DESCRIPTION, facilitator=facilitator
    )
    host, _token = services.participant_join(workshop=workshop, user=facilitator)
    people = [services.participant_join(workshop=workshop)[0] for _ in range(len(VALUES))]
    for author, text in zip(people, VALUES, strict=True):
        services.value_add(participant=author, text=text)
    services.phase_open(participant=host, phase="statements")
    for index, (activity, value) in enumerate(STATEMENTS):
        author = people[index % len(people)]
        services.statement_add(participant=author, activity=activity, value=value)
    return workshop
