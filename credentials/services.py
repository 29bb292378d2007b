"""Claiming and revoking credentials, and turning them on for a workshop: the same road
as every other change (workshops.services.workshop_write: locked, deduplicated by ref, logged).

What gets broadcast is a count, never who claimed what: the name on a credential may
be a person's full name, which the room has no business receiving.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from principles.models import Principle
from workshops.errors import Refused
from workshops.models import Event, Participant, Value, Workshop
from workshops.services import event_append, require_facilitator, workshop_write
from workshops.text import clean_text

from . import documents, statuslist
from .jsonld import OB_V3, VC_V2
from .models import Credential, CredentialSettings
from .proofs import vc_datetime

NAME_MAX = 120
EMAIL_MAX = 254
WORDING_MAX = 2000
# did:method:identifier (W3C DID Core, section 3.1), kept to what fits a column.
DID_PATTERN = re.compile(r"did:[a-z0-9]+:[A-Za-z0-9._:%-]+(?:#[A-Za-z0-9._:%-]*)?")
DID_MAX = 300


@dataclass(frozen=True)
class Part:
    """One thing a participant did that a final principle grew from."""

    kind: str  # "principle", "statement" or "value"
    id: int
    principle: Principle
    text: str

    def narrative(self) -> str:
        if self.kind == "principle":
            return _("co-authored the principle “%(principle)s”") % {
                "principle": self.principle.title
            }
        if self.kind == "statement":
            return _("wrote “%(statement)s”, a source of the principle “%(principle)s”") % {
                "statement": self.text,
                "principle": self.principle.title,
            }
        return _("offered the value “%(value)s” behind the principle “%(principle)s”") % {
            "value": self.text,
            "principle": self.principle.title,
        }


def final_principles(workshop_id: int) -> list[Principle]:
    return list(
        Principle.objects.filter(
            workshop_id=workshop_id, status=Principle.Status.FINAL, hidden=False
        ).prefetch_related("sources")
    )


def parts_of(participant: Participant) -> list[Part]:
    """Everything this participant authored in the lineage of a final principle: the
    principle, one of its live source statements, or a live value those statements used
    (any value of the same key, or merged into it: they count as one idea)."""
    parts: list[Part] = []
    for principle in final_principles(participant.workshop_id):
        if principle.author_id == participant.pk:
            parts.append(Part("principle", principle.pk, principle, principle.title))
        sources = [s for s in principle.sources.all() if not (s.hidden or s.pending)]
        for statement in sources:
            if statement.author_id == participant.pk:
                parts.append(Part("statement", statement.pk, principle, statement.text))
        value_ids = [s.value_id for s in sources if s.value_id is not None]
        keys = Value.objects.filter(pk__in=value_ids).values_list("key", flat=True)
        mine = Value.objects.live().filter(
            Q(pk__in=value_ids) | Q(merged_into_id__in=value_ids) | Q(key__in=list(keys)),
            workshop_id=participant.workshop_id,
            author=participant,
        )
        parts.extend(Part("value", value.pk, principle, value.text) for value in mine)
    return parts


def settings_for(workshop_id: int) -> CredentialSettings:
    found, _created = CredentialSettings.objects.get_or_create(workshop_id=workshop_id)
    return found


def achievement_wording(workshop: Workshop, chosen: CredentialSettings) -> dict[str, str]:
    """The facilitator's wording, or defaults from the workshop's title, principles and
    licence."""
    titles = ", ".join(
        _("“%(principle)s”") % {"principle": p.title} for p in final_principles(workshop.pk)
    )
    return {
        "name": chosen.name
        or _("Co-author of the principles of “%(title)s”") % {"title": workshop.title},
        "description": chosen.description
        or _(
            "Co-created the principles the workshop “%(title)s” agreed on: %(principles)s. "
            "They are shared under %(licence)s."
        )
        % {"title": workshop.title, "principles": titles, "licence": workshop.licence},
        "criteria": chosen.criteria
        or _(
            "Awarded to each participant who wrote one of the workshop's final principles, "
            "a statement it grew from, or a value those statements used."
        ),
    }


def _counted(workshop_id: int, participant: Participant, ref: str) -> Event:
    issued = Credential.objects.filter(workshop_id=workshop_id)
    data = {"issued": issued.count(), "revoked": issued.exclude(revoked_at=None).count()}
    return event_append(workshop_id, "credentials.counted", data, actor=participant, ref=ref)


def _identity(kind: str, value: str, *, hashed: bool) -> dict[str, Any]:
    if not hashed:
        return {
            "type": "IdentityObject",
            "identityType": kind,
            "hashed": False,
            "identityHash": value,
        }
    # OB 3.0's IdentityHash: "sha256$" and the hex digest of the value followed by the salt.
    salt = secrets.token_hex(16)
    digest = hashlib.sha256((value + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityType": kind,
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "salt": salt,
    }


def _clean_email(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    email = clean_text(raw, field=gettext_lazy("email"), max_length=EMAIL_MAX).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Refused("invalid", _("That email address does not look right.")) from None
    return email


def _clean_did(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or len(raw) > DID_MAX or not DID_PATTERN.fullmatch(raw):
        raise Refused("invalid", _("A holder's id must be a DID, like did:key:z6Mk…"))
    return raw


def _credential_document(
    *,
    credential: Credential,
    workshop: Workshop,
    parts: list[Part],
    name: str,
    email: str | None,
    did: str | None,
) -> dict[str, Any]:
    wording = achievement_wording(workshop, settings_for(workshop.pk))
    chosen = settings_for(workshop.pk)
    page = documents.absolute(reverse("credentials:page", args=[credential.uuid]))
    identifiers = [_identity("name", name, hashed=False)]
    if email is not None:
        identifiers.append(_identity("emailAddress", email, hashed=True))
    principles = {part.principle.pk: part.principle for part in parts}
    return {
        "@context": [VC_V2, OB_V3],
        "id": credential.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": wording["name"],
        "issuer": documents.issuer_profile(),
        "validFrom": vc_datetime(timezone.now()),
        "credentialSubject": {
            "id": did or f"urn:uuid:{uuid.uuid4()}",
            "type": ["AchievementSubject"],
            "name": name,
            "identifier": identifiers,
            "narrative": "; ".join(part.narrative() for part in parts),
            "achievement": {
                "id": f"urn:uuid:{chosen.achievement_id}",
                "type": ["Achievement"],
                "name": wording["name"],
                "description": wording["description"],
                "criteria": {"narrative": wording["criteria"]},
            },
        },
        "evidence": [
            {
                "id": f"{page}#principle-{principle.pk}",
                "type": ["Evidence"],
                "name": principle.title,
                "description": principle.body,
                "narrative": _("Grew from: %(sources)s")
                % {"sources": " / ".join(s.text for s in principle.sources.all() if not s.hidden)},
            }
            for principle in principles.values()
        ],
        "credentialStatus": documents.status_entry(credential.status_index),
    }


@workshop_write
def credential_claim(
    *,
    participant: Participant,
    name: str,
    email: str | None = None,
    did: str | None = None,
    named: bool | None = False,
    ref: str = "",
) -> Event:
    """Issue this participant's credential, or find the one they already have."""
    workshop = Workshop.objects.get(pk=participant.workshop_id)
    if Credential.objects.filter(participant=participant).exists():
        return _counted(workshop.pk, participant, ref)
    # Whether they have a part comes first: someone with none hears so, on or off.
    parts = parts_of(participant)
    if not parts:
        raise Refused(
            "not_eligible",
            _("Credentials go to the authors of a final principle and of what it grew from."),
        )
    if not settings_for(workshop.pk).enabled:
        raise Refused("forbidden", _("This workshop does not issue credentials."))
    name = clean_text(name, field=gettext_lazy("name"), max_length=NAME_MAX)
    email = _clean_email(email)
    did = _clean_did(did)
    named = bool(named)  # left out (None): not named
    credential = Credential(
        workshop=workshop,
        workshop_title=workshop.title,
        participant=participant,
        status_index=statuslist.free_index(),
        named=named,
        credited=[{"kind": part.kind, "id": part.id} for part in parts],
    )
    unsigned = _credential_document(
        credential=credential, workshop=workshop, parts=parts, name=name, email=email, did=did
    )
    credential.document = documents.signed(unsigned)
    credential.save()
    return _counted(workshop.pk, participant, ref)


