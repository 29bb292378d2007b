from django.apps import AppConfig


class PrinciplesConfig(AppConfig):
    name = "principles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Plug into the live workshop without workshops importing principles.
        from workshops import events, selectors, services
        from workshops.live import protocol
        from workshops.records import exports, imports

        from . import exports as principle_exports
        from . import selectors as principle_selectors
        from . import services as principle_services
        from .models import Principle

        principle = {
            "id": int,
            "title": str,
            "body": str,
            "sources": list,
            "status": str,
            "position": int,
            "by": (dict, type(None)),
        }
        events.register("principle.proposed", principle)
        events.register("principle.edited", principle)
        events.register("principle.finalized", {"id": int})
        protocol.register(
            "principle.propose",
            protocol.Command(principle_services.principle_propose, ("title", "body", "sources")),
        )
        protocol.register(
            "principle.edit",
            protocol.Command(
                principle_services.principle_edit,
                ("id", "title", "body", "sources", "position"),
                facilitator_only=True,
            ),
        )
        protocol.register(
            "principle.finalize",
            protocol.Command(
                principle_services.principle_finalize, ("id", "confirm"), facilitator_only=True
            ),
        )
        consent = {
            "principle": int,
            "round": int,
            "status": str,
            "distribution": dict,
            "reasons": list,
        }
        events.register("consent.opened", consent)
        events.register("consent.changed", {**consent, "placer": int, "level": str})
        events.register("consent.closed", consent)
        events.register("consent.reasons_shown", {**consent, "reasons_shown": bool})
        for name, service, fields, facilitator_only in [
            ("consent.open", principle_services.consent_open, ("id",), True),
            ("consent.place", principle_services.consent_place, ("id", "level", "reason"), False),
            ("consent.close", principle_services.consent_close, ("id",), True),
            (
                "consent.reasons_show",
                principle_services.consent_reasons_show,
                ("id", "shown"),
                True,
            ),
        ]:
            protocol.register(
                name, protocol.Command(service, fields, facilitator_only=facilitator_only)
            )
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
