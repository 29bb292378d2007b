"""THE test that matters: what we issue verifies with an implementation we did not write
(tests/credentials/verifier/: Digital Bazaar's libraries from npm, in safe mode), and
anything changed, a revocation, or another instance's key makes it fail."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client
from django.urls import reverse

from credentials import documents, keys
from credentials import services as credential_services
from credentials.jsonld import DID_V1, MULTIKEY_V1
from credentials.models import Credential, IssuerKey
from credentials.proofs import proof_add
from principles.models import Principle
from tests.conftest import needs

pytestmark = pytest.mark.django_db

VERIFIER = Path(__file__).resolve().parent / "verifier"


def instance_documents(client: Client) -> dict[str, Any]:
    """What the instance serves to verifiers, fetched over HTTP as a verifier would."""
    served = {}
    paths = [reverse("credentials:issuer"), reverse("credentials:status_list")]
    paths += [reverse("credentials:key", args=[key.pk]) for key in IssuerKey.objects.all()]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200
        served[documents.absolute(path)] = response.json()
    return served


def verify(credential: dict[str, Any], served: dict[str, Any]) -> dict[str, Any]:
    needs("node")
    if not (VERIFIER / "node_modules").is_dir():
        message = "the verifier's npm packages (npm ci --prefix tests/credentials/verifier)"
        if os.environ.get("STRICT_SERVICES") == "1":
            pytest.fail(f"needs {message}, and STRICT_SERVICES=1 forbids skipping it")
        pytest.skip(f"needs {message}")
    node = shutil.which("node")
    assert node is not None
    run = subprocess.run(
        [node, str(VERIFIER / "verify.mjs")],
        input=json.dumps({"credential": credential, "documents": served}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    result: dict[str, Any] = json.loads(run.stdout)
    return result


@pytest.fixture
def issued(lineage, client) -> dict[str, Any]:
    credential_services.credential_claim(
        participant=lineage.ada, name="Ada Lovelace", email="ada@example.org"
    )
    credential = Credential.objects.get(participant=lineage.ada)
    response = client.get(reverse("credentials:document", args=[credential.uuid]))
    assert response["Content-Type"] == "application/vc+ld+json"
    return response.json()


def test_an_issued_credential_verifies(issued, client):
    result = verify(issued, instance_documents(client))
    assert result == {"verified": True, "revoked": False, "errors": []}


@pytest.mark.parametrize(
    "path, value",
    [
        (("name",), "Something else"),
        (("validFrom",), "2020-01-01T00:00:00Z"),
        (("issuer", "name"), "Another issuer"),
        (("credentialSubject", "name"), "Mallory"),
        (("credentialSubject", "narrative"), "co-authored everything"),
        (("credentialSubject", "identifier", 1, "identityHash"), "sha256$00"),
        (("credentialSubject", "achievement", "name"), "Doctorate"),
        (("credentialSubject", "achievement", "criteria", "narrative"), "None"),
        (("evidence", 0, "name"), "Closed by default"),
        (("credentialStatus", "statusListIndex"), "7"),
        (("proof", "created"), "2020-01-01T00:00:00Z"),
    ],
)
def test_changing_any_field_fails(issued, client, path, value):
    tampered = copy.deepcopy(issued)
    target = tampered
    for step in path[:-1]:
        target = target[step]
    assert target[path[-1]] != value
    target[path[-1]] = value
    assert verify(tampered, instance_documents(client))["verified"] is False


def test_a_term_no_context_defines_fails(issued, client):
    tampered = {**issued, "favouriteColour": "blue"}
    assert verify(tampered, instance_documents(client))["verified"] is False


def test_a_revoked_credential_fails(issued, lineage, client):
    credential_services.credential_revoke(participant=lineage.host, id=issued["id"])
    result = verify(issued, instance_documents(client))
    assert result["verified"] is False and result["revoked"] is True


@pytest.mark.parametrize("controller", ["theirs", "ours"])
def test_another_instances_key_fails(issued, client, controller):
    """Signed by a key another instance serves, whether it names its own issuer as
    controller or claims ours: our issuer does not list it, so nothing verifies."""
    served = instance_documents(client)
    elsewhere = "https://elsewhere.example/credentials"
    method = f"{elsewhere}/keys/1"
    private = Ed25519PrivateKey.generate()
    served[method] = {
        "@context": [MULTIKEY_V1],
        "id": method,
        "type": "Multikey",
        "controller": f"{elsewhere}/issuer" if controller == "theirs" else documents.issuer_id(),
        "publicKeyMultibase": keys.multibase_public(private.public_key()),
    }
    served[f"{elsewhere}/issuer"] = {
        "@context": [DID_V1],
        "id": f"{elsewhere}/issuer",
        "assertionMethod": [method],
    }
    unsigned = {name: value for name, value in issued.items() if name != "proof"}
    impostor = proof_add(
        unsigned, private=private, verification_method=method, created=issued["proof"]["created"]
    )
    assert verify(impostor, served)["verified"] is False
    # The same document signed by our own key verifies: only the key made the difference.
    assert verify(documents.signed(unsigned), served)["verified"] is True


def test_credentials_signed_before_a_rotation_still_verify(issued, client):
    keys.key_rotate()
    assert verify(issued, instance_documents(client)) == {
        "verified": True,
        "revoked": False,
        "errors": [],
    }


@pytest.mark.parametrize("body", ['Line one\n\tLine two "quoted" back\\slash', "é ✓ 🌍 \r\n end"])
def test_text_that_canonical_n_quads_escape_still_verifies(lineage, client, body):
    """pyld's canonical form must be RDFC-1.0's byte for byte, escapes included: a
    principle's body keeps its line breaks and tabs, and names may hold quotes."""
    Principle.objects.filter(pk=lineage.principle_id).update(body=body)
    credential_services.credential_claim(participant=lineage.ada, name='Ada "A." L')
    document = Credential.objects.get().document
    result = verify(document, instance_documents(client))
    assert result == {"verified": True, "revoked": False, "errors": []}
