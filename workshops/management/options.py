"""What the management commands share: the facilitator named by `--facilitator`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import CommandError


def facilitator_named(username: str | None) -> User | None:
    """The user of that name, or None when none is given; CommandError when there is no
    such user (create_workshop and import_workshop)."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user named {username!r}.")
    return user