def _clean_credential_id(raw: str) -> uuid.UUID:
    if raw.startswith("urn:uuid:"):
        try:
            return uuid.UUID(raw.removeprefix("urn:uuid:"))
        except ValueError:
            pass
    raise Refused("invalid", _("A credential's id looks like urn:uuid:…"))


@workshop_write
def credential_revoke(*, participant: Participant, id: str, ref: str = "") -> Event:
    """Set the credential's bit in the status list: from now on it reads revoked."""
    require_facilitator(participant)
    credential = Credential.objects.filter(
        workshop_id=participant.workshop_id, uuid=_clean_credential_id(id)
    ).first()
    if credential is None:
        raise Refused("not_found", _("There is no credential %(id)s here.") % {"id": id})
    if credential.revoked_at is None:
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["revoked_at"])
    return _counted(participant.workshop_id, participant, ref)


def credentials_set(
    workshop_id: int,
    *,
    enabled: bool | None = None,
    name: str | None = None,
    description: str | None = None,
    criteria: str | None = None,
) -> None:
    """Turn credentials on or off and word the achievement (omitted: kept; empty: the
    default). Runs inside a command, which holds the workshop locked."""
    chosen = settings_for(workshop_id)
    if enabled is not None:
        chosen.enabled = enabled
    if name is not None:
        chosen.name = clean_text(
            name, field=gettext_lazy("achievement name"), max_length=200, required=False
        )
    if description is not None:
        chosen.description = _clean_wording(description, gettext_lazy("achievement description"))
    if criteria is not None:
        chosen.criteria = _clean_wording(criteria, gettext_lazy("criteria"))
    chosen.save()


