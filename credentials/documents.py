"""The JSON-LD documents the instance signs and serves: its issuer (a controller
document), its keys (Multikey), its status list, and the OpenBadgeCredentials.

Every id is an absolute URL under CREDENTIAL_BASE_URL, the address verifiers reach the
instance at; they are signed into each credential, so that setting must not change.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from . import keys, statuslist
from .jsonld import DID_V1, MULTIKEY_V1, VC_V2
from .models import Credential, IssuerKey
from .proofs import proof_add, proof_verifies, vc_datetime


def absolute(path: str) -> str:
    return str(settings.CREDENTIAL_BASE_URL).rstrip("/") + path


def issuer_id() -> str:
    return absolute(reverse("credentials:issuer"))


def key_id(key: IssuerKey) -> str:
    return absolute(reverse("credentials:key", args=[key.pk]))


def status_list_id() -> str:
    return absolute(reverse("credentials:status_list"))


def issuer_profile() -> dict[str, Any]:
    return {"id": issuer_id(), "type": ["Profile"], "name": str(settings.CREDENTIAL_ISSUER_NAME)}


def issuer_document() -> dict[str, Any]:
    """The controller document: which keys may assert credentials for this issuer.

    It starts with the DID context, so verifiers read `assertionMethod` as DID
    documents define it; every key ever made is listed, retired ones too.
    """
    methods = [key_id(key) for key in IssuerKey.objects.all()]
    return {"@context": [DID_V1], "id": issuer_id(), "assertionMethod": methods}


def key_document(key: IssuerKey) -> dict[str, Any]:
    return {
        "@context": [MULTIKEY_V1],
        "id": key_id(key),
        "type": "Multikey",
        "controller": issuer_id(),
        "publicKeyMultibase": key.public_multibase,
    }


def signed(document: dict[str, Any]) -> dict[str, Any]:
    key = keys.current_key()
    return proof_add(
        document,
        private=keys.private_key(key),
        verification_method=key_id(key),
        created=vc_datetime(timezone.now()),
    )


def status_entry(index: int) -> dict[str, Any]:
    return {
        "id": f"{status_list_id()}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": status_list_id(),
    }


def status_list_credential() -> dict[str, Any]:
    """The list of revoked bits, signed now by the current key."""
    revoked = list(
        Credential.objects.exclude(revoked_at=None).values_list("status_index", flat=True)
    )
    return signed(
        {
            "@context": [VC_V2],
            "id": status_list_id(),
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer_id(),
            "validFrom": vc_datetime(timezone.now()),
            "credentialSubject": {
                "id": f"{status_list_id()}#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": statuslist.encoded_list(revoked),
            },
        }
    )


def _our_public_key(method: str) -> Ed25519PublicKey | None:
    for key in IssuerKey.objects.all():
        if key_id(key) == method:
            return keys.public_from_multibase(key.public_multibase)
    return None


def credential_verifies(credential: Credential) -> bool:
    """What the credential's page says: signed by one of our keys, and not revoked."""
    document = credential.document
    return (
        document.get("issuer", {}).get("id") == issuer_id()
        and proof_verifies(document, _our_public_key)
        and credential.revoked_at is None
    )
