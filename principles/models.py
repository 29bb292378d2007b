"""Principles the group co-creates from its statements, and consent rounds on them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from workshops.models import Participant, Statement, Workshop


class Principle(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="principles")
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=2000, blank=True)
    # The statements this principle grows from: its provenance.
    sources = models.ManyToManyField(Statement, related_name="principles", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    position = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ConsentRound(models.Model):
    """The room places itself on a gradient of agreement with a draft principle."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="rounds")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    # The facilitator's choice to put this round's reasons (no names) on the projector.
    reasons_shown = models.BooleanField(default=False)

    class Meta:
        ordering = ["principle", "id"]

    def __str__(self) -> str:
        return f"consent on {self.principle_id} ({self.status})"


class ConsentResponse(models.Model):
    class Level(models.TextChoices):
        FULL = "full", _("Full support")
        RESERVATIONS = "reservations", _("Support with reservations")
        DISCUSS = "discuss", _("Need more discussion")
        CANNOT = "cannot", _("Cannot support")

    round = models.ForeignKey(ConsentRound, on_delete=models.CASCADE, related_name="responses")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE)
    level = models.CharField(max_length=20, choices=Level.choices)
    reason = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "participant"], name="one_place_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.level}"
