"""What the rest of the site reads about credentials: a participant's own, the export's
table of what was credited, and the report's count."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from workshops.models import Participant, Workshop
from workshops.records.exports import ExportContext, ExportPart, Table
from workshops.records.report import ReportPart

from .documents import absolute
from .models import Credential, CredentialSettings
from .services import achievement_wording, parts_of

CREDIT_COLUMNS = ("credential", "kind", "id", "holder", "issued_at", "revoked")


def my_credential(participant: Participant) -> dict[str, Any]:
    """welcome.you.credential: null while credentials are off or they have no part;
    else whether they may claim, and the page of the one they claimed."""
    enabled = CredentialSettings.objects.filter(
        workshop_id=participant.workshop_id, enabled=True
    ).exists()
    if not enabled or participant.role != Participant.Role.PARTICIPANT:
        return {"credential": None}
    claimed = Credential.objects.filter(participant=participant).first()
    if claimed is not None:
        page = absolute(reverse("credentials:page", args=[claimed.uuid]))
        return {"credential": {"eligible": True, "page": page}}
    if not parts_of(participant):
        return {"credential": None}
    return {"credential": {"eligible": True, "page": None}}


def credit_rows(context: ExportContext) -> list[dict[str, Any]]:
    """One row per contribution a credential credits: which credential, what it was (a
    principle, statement or value, by id), its holder (a participant id, or null when
    anonymized), when it was issued and whether it has been revoked."""
    credentials = Credential.objects.filter(workshop=context.workshop).order_by("id")
    return [
        {
            "credential": credential.credential_id,
            "kind": item["kind"],
            "id": item["id"],
            "holder": context.author(credential.participant_id),
            "issued_at": context.time(credential.created_at),
            "revoked": credential.revoked_at is not None,
        }
        for credential in credentials
        for item in credential.credited
    ]


def credit_tables(data: dict[str, Any]) -> list[Table]:
    # A workshop that issued none has no credits.csv or sheet, rather than an empty one.
    return [Table("credits", CREDIT_COLUMNS, data["credits"])] if data["credits"] else []


EXPORT_PART = ExportPart(
    table="credits", columns=CREDIT_COLUMNS, rows=credit_rows, tables=credit_tables
)


def report_credentials(workshop: Workshop, state: dict[str, Any]) -> ReportPart | None:
    """The report's section: how many credentials stand (revoked ones do not), and the
    names of those who agreed to be named; none when the workshop issued none."""
    issued = list(Credential.objects.filter(workshop=workshop, revoked_at=None))
    if not issued:
        return None
    named = sorted(c.document["credentialSubject"]["name"] for c in issued if c.named)
    return ReportPart("credentials/_report.html", {"issued": len(issued), "named": named})


def control_credentials(workshop: Workshop) -> dict[str, Any]:
    """What the control room's card shows: the switch, the wording (with the defaults it
    stands for) and every credential issued, revoked ones marked."""
    chosen = CredentialSettings.objects.filter(workshop=workshop).first() or CredentialSettings(
        workshop=workshop
    )
    issued = Credential.objects.filter(workshop=workshop).order_by("id")
    return {
        "workshop": workshop,
        "chosen": chosen,
        "defaults": achievement_wording(workshop, CredentialSettings(workshop=workshop)),
        "issued": [
            {
                "id": credential.credential_id,
                "name": credential.document["credentialSubject"]["name"],
                "uuid": credential.uuid,
                "created_at": credential.created_at,
                "revoked": credential.revoked_at is not None,
            }
            for credential in issued
        ],
    }
