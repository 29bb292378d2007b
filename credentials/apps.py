from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Plug into the live workshop without workshops importing credentials.
        from workshops import events, selectors
        from workshops.live import protocol
        from workshops.records import exports, report

        from . import events as credential_events
        from . import selectors as credential_selectors
        from . import services as credential_services

        for kind, schema in credential_events.SCHEMAS.items():
            events.register(kind, schema)
        protocol.register(
            "credential.claim",
            protocol.Command(
                credential_services.credential_claim,
                {"name": str, "email": str | None, "did": str | None, "named": bool | None},
                answer=credential_services.claim_answer,
            ),
        )
        protocol.register(
            "credential.revoke",
            protocol.Command(
                credential_services.credential_revoke, {"id": str}, facilitator_only=True
            ),
        )
        protocol.register(
            "credentials.update",
            protocol.Command(
                credential_services.credentials_update,
                {
                    "enabled": bool | None,
                    "name": str | None,
                    "description": str | None,
                    "criteria": str | None,
                },
                facilitator_only=True,
            ),
        )
        update = protocol.COMMANDS["workshop.update"]
        protocol.register(
            "workshop.update",
            protocol.Command(
                credential_services.with_credentials_switch(update.service),
                {**update.fields, "credentials": bool | None},
                facilitator_only=True,
            ),
        )
        selectors.YOU_PARTS.append(credential_selectors.my_credential)
        exports.EXPORT_PARTS.append(credential_selectors.EXPORT_PART)
        report.REPORT_PARTS.append(credential_selectors.report_credentials)
