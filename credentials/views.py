"""What the instance serves for verifiers (JSON-LD documents) and for people (a page, a
badge). Everything here is public: a credential is shown to whoever has its address."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from workshops.errors import Refused
from workshops.models import Participant, Workshop
from workshops.services.people import facilitator_participant
from workshops.views import workshop_for_facilitator

from . import documents, services
from .models import Credential, IssuerKey

VC_MEDIA_TYPE = "application/vc+ld+json"
JSON_LD_MEDIA_TYPE = "application/ld+json"


def _json(document: dict[str, Any], media_type: str, *, download: str = "") -> HttpResponse:
    response = HttpResponse(json.dumps(document, indent=2, ensure_ascii=False), media_type)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers in browsers, wallets
    if download:
        response["Content-Disposition"] = f'attachment; filename="{download}"'
    return response


@require_safe
def issuer(request: HttpRequest) -> HttpResponse:
    return _json(documents.issuer_document(), JSON_LD_MEDIA_TYPE)


@require_safe
def key(request: HttpRequest, key_id: int) -> HttpResponse:
    return _json(
        documents.key_document(get_object_or_404(IssuerKey, pk=key_id)), JSON_LD_MEDIA_TYPE
    )


@require_safe
def status_list(request: HttpRequest) -> HttpResponse:
    return _json(documents.status_list_credential(), VC_MEDIA_TYPE)


@require_safe
def document(request: HttpRequest, credential_uuid: uuid.UUID) -> HttpResponse:
    credential = get_object_or_404(Credential, uuid=credential_uuid)
    download = f"credential-{credential.uuid}.json" if "download" in request.GET else ""
    return _json(credential.document, VC_MEDIA_TYPE, download=download)


@require_safe
def page(request: HttpRequest, credential_uuid: uuid.UUID) -> HttpResponse:
    credential = get_object_or_404(Credential, uuid=credential_uuid)
    return render(
        request,
        "credentials/credential.html",
        {
            "credential": credential,
            "document": credential.document,
            "subject": credential.document["credentialSubject"],
            "verifies": documents.credential_verifies(credential),
            "credential_url": documents.absolute(
                reverse("credentials:document", args=[credential.uuid])
            ),
        },
    )


@require_safe
def badge_svg(request: HttpRequest, credential_uuid: uuid.UUID) -> HttpResponse:
    """The badge image with the credential baked in (Open Badges 3.0, section 5.3.2: an
    `openbadges:credential` element holding the compact JSON as text)."""
    credential = get_object_or_404(Credential, uuid=credential_uuid)
    # Inside CDATA, only "]]>" would end the text early: split it across two sections.
    baked = json.dumps(credential.document, ensure_ascii=False, separators=(",", ":"))
    response = render(
        request,
        "credentials/badge.svg",
        {
            "credential": credential,
            "document": credential.document,
            "baked": baked.replace("]]>", "]]]]><![CDATA[>"),
        },
        content_type="image/svg+xml",
    )
    response["Content-Disposition"] = f'attachment; filename="badge-{credential.uuid}.svg"'
    return response


def _to_card(workshop: Workshop) -> HttpResponse:
    return redirect(reverse("control_room", args=[workshop.code]) + "#credentials-card")


def _facilitator(request: HttpRequest, code: str) -> tuple[Workshop, Participant]:
    workshop = workshop_for_facilitator(request, code)
    assert isinstance(request.user, User)
    return workshop, facilitator_participant(workshop=workshop, user=request.user)


@login_required
@require_POST
def control_settings(request: HttpRequest, code: str) -> HttpResponse:
    """The control room's form: the switch and the achievement's wording."""
    workshop, host = _facilitator(request, code)
    try:
        services.credentials_update(
            participant=host,
            enabled=request.POST.get("enabled") == "on",
            name=request.POST.get("name", ""),
            description=request.POST.get("description", ""),
            criteria=request.POST.get("criteria", ""),
        )
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Credentials saved."))
    return _to_card(workshop)


@login_required
@require_POST
def control_revoke(request: HttpRequest, code: str) -> HttpResponse:
    workshop, host = _facilitator(request, code)
    try:
        services.credential_revoke(participant=host, id=request.POST.get("id", ""))
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The credential is revoked: it no longer verifies."))
    return _to_card(workshop)
