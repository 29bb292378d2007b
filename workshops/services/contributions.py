"""Contributions: values and statements, added, approved, taken back, hidden, restored, merged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access, events
from ..errors import Refused
from ..models import (
    Event,
    Participant,
    Phase,
    Statement,
    Value,
    Vote,
)
from ..text import ACTIVITY_MAX, VALUE_MAX, clean_text, normalise_key, statement_key
from .core import (
    after_the_session,
    contribution_append,
    event_append,
    locked_workshop,
    open_phase,
    require_facilitator,
    workshop_write,
)
from .limits import require_contribution_room
from .tables import author_table


@workshop_write
def value_add(*, participant: Participant, text: str, ref: str = "") -> Event:
    text = clean_text(text, field=gettext_lazy("value"), max_length=VALUE_MAX)
    open_phase(participant.workshop_id, Phase.Kind.VALUES)
    require_contribution_room(participant)
    pending = _awaits_approval(participant)
    value = Value(
        workshop_id=participant.workshop_id,
        author=participant,
        text=text,
        key=normalise_key(text),
        pending=pending,
        table_id=author_table(participant),
        afterwards=after_the_session(participant.workshop_id),
    )
    kind = "value.submitted" if pending else "value.added"
    # In a group, written with its neighbours' values: one INSERT (decision 0016).
    return contribution_append(value, kind, lambda: _value_data(value), actor=participant, ref=ref)


def _value_data(value: Value) -> dict[str, Any]:
    # A merged value counts under the key of the root of its merge chain.
    key = value_merge_root(value).key
    return {
        "id": value.pk,
        "text": value.text,
        "key": key,
        "by": events.person(value.author),
        **events.at_table(value.table_id),
    }


def _awaits_approval(participant: Participant) -> bool:
    """In a pre-moderated workshop, participants' contributions wait for a facilitator
    (a co-facilitator who was removed is a participant again)."""
    return locked_workshop(participant.workshop_id).premoderated and not access.acting_facilitator(
        participant
    )


@workshop_write
def moderation_set(*, participant: Participant, premoderated: bool, ref: str = "") -> Event:
    require_facilitator(participant)
    workshop = locked_workshop(participant.workshop_id)
    workshop.premoderated = premoderated
    workshop.save(update_fields=["premoderated"])
    data = {"premoderated": premoderated}
    return event_append(
        participant.workshop_id, "moderation.changed", data, actor=participant, ref=ref
    )


@workshop_write
def value_approve(*, participant: Participant, id: int, ref: str = "") -> Event:
    """Let a value awaiting approval go live: everyone receives it as added now."""
    require_facilitator(participant)
    value = _get_item(
        Value, participant.workshop_id, id, _("value awaiting approval"), pending=True
    )
    Value.objects.filter(pk=value.pk).update(pending=False)
    return event_append(
        participant.workshop_id, "value.added", _value_data(value), actor=participant, ref=ref
    )


def _any_phase_open(workshop_id: int) -> None:
    if not Phase.objects.filter(workshop_id=workshop_id, status=Phase.Status.OPEN).exists():
        raise Refused("phase_closed", _("The workshop is closed; nothing can be removed now."))


def _get_own(model: type[Value] | type[Statement], participant: Participant, id: int) -> Any:
    item = _get_item(
        model, participant.workshop_id, id, _("value") if model is Value else _("statement")
    )
    if item.author_id != participant.pk:
        raise Refused("forbidden", _("You can remove only what you wrote."))
    return item


@workshop_write
def value_remove(*, participant: Participant, id: int, ref: str = "") -> Event:
    """A participant takes back their own value while the workshop is open: it is deleted."""
    _any_phase_open(participant.workshop_id)
    value = _get_own(Value, participant, id)
    # Values merged into this one count under their own key again: say which.
    regrouped = [
        {"id": follower.pk, "key": follower.key}
        for follower in Value.objects.filter(merged_into=value).order_by("pk")
    ]
    value.delete()
    _forget_text(participant.workshop_id, "value", id)
    # The merges into it carried its key (its text, normalised): cut them too.
    for merge in Event.objects.filter(
        workshop_id=participant.workshop_id, kind="value.merged", data__into=id
    ):
        Event.objects.filter(pk=merge.pk).update(data=events.redacted(merge.data["id"]))
    data = {"id": id, "regrouped": regrouped}
    return event_append(participant.workshop_id, "value.removed", data, actor=participant, ref=ref)


def _forget_text(workshop_id: int, item: str, id: int) -> None:
    """Cut the text of an item its author took back out of every stored event that
    carried it: replays, catch-ups, `events.json` and exports never show it again, and
    the log keeps every seq."""
    kinds = [kind for kind, of in events.TEXT_KINDS.items() if of == item]
    Event.objects.filter(workshop_id=workshop_id, kind__in=kinds, data__id=id).update(
        data=events.redacted(id)
    )


@workshop_write
def statement_remove(*, participant: Participant, id: int, ref: str = "") -> Event:
    """A participant takes back their own statement. When someone else wrote the same
    statement (one card, "2 people"), the votes on it count on theirs from now on:
    voters keep their votes and their budget."""
    _any_phase_open(participant.workshop_id)
    statement = _get_own(Statement, participant, id)
    twin = (
        Statement.objects.filter(workshop_id=participant.workshop_id, key=statement.key)
        .live()
        .exclude(pk=statement.pk)
        .order_by("id")
        .first()
    )
    votes = Vote.objects.filter(target_kind=Vote.Kind.STATEMENT, target_id=statement.pk)
    if twin is not None:
        votes.update(target_id=twin.pk)
    else:
        votes.delete()
    statement.delete()
    _forget_text(participant.workshop_id, "statement", id)
    data = {"id": id, "votes_moved_to": twin.pk if twin else None}
    return event_append(
        participant.workshop_id, "statement.removed", data, actor=participant, ref=ref
    )


@workshop_write
def value_hide(*, participant: Participant, id: int, ref: str = "") -> Event:
    require_facilitator(participant)
    value = _get_item(Value, participant.workshop_id, id, _("value"))
    Value.objects.filter(pk=value.pk).update(hidden=True)
    data = {"id": value.pk}
    return event_append(participant.workshop_id, "value.hidden", data, actor=participant, ref=ref)


@workshop_write
def value_restore(*, participant: Participant, id: int, ref: str = "") -> Event:
    """Bring back a hidden value: moderation is reversible, nothing is deleted."""
    require_facilitator(participant)
    value = _get_item(Value, participant.workshop_id, id, _("hidden value"), hidden=True)
    Value.objects.filter(pk=value.pk).update(hidden=False)
    # Still awaiting approval: back to the facilitators' queue, not to the room.
    kind = "value.submitted" if value.pending else "value.restored"
    return event_append(
        participant.workshop_id, kind, _value_data(value), actor=participant, ref=ref
    )


@workshop_write
def value_merge(*, participant: Participant, id: int, into: int, ref: str = "") -> Event:
    require_facilitator(participant)
    value = _get_item(Value, participant.workshop_id, id, _("value"))
    target = value_merge_root(_get_item(Value, participant.workshop_id, into, _("value")))
    if target.pk == value.pk:
        raise Refused("invalid", _("A value cannot be merged into itself."))
    if target.pending:
        # The merge tells the room the key it counts under: the text of the target.
        raise Refused("invalid", _("Approve that value before merging into it."))
    # Values merged into this one earlier follow it, so clients regroup them all.
    followers = list(Value.objects.filter(merged_into=value).values_list("pk", flat=True))
    Value.objects.filter(pk=value.pk).update(merged_into=target)
    Value.objects.filter(merged_into=value).update(merged_into=target)
    Statement.objects.filter(value=value).update(value=target)
    data = {"id": value.pk, "into": target.pk, "key": target.key, "ids": [value.pk, *followers]}
    return event_append(participant.workshop_id, "value.merged", data, actor=participant, ref=ref)


# A merge made here is one step deep: value_merge merges into the end of the target's
# chain and moves the followers along. Longer chains come only from old imports; the
# bound keeps a corrupt one from holding a worker (and SQLite's write lock) forever.
MERGE_CHAIN_MAX = 100


def merge_root(value_id: int, merged_into: Callable[[int], int | None]) -> int:
    """The id at the end of the merge chain from `value_id` (`merged_into` takes one step
    up, None at the end): refused when the chain comes back on itself or runs too long."""
    chain = [value_id]
    while (into := merged_into(chain[-1])) is not None:
        if into in chain or len(chain) > MERGE_CHAIN_MAX:
            raise Refused(
                "invalid",
                _("The merges of value %(id)s go round in a circle and never end.")
                % {"id": value_id},
            )
        chain.append(into)
    return chain[-1]


def value_merge_root(value: Value) -> Value:
    """The value that `value`'s merges end at: itself when it is not merged."""
    if value.merged_into_id is None:
        return value

    def step(pk: int) -> int | None:
        if pk == value.pk:
            return value.merged_into_id
        return Value.objects.filter(pk=pk).values_list("merged_into_id", flat=True).first()

    return Value.objects.get(pk=merge_root(value.pk, step))


