"""The events credentials add to a workshop's log, registered from CredentialsConfig.ready()."""

from __future__ import annotations

from typing import TypedDict


class CredentialsCounted(TypedDict):
    issued: int
    revoked: int


class CredentialsUpdated(TypedDict):
    enabled: bool
    name: str
    description: str
    criteria: str


SCHEMAS = {
    "credentials.counted": CredentialsCounted,
    "credentials.updated": CredentialsUpdated,
}
