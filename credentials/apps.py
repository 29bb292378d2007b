from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Plug into the live workshop without workshops importing credentials.
        from workshops import events, selectors
        from workshops.live import protocol
        from workshops.records import exports, report

        from . import selectors as credential_selectors
        from . import services as credential_services

        events.register("credentials.counted", {"issued": int, "revoked": int})
        events.register(
            "credentials.updated",
            {"enabled": bool, "name": str, "description": str, "criteria": str},
        )
        protocol.register(
            "credential.claim",
            protocol.Command(
                credential_services.credential_claim,
                ("name", "email", "did", "named"),
                answer=credential_services.claim_answer,
            ),
        )
        protocol.register(
            "credential.revoke",
            protocol.Command(credential_services.credential_revoke, ("id",), facilitator_only=True),
        )
        protocol.register(
            "credentials.update",
            protocol.Command(
                credential_services.credentials_update,
                ("enabled", "name", "description", "criteria"),
                facilitator_only=True,
            ),
        )
        update = protocol.COMMANDS["workshop.update"]
        protocol.register(
            "workshop.update",
            protocol.Command(
                credential_services.with_credentials_switch(update.service),
                (*update.fields, "credentials"),
                facilitator_only=True,
            ),
        )
        selectors.YOU_PARTS.append(credential_selectors.my_credential)
        exports.EXPORT_PARTS.append(credential_selectors.EXPORT_PART)
        report.REPORT_PARTS.append(credential_selectors.report_credentials)
