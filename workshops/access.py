"""Who may do what with a workshop, and why not: the one place that answers.

Every check here answers with an `Access`: true when allowed, otherwise false and
carrying the reason (`Access.refusal`) and a sentence for a person (`Access.message`).
Views turn a refusal into their page's answer (the 404 of an unknown code, so a page
never tells who runs which workshop; a redirect to sign in), services and the socket
into the `forbidden` error code; nobody asks the tables themselves.
Like healthchecks' `_get_rw_check_for_user`, one helper per question, not one per page.

This module reads models only: services, the live engine and views import it, never
the reverse.

The roles:
- a **facilitator** runs a workshop (an account in `Workshop.facilitators`);
- an **organiser** sees it, its log, report and exports, and controls nothing;
- a **member** is either;
- a participant row acts as a facilitator while its role says so *and* its account
  still facilitates (a co-facilitator removed mid-session keeps an open socket);
- a **screen** (projector) is let in by a facilitator's sign-in or the secret screen key.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .errors import Refused
from .models import Participant, Workshop


class Refusal(enum.StrEnum):
    """Why someone may not: each has its sentence in `_MESSAGES`."""

    SIGNED_OUT = "signed_out"  # nobody is signed in
    NOT_MEMBER = "not_member"  # signed in, but neither facilitates nor organises it
    ORGANISER_ONLY = "organiser_only"  # organises: sees and exports, does not control
    PARTICIPANT = "participant"  # a participant's row, not a facilitator's
    NO_LONGER_FACILITATOR = "no_longer_facilitator"  # the row's account was removed since
    SIGNED_OUT_ELSEWHERE = "signed_out_elsewhere"  # the socket's sign-in session is over
    BAD_KEY = "bad_key"  # a secret link's key that is not (or no longer) the workshop's


_MESSAGES: dict[Refusal, Callable[[], str]] = {
    Refusal.SIGNED_OUT: lambda: _("Only a signed-in facilitator can do that."),
    Refusal.NOT_MEMBER: lambda: _("Only a facilitator of this workshop can do that."),
    Refusal.ORGANISER_ONLY: lambda: _(
        "Organisers see and export this workshop; only its facilitators can do that."
    ),
    Refusal.PARTICIPANT: lambda: _("Only a facilitator can do that."),
    Refusal.NO_LONGER_FACILITATOR: lambda: _("You no longer facilitate this workshop."),
    Refusal.SIGNED_OUT_ELSEWHERE: lambda: _("Only a signed-in facilitator can do that."),
    Refusal.BAD_KEY: lambda: _("This link is not valid (it may have been revoked)."),
}


@dataclass(frozen=True)
class Access:
    """The answer to "may they?": truthy when allowed, else falsy with the reason."""

    refusal: Refusal | None = None

    def __bool__(self) -> bool:
        return self.refusal is None

    @property
    def message(self) -> str:
        return _MESSAGES[self.refusal]() if self.refusal is not None else ""

    def require(self) -> None:
        """Raise the socket's and services' refusal (`forbidden`) unless allowed."""
        if self.refusal is not None:
            raise Refused("forbidden", self.message)


ALLOWED = Access()


def _user_id(user: Any) -> int | None:
    """The account's id, None for nobody (None, or Django's AnonymousUser)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return int(user.pk)


def _facilitates(workshop_id: int, user_id: int) -> bool:
    through = Workshop.facilitators.through
    return through.objects.filter(workshop_id=workshop_id, user_id=user_id).exists()


def _organises(workshop_id: int, user_id: int) -> bool:
    through = Workshop.organisers.through
    return through.objects.filter(workshop_id=workshop_id, user_id=user_id).exists()


def facilitator(user: Any, workshop: Workshop) -> Access:
    """May this account run the workshop (control room, links, members, deletion)?"""
    user_id = _user_id(user)
    if user_id is None:
        return Access(Refusal.SIGNED_OUT)
    if _facilitates(workshop.pk, user_id):
        return ALLOWED
    if _organises(workshop.pk, user_id):
        return Access(Refusal.ORGANISER_ONLY)
    return Access(Refusal.NOT_MEMBER)


