from __future__ import annotations

import io
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView, redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import access, selectors, services, suggestions
from .errors import Refused
from .forms import JoinForm, MemberForm, RetentionForm, WorkshopCreateForm
from .live.throttle import JOIN_MISSES, LOGIN_FAILURES
from .models import Workshop


def _get_workshop(code: str) -> Workshop:
    workshop = selectors.workshop_by_code(code)
    if workshop is None:
        raise Http404(_("There is no workshop with this code."))
    return workshop


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "?"))


def _too_many(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        429,
        _("Too many attempts"),
        _("Too many attempts from your address. Please wait a few minutes and try again."),
    )


def _not_yours() -> Http404:
    return Http404(_("There is no workshop with this code among yours."))


def workshop_for_facilitator(request: HttpRequest, code: str) -> Workshop:
    """A workshop the signed-in user runs; anyone else (an organiser too) gets the 404 an
    unknown code gets, so a page never tells who runs which workshop."""
    workshop = _get_workshop(code)
    if not access.facilitator(request.user, workshop):
        raise _not_yours()
    return workshop


def workshop_for_member(request: HttpRequest, code: str) -> Workshop:
    """A workshop the signed-in user facilitates or organises (its report, log, exports)."""
    workshop = _get_workshop(code)
    if not access.member(request.user, workshop):
        raise _not_yours()
    return workshop


def _live_config(request: HttpRequest, workshop: Workshop, page: str) -> dict[str, str]:
    """What the live client needs, handed over with json_script."""
    return {
        "code": workshop.code,
        "page": page,
        "ws_path": f"/ws/j/{workshop.code}/",
        "join_url": request.build_absolute_uri(reverse("join", args=[workshop.code])),
    }


@require_http_methods(["GET", "HEAD", "POST"])
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


def screen(request: HttpRequest, code: str) -> HttpResponse:
    """The projector: for the workshop's facilitators, or anyone with its secret link."""
    workshop = _get_workshop(code)
    admitted = access.screen(request.user, workshop, request.GET.get("key", ""))
    if not admitted:
        # A key that is not (or no longer) the screen's is not found, whatever its
        # characters; without one, a visitor is asked to sign in.
        if admitted.refusal == access.Refusal.BAD_KEY:
            raise Http404(_("This screen link is not valid (it may have been revoked)."))
        if admitted.refusal == access.Refusal.SIGNED_OUT:
            return redirect_to_login(request.get_full_path())
        raise _not_yours()
    context = {
        "workshop": workshop,
        "live": _live_config(request, workshop, "screen"),
        "headline": selectors.screen_headline(workshop),
    }
    return render(request, "workshops/screen.html", context)


@login_required
@require_POST
def screen_link_new(request: HttpRequest, code: str) -> HttpResponse:
    """Make (or replace) the secret link that opens the projector without signing in."""
    workshop = workshop_for_facilitator(request, code)
    assert isinstance(request.user, User)
    services.screen_share(workshop=workshop, by=request.user)
    return _back_to_control(
        request, workshop, _("A new projector link is ready; any earlier one stops working.")
    )


def _screen_link(request: HttpRequest, workshop: Workshop) -> str:
    path = reverse("screen", args=[workshop.code]) + f"?key={workshop.screen_key}"
    return request.build_absolute_uri(path)


@login_required
@require_POST
def screen_link_revoke(request: HttpRequest, code: str) -> HttpResponse:
    workshop = workshop_for_facilitator(request, code)
    assert isinstance(request.user, User)
    services.screen_unshare(workshop=workshop, by=request.user)
    return _back_to_control(request, workshop, _("The projector link no longer works."))


def qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    workshop = _get_workshop(code)
    return _qr(request.build_absolute_uri(reverse("join", args=[workshop.code])))


def material_qr_svg(request: HttpRequest, code: str, id: int) -> HttpResponse:
    """The QR code of a link the facilitator gave the room (the projector's ending shows
    one beside each): the room already reads the address, so anyone may have its code."""
    material = _get_workshop(code).materials.filter(pk=id).first()
    if material is None:
        raise Http404(_("There is no such link in this workshop."))
    return _qr(material.url)


def _qr(url: str) -> HttpResponse:
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
    assert isinstance(request.user, User)
    workshops = request.user.facilitated_workshops.order_by("-created_at")
    organised = request.user.organised_workshops.order_by("-created_at")
    context = {"form": form, "workshops": workshops, "organised": organised}
    return render(request, "workshops/facilitate.html", context)


@login_required
@require_POST
def duplicate(request: HttpRequest, code: str) -> HttpResponse:
    """Start a new workshop from this one's design."""
    workshop = workshop_for_facilitator(request, code)
    assert isinstance(request.user, User)
    copy = services.workshop_duplicate(workshop=workshop, facilitator=request.user)
    return redirect("control_room", code=copy.code)


@login_required
def merge_suggestions(request: HttpRequest, code: str) -> JsonResponse:
    """Likely duplicate values, for the control room to offer as one-click merges."""
    workshop = workshop_for_facilitator(request, code)
    return JsonResponse({"suggestions": suggestions.merge_suggestions(workshop)})


@login_required
def control_room(request: HttpRequest, code: str) -> HttpResponse:
    workshop = workshop_for_facilitator(request, code)
    context = {
        "workshop": workshop,
        "live": _live_config(request, workshop, "control"),
        "facilitators": workshop.facilitators.order_by("username"),
        "organisers": workshop.organisers.order_by("username"),
        "retention_form": RetentionForm(initial={"delete_after": workshop.delete_after}),
        "member_form": MemberForm(),
        "screen_link": _screen_link(request, workshop) if workshop.screen_key else "",
    }
    return render(request, "workshops/control.html", context)


