"""What credentials add to a workshop, in one object (workshops/extensions.py): their
events and commands, `credentials` on workshop.update, each participant's own
credential, their table in the exports and their section of the report.

Imported from CredentialsConfig.ready() only: it reaches the models.
"""

from __future__ import annotations

from workshops.extensions import WorkshopExtension
from workshops.live.protocol import Command

from . import events, selectors, services


def with_credentials_switch(update: Command) -> Command:
    """workshop.update, also taking `credentials` (true/false): CONTRACT.md has it take
    it, and the workshops app stays unaware of credentials."""
    return Command(
        services.with_credentials_switch(update.service),
        {**update.fields, "credentials": bool | None},
        facilitator_only=True,
    )


CREDENTIALS = WorkshopExtension(
    name="credentials",
    event_schemas=events.SCHEMAS,
    commands={
        "credential.claim": Command(
            services.credential_claim,
            {"name": str, "email": str | None, "did": str | None, "named": bool | None},
            answer=services.claim_answer,
        ),
        "credential.revoke": Command(
            services.credential_revoke, {"id": str}, facilitator_only=True
        ),
        "credentials.update": Command(
            services.credentials_update,
            {
                "enabled": bool | None,
                "name": str | None,
                "description": str | None,
                "criteria": str | None,
            },
            facilitator_only=True,
        ),
    },
    command_wrappers={"workshop.update": with_credentials_switch},
    you_part=selectors.my_credential,
    you_blank={"credential": None},  # who joined just now has no part to credit yet
    export_parts=(selectors.EXPORT_PART,),
    report_part=selectors.report_credentials,
)