def _get_item(
    model: type[Value] | type[Statement],
    workshop_id: int,
    id: int,
    what: str,
    hidden: bool = False,
    pending: bool | None = None,
) -> Any:
    items = model.objects.filter(workshop_id=workshop_id, pk=id, hidden=hidden)
    if pending is not None:
        items = items.filter(pending=pending)
    item = items.first()
    if item is None:
        raise Refused(
            "not_found", _("There is no %(what)s %(id)s here.") % {"what": what, "id": id}
        )
    return item


def statement_text(template: str, activity: str, value: str) -> str:
    return template.replace("{activity}", activity).replace("{value}", value)


@workshop_write
def statement_add(*, participant: Participant, activity: str, value: str, ref: str = "") -> Event:
    activity = clean_text(activity, field=gettext_lazy("activity"), max_length=ACTIVITY_MAX)
    value_text = clean_text(value, field=gettext_lazy("value"), max_length=VALUE_MAX)
    open_phase(participant.workshop_id, Phase.Kind.STATEMENTS)
    require_contribution_room(participant)
    workshop = locked_workshop(participant.workshop_id)
    # An activity a facilitator removed is not offered to the room again on anyone's say.
    pending = _awaits_approval(participant) or (
        normalise_key(activity) in workshop.activities_removed
        and not access.acting_facilitator(participant)
    )
    value_key = normalise_key(value_text)
    linked = (
        Value.objects.filter(workshop_id=participant.workshop_id, key=value_key)
        .live()
        .order_by("id")
        .first()
    )
    if linked is not None:
        linked = value_merge_root(linked)
    text = statement_text(workshop.statement_template, activity, value_text)
    statement = Statement(
        workshop_id=participant.workshop_id,
        author=participant,
        activity=activity,
        value_text=value_text,
        value=linked,
        text=text,
        key=statement_key(activity, value_text),
        pending=pending,
        table_id=author_table(participant),
        afterwards=after_the_session(participant.workshop_id),
    )
    kind = "statement.submitted" if pending else "statement.added"
    return contribution_append(
        statement, kind, lambda: _statement_data(statement), actor=participant, ref=ref
    )


