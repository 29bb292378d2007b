"""What principles add to a workshop, in one object (workshops/extensions.py): their
events, commands, part of the state and of each participant's own view, their tables
in the exports (rows, CSV files, XLSX sheets, the Markdown of the principles phase), the
import and the report, their vote target, and what the ending closes.

Imported from PrinciplesConfig.ready() only: it reaches the models.
"""

from __future__ import annotations

from workshops.extensions import WorkshopExtension
from workshops.live.protocol import Command

from . import events, selectors, services
from .models import Principle
from .records import exports, imports, report


def principle_votable(workshop_id: int, id: int) -> bool:
    return Principle.objects.filter(workshop_id=workshop_id, pk=id, hidden=False).exists()


COMMANDS = {
    "principle.propose": Command(
        services.principle_propose,
        {"title": str, "body": str | None, "sources": list[int] | None},
    ),
    "principle.edit": Command(
        services.principle_edit,
        {
            "id": int,
            "title": str | None,
            "body": str | None,
            "sources": list[int] | None,
            "position": int | None,
        },
        facilitator_only=True,
    ),
    "principle.finalize": Command(
        services.principle_finalize, {"id": int, "confirm": bool | None}, facilitator_only=True
    ),
    "consent.open": Command(services.consent_open, {"id": int}, facilitator_only=True),
    "consent.place": Command(
        services.consent_place, {"id": int, "level": str, "reason": str | None}
    ),
    "consent.close": Command(services.consent_close, {"id": int}, facilitator_only=True),
    "consent.reasons_show": Command(
        services.consent_reasons_show, {"id": int, "shown": bool}, facilitator_only=True
    ),
}

PRINCIPLES = WorkshopExtension(
    name="principles",
    event_schemas=events.SCHEMAS,
    commands=COMMANDS,
    state_part=selectors.principles_state,
    you_part=selectors.my_consent,
    you_blank={"consent": {}},  # nobody has consented before they joined
    export_parts=(exports.EXPORT_PART, exports.CONSENT_PART),
    import_parts=(imports.principles_import, imports.consent_import),
    markdown_sections=exports.MARKDOWN_SECTIONS,
    report_part=report.report_principles,
    vote_targets={"principle": principle_votable},
    session_end=services.consent_close_all,
)
