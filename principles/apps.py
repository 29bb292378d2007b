from django.apps import AppConfig


class PrinciplesConfig(AppConfig):
    name = "principles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Plug into the live workshop without workshops importing principles.
        from workshops import events, selectors, services
        from workshops.live import protocol
        from workshops.records import exports, imports

        from . import events as principle_events
        from . import exports as principle_exports
        from . import selectors as principle_selectors
        from . import services as principle_services
        from .models import Principle

        for kind, schema in principle_events.SCHEMAS.items():
            events.register(kind, schema)
        commands = {
            "principle.propose": protocol.Command(
                principle_services.principle_propose,
                {"title": str, "body": str | None, "sources": list[int] | None},
            ),
            "principle.edit": protocol.Command(
                principle_services.principle_edit,
                {
                    "id": int,
                    "title": str | None,
                    "body": str | None,
                    "sources": list[int] | None,
                    "position": int | None,
                },
                facilitator_only=True,
            ),
            "principle.finalize": protocol.Command(
                principle_services.principle_finalize,
                {"id": int, "confirm": bool | None},
                facilitator_only=True,
            ),
            "consent.open": protocol.Command(
                principle_services.consent_open, {"id": int}, facilitator_only=True
            ),
            "consent.place": protocol.Command(
                principle_services.consent_place,
                {"id": int, "level": str, "reason": str | None},
            ),
            "consent.close": protocol.Command(
                principle_services.consent_close, {"id": int}, facilitator_only=True
            ),
            "consent.reasons_show": protocol.Command(
                principle_services.consent_reasons_show,
                {"id": int, "shown": bool},
                facilitator_only=True,
            ),
        }
        for name, command in commands.items():
            protocol.register(name, command)
        selectors.STATE_PARTS.append(principle_selectors.principles_state)
        selectors.YOU_PARTS.append(principle_selectors.my_consent)
        exports.EXPORT_PARTS.append(principle_exports.EXPORT_PART)
        exports.EXPORT_PARTS.append(principle_exports.CONSENT_PART)
        imports.IMPORT_PARTS.append(principle_exports.principles_import)
        imports.IMPORT_PARTS.append(principle_exports.consent_import)
        services.VOTE_TARGETS["principle"] = lambda workshop_id, id: Principle.objects.filter(
            workshop_id=workshop_id, pk=id, hidden=False
        ).exists()
        services.SESSION_END_PARTS.append(principle_services.consent_close_all)
