"""Data Integrity proofs with the cryptosuite eddsa-rdfc-2022 (W3C, "Data Integrity EdDSA
Cryptosuites v1.0", sections 3.2.1-3.2.6), on top of maintained libraries: pyld
canonicalises (RDFC-1.0), hashlib hashes, `cryptography` signs and checks Ed25519.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .jsonld import canonical_nquads

CRYPTOSUITE = "eddsa-rdfc-2022"


def vc_datetime(moment: datetime) -> str:
    """An xsd:dateTimeStamp to the second in UTC, as VC 2.0 writes its dates."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hash_data(document: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    config = {"@context": unsecured["@context"], **proof_config}
    config.pop("proofValue", None)
    # The proof configuration's hash first, then the document's (section 3.2.5).
    return (
        hashlib.sha256(canonical_nquads(config).encode()).digest()
        + hashlib.sha256(canonical_nquads(unsecured).encode()).digest()
    )


def proof_add(
    document: dict[str, Any],
    *,
    private: Ed25519PrivateKey,
    verification_method: str,
    created: str,
) -> dict[str, Any]:
    """The document with a DataIntegrityProof by `private`, for the purpose assertionMethod."""
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private.sign(_hash_data(document, proof))
    return {
        **document,
        "proof": {**proof, "proofValue": "z" + base58.b58encode(signature).decode()},
    }


def proof_verifies(
    document: dict[str, Any], public_key_for: Callable[[str], Ed25519PublicKey | None]
) -> bool:
    """Whether the document's one proof is ours in form and signed by the key its
    verificationMethod names (`public_key_for` answers None for a key it does not know)."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return False
    if (
        proof.get("type") != "DataIntegrityProof"
        or proof.get("cryptosuite") != CRYPTOSUITE
        or proof.get("proofPurpose") != "assertionMethod"
    ):
        return False
    value = proof.get("proofValue")
    method = proof.get("verificationMethod")
    if not isinstance(value, str) or not value.startswith("z") or not isinstance(method, str):
        return False
    public = public_key_for(method)
    if public is None:
        return False
    try:
        signature = base58.b58decode(value[1:])
        public.verify(signature, _hash_data(document, proof))
    except (InvalidSignature, ValueError):
        return False
    except Exception:  # a document pyld cannot expand (an unknown context) verifies not
        return False
    return True
