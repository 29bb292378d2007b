"""{% credentials_control workshop %}: the control room's card for credentials, so that
the workshops app's template names the card without knowing what is in it."""

from __future__ import annotations

from typing import Any

from django import template

from workshops.models import Workshop

from .. import selectors

register = template.Library()


@register.inclusion_tag("credentials/_control.html", takes_context=True)
def credentials_control(context: template.Context, workshop: Workshop) -> dict[str, Any]:
    return {**selectors.control_credentials(workshop), "csrf_token": context.get("csrf_token")}
