"""Ideas: the free-text cards of an `ideas` phase, in its columns, answering each other.

One phase kind serves many methods: Three Horizons' H1/H2/H3 and Min Specs' "must do /
must not do" are columns; a Futures Wheel's consequences are ideas answering an idea
(`parent`); questions to the presenters are ideas with votes. Moderation and
pre-moderation work as for values: a hidden or pending idea never reaches the room.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import events
from ..errors import Refused
from ..models import Event, Idea, Participant, Phase, Vote
from ..text import (
    COLUMN_KEY_MAX,
    COLUMN_TITLE_MAX,
    COLUMNS_MAX,
    IDEA_MAX,
    clean_text,
    normalise_key,
)
from .contributions import _awaits_approval, _forget_text
from .core import (
    after_the_session,
    contribution_append,
    event_append,
    require_facilitator,
    workshop_write,
)
from .limits import require_contribution_room
from .tables import author_table


def clean_columns(raw: Any) -> list[dict[str, str]]:
    """An ideas phase's columns, checked: [{"key": "h1", "title": "Horizon 1"}, ...]."""
    if not isinstance(raw, list) or len(raw) > COLUMNS_MAX:
        raise Refused(
            "invalid",
            _('Give the columns as a list of at most %(max)d {"key", "title"}.')
            % {"max": COLUMNS_MAX},
        )
    columns: list[dict[str, str]] = []
    for column in raw:
        if not isinstance(column, dict):
            raise Refused("invalid", _('Each column is {"key": ..., "title": ...}.'))
        key = column.get("key")
        if (
            not isinstance(key, str)
            or not 1 <= len(key) <= COLUMN_KEY_MAX
            or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in key)
        ):
            raise Refused(
                "invalid",
                _("A column's key is 1 to %(max)d letters, digits, - or _.")
                % {"max": COLUMN_KEY_MAX},
            )
        if any(other["key"] == key for other in columns):
            raise Refused("invalid", _("Two columns have the key %(key)s.") % {"key": key})
        title = clean_text(
            column.get("title"), field=gettext_lazy("column title"), max_length=COLUMN_TITLE_MAX
        )
        columns.append({"key": key, "title": title})
    return columns


def require_columns_keep_ideas(phase: Phase, columns: list[dict[str, str]]) -> None:
    """Changing an ideas phase's columns never leaves an idea outside every column."""
    keys = {column["key"] for column in columns}
    used = set(Idea.objects.filter(phase=phase).values_list("column", flat=True).distinct())
    lost = sorted(used - keys) if keys else sorted(used - {""})
    if lost:
        if lost == [""]:
            raise Refused(
                "invalid", _("This phase already has ideas outside any column; keep it without.")
            )
        raise Refused(
            "invalid",
            _("The column %(key)s holds ideas: move them before removing it.")
            % {"key": next(key for key in lost if key)},
        )


def _ideas_phase(workshop_id: int, key: str) -> Phase:
    """The open `ideas` phase named `key`: where an idea is added or taken back."""
    phase = Phase.objects.filter(workshop_id=workshop_id, key=key).first()
    if phase is None:
        raise Refused("not_found", _("This workshop has no phase %(key)s.") % {"key": key})
    if phase.kind != Phase.Kind.IDEAS:
        raise Refused("invalid", _("The phase %(key)s does not take ideas.") % {"key": key})
    if phase.status != Phase.Status.OPEN:
        raise Refused("phase_closed", _("Ideas open when the facilitator starts that phase."))
    return phase


def _column(phase: Phase, column: str | None) -> str:
    """The column an idea goes in: one of the phase's, or none when it has none."""
    keys = [each["key"] for each in phase.columns]
    if not keys:
        if column not in (None, ""):
            raise Refused("invalid", _("This phase has no columns."))
        return ""
    if column not in keys:
        raise Refused("invalid", _("Choose a column: %(keys)s.") % {"keys": ", ".join(keys)})
    return str(column)


def _get_idea(workshop_id: int, id: int, what: str, **flags: bool) -> Idea:
    idea = (
        Idea.objects.filter(workshop_id=workshop_id, pk=id, **flags)
        .select_related("phase", "author")
        .first()
    )
    if idea is None:
        raise Refused(
            "not_found", _("There is no %(what)s %(id)s here.") % {"what": what, "id": id}
        )
    return idea


def idea_data(idea: Idea) -> dict[str, Any]:
    return {**events.idea_fields(idea, idea.phase.key), "by": events.person(idea.author)}


