"""People: who a socket is, and who may facilitate, organise or show the screen."""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import CommandError
from ..models import (
    Participant,
    Workshop,
)
from ..text import NAME_MAX, clean_text
from . import announce
from .core import _require_workshop_facilitator

log = logging.getLogger(__name__)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def workshop_member_add(*, workshop: Workshop, by: User, username: str, role: str) -> User:
    """Give someone a role: a co-facilitator, or an organiser (sees and exports, no control)."""
    _require_workshop_facilitator(workshop, by)
    member = User.objects.filter(username=username.strip()).first()
    if member is None:
        raise CommandError("not_found", _("Nobody has the username %(u)s.") % {"u": username})
    if role == "facilitator":
        workshop.facilitators.add(member)
        workshop.organisers.remove(member)
    elif role == "organiser":
        if workshop.facilitators.filter(pk=member.pk).exists():
            raise CommandError("invalid", _("%(u)s already facilitates.") % {"u": username})
        workshop.organisers.add(member)
    else:
        raise CommandError("invalid", _("The role is facilitator or organiser."))
    log.info("%s made %s %s of %s", by.username, member.username, role, workshop.code)
    _announce_members(workshop)
    return member


@transaction.atomic
def workshop_member_remove(*, workshop: Workshop, by: User, user_id: int) -> None:
    _require_workshop_facilitator(workshop, by)
    if workshop.facilitators.filter(pk=user_id).exists() and workshop.facilitators.count() == 1:
        raise CommandError("invalid", _("A workshop keeps at least one facilitator."))
    workshop.facilitators.remove(user_id)
    workshop.organisers.remove(user_id)
    log.info("%s removed user %s from %s", by.username, user_id, workshop.code)
    _announce_members(workshop)


def _announce_members(workshop: Workshop) -> None:
    """Open sockets re-read their rights once the change is committed."""
    transaction.on_commit(functools.partial(announce.members_changed, workshop.pk))


def facilitates(participant: Participant) -> bool:
    """Whether this participant acts as a facilitator now: their row says so at hello,
    and their account is still one of the workshop's facilitators (it may have been
    removed since, while their socket stays open)."""
    return (
        participant.role == Participant.Role.FACILITATOR
        and participant.user_id is not None
        and Workshop.facilitators.through.objects.filter(
            workshop_id=participant.workshop_id, user_id=participant.user_id
        ).exists()
    )


def screen_share(*, workshop: Workshop, by: User) -> str:
    """A new secret projector link; the previous one stops working."""
    _require_workshop_facilitator(workshop, by)
    key = secrets.token_urlsafe(24)
    Workshop.objects.filter(pk=workshop.pk).update(screen_key=key)
    log.info("%s shared the screen of %s", by.username, workshop.code)
    return key


def screen_unshare(*, workshop: Workshop, by: User) -> None:
    _require_workshop_facilitator(workshop, by)
    Workshop.objects.filter(pk=workshop.pk).update(screen_key="")
    log.info("%s revoked the screen link of %s", by.username, workshop.code)


def screen_key_matches(workshop: Workshop, key: str) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters (`?key=é` was a 500).
    return bool(workshop.screen_key) and secrets.compare_digest(
        workshop.screen_key.encode(), key.encode("utf-8", "surrogatepass")
    )


def viewer_admit(*, workshop: Workshop, user: User | None, key: Any) -> bool:
    """Let a screen (projector, control room) watch; True when it sees what facilitators see.

    A viewer is no person: it gets no participant row and is counted nowhere. A browser
    signed in as one of the workshop's facilitators sees private kinds; a screen opened
    through the workshop's secret link sees what participants see. Anyone else is refused.
    """
    if user is not None and workshop.facilitators.filter(pk=user.pk).exists():
        return True
    if isinstance(key, str) and key and screen_key_matches(workshop, key):
        return False
    raise CommandError(
        "forbidden",
        _("A screen needs a facilitator's sign-in or the workshop's screen link."),
    )


def facilitator_participant(*, workshop: Workshop, user: User, name: str = "") -> Participant:
    """The row a facilitator's actions are logged under (events' `actor`), made on first need.

    A control room says hello as a viewer and calls this only when it sends a command, so
    opening a screen creates nobody.
    """
    if not workshop.facilitators.filter(pk=user.pk).exists():
        raise CommandError("forbidden", _("Only a signed-in facilitator can do that."))
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


@transaction.atomic
def participant_join(
    *,
    workshop: Workshop,
    name: Any = "",
    token: Any = None,
    user: User | None = None,
) -> tuple[Participant, str]:
    """Who a new socket is: a signed-in facilitator, a returning participant, or a new one.

    Returns the participant and their resume token. A token that matches nobody in this
    workshop is refused: it never falls back to someone else's identity.
    """
    name = clean_text(name or "", field=gettext_lazy("name"), max_length=NAME_MAX, required=False)
    if user is not None and workshop.facilitators.filter(pk=user.pk).exists():
        facilitator = facilitator_participant(workshop=workshop, user=user, name=name)
        token = secrets.token_urlsafe(32)
        facilitator.token_hash = hash_token(token)
        facilitator.save(update_fields=["token_hash"])
        return facilitator, token
    if token:
        if not isinstance(token, str):
            raise CommandError("invalid", _("The resume token must be text."))
        returning = Participant.objects.filter(
            workshop=workshop, token_hash=hash_token(token), role=Participant.Role.PARTICIPANT
        ).first()
        if returning is None:
            raise CommandError(
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
    return participant, token
