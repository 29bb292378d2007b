"""A signed-in facilitator of a workshop, for scenarios that run facilitators' commands.

    DATABASE_URL=... python -m bench.facilitator CODE

Prints the value of the session cookie on the last line: a socket opened with
`Cookie: sessionid=<it>` is the facilitator's, as the control room's is. The session is
made in the database the server reads, as a sign-in would make it (no password, no page).
"""

from __future__ import annotations

import argparse
import os


def facilitator_session(code: str) -> str:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.utils.module_loading import import_string

    from workshops.models import Workshop

    user, _ = get_user_model().objects.get_or_create(username="bench-host")
    Workshop.objects.get(code=code).facilitators.add(user)
    session = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    assert session.session_key is not None
    return session.session_key


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("code")
    print(facilitator_session(parser.parse_args().code))
