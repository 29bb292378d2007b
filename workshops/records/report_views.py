"""After the session: the printable report, its secret read-only link, and the replay.

- `/facilitate/<CODE>/report/`: facilitators and organisers.
- `/facilitate/<CODE>/report/share/` and `.../unshare/` (POST): facilitators only; a new
  key replaces the old one, so sharing again revokes the previous link.
- `/r/<CODE>/<key>/`: the same report, read-only, for anyone holding the key.
- `/facilitate/<CODE>/replay/`: the session played back from its event log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import access, selectors, services
from ..models import Workshop
from ..views import workshop_for_facilitator, workshop_for_member
from . import report as reports
from .exports import zone_named


def _render_report(
    request: HttpRequest, workshop: Workshop, *, shared: bool, can_share: bool = False
) -> HttpResponse:
    context = {
        "report": reports.report_build(workshop),
        "shared": shared,
        "can_share": can_share,
        "share_url": (
            request.build_absolute_uri(
                reverse("report_shared", args=[workshop.code, workshop.report_key])
            )
            if can_share and workshop.report_key
            else ""
        ),
    }
    # Times as the room lived them: in the workshop's zone, whoever reads the report.
    with timezone.override(zone_named(workshop.time_zone)):
        response = render(request, "workshops/report.html", context)
    response["Cache-Control"] = "private, no-store"
    if shared:
        # The key is in the address: never send it on as a referrer, never index it.
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_GET
def report(request: HttpRequest, code: str) -> HttpResponse:
    workshop = workshop_for_member(request, code)
    return _render_report(
        request, workshop, shared=False, can_share=bool(access.facilitator(request.user, workshop))
    )


@require_GET
def report_shared(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """The report for anyone holding its secret link; a revoked or wrong key is a 404."""
    workshop = selectors.workshop_by_code(code)
    if workshop is None or not access.report_key(workshop, key):
        raise Http404(_("This report is not shared, or its link was replaced."))
    return _render_report(request, workshop, shared=True)


@login_required
@require_POST
def report_link_new(request: HttpRequest, code: str) -> HttpResponse:
    workshop = workshop_for_facilitator(request, code)
    assert isinstance(request.user, User)
    replaced = bool(workshop.report_key)
    services.report_share(workshop=workshop, by=request.user)
    messages.success(
        request,
        _("A new link is ready. The previous link no longer works.")
        if replaced
        else _("The report can now be read by anyone with the link."),
    )
    return redirect(reverse("report", args=[workshop.code]) + "#share")


@login_required
@require_POST
def report_link_revoke(request: HttpRequest, code: str) -> HttpResponse:
    workshop = workshop_for_facilitator(request, code)
    assert isinstance(request.user, User)
    services.report_unshare(workshop=workshop, by=request.user)
    messages.success(request, _("The link is revoked: only your team can read the report."))
    return redirect(reverse("report", args=[workshop.code]) + "#share")


@login_required
@require_GET
def replay(request: HttpRequest, code: str) -> HttpResponse:
    workshop = workshop_for_member(request, code)
    config = {
        "code": workshop.code,
        "events_url": reverse("event_log", args=[workshop.code]),
        "report_url": reverse("report", args=[workshop.code]),
    }
    return render(request, "workshops/replay.html", {"workshop": workshop, "replay": config})
