"""People: who a socket is, who facilitates or organises, and the projector's link.

Who may do what is `workshops.access`; changes to it are logged as events (the audit
trail the control room's log, `events.json` and the JSON export carry).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access
from ..errors import Refused
from ..models import (
    Event,
    Participant,
    Workshop,
)
from ..text import NAME_MAX, clean_text
from . import announce
from .core import event_append, workshop_write
from .tables import seat_late_joiner


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def workshop_member_add(*, workshop: Workshop, by: User, username: str, role: str) -> User:
    """Give someone a role: a co-facilitator, or an organiser (sees and exports, no control).

    Logged (`member.added`) under the facilitator who did it.
    """
    actor = facilitator_participant(workshop=workshop, user=by)
    _member_add(participant=actor, username=username, role=role)
    return User.objects.get(username=username.strip())


@workshop_write
def _member_add(*, participant: Participant, username: str, role: str, ref: str = "") -> Event:
    workshop = Workshop.objects.get(pk=participant.workshop_id)
    member = User.objects.filter(username=username.strip()).first()
    if member is None:
        raise Refused("not_found", _("Nobody has the username %(u)s.") % {"u": username})
    if role == "facilitator":
        workshop.facilitators.add(member)
        workshop.organisers.remove(member)
    elif role == "organiser":
        if access.facilitator(member, workshop):
            raise Refused("invalid", _("%(u)s already facilitates.") % {"u": username})
        workshop.organisers.add(member)
    else:
        raise Refused("invalid", _("The role is facilitator or organiser."))
    _announce_members(workshop)
    data = {"username": member.get_username(), "role": role}
    return event_append(workshop.pk, "member.added", data, actor=participant, ref=ref)


def workshop_member_remove(*, workshop: Workshop, by: User, user_id: int) -> None:
    """Take someone's role away (logged as `member.removed`); the last facilitator stays."""
    actor = facilitator_participant(workshop=workshop, user=by)
    _member_remove(participant=actor, user_id=user_id)


@workshop_write
def _member_remove(*, participant: Participant, user_id: int, ref: str = "") -> Event:
    workshop = Workshop.objects.get(pk=participant.workshop_id)
    member = User.objects.filter(pk=user_id).first()
    facilitates = member is not None and bool(access.facilitator(member, workshop))
    if member is None or not (facilitates or access.organiser(member, workshop)):
        raise Refused("not_found", _("This person has no role in this workshop."))
    if facilitates and workshop.facilitators.count() == 1:
        raise Refused("invalid", _("A workshop keeps at least one facilitator."))
    workshop.facilitators.remove(user_id)
    workshop.organisers.remove(user_id)
    _announce_members(workshop)
    data = {
        "username": member.get_username(),
        "role": "facilitator" if facilitates else "organiser",
    }
    return event_append(workshop.pk, "member.removed", data, actor=participant, ref=ref)


def _announce_members(workshop: Workshop) -> None:
    """Open sockets re-read their rights once the change is committed."""
    transaction.on_commit(functools.partial(announce.members_changed, workshop.pk))


def screen_share(*, workshop: Workshop, by: User) -> str:
    """A new secret projector link; the previous one stops working (`screen.shared`)."""
    return _link_share(workshop, by, "screen", secrets.token_urlsafe(24))


def screen_unshare(*, workshop: Workshop, by: User) -> None:
    """The projector link stops working (`screen.unshared`)."""
    _link_share(workshop, by, "screen", "")


def report_share(*, workshop: Workshop, by: User) -> str:
    """A new secret key for the read-only report link; any earlier link stops working
    (`report.shared`)."""
    return _link_share(workshop, by, "report", secrets.token_urlsafe(32))


def report_unshare(*, workshop: Workshop, by: User) -> None:
    """Revoke the report link: nobody without an account reads the report any more
    (`report.unshared`)."""
    _link_share(workshop, by, "report", "")


def _link_share(workshop: Workshop, by: User, link: str, key: str) -> str:
    actor = facilitator_participant(workshop=workshop, user=by)
    _link_key_set(participant=actor, link=link, key=key)
    setattr(workshop, f"{link}_key", key)
    return key


