"""The instance's Ed25519 issuer keys: made on first use, kept encrypted, never shown.

The private half is stored encrypted (Fernet) under a key derived with HKDF from
CREDENTIAL_KEY_FILE's content when that setting names a file, else from SECRET_KEY; so a
database dump or an export alone signs nothing. Rotating retires the current key: it
signs nothing more, but is still served, so what it signed still verifies.
"""

from __future__ import annotations

import base64
from pathlib import Path

import base58
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import IssuerKey

# The multicodec prefix of an Ed25519 public key (0xed, as a varint), which makes a
# Multikey's publicKeyMultibase start with "z6Mk".
ED25519_PUB_PREFIX = b"\xed\x01"


def _fernet() -> Fernet:
    key_file = getattr(settings, "CREDENTIAL_KEY_FILE", "")
    secret = Path(key_file).read_bytes() if key_file else settings.SECRET_KEY.encode()
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"open-visioning issuer keys"
    ).derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def multibase_public(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_PUB_PREFIX + raw).decode()


def public_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("not base58btc multibase")
    decoded = base58.b58decode(value[1:])
    if decoded[:2] != ED25519_PUB_PREFIX or len(decoded) != 34:
        raise ValueError("not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def current_key() -> IssuerKey:
    """The key that signs now; made (and stored encrypted) the first time one is needed."""
    with transaction.atomic():
        key = IssuerKey.objects.select_for_update().filter(retired_at=None).last()
        if key is not None:
            return key
        private = Ed25519PrivateKey.generate()
        raw = private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return IssuerKey.objects.create(
            public_multibase=multibase_public(private.public_key()),
            private_encrypted=_fernet().encrypt(raw).decode(),
        )


def private_key(key: IssuerKey) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_fernet().decrypt(key.private_encrypted))


def key_rotate() -> IssuerKey:
    """Retire the signing key (still served, so its credentials keep verifying); a new one
    signs from now on."""
    IssuerKey.objects.filter(retired_at=None).update(retired_at=timezone.now())
    return current_key()