def _clean_wording(text: str, field: str | Promise) -> str:
    """A paragraph of the achievement's wording: optional, on several lines."""
    return clean_text(text, field=field, max_length=WORDING_MAX, required=False, multiline=True)


@workshop_write
def credentials_update(
    *,
    participant: Participant,
    enabled: bool | None = None,
    name: str | None = None,
    description: str | None = None,
    criteria: str | None = None,
    ref: str = "",
) -> Event:
    """The facilitator's switch and wording, as the control room sends them."""
    require_facilitator(participant)
    credentials_set(
        participant.workshop_id,
        enabled=enabled,
        name=name,
        description=description,
        criteria=criteria,
    )
    return event_append(
        participant.workshop_id,
        "credentials.updated",
        settings_data(settings_for(participant.workshop_id)),
        actor=participant,
        ref=ref,
    )


def settings_data(chosen: CredentialSettings) -> dict[str, Any]:
    return {
        "enabled": chosen.enabled,
        "name": chosen.name,
        "description": chosen.description,
        "criteria": chosen.criteria,
    }


def with_credentials_switch(update: Callable[..., Event]) -> Callable[..., Event]:
    """workshop.update's service, also taking `credentials` (true/false), so that the
    workshops app stays unaware of credentials (CONTRACT.md: workshop.update takes it)."""
    undecorated = update.__wrapped__  # type: ignore[attr-defined]

    @workshop_write
    def workshop_update(
        *, participant: Participant, credentials: bool | None = None, ref: str = "", **fields: Any
    ) -> Event:
        require_facilitator(participant)
        if credentials is not None:
            credentials_set(participant.workshop_id, enabled=credentials)
        event: Event = undecorated(participant=participant, ref=ref, **fields)
        return event

    return workshop_update


def claim_answer(participant: Participant, event: Event, ref: str) -> dict[str, Any]:
    """credential.claim's answer: where the credential and its page are."""
    credential = Credential.objects.get(participant=participant)
    return {
        "type": "credential",
        "ref": ref,
        "url": documents.absolute(reverse("credentials:document", args=[credential.uuid])),
        "page": documents.absolute(reverse("credentials:page", args=[credential.uuid])),
        "id": credential.credential_id,
        "seq": event.seq,
    }
