"""Downloads of a workshop's exports, for its facilitators and organisers:
/facilitate/<CODE>/export.<json|csv|xlsx|md>, with ?anonymize=1."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ..views import workshop_for_member
from . import exports


def _download(request: HttpRequest, code: str, format: str) -> HttpResponse:
    workshop = workshop_for_member(request, code)
    anonymize = request.GET.get("anonymize", "") in ("1", "true", "yes", "on")
    content = exports.workshop_export(workshop, format=format, anonymize=anonymize)
    filename = exports.export_filename(workshop, format, anonymize=anonymize)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_json(request: HttpRequest, code: str) -> HttpResponse:
    return _download(request, code, "json")


@login_required
@require_GET
def export_csv(request: HttpRequest, code: str) -> HttpResponse:
    return _download(request, code, "csv")


@login_required
@require_GET
def export_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return _download(request, code, "xlsx")


@login_required
@require_GET
def export_md(request: HttpRequest, code: str) -> HttpResponse:
    return _download(request, code, "md")