@workshop_write
def idea_add(
    *,
    participant: Participant,
    phase: str,
    text: str,
    column: str | None = None,
    parent: int | None = None,
    ref: str = "",
) -> Event:
    """Add a card to an open ideas phase: in one of its columns, or answering a card the
    room sees (an answer goes in its parent's column unless another is given)."""
    text = clean_text(text, field=gettext_lazy("idea"), max_length=IDEA_MAX)
    found = _ideas_phase(participant.workshop_id, phase)
    answered = None
    if parent is not None:
        answered = _get_idea(participant.workshop_id, parent, _("idea"), hidden=False)
        if answered.phase_id != found.pk or answered.pending:
            raise Refused(
                "not_found",
                _("There is no idea %(id)s in this phase to answer.") % {"id": parent},
            )
        if column is None:
            column = answered.column or None
    in_column = _column(found, column)
    require_contribution_room(participant)
    pending = _awaits_approval(participant)
    idea = Idea(
        workshop_id=participant.workshop_id,
        phase=found,
        author=participant,
        text=text,
        key=normalise_key(text)[:300],
        column=in_column,
        parent=answered,
        pending=pending,
        table_id=author_table(participant),
        afterwards=after_the_session(participant.workshop_id),
    )
    kind = "idea.submitted" if pending else "idea.added"
    return contribution_append(idea, kind, lambda: idea_data(idea), actor=participant, ref=ref)


@workshop_write
def idea_approve(*, participant: Participant, id: int, ref: str = "") -> Event:
    """Let an idea awaiting approval go live: everyone receives it as added now."""
    require_facilitator(participant)
    idea = _get_idea(
        participant.workshop_id, id, _("idea awaiting approval"), hidden=False, pending=True
    )
    Idea.objects.filter(pk=idea.pk).update(pending=False)
    return event_append(
        participant.workshop_id, "idea.added", idea_data(idea), actor=participant, ref=ref
    )


@workshop_write
def idea_remove(*, participant: Participant, id: int, ref: str = "") -> Event:
    """The author takes back their idea while its phase is open: it is deleted, its text
    leaves the log, and the votes on it go back to their voters."""
    idea = _get_idea(participant.workshop_id, id, _("idea"), hidden=False)
    if idea.author_id != participant.pk:
        raise Refused("forbidden", _("You can remove only what you wrote."))
    if idea.phase.status != Phase.Status.OPEN:
        raise Refused("phase_closed", _("This phase is closed; nothing can be removed now."))
    orphans = sorted(Idea.objects.filter(parent=idea).values_list("pk", flat=True))
    Vote.objects.filter(target_kind=Vote.Kind.IDEA, target_id=idea.pk).delete()
    idea.delete()
    _forget_text(participant.workshop_id, "idea", id)
    data = {"id": id, "orphans": orphans}
    return event_append(participant.workshop_id, "idea.removed", data, actor=participant, ref=ref)


@workshop_write
def idea_hide(*, participant: Participant, id: int, ref: str = "") -> Event:
    """Hide an idea from the room; the votes on it go back to voters who no longer see it."""
    require_facilitator(participant)
    idea = _get_idea(participant.workshop_id, id, _("idea"), hidden=False)
    Idea.objects.filter(pk=idea.pk).update(hidden=True)
    Vote.objects.filter(target_kind=Vote.Kind.IDEA, target_id=idea.pk).delete()
    data = {"id": idea.pk, "refunded": True}
    return event_append(participant.workshop_id, "idea.hidden", data, actor=participant, ref=ref)


@workshop_write
def idea_restore(*, participant: Participant, id: int, ref: str = "") -> Event:
    """Bring back a hidden idea: to the room, or to the approval queue if it still waits."""
    require_facilitator(participant)
    idea = _get_idea(participant.workshop_id, id, _("hidden idea"), hidden=True)
    Idea.objects.filter(pk=idea.pk).update(hidden=False)
    kind = "idea.submitted" if idea.pending else "idea.restored"
    return event_append(participant.workshop_id, kind, idea_data(idea), actor=participant, ref=ref)


@workshop_write
def idea_move(*, participant: Participant, id: int, column: str | None, ref: str = "") -> Event:
    """Move a card to another column of its phase (the facilitator sorting the wall)."""
    require_facilitator(participant)
    idea = _get_idea(participant.workshop_id, id, _("idea"), hidden=False)
    in_column = _column(idea.phase, column)
    Idea.objects.filter(pk=idea.pk).update(column=in_column)
    data = {"id": idea.pk, "column": in_column or None}
    return event_append(participant.workshop_id, "idea.moved", data, actor=participant, ref=ref)


def idea_vote_phase(workshop_id: int, id: int) -> Phase:
    """The phase a vote on idea `id` spends the budget of: its own, while it is open."""
    phase = Phase.objects.get(ideas__pk=id, workshop_id=workshop_id)
    if phase.status != Phase.Status.OPEN:
        raise Refused("phase_closed", _("Votes on these ideas are closed."))
    return phase
