"""How another app (principles, credentials) plugs into a workshop: one object, registered
once from its AppConfig.ready(), as Django's admin takes a ModelAdmin.

`workshops` never imports those apps: everything it must reach of theirs (their event
kinds, their commands, their part of the state and of what a participant sees of
themselves, their tables in the exports (JSON rows, CSV files, XLSX sheets), the
Markdown of their phases, the import, their section of the report, what may be voted
for, what the ending closes) comes through here. A name taken twice (an extension's, an
event kind's, a command's, a vote target's) is refused before anything is registered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from .live.protocol import Command
    from .models import Participant, Workshop
    from .records.exports import ExportPart
    from .records.imports import ImportContext
    from .records.report import ReportPart


@dataclass(frozen=True)
class WorkshopExtension:
    name: str
    # Event kind: its payload's TypedDict (see workshops/events.py).
    event_schemas: Mapping[str, Any] = field(default_factory=dict)
    # Command type: what it runs and with which fields (see workshops/live/protocol.py).
    commands: Mapping[str, Command] = field(default_factory=dict)
    # Commands of the workshop (or of an extension registered before) this one widens,
    # each given the command as it stands and returning the one that replaces it
    # (credentials: workshop.update also takes `credentials`).
    command_wrappers: Mapping[str, Callable[[Command], Command]] = field(default_factory=dict)
    # Its part of every state ({"principles": [...]}), and of what a participant sees of
    # themselves ({"consent": {...}}).
    state_part: Callable[[Workshop], dict[str, Any]] | None = None
    you_part: Callable[[Participant], dict[str, Any]] | None = None
    # What `you_part` gives someone who has just joined (no rows of theirs yet): a join
    # wave's welcomes then skip it ({"consent": {}}). None: it is asked for everyone.
    you_blank: Mapping[str, Any] | None = None
    # Its tables in every export (their JSON rows, CSV files and XLSX sheets, and the
    # vote targets they hold), and how an import restores them (after statements,
    # before votes; each registers its vote targets in the context).
    export_parts: Sequence[ExportPart] = ()
    import_parts: Sequence[Callable[[ImportContext, dict[str, Any]], None]] = ()
    # Phase kind: what the group said in a phase of that kind, in the Markdown export
    # (its lines, from the export's data).
    markdown_sections: Mapping[str, Callable[[dict[str, Any]], list[str]]] = field(
        default_factory=dict
    )
    # Its section of the report, from the workshop and the room's state (None: nothing
    # to show for this workshop).
    report_part: Callable[[Workshop, dict[str, Any]], ReportPart | None] | None = None
    # Kinds of vote target it owns: whether (workshop id, target id) is one to vote for.
    vote_targets: Mapping[str, Callable[[int, int], bool]] = field(default_factory=dict)
    # What it closes when the session ends, inside the ending's transaction.
    session_end: Callable[[Participant], None] | None = None


# The extensions registered, by name.
REGISTERED: dict[str, WorkshopExtension] = {}


def register(extension: WorkshopExtension) -> None:
    """Plug `extension` into every workshop; ImproperlyConfigured if a name is taken."""
    # Imported here: these modules are what the extension plugs into, and the live
    # engine and the records import the apps' models, which are not ready at import time.
    from . import events, selectors
    from .live import protocol
    from .records import exports, imports, report
    from .services import SESSION_END_PARTS, VOTE_TARGETS

    _refuse_taken("extension", [extension.name], REGISTERED)
    _refuse_taken("event kind", extension.event_schemas, events.SCHEMAS)
    _refuse_taken("command", extension.commands, protocol.COMMANDS)
    _refuse_taken("vote target", extension.vote_targets, VOTE_TARGETS)
    _refuse_taken(
        "Markdown section of the phase kind",
        extension.markdown_sections,
        {**exports.MARKDOWN_SECTIONS, **exports.MARKDOWN_PHASE_SECTIONS},
    )
    commands = {**protocol.COMMANDS, **extension.commands}
    unknown = sorted(set(extension.command_wrappers) - set(commands))
    if unknown:
        raise ImproperlyConfigured(f"{extension.name} widens no such command: {unknown[0]}")

    REGISTERED[extension.name] = extension
    events.SCHEMAS.update(extension.event_schemas)
    protocol.COMMANDS.update(extension.commands)
    for name, widen in extension.command_wrappers.items():
        protocol.COMMANDS[name] = widen(protocol.COMMANDS[name])
    if extension.state_part is not None:
        selectors.STATE_PARTS.append(extension.state_part)
    if extension.you_part is not None:
        selectors.YOU_PARTS.append(extension.you_part)
        if extension.you_blank is not None:
            selectors.YOU_BLANKS[extension.you_part] = dict(extension.you_blank)
    exports.EXPORT_PARTS.extend(extension.export_parts)
    imports.IMPORT_PARTS.extend(extension.import_parts)
    exports.MARKDOWN_SECTIONS.update(extension.markdown_sections)
    if extension.report_part is not None:
        report.REPORT_PARTS.append(extension.report_part)
    VOTE_TARGETS.update(extension.vote_targets)
    if extension.session_end is not None:
        SESSION_END_PARTS.append(extension.session_end)


def _refuse_taken(what: str, names: Any, taken: Mapping[str, Any]) -> None:
    for name in names:
        if name in taken:
            raise ImproperlyConfigured(f"The {what} {name!r} is registered already.")
