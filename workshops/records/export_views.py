"""Downloads of a workshop's exports, for its facilitators and organisers:
/facilitate/<CODE>/export.<json|csv|xlsx|md>, with ?anonymize=1."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ..views import workshop_for_member
from . import exports


@login_required
@require_GET
def export(request: HttpRequest, code: str, format: str) -> HttpResponse:
    """One export as a download; `format` comes from the address (workshops/urls.py)."""
    workshop = workshop_for_member(request, code)
    anonymize = request.GET.get("anonymize", "") in ("1", "true", "yes", "on")
    content = exports.workshop_export(workshop, format=format, anonymize=anonymize)
    filename = exports.export_filename(workshop, format, anonymize=anonymize)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
