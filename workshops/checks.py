"""Deployment checks of our own, run by `manage.py check --deploy`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_allowed_hosts(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if "*" in settings.ALLOWED_HOSTS:
        return [
            checks.Warning(
                "ALLOWED_HOSTS contains '*': any site could open websockets to this server "
                "on behalf of its visitors.",
                hint="List the host names the server is reached at.",
                id="workshops.W001",
            )
        ]
    return []


@checks.register(deploy=True)
def check_channel_layer(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    backend = str(settings.CHANNEL_LAYERS["default"]["BACKEND"])
    if backend.endswith("InMemoryChannelLayer"):
        # Info, not a warning: one process with the in-memory layer is a valid deployment.
        return [
            checks.Info(
                "The in-memory channel layer serves one process only: attendees on another "
                "process would not see each other live.",
                hint="Set REDIS_URL before running more than one server process.",
                id="workshops.I001",
            )
        ]
    return []