def _statement_data(statement: Statement) -> dict[str, Any]:
    return {**events.statement_fields(statement), "by": events.person(statement.author)}


@workshop_write
def statement_approve(*, participant: Participant, id: int, ref: str = "") -> Event:
    require_facilitator(participant)
    statement = _get_item(
        Statement, participant.workshop_id, id, _("statement awaiting approval"), pending=True
    )
    Statement.objects.filter(pk=statement.pk).update(pending=False)
    data = _statement_data(statement)
    return event_append(
        participant.workshop_id, "statement.added", data, actor=participant, ref=ref
    )


@workshop_write
def statement_hide(*, participant: Participant, id: int, ref: str = "") -> Event:
    """Hide a statement from the room; the votes on it go back to their voters, who could
    not take them back from a statement they no longer see."""
    require_facilitator(participant)
    statement = _get_item(Statement, participant.workshop_id, id, _("statement"))
    Statement.objects.filter(pk=statement.pk).update(hidden=True)
    Vote.objects.filter(target_kind=Vote.Kind.STATEMENT, target_id=statement.pk).delete()
    data = {"id": statement.pk, "refunded": True}
    return event_append(
        participant.workshop_id, "statement.hidden", data, actor=participant, ref=ref
    )


@workshop_write
def statement_restore(*, participant: Participant, id: int, ref: str = "") -> Event:
    require_facilitator(participant)
    statement = _get_item(
        Statement, participant.workshop_id, id, _("hidden statement"), hidden=True
    )
    Statement.objects.filter(pk=statement.pk).update(hidden=False)
    kind = "statement.submitted" if statement.pending else "statement.restored"
    return event_append(
        participant.workshop_id, kind, _statement_data(statement), actor=participant, ref=ref
    )


