"""A read-only window on workshops and their log, for operators.

Changes go through the services (the control room, the protocol, the commands), never
through admin forms, so every change is logged and broadcast.
"""

from django.contrib import admin
from django.http import HttpRequest

from .models import Event, Participant, Phase, Statement, Value, Workshop


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[override]
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    can_delete = False
    readonly_fields = [
        "key",
        "kind",
        "title",
        "prompt",
        "status",
        "position",
        "vote_budget",
        # Changed through phase.update, which logs and sends the change.
        "minutes",
        "tables",
        "notes",
    ]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Workshop)
class WorkshopAdmin(ReadOnlyAdmin):
    list_display = ["title", "code", "created_at", "last_seq"]
    search_fields = ["title", "code"]
    inlines = [PhaseInline]


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ["id", "name", "role", "workshop", "created_at"]
    list_filter = ["role"]
    exclude = ["token_hash"]


@admin.register(Value)
class ValueAdmin(ReadOnlyAdmin):
    list_display = ["text", "key", "workshop", "author", "hidden", "created_at"]
    list_filter = ["hidden"]
    search_fields = ["text"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["text", "workshop", "author", "hidden", "created_at"]
    list_filter = ["hidden"]
    search_fields = ["text"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """The audit trail: who did what, when."""

    list_display = ["workshop", "seq", "kind", "actor", "at"]
    list_filter = ["kind"]
    list_select_related = ["workshop", "actor"]