def _to_people(workshop: Workshop) -> HttpResponse:
    """Back to the control room's people and retention section, after one of its forms."""
    return redirect(reverse("control_room", args=[workshop.code]) + "#people")


def _back_to_control(request: HttpRequest, workshop: Workshop, message: str) -> HttpResponse:
    messages.success(request, message)
    return _to_people(workshop)


def _refused(request: HttpRequest, workshop: Workshop, refused: Refused) -> HttpResponse:
    messages.error(request, refused.message)
    return _to_people(workshop)


@login_required
@require_POST
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    """Add a co-facilitator or an organiser by username."""
    workshop = workshop_for_facilitator(request, code)
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a username and a role."))
        return _to_people(workshop)
    assert isinstance(request.user, User)
    try:
        member = services.workshop_member_add(
            workshop=workshop, by=request.user, **form.cleaned_data
        )
    except Refused as refused:
        return _refused(request, workshop, refused)
    return _back_to_control(
        request,
        workshop,
        _("%(u)s can now take part as %(role)s.")
        % {"u": member.username, "role": form.cleaned_data["role"]},
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    workshop = workshop_for_facilitator(request, code)
    assert isinstance(request.user, User)
    try:
        services.workshop_member_remove(workshop=workshop, by=request.user, user_id=user_id)
    except Refused as refused:
        return _refused(request, workshop, refused)
    return _back_to_control(request, workshop, _("Removed."))


@login_required
@require_POST
def retention(request: HttpRequest, code: str) -> HttpResponse:
    """Set or clear the day this workshop and everything said in it are deleted."""
    workshop = workshop_for_facilitator(request, code)
    form = RetentionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a date from tomorrow on, or leave it empty."))
        return _to_people(workshop)
    assert isinstance(request.user, User)
    day = form.cleaned_data["delete_after"]
    services.workshop_schedule_deletion(workshop=workshop, by=request.user, delete_after=day)
    if day:
        return _back_to_control(
            request, workshop, _("This workshop will be deleted on %(d)s.") % {"d": day}
        )
    return _back_to_control(request, workshop, _("This workshop will be kept."))


@login_required
@require_POST
def delete(request: HttpRequest, code: str) -> HttpResponse:
    """Delete the workshop and all its participants' data, after typing its code."""
    workshop = workshop_for_facilitator(request, code)
    if services.normalise_join_code(request.POST.get("confirm", "")) != workshop.code:
        messages.error(request, _("Type the join code to confirm the deletion."))
        return _to_people(workshop)
    assert isinstance(request.user, User)
    title = workshop.title
    services.workshop_delete(workshop=workshop, by=request.user)
    messages.success(request, _("“%(t)s” and everything said in it are deleted.") % {"t": title})
    return redirect("facilitate")


@login_required
def event_log(request: HttpRequest, code: str) -> JsonResponse:
    """The whole event log, for the replay and the audit trail: where the session
    started, then every event with who did it."""
    workshop = workshop_for_member(request, code)
    _seq, state = selectors.workshop_state(workshop)
    start = {
        "workshop": state["workshop"],
        "phases": [
            {**phase, "status": "open" if index == 0 else "pending", "timer_ends_at": None}
            for index, phase in enumerate(state["phases"])
        ],
        "values": [],
        "statements": [],
        "principles": [],
        "participants": 0,
    }
    return JsonResponse({"state": start, "events": selectors.audit_log(workshop.pk)})


class ThrottledLoginView(LoginView):
    """Django's login, refusing an address after repeated failures."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if LOGIN_FAILURES.exceeded(_address(request)):
            return _too_many(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        LOGIN_FAILURES.miss(_address(self.request))
        return super().form_invalid(form)


# ---------------------------------------------------------------------------- error pages
# Every error answers in the site's layout and language, with the form to enter a join
# code: most people who land on one mistyped a workshop's link.


def _error_page(
    request: HttpRequest, status: int, title: str, message: str, *, template: str | None = None
) -> HttpResponse:
    context = {
        "status": status,
        "error_title": title,
        "error_message": message,
        "join_form": JoinForm(),
    }
    return render(request, template or f"{status}.html", context, status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Http404("There is no workshop with this code.") says what was not found; Django's own
    # (no URL matched) says nothing a visitor should read.
    said = exception.args[0] if exception.args and isinstance(exception.args[0], str) else ""
    return _error_page(
        request,
        404,
        _("Page not found"),
        said or _("There is no page at this address. Check the link, or enter the join code."),
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(
        request,
        403,
        _("Not allowed"),
        _("You cannot open this page. Sign in with an account that may, or enter a join code."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page left open too long (or without cookies): say what to do."""
    return _error_page(
        request,
        403,
        _("The form had expired"),
        _("Nothing was sent. Reload the page and try again (cookies must be on)."),
        template="403.html",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors: the database may be what failed."""
    from django.middleware.csrf import get_token
    from django.template import loader
    from django.utils.translation import get_language

    context = {
        "status": 500,
        "error_title": _("Something went wrong"),
        "error_message": _(
            "The server could not answer. What you sent before is safe; try again in a moment."
        ),
        "join_form": JoinForm(),
        "LANGUAGE_CODE": get_language(),
        "csrf_token": get_token(request),
    }
    return HttpResponse(loader.get_template("500.html").render(context), status=500)
