from __future__ import annotations

import io
from typing import Any

import segno
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services, suggestions
from .forms import JoinForm, WorkshopCreateForm
from .models import Workshop
from .throttle import JOIN_MISSES, LOGIN_FAILURES


def _get_workshop(code: str) -> Workshop:
    workshop = selectors.workshop_by_code(code)
    if workshop is None:
        raise Http404(_("There is no workshop with this code."))
    return workshop


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "?"))


def _too_many(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        _("Too many attempts from your address. Please wait a few minutes and try again."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )


def _get_workshop_for_facilitator(request: HttpRequest, code: str) -> Workshop:
    workshop = _get_workshop(code)
    if not workshop.facilitators.filter(pk=request.user.pk or 0).exists():
        raise Http404(_("There is no workshop with this code among yours."))
    return workshop


def _live_config(request: HttpRequest, workshop: Workshop, page: str) -> dict[str, str]:
    """What the live client needs, handed over with json_script."""
    return {
        "code": workshop.code,
        "page": page,
        "ws_path": f"/ws/j/{workshop.code}/",
        "join_url": request.build_absolute_uri(reverse("join", args=[workshop.code])),
    }


@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if JOIN_MISSES.exceeded(_address(request)):
            return _too_many(request)
        code = services.normalise_join_code(form.cleaned_data["code"])
        if selectors.workshop_by_code(code) is not None:
            return redirect("join", code=code)
        JOIN_MISSES.miss(_address(request))
        form.add_error(
            "code", _("No workshop has the code %(code)s. Check it and try again.") % {"code": code}
        )
    return render(request, "workshops/home.html", {"form": form})


def join(request: HttpRequest, code: str) -> HttpResponse:
    if JOIN_MISSES.exceeded(_address(request)):
        return _too_many(request)
    workshop = selectors.workshop_by_code(code)
    if workshop is None:
        JOIN_MISSES.miss(_address(request))
        raise Http404(_("There is no workshop with this code."))
    if workshop.code != code:
        return redirect("join", code=workshop.code)
    context = {"workshop": workshop, "live": _live_config(request, workshop, "participant")}
    return render(request, "workshops/participant.html", context)


@login_required
def screen(request: HttpRequest, code: str) -> HttpResponse:
    workshop = _get_workshop_for_facilitator(request, code)
    context = {"workshop": workshop, "live": _live_config(request, workshop, "screen")}
    return render(request, "workshops/screen.html", context)


def qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    workshop = _get_workshop(code)
    url = request.build_absolute_uri(reverse("join", args=[workshop.code]))
    svg = io.BytesIO()
    # A standalone SVG (with its xmlns), so browsers draw it in an <img>.
    segno.make(url, error="m").save(
        svg, kind="svg", scale=8, border=2, dark="#111", light="#fff", xmldecl=False
    )
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@login_required
@require_http_methods(["GET", "POST"])
def facilitate(request: HttpRequest) -> HttpResponse:
    form = WorkshopCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        workshop = services.workshop_create(facilitator=request.user, **form.cleaned_data)
        return redirect("control_room", code=workshop.code)
    workshops = request.user.facilitated_workshops.order_by("-created_at")  # type: ignore[union-attr]
    return render(request, "workshops/facilitate.html", {"form": form, "workshops": workshops})


@login_required
@require_POST
def duplicate(request: HttpRequest, code: str) -> HttpResponse:
    """Start a new workshop from this one's design."""
    workshop = _get_workshop_for_facilitator(request, code)
    assert isinstance(request.user, User)
    copy = services.workshop_duplicate(workshop=workshop, facilitator=request.user)
    return redirect("control_room", code=copy.code)


@login_required
def merge_suggestions(request: HttpRequest, code: str) -> JsonResponse:
    """Likely duplicate values, for the control room to offer as one-click merges."""
    workshop = _get_workshop_for_facilitator(request, code)
    return JsonResponse({"suggestions": suggestions.merge_suggestions(workshop)})


@login_required
def control_room(request: HttpRequest, code: str) -> HttpResponse:
    workshop = _get_workshop_for_facilitator(request, code)
    context = {"workshop": workshop, "live": _live_config(request, workshop, "control")}
    return render(request, "workshops/control.html", context)


class ThrottledLoginView(LoginView):
    """Django's login, refusing an address after repeated failures."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if LOGIN_FAILURES.exceeded(_address(request)):
            return _too_many(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        LOGIN_FAILURES.miss(_address(self.request))
        return super().form_invalid(form)
