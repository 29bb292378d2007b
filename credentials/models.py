"""Open Badges 3.0 credentials for the people whose words became a workshop's principles.

An issued credential keeps no foreign key that deleting its workshop would cascade
through: its signed document, the issuer keys and its place in the status list outlive
the workshop, so what was issued stays verifiable (docs/credentials.md).
"""

from __future__ import annotations

import uuid

from django.db import models

from workshops.models import Participant, Workshop


class IssuerKey(models.Model):
    """An Ed25519 key of this instance; its private half only ever encrypted (keys.py)."""

    public_multibase = models.CharField(max_length=64, unique=True)
    private_encrypted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Retired keys sign nothing more but are still served, so old credentials verify.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"issuer key {self.pk}"


class CredentialSettings(models.Model):
    """A workshop's choice to issue credentials, and its achievement's wording (blank:
    the defaults made from the workshop, see services.achievement_wording)."""

    workshop = models.OneToOneField(
        Workshop, on_delete=models.CASCADE, primary_key=True, related_name="credential_settings"
    )
    enabled = models.BooleanField(default=False)
    achievement_id = models.UUIDField(default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(max_length=2000, blank=True)
    criteria = models.TextField(max_length=2000, blank=True)

    def __str__(self) -> str:
        return f"credentials of workshop {self.workshop_id}: {self.enabled}"


class Credential(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    # Both set to null when the workshop (and with it the participant) is deleted.
    workshop = models.ForeignKey(
        Workshop, null=True, on_delete=models.SET_NULL, related_name="credentials"
    )
    participant = models.OneToOneField(
        Participant, null=True, on_delete=models.SET_NULL, related_name="credential"
    )
    # For its page, once the workshop itself may be gone.
    workshop_title = models.CharField(max_length=200)
    # The signed OpenBadgeCredential exactly as issued: served as is, never re-signed.
    document = models.JSONField()
    # Its bit in the instance's status list (statuslist.py); random, so neighbouring
    # bits say nothing about who was issued what when.
    status_index = models.PositiveIntegerField(unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The holder agreed to be named in the workshop's report.
    named = models.BooleanField(default=False)
    # What was credited: [{"kind": "principle"|"statement"|"value", "id": N}], for exports.
    credited = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"credential {self.uuid}"

    @property
    def credential_id(self) -> str:
        return f"urn:uuid:{self.uuid}"