# ---------------------------------------------------------------------------- groups
# A facilitator acts on what the room sees as one card (25 people typed "equity"): one
# command, one event, one transaction, so a group is never half hidden or half merged and
# the throttle counts one command, not 25.

GROUP_MAX = 1000  # ids in one group command: far above any card, well below a frame's size


def _get_group(
    model: type[Value] | type[Statement], workshop_id: int, ids: list[int], what: str
) -> list[Any]:
    """The visible items with these ids, or a Refused naming what is wrong."""
    if not ids:
        raise Refused("invalid", _("Give at least one id."))
    if len(ids) > GROUP_MAX:
        raise Refused("too_long", _("At most %(n)d items at once.") % {"n": GROUP_MAX})
    unique = sorted(set(ids))
    found = list(model.objects.filter(workshop_id=workshop_id, pk__in=unique, hidden=False))
    missing = sorted(set(unique) - {item.pk for item in found})
    if missing:
        raise Refused(
            "not_found",
            _("There is no %(what)s %(id)s here.") % {"what": what, "id": missing[0]},
        )
    return sorted(found, key=lambda item: item.pk)


@workshop_write
def values_hide(*, participant: Participant, ids: list[int], ref: str = "") -> Event:
    """Hide a group of values at once: all of them, or none when one id is wrong."""
    require_facilitator(participant)
    values = _get_group(Value, participant.workshop_id, ids, _("value"))
    hidden = [value.pk for value in values]
    Value.objects.filter(pk__in=hidden).update(hidden=True)
    data = {"ids": hidden}
    return event_append(participant.workshop_id, "values.hidden", data, actor=participant, ref=ref)


@workshop_write
def values_merge(*, participant: Participant, ids: list[int], into: int, ref: str = "") -> Event:
    """Merge a group of values into one: they, and what was merged into them, count as it."""
    require_facilitator(participant)
    values = _get_group(Value, participant.workshop_id, ids, _("value"))
    target = value_merge_root(_get_item(Value, participant.workshop_id, into, _("value")))
    merged = {value.pk for value in values}
    if target.pk in merged:
        raise Refused("invalid", _("A value cannot be merged into itself."))
    if target.pending:
        # The merge tells the room the key it counts under: the text of the target.
        raise Refused("invalid", _("Approve that value before merging into it."))
    followers = Value.objects.filter(merged_into_id__in=merged).values_list("pk", flat=True)
    moved = sorted(merged | set(followers))
    Value.objects.filter(pk__in=moved).update(merged_into=target)
    Statement.objects.filter(value_id__in=moved).update(value=target)
    data = {"into": target.pk, "key": target.key, "ids": moved}
    return event_append(participant.workshop_id, "values.merged", data, actor=participant, ref=ref)