@workshop_write
def _link_key_set(*, participant: Participant, link: str, key: str, ref: str = "") -> Event:
    """Make (a key) or revoke (empty) the secret link `link`: "screen" or "report".

    The key itself never goes in the log: organisers read the log, it is replayed and
    exported, and the key is what opens the link."""
    field = f"{link}_key"
    workshops = Workshop.objects.filter(pk=participant.workshop_id)
    replaced = bool(workshops.values_list(field, flat=True).get())
    workshops.update(**{field: key})
    kind, data = (f"{link}.shared", {"replaced": replaced}) if key else (f"{link}.unshared", {})
    return event_append(participant.workshop_id, kind, data, actor=participant, ref=ref)


def viewer_admit(*, workshop: Workshop, user: User | None, key: Any) -> bool:
    """Let a screen (projector, control room) watch; True when it sees what facilitators see.

    A viewer is no person: it gets no participant row and is counted nowhere. A browser
    signed in as one of the workshop's facilitators sees private kinds; a screen opened
    through the workshop's secret link sees what participants see. Anyone else is refused.
    """
    admitted = access.screen(user, workshop, key)
    if not admitted:
        raise Refused(
            "forbidden",
            _("A screen needs a facilitator's sign-in or the workshop's screen link."),
        )
    return admitted.sees_private


def facilitator_participant(*, workshop: Workshop, user: User, name: str = "") -> Participant:
    """The row a facilitator's actions are logged under (events' `actor`), made on first need.

    A control room says hello as a viewer and calls this only when it sends a command, so
    opening a screen creates nobody.
    """
    access.facilitator(user, workshop).require()
    facilitator, _created = Participant.objects.get_or_create(
        workshop=workshop,
        user=user,
        role=Participant.Role.FACILITATOR,
        # Never used to resume (facilitators are known by their login); unique, so random.
        defaults={
            "name": name or user.get_username(),
            "token_hash": hash_token(secrets.token_urlsafe(32)),
        },
    )
    return facilitator


# No savepoint of its own: alone it is its own transaction; in a group of joins its
# caller gives each join one (consumer._participants_hello), and a second one nested in
# it was two more statements per joiner in a join wave.
@transaction.atomic(savepoint=False)
def participant_join(
    *,
    workshop: Workshop,
    name: Any = "",
    token: Any = None,
    user: User | None = None,
    seat: bool = True,
) -> tuple[Participant, str]:
    """Who a new socket is: a signed-in facilitator, a returning participant, or a new one.

    Returns the participant and their resume token. A token that matches nobody in this
    workshop is refused: it never falls back to someone else's identity. A new one is
    seated at a table if a round is on; `seat=False` leaves that to the caller, which
    seats a group of joins together (`seat_late_joiners`).
    """
    name = clean_text(name or "", field=gettext_lazy("name"), max_length=NAME_MAX, required=False)
    if user is not None and access.facilitator(user, workshop):
        facilitator = facilitator_participant(workshop=workshop, user=user, name=name)
        token = secrets.token_urlsafe(32)
        facilitator.token_hash = hash_token(token)
        facilitator.save(update_fields=["token_hash"])
        return facilitator, token
    if token:
        if not isinstance(token, str):
            raise Refused("invalid", _("The resume token must be text."))
        returning = Participant.objects.filter(
            workshop=workshop, token_hash=hash_token(token), role=Participant.Role.PARTICIPANT
        ).first()
        if returning is None:
            raise Refused(
                "forbidden", _("This browser's session key is not valid for this workshop.")
            )
        if name and name != returning.name:
            returning.name = name
            returning.save(update_fields=["name"])
            # Their contributions show the new name, and no event says so: the welcomes
            # every hub shares are rebuilt (workshops/live/welcome.py).
            Workshop.objects.filter(pk=workshop.pk).update(
                unlogged_changes=F("unlogged_changes") + 1
            )
        return returning, token
    token = secrets.token_urlsafe(32)
    participant = Participant.objects.create(
        workshop=workshop, name=name, token_hash=hash_token(token)
    )
    if seat:
        seat_late_joiner(participant)
    return participant, token