def organiser(user: Any, workshop: Workshop) -> Access:
    """Does this account organise the workshop (see and export, without controlling)?"""
    user_id = _user_id(user)
    if user_id is None:
        return Access(Refusal.SIGNED_OUT)
    return ALLOWED if _organises(workshop.pk, user_id) else Access(Refusal.NOT_MEMBER)


def member(user: Any, workshop: Workshop) -> Access:
    """May this account read the workshop: its report, replay, log and exports?"""
    user_id = _user_id(user)
    if user_id is None:
        return Access(Refusal.SIGNED_OUT)
    if _facilitates(workshop.pk, user_id) or _organises(workshop.pk, user_id):
        return ALLOWED
    return Access(Refusal.NOT_MEMBER)


def facilitator_row(participant: Participant) -> Access:
    """Is this the row of a facilitator (as it was made at hello)? No query: the
    services' own guard, under the socket's fresher check (`acting_facilitator`)."""
    if participant.role != Participant.Role.FACILITATOR:
        return Access(Refusal.PARTICIPANT)
    return ALLOWED


def acting_facilitator(participant: Participant) -> Access:
    """Does this participant act as a facilitator now: their row says so, and their
    account still facilitates the workshop (it may have been removed since, while their
    socket stays open)?"""
    if participant.role != Participant.Role.FACILITATOR:
        return Access(Refusal.PARTICIPANT)
    if participant.user_id is None or not _facilitates(
        participant.workshop_id, participant.user_id
    ):
        return Access(Refusal.NO_LONGER_FACILITATOR)
    return ALLOWED


def signed_in_facilitator(participant: Participant, session_user_id: Any) -> Access:
    """A socket's privileged command: its row is a facilitator's, the browser is still
    signed in as that account (`session_user_id`, read from its session now; None when
    signed out), and the account still facilitates."""
    if participant.role != Participant.Role.FACILITATOR:
        return Access(Refusal.PARTICIPANT)
    if session_user_id is None or str(session_user_id) != str(participant.user_id):
        return Access(Refusal.SIGNED_OUT_ELSEWHERE)
    return acting_facilitator(participant)


def key_matches(secret: str, key: Any) -> bool:
    """Whether `key` is this secret link's key (empty: the link is not shared)."""
    # As bytes: compare_digest refuses str with non-ASCII characters (`?key=é` was a 500).
    return (
        bool(secret)
        and isinstance(key, str)
        and secrets.compare_digest(secret.encode(), key.encode("utf-8", "surrogatepass"))
    )


def screen_key(workshop: Workshop, key: Any) -> Access:
    """Does `key` open the workshop's projector link?"""
    return ALLOWED if key_matches(workshop.screen_key, key) else Access(Refusal.BAD_KEY)


def report_key(workshop: Workshop, key: Any) -> Access:
    """Does `key` open the workshop's read-only report link?"""
    return ALLOWED if key_matches(workshop.report_key, key) else Access(Refusal.BAD_KEY)


@dataclass(frozen=True)
class ScreenAccess:
    """A screen's admission: whether it may watch, and what it sees when it may."""

    access: Access
    sees_private: bool = False  # what facilitators see (a facilitator's own browser)

    def __bool__(self) -> bool:
        return bool(self.access)

    @property
    def refusal(self) -> Refusal | None:
        return self.access.refusal


def screen(user: Any, workshop: Workshop, key: Any) -> ScreenAccess:
    """May this browser watch the workshop as a screen (projector, control room)?

    A browser signed in as one of its facilitators sees what facilitators see; one
    holding the secret screen key sees what participants see. The refusal is the
    account's when a key was not given, the key's otherwise.
    """
    as_facilitator = facilitator(user, workshop)
    if as_facilitator:
        return ScreenAccess(ALLOWED, sees_private=True)
    if key:
        return ScreenAccess(screen_key(workshop, key))
    return ScreenAccess(as_facilitator)