@workshop_write
def statements_hide(*, participant: Participant, ids: list[int], ref: str = "") -> Event:
    """Hide a group of statements at once (a card of duplicates, or a typed activity)."""
    require_facilitator(participant)
    statements = _get_group(Statement, participant.workshop_id, ids, _("statement"))
    hidden = [statement.pk for statement in statements]
    Statement.objects.filter(pk__in=hidden).update(hidden=True)
    # As for one statement: the votes go back to voters who no longer see it.
    Vote.objects.filter(target_kind=Vote.Kind.STATEMENT, target_id__in=hidden).delete()
    data = {"ids": hidden, "refunded": True}
    return event_append(
        participant.workshop_id, "statements.hidden", data, actor=participant, ref=ref
    )


@workshop_write
def activity_remove(*, participant: Participant, activity: str, ref: str = "") -> Event:
    """Take an activity people typed off every phone's suggestions: each statement built
    on it is hidden (its votes go back to their voters), and a statement typed with it
    later waits for a facilitator's approval instead of reaching the room."""
    require_facilitator(participant)
    activity = clean_text(activity, field=gettext_lazy("activity"), max_length=ACTIVITY_MAX)
    key = normalise_key(activity)
    workshop = locked_workshop(participant.workshop_id)
    # Pending ones too: approving one later would offer the activity again.
    built_on = [
        statement.pk
        for statement in Statement.objects.filter(workshop=workshop, hidden=False).only(
            "pk", "activity"
        )
        if normalise_key(statement.activity) == key
    ]
    if not built_on and key in workshop.activities_removed:
        raise Refused("invalid", _("That activity has already been removed."))
    Statement.objects.filter(pk__in=built_on).update(hidden=True)
    Vote.objects.filter(target_kind=Vote.Kind.STATEMENT, target_id__in=built_on).delete()
    if key not in workshop.activities_removed:
        workshop.activities_removed = [*workshop.activities_removed, key]
        workshop.save(update_fields=["activities_removed"])
    # Everyone learns which statements went; only facilitators read the activity itself.
    data = {"ids": built_on, "refunded": True, "activity": activity, "key": key}
    return event_append(
        participant.workshop_id, "activity.removed", data, actor=participant, ref=ref
    )


@workshop_write
def statement_merge(*, participant: Participant, id: int, into: int, ref: str = "") -> Event:
    """Count a statement (and its identical copies) as another one, votes included.

    Votes move to `into` as they are: nobody spends more than before, a voter keeps every
    vote they cast, and one who voted for both keeps both.
    """
    require_facilitator(participant)
    # Both must be live: one still awaiting approval has no card, and no votes, to merge.
    statement = _get_item(Statement, participant.workshop_id, id, _("statement"), pending=False)
    target = _get_item(Statement, participant.workshop_id, into, _("statement"), pending=False)
    if target.key == statement.key:
        raise Refused("invalid", _("These statements already count as one."))
    copies = Statement.objects.filter(
        workshop_id=participant.workshop_id, key=statement.key, hidden=False, pending=False
    )
    moved = sorted(copies.values_list("pk", flat=True))
    Vote.objects.filter(target_kind=Vote.Kind.STATEMENT, target_id__in=moved).update(
        target_id=target.pk
    )
    Statement.objects.filter(pk__in=moved).update(key=target.key)
    data = {
        "ids": moved,
        "into": target.pk,
        "key": target.key,
        "total": None if _statement_results_hidden(target) else _statement_votes(target),
    }
    return event_append(
        participant.workshop_id, "statement.merged", data, actor=participant, ref=ref
    )


def _statement_votes(statement: Statement) -> int:
    return Vote.objects.filter(target_kind=Vote.Kind.STATEMENT, target_id=statement.pk).count()


def _statement_results_hidden(statement: Statement) -> bool:
    return Phase.objects.filter(
        workshop_id=statement.workshop_id, kind=Phase.Kind.STATEMENTS, results_hidden=True
    ).exists()
