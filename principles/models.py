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
