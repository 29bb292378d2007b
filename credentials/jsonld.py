"""JSON-LD with the contexts bundled in credentials/contexts/, and nothing fetched.

A verifier expands a credential with the contexts it names; if we fetched them at run
time, whoever answers for those URLs would decide what our signatures mean. So the
document loader serves exactly these files (taken from the npm packages of Digital
Bazaar and the Digital Credentials Consortium, see contexts/README.md) and refuses
every other URL.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from pyld import jsonld

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
CONTEXT_FILES = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    DID_V1: "did-v1.jsonld",
}


class UnknownContext(Exception):
    """A document named a context this instance does not bundle."""


@functools.cache
def bundled_context(url: str) -> dict[str, Any]:
    if url not in CONTEXT_FILES:
        raise UnknownContext(url)
    document: dict[str, Any] = json.loads((CONTEXTS_DIR / CONTEXT_FILES[url]).read_text())
    return document


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld's loader: a bundled context, or an error (pyld wraps it as loading failed)."""
    return {"contextUrl": None, "documentUrl": url, "document": bundled_context(url)}


def canonical_nquads(document: dict[str, Any]) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0, which pyld still calls URDNA2015).

    pyld drops a term no context defines instead of refusing it, as verifiers in safe
    mode do; tests/credentials/test_verifier.py runs such a verifier on what we issue.
    """
    nquads: str = jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader,
            "base": None,
        },
    )
    return nquads
