"""The instance's one BitstringStatusList (W3C "Bitstring Status List v1.0"): bit i set
means the credential whose BitstringStatusListEntry has statusListIndex i is revoked."""

from __future__ import annotations

import base64
import gzip
import secrets

from .models import Credential

# The specification's minimum length (16 KiB of bits), so that a list says little about
# any one holder (section 6.5, "group privacy").
LIST_BITS = 131_072
LIST_PATH = "/credentials/status/1"


def encoded_list(revoked_indexes: list[int]) -> str:
    """GZIP-compressed bits, base64url without padding, multibase prefix "u" (section 2.1);
    the first index is the left-most bit of the first byte."""
    bits = bytearray(LIST_BITS // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same revocations always encode to the same text.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def revoked_in(encoded: str, index: int) -> bool:
    padded = encoded[1:] + "=" * (-len(encoded[1:]) % 4)
    bits = gzip.decompress(base64.urlsafe_b64decode(padded))
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def free_index() -> int:
    """A random unused bit (the caller holds the lock that makes it stay unused)."""
    taken = set(Credential.objects.values_list("status_index", flat=True))
    if len(taken) >= LIST_BITS:
        raise RuntimeError("the status list is full")
    while True:
        index = secrets.randbelow(LIST_BITS)
        if index not in taken:
            return index
