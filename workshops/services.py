"""Every change to a workshop, one function each: validate, write, log, broadcast.

Consumers, views, the admin and management commands all call these. Each command runs
in one transaction that first locks the workshop row, so events get consecutive seqs in
commit order; the event is appended to the log and handed to the fan-out only after the
transaction commits. A command sent again with the same `ref` by the same participant
returns the event it produced the first time and writes nothing.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import logging
import secrets
import unicodedata
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import events, fanout
from .designs import TEMPLATES
from .models import (
    DEFAULT_STATEMENT_TEMPLATE,
    VOTING_PHASE,
    Event,
    Participant,
    Phase,
    Statement,
    Value,
    Vote,
    Workshop,
)

log = logging.getLogger(__name__)

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
JOIN_CODE_LENGTH = 6
VALUE_MAX = 80
ACTIVITY_MAX = 80
NAME_MAX = 60
REF_MAX = 64


class CommandError(Exception):
    """A command refused: `code` is one of the protocol's error codes, `message` is for a person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------------------- helpers


def normalise_key(text: str) -> str:
    """The grouping key of a text: "Equity", " equity " and "EQUITY!" share one."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)
    return " ".join(text.split())


def without_controls(text: str, keep: str = "") -> str:
    """Drop control characters (NUL and the like), which no person types and PostgreSQL
    refuses to store."""
    return "".join(ch for ch in text if ch in keep or unicodedata.category(ch) != "Cc")


def clean_text(
    raw: Any,
    *,
    field: str | Promise,
    max_length: int,
    required: bool = True,
    multiline: bool = False,
) -> str:
    """Trimmed text, checked: white space folded to single spaces, unless `multiline`
    (a principle's body), where line breaks are kept."""
    if not isinstance(raw, str):
        raise CommandError("invalid", _("The %(field)s must be text.") % {"field": field})
    if multiline:
        text = without_controls(raw, keep="\n\t").strip()
    else:
        text = " ".join(without_controls(raw, keep=" \t\n\r").split())
    if required and not text:
        raise CommandError("empty", _("Please write a %(field)s first.") % {"field": field})
    if len(text) > max_length:
        raise CommandError(
            "too_long",
            _("The %(field)s is %(length)d characters long; the limit is %(max)d.")
            % {"field": field, "length": len(text), "max": max_length},
        )
    return text


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(code: str) -> str:
    return code.strip().upper()


def event_append(
    workshop_id: int, kind: str, data: dict[str, Any], *, actor: Participant | None, ref: str
) -> Event:
    """Log an event under the next seq and broadcast it once the transaction commits.

    Must run inside the transaction that locked the workshop (see `command`).
    """
    events.check(kind, data)
    workshop = locked_workshop(workshop_id)
    workshop.last_seq += 1
    Workshop.objects.filter(pk=workshop_id).update(last_seq=workshop.last_seq)
    event = Event.objects.create(
        workshop_id=workshop_id,
        seq=workshop.last_seq,
        kind=kind,
        data=data,
        at=timezone.now(),
        actor=actor,
        ref=ref,
    )
    transaction.on_commit(functools.partial(fanout.publish, workshop_id, events.wire(event)))
    return event


# The workshop row `command` locked, with the fields commands read from it. Each query a
# command saves matters: they run one at a time per workshop, and a burst of a thousand
# values waits on them (docs/benchmarks.md).
_locked: contextvars.ContextVar[Workshop | None] = contextvars.ContextVar("locked", default=None)


def _lock(workshop_id: int) -> Workshop:
    return (
        Workshop.objects.select_for_update()
        .only("last_seq", "premoderated", "statement_template")
        .get(pk=workshop_id)
    )


def locked_workshop(workshop_id: int) -> Workshop:
    """The workshop row this transaction holds locked: the one `command` locked, or now."""
    workshop = _locked.get()
    if workshop is None or workshop.pk != workshop_id:
        workshop = _lock(workshop_id)
    return workshop


def command(fn: Callable[..., Event]) -> Callable[..., Event]:
    """Run a participant's command atomically, at most once per `ref`.

    The workshop row is locked first, so commands on one workshop run one at a time and
    a retried ref always sees the first attempt's event.
    """

    @functools.wraps(fn)
    def run(*, participant: Participant, ref: str = "", **kwargs: Any) -> Event:
        ref = str(ref or "")[:REF_MAX]
        with transaction.atomic():
            workshop = _lock(participant.workshop_id)
            if ref:
                try:  # at most one: the constraint unique_actor_ref
                    return Event.objects.get(actor=participant, ref=ref)
                except Event.DoesNotExist:
                    pass
            locked = _locked.set(workshop)
            try:
                return fn(participant=participant, ref=ref, **kwargs)
            finally:
                _locked.reset(locked)

    return run


def open_phase(workshop_id: int, kind: str) -> Phase:
    phase = Phase.objects.filter(workshop_id=workshop_id, kind=kind, status=Phase.Status.OPEN)
    found = phase.order_by("position").first()
    if found is None:
        raise CommandError("phase_closed", _PHASE_CLOSED_MESSAGES[kind]())
    return found


_PHASE_CLOSED_MESSAGES: dict[str, Callable[[], str]] = {
    Phase.Kind.VALUES: lambda: _("Adding values is closed right now."),
    Phase.Kind.STATEMENTS: lambda: _("Statements open when the facilitator starts that phase."),
    Phase.Kind.PRINCIPLES: lambda: _("Principles open when the facilitator starts that phase."),
}


def require_facilitator(participant: Participant) -> None:
    if participant.role != Participant.Role.FACILITATOR:
        raise CommandError("forbidden", _("Only a facilitator can do that."))


# ---------------------------------------------------------------------------- workshops


@transaction.atomic
def workshop_create(
    *,
    title: str,
    template: str = "open-values",
    facilitator: User | None = None,
    description: str = "",
    licence: str = "",
) -> Workshop:
    title = " ".join(title.split())
    if not title:
        raise CommandError("empty", _("Please give the workshop a title."))
    if template not in TEMPLATES:
        raise CommandError("invalid", _("There is no template called %(t)s.") % {"t": template})
    design = TEMPLATES[template]
    code = new_join_code()
    while Workshop.objects.filter(code=code).exists():
        code = new_join_code()
    workshop = Workshop.objects.create(
        code=code,
        title=title[:200],
        description=description,
        template=template,
        # In the language of the facilitator who creates it, like the phases' prompts.
        statement_template=_(DEFAULT_STATEMENT_TEMPLATE),
        activity_suggestions=[str(text) for text in design.activity_suggestions],
        **({"licence": licence} if licence else {}),
    )
    for position, phase in enumerate(design.phases):
        Phase.objects.create(
            workshop=workshop,
            key=phase.key,
            kind=phase.kind,
            title=str(phase.title),
            prompt=str(phase.prompt),
            position=position,
            status=Phase.Status.OPEN if phase.open_at_start else Phase.Status.PENDING,
        )
    if facilitator is not None:
        workshop.facilitators.add(facilitator)
    log.debug("workshop %s created from %s", code, template)
    return workshop


STATEMENT_TEMPLATE_MAX = 300
SUGGESTIONS_MAX = 30


def clean_statement_template(raw: Any) -> str:
    """The statement's wording with its two slots, written {activity} and {value}
    (or (ACTIVITY) and (VALUE), as the recorded workshop wrote them)."""
    template = clean_text(
        raw, field=gettext_lazy("statement wording"), max_length=STATEMENT_TEMPLATE_MAX
    )
    template = template.replace("(ACTIVITY)", "{activity}").replace("(VALUE)", "{value}")
    if template.count("{activity}") != 1 or template.count("{value}") != 1:
        raise CommandError(
            "invalid",
            _("The wording needs the two slots (ACTIVITY) and (VALUE), once each."),
        )
    return template


def _clean_suggestions(raw: Any) -> list[str]:
    if not isinstance(raw, list) or len(raw) > SUGGESTIONS_MAX:
        raise CommandError(
            "invalid",
            _("Activity suggestions are a list of at most %(n)d texts.") % {"n": SUGGESTIONS_MAX},
        )
    cleaned = [
        clean_text(item, field=gettext_lazy("activity"), max_length=ACTIVITY_MAX) for item in raw
    ]
    return list(dict.fromkeys(cleaned))


@command
def workshop_update(
    *,
    participant: Participant,
    title: Any = None,
    description: Any = None,
    licence: Any = None,
    statement_template: Any = None,
    activity_suggestions: Any = None,
    ref: str = "",
) -> Event:
    """Change the workshop's design, before or during the session (omitted: kept)."""
    require_facilitator(participant)
    workshop = Workshop.objects.get(pk=participant.workshop_id)
    if title is not None:
        workshop.title = clean_text(title, field=gettext_lazy("title"), max_length=200)
    if description is not None:
        workshop.description = clean_text(
            description, field=gettext_lazy("description"), max_length=2000, required=False
        )
    if licence is not None:
        workshop.licence = clean_text(licence, field=gettext_lazy("licence"), max_length=100)
    if statement_template is not None:
        workshop.statement_template = clean_statement_template(statement_template)
    if activity_suggestions is not None:
        workshop.activity_suggestions = _clean_suggestions(activity_suggestions)
    workshop.save(
        update_fields=[
            "title",
            "description",
            "licence",
            "statement_template",
            "activity_suggestions",
        ]
    )
    data = {
        "title": workshop.title,
        "description": workshop.description,
        "licence": workshop.licence,
        "statement_template": workshop.statement_template,
        "activity_suggestions": workshop.activity_suggestions,
    }
    return event_append(workshop.pk, "workshop.updated", data, actor=participant, ref=ref)


@transaction.atomic
def workshop_duplicate(*, workshop: Workshop, facilitator: User) -> Workshop:
    """A new workshop with this one's design (phases, wording, suggestions), nothing said."""
    copy = workshop_create(
        title=_("%(title)s (copy)") % {"title": workshop.title},
        template="blank",
        facilitator=facilitator,
        description=workshop.description,
        licence=workshop.licence,
    )
    copy.statement_template = workshop.statement_template
    copy.activity_suggestions = list(workshop.activity_suggestions)
    copy.save(update_fields=["statement_template", "activity_suggestions"])
    copy.phases.all().delete()
    for phase in workshop.phases.order_by("position"):
        Phase.objects.create(
            workshop=copy,
            key=phase.key,
            kind=phase.kind,
            title=phase.title,
            prompt=phase.prompt,
            position=phase.position,
            vote_budget=phase.vote_budget,
            status=Phase.Status.OPEN if phase.position == 0 else Phase.Status.PENDING,
        )
    return copy


# ---------------------------------------------------------------------------- people and retention


def _require_workshop_facilitator(workshop: Workshop, user: User) -> None:
    if not workshop.facilitators.filter(pk=user.pk).exists():
        raise CommandError("forbidden", _("Only a facilitator of this workshop can do that."))


@transaction.atomic
def workshop_member_add(*, workshop: Workshop, by: User, username: str, role: str) -> User:
    """Give someone a role: a co-facilitator, or an organiser (sees and exports, no control)."""
    _require_workshop_facilitator(workshop, by)
    member = User.objects.filter(username=username.strip()).first()
    if member is None:
        raise CommandError("not_found", _("Nobody has the username %(u)s.") % {"u": username})
    if role == "facilitator":
        workshop.facilitators.add(member)
        workshop.organisers.remove(member)
    elif role == "organiser":
        if workshop.facilitators.filter(pk=member.pk).exists():
            raise CommandError("invalid", _("%(u)s already facilitates.") % {"u": username})
        workshop.organisers.add(member)
    else:
        raise CommandError("invalid", _("The role is facilitator or organiser."))
    log.info("%s made %s %s of %s", by.username, member.username, role, workshop.code)
    return member


@transaction.atomic
def workshop_member_remove(*, workshop: Workshop, by: User, user_id: int) -> None:
    _require_workshop_facilitator(workshop, by)
    if workshop.facilitators.filter(pk=user_id).exists() and workshop.facilitators.count() == 1:
        raise CommandError("invalid", _("A workshop keeps at least one facilitator."))
    workshop.facilitators.remove(user_id)
    workshop.organisers.remove(user_id)
    log.info("%s removed user %s from %s", by.username, user_id, workshop.code)


def screen_share(*, workshop: Workshop, by: User) -> str:
    """A new secret projector link; the previous one stops working."""
    _require_workshop_facilitator(workshop, by)
    key = secrets.token_urlsafe(24)
    Workshop.objects.filter(pk=workshop.pk).update(screen_key=key)
    log.info("%s shared the screen of %s", by.username, workshop.code)
    return key


def screen_unshare(*, workshop: Workshop, by: User) -> None:
    _require_workshop_facilitator(workshop, by)
    Workshop.objects.filter(pk=workshop.pk).update(screen_key="")
    log.info("%s revoked the screen link of %s", by.username, workshop.code)


def screen_key_matches(workshop: Workshop, key: str) -> bool:
    return bool(workshop.screen_key) and secrets.compare_digest(workshop.screen_key, key)


@transaction.atomic
def workshop_schedule_deletion(*, workshop: Workshop, by: User, delete_after: Any) -> None:
    """Set (or clear, with None) the day the workshop and all its data are deleted."""
    _require_workshop_facilitator(workshop, by)
    Workshop.objects.filter(pk=workshop.pk).update(delete_after=delete_after)
    log.info("%s set deletion of %s to %s", by.username, workshop.code, delete_after)


def workshop_delete(*, workshop: Workshop, by: User | None) -> None:
    """Delete a workshop and everything said in it: rows are gone, not hidden.

    `by` is None only for the retention purge. Connected sockets are told and closed.
    """
    with transaction.atomic():
        if by is not None:
            _require_workshop_facilitator(workshop, by)
        workshop_id, code = workshop.pk, workshop.code
        Vote.objects.filter(phase__workshop_id=workshop_id).delete()
        Workshop.objects.filter(pk=workshop_id).delete()
        transaction.on_commit(functools.partial(fanout.publish_deleted, workshop_id))
    log.info("workshop %s deleted by %s", code, by.username if by else "the retention purge")


def purge_expired(*, today: Any = None) -> list[str]:
    """Delete every workshop whose deletion day has come; returns their codes."""
    today = today or timezone.localdate()
    codes = []
    for workshop in Workshop.objects.filter(delete_after__lte=today):
        codes.append(workshop.code)
        workshop_delete(workshop=workshop, by=None)
    return codes


# ---------------------------------------------------------------------------- participants


@transaction.atomic
def participant_join(
    *,
    workshop: Workshop,
    name: Any = "",
    token: Any = None,
    user: User | None = None,
) -> tuple[Participant, str]:
    """Who a new socket is: a signed-in facilitator, a returning participant, or a new one.

    Returns the participant and their resume token. A token that matches nobody in this
    workshop is refused: it never falls back to someone else's identity.
    """
    name = clean_text(name or "", field=gettext_lazy("name"), max_length=NAME_MAX, required=False)
    if user is not None and workshop.facilitators.filter(pk=user.pk).exists():
        token = secrets.token_urlsafe(32)
        facilitator, created = Participant.objects.get_or_create(
            workshop=workshop,
            user=user,
            role=Participant.Role.FACILITATOR,
            defaults={"name": name or user.get_username(), "token_hash": hash_token(token)},
        )
        if not created:
            facilitator.token_hash = hash_token(token)
            facilitator.save(update_fields=["token_hash"])
        return facilitator, token
    if token:
        if not isinstance(token, str):
            raise CommandError("invalid", _("The resume token must be text."))
        returning = Participant.objects.filter(
            workshop=workshop, token_hash=hash_token(token), role=Participant.Role.PARTICIPANT
        ).first()
        if returning is None:
            raise CommandError(
                "forbidden", _("This browser's session key is not valid for this workshop.")
            )
        if name and name != returning.name:
            returning.name = name
            returning.save(update_fields=["name"])
        return returning, token
    token = secrets.token_urlsafe(32)
    participant = Participant.objects.create(
        workshop=workshop, name=name, token_hash=hash_token(token)
    )
    return participant, token


# ---------------------------------------------------------------------------- values


@command
def value_add(*, participant: Participant, text: Any, ref: str = "") -> Event:
    text = clean_text(text, field=gettext_lazy("value"), max_length=VALUE_MAX)
    open_phase(participant.workshop_id, Phase.Kind.VALUES)
    pending = _awaits_approval(participant)
    value = Value.objects.create(
        workshop_id=participant.workshop_id,
        author=participant,
        text=text,
        key=normalise_key(text),
        pending=pending,
    )
    kind = "value.submitted" if pending else "value.added"
    return event_append(
        participant.workshop_id, kind, _value_data(value), actor=participant, ref=ref
    )


def _value_data(value: Value) -> dict[str, Any]:
    return {"id": value.pk, "text": value.text, "key": value.key, "by": events.person(value.author)}


def _awaits_approval(participant: Participant) -> bool:
    """In a pre-moderated workshop, participants' contributions wait for a facilitator."""
    if participant.role == Participant.Role.FACILITATOR:
        return False
    return locked_workshop(participant.workshop_id).premoderated


@command
def moderation_set(*, participant: Participant, premoderated: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    if not isinstance(premoderated, bool):
        raise CommandError("invalid", _("Say true or false for pre-moderation."))
    workshop = locked_workshop(participant.workshop_id)
    workshop.premoderated = premoderated
    workshop.save(update_fields=["premoderated"])
    data = {"premoderated": premoderated}
    return event_append(
        participant.workshop_id, "moderation.changed", data, actor=participant, ref=ref
    )


@command
def value_approve(*, participant: Participant, id: Any, ref: str = "") -> Event:
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
        raise CommandError("phase_closed", _("The workshop is closed; nothing can be removed now."))


def _get_own(model: type[Value] | type[Statement], participant: Participant, id: Any) -> Any:
    item = _get_item(
        model, participant.workshop_id, id, _("value") if model is Value else _("statement")
    )
    if item.author_id != participant.pk:
        raise CommandError("forbidden", _("You can remove only what you wrote."))
    return item


@command
def value_remove(*, participant: Participant, id: Any, ref: str = "") -> Event:
    """A participant takes back their own value while the workshop is open: it is deleted."""
    _any_phase_open(participant.workshop_id)
    value = _get_own(Value, participant, id)
    # Values merged into this one count under their own key again: say which.
    regrouped = [
        {"id": follower.pk, "key": follower.key}
        for follower in Value.objects.filter(merged_into=value).order_by("pk")
    ]
    value.delete()
    data = {"id": id, "regrouped": regrouped}
    return event_append(participant.workshop_id, "value.removed", data, actor=participant, ref=ref)


@command
def statement_remove(*, participant: Participant, id: Any, ref: str = "") -> Event:
    _any_phase_open(participant.workshop_id)
    statement = _get_own(Statement, participant, id)
    Vote.objects.filter(target_kind=Vote.Kind.STATEMENT, target_id=statement.pk).delete()
    statement.delete()
    data = {"id": id}
    return event_append(
        participant.workshop_id, "statement.removed", data, actor=participant, ref=ref
    )


@command
def value_hide(*, participant: Participant, id: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    value = _get_item(Value, participant.workshop_id, id, _("value"))
    Value.objects.filter(pk=value.pk).update(hidden=True)
    data = {"id": value.pk}
    return event_append(participant.workshop_id, "value.hidden", data, actor=participant, ref=ref)


@command
def value_restore(*, participant: Participant, id: Any, ref: str = "") -> Event:
    """Bring back a hidden value: moderation is reversible, nothing is deleted."""
    require_facilitator(participant)
    value = _get_item(Value, participant.workshop_id, id, _("hidden value"), hidden=True)
    Value.objects.filter(pk=value.pk).update(hidden=False)
    key = value.merged_into.key if value.merged_into_id else value.key
    data = {"id": value.pk, "text": value.text, "key": key, "by": events.person(value.author)}
    return event_append(participant.workshop_id, "value.restored", data, actor=participant, ref=ref)


@command
def value_merge(*, participant: Participant, id: Any, into: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    value = _get_item(Value, participant.workshop_id, id, _("value"))
    target = _get_item(Value, participant.workshop_id, into, _("value"))
    while target.merged_into_id is not None:  # merge into the root of a chain
        target = Value.objects.get(pk=target.merged_into_id)
    if target.pk == value.pk:
        raise CommandError("invalid", _("A value cannot be merged into itself."))
    # Values merged into this one earlier follow it, so clients regroup them all.
    followers = list(Value.objects.filter(merged_into=value).values_list("pk", flat=True))
    Value.objects.filter(pk=value.pk).update(merged_into=target)
    Value.objects.filter(merged_into=value).update(merged_into=target)
    Statement.objects.filter(value=value).update(value=target)
    data = {"id": value.pk, "into": target.pk, "key": target.key, "ids": [value.pk, *followers]}
    return event_append(participant.workshop_id, "value.merged", data, actor=participant, ref=ref)


def _get_item(
    model: type[Value] | type[Statement],
    workshop_id: int,
    id: Any,
    what: str,
    hidden: bool = False,
    pending: bool | None = None,
) -> Any:
    if not isinstance(id, int) or isinstance(id, bool):
        raise CommandError("invalid", _("The %(what)s id must be a number.") % {"what": what})
    items = model.objects.filter(workshop_id=workshop_id, pk=id, hidden=hidden)
    if pending is not None:
        items = items.filter(pending=pending)
    item = items.first()
    if item is None:
        raise CommandError(
            "not_found", _("There is no %(what)s %(id)s here.") % {"what": what, "id": id}
        )
    return item


# ---------------------------------------------------------------------------- statements


def statement_text(template: str, activity: str, value: str) -> str:
    return template.replace("{activity}", activity).replace("{value}", value)


@command
def statement_add(*, participant: Participant, activity: Any, value: Any, ref: str = "") -> Event:
    activity = clean_text(activity, field=gettext_lazy("activity"), max_length=ACTIVITY_MAX)
    value_text = clean_text(value, field=gettext_lazy("value"), max_length=VALUE_MAX)
    open_phase(participant.workshop_id, Phase.Kind.STATEMENTS)
    workshop = locked_workshop(participant.workshop_id)
    pending = workshop.premoderated and participant.role != Participant.Role.FACILITATOR
    value_key = normalise_key(value_text)
    linked = (
        Value.objects.filter(workshop_id=participant.workshop_id, key=value_key)
        .live()
        .order_by("id")
        .first()
    )
    if linked is not None and linked.merged_into_id is not None:
        linked = Value.objects.get(pk=linked.merged_into_id)
    text = statement_text(workshop.statement_template, activity, value_text)
    statement = Statement.objects.create(
        workshop_id=participant.workshop_id,
        author=participant,
        activity=activity,
        value_text=value_text,
        value=linked,
        text=text,
        key=f"{normalise_key(activity)}|{value_key}",
        pending=pending,
    )
    kind = "statement.submitted" if pending else "statement.added"
    return event_append(
        participant.workshop_id, kind, _statement_data(statement), actor=participant, ref=ref
    )


def _statement_data(statement: Statement) -> dict[str, Any]:
    return {
        "id": statement.pk,
        "text": statement.text,
        "activity": statement.activity,
        "value": statement.value_text,
        "value_id": statement.value_id,
        "key": statement.key,
        "by": events.person(statement.author),
    }


@command
def statement_approve(*, participant: Participant, id: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    statement = _get_item(
        Statement, participant.workshop_id, id, _("statement awaiting approval"), pending=True
    )
    Statement.objects.filter(pk=statement.pk).update(pending=False)
    data = _statement_data(statement)
    return event_append(
        participant.workshop_id, "statement.added", data, actor=participant, ref=ref
    )


@command
def statement_hide(*, participant: Participant, id: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    statement = _get_item(Statement, participant.workshop_id, id, _("statement"))
    Statement.objects.filter(pk=statement.pk).update(hidden=True)
    data = {"id": statement.pk}
    return event_append(
        participant.workshop_id, "statement.hidden", data, actor=participant, ref=ref
    )


@command
def statement_restore(*, participant: Participant, id: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    statement = _get_item(
        Statement, participant.workshop_id, id, _("hidden statement"), hidden=True
    )
    Statement.objects.filter(pk=statement.pk).update(hidden=False)
    kind = "statement.submitted" if statement.pending else "statement.restored"
    return event_append(
        participant.workshop_id, kind, _statement_data(statement), actor=participant, ref=ref
    )


# ---------------------------------------------------------------------------- phases


def _get_phase(workshop_id: int, key: Any) -> Phase:
    if not isinstance(key, str):
        raise CommandError("invalid", _('Name the phase by its key, e.g. "statements".'))
    phase = Phase.objects.filter(workshop_id=workshop_id, key=key).first()
    if phase is None:
        raise CommandError("not_found", _("This workshop has no phase %(key)s.") % {"key": key})
    return phase


@command
def phase_open(*, participant: Participant, phase: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    Phase.objects.filter(pk=found.pk).update(status=Phase.Status.OPEN)
    data = {"phase": found.key}
    return event_append(participant.workshop_id, "phase.opened", data, actor=participant, ref=ref)


@command
def phase_close(*, participant: Participant, phase: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    Phase.objects.filter(pk=found.pk).update(status=Phase.Status.CLOSED)
    data = {"phase": found.key}
    return event_append(participant.workshop_id, "phase.closed", data, actor=participant, ref=ref)


PHASE_TITLE_MAX = 120


@command
def phase_add(
    *, participant: Participant, kind: Any, title: Any, prompt: Any = "", ref: str = ""
) -> Event:
    """Add a phase at the end; its key is its kind, numbered when the kind repeats."""
    require_facilitator(participant)
    if kind not in Phase.Kind.values:
        raise CommandError(
            "invalid", _("A phase is one of: %(kinds)s.") % {"kinds": ", ".join(Phase.Kind.values)}
        )
    title = clean_text(title, field=gettext_lazy("title"), max_length=PHASE_TITLE_MAX)
    prompt = clean_text(
        prompt or "", field=gettext_lazy("prompt"), max_length=PROMPT_MAX, required=False
    )
    phases = Phase.objects.filter(workshop_id=participant.workshop_id)
    keys = set(phases.values_list("key", flat=True))
    key, n = kind, 2
    while key in keys:
        key, n = f"{kind}-{n}", n + 1
    position = (max(phases.values_list("position", flat=True), default=-1)) + 1
    phase = Phase.objects.create(
        workshop_id=participant.workshop_id,
        key=key,
        kind=kind,
        title=title,
        prompt=prompt,
        position=position,
    )
    data = {
        "phase": phase.key,
        "kind": phase.kind,
        "title": phase.title,
        "prompt": phase.prompt,
        "position": phase.position,
    }
    return event_append(participant.workshop_id, "phase.added", data, actor=participant, ref=ref)


@command
def phase_remove(*, participant: Participant, phase: Any, ref: str = "") -> Event:
    """Remove a phase nobody has voted in: accepted votes are never thrown away."""
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    if found.votes.exists():
        raise CommandError(
            "invalid", _("People have voted in this phase; close it instead of removing it.")
        )
    found.delete()
    data = {"phase": found.key}
    return event_append(participant.workshop_id, "phase.removed", data, actor=participant, ref=ref)


@command
def phase_move(*, participant: Participant, phase: Any, position: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    phases = list(Phase.objects.filter(workshop_id=participant.workshop_id).order_by("position"))
    if (
        not isinstance(position, int)
        or isinstance(position, bool)
        or not (0 <= position < len(phases))
    ):
        raise CommandError(
            "invalid",
            _("The position must be from 0 to %(max)d.") % {"max": len(phases) - 1},
        )
    phases = [p for p in phases if p.pk != found.pk]
    phases.insert(position, found)
    for index, each in enumerate(phases):
        each.position = index
    Phase.objects.bulk_update(phases, ["position"])
    data = {"order": [p.key for p in phases]}
    return event_append(participant.workshop_id, "phase.moved", data, actor=participant, ref=ref)


PROMPT_MAX = 500
VOTE_BUDGET_MAX = 50
TIMER_MAX_SECONDS = 4 * 3600


@command
def phase_update(
    *,
    participant: Participant,
    phase: Any,
    title: Any = None,
    prompt: Any = None,
    vote_budget: Any = None,
    ref: str = "",
) -> Event:
    """Change a phase's title, prompt or vote budget, even mid-session (omitted: kept)."""
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    if title is not None:
        found.title = clean_text(title, field=gettext_lazy("title"), max_length=PHASE_TITLE_MAX)
    if prompt is not None:
        found.prompt = clean_text(
            prompt, field=gettext_lazy("prompt"), max_length=PROMPT_MAX, required=False
        )
    if vote_budget is not None:
        if (
            not isinstance(vote_budget, int)
            or isinstance(vote_budget, bool)
            or not 0 <= vote_budget <= VOTE_BUDGET_MAX
        ):
            raise CommandError(
                "invalid",
                _("The vote budget must be a whole number from 0 to %(max)d.")
                % {"max": VOTE_BUDGET_MAX},
            )
        found.vote_budget = vote_budget
    found.save(update_fields=["title", "prompt", "vote_budget"])
    data = {
        "phase": found.key,
        "title": found.title,
        "prompt": found.prompt,
        "vote_budget": found.vote_budget,
    }
    return event_append(participant.workshop_id, "phase.updated", data, actor=participant, ref=ref)


@command
def timer_start(*, participant: Participant, phase: Any, seconds: Any, ref: str = "") -> Event:
    """A countdown every screen shows; it informs, it closes nothing by itself."""
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    if (
        not isinstance(seconds, int)
        or isinstance(seconds, bool)
        or not 1 <= seconds <= TIMER_MAX_SECONDS
    ):
        raise CommandError(
            "invalid",
            _("The timer takes a number of seconds from 1 to %(max)d.")
            % {"max": TIMER_MAX_SECONDS},
        )
    found.timer_ends_at = timezone.now() + timedelta(seconds=seconds)
    found.save(update_fields=["timer_ends_at"])
    data = {
        "phase": found.key,
        "ends_at": events.timestamp(found.timer_ends_at),
        "seconds": seconds,
    }
    return event_append(participant.workshop_id, "timer.started", data, actor=participant, ref=ref)


@command
def timer_stop(*, participant: Participant, phase: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    Phase.objects.filter(pk=found.pk).update(timer_ends_at=None)
    data = {"phase": found.key}
    return event_append(participant.workshop_id, "timer.stopped", data, actor=participant, ref=ref)


@command
def results_hide(*, participant: Participant, phase: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    Phase.objects.filter(pk=found.pk).update(results_hidden=True)
    data = {"phase": found.key}
    return event_append(participant.workshop_id, "results.hidden", data, actor=participant, ref=ref)


@command
def results_reveal(*, participant: Participant, phase: Any, ref: str = "") -> Event:
    require_facilitator(participant)
    found = _get_phase(participant.workshop_id, phase)
    Phase.objects.filter(pk=found.pk).update(results_hidden=False)
    rows = (
        Vote.objects.filter(phase=found)
        .values_list("target_kind", "target_id")
        .annotate(total=Count("id"))
        .order_by("target_kind", "target_id")
    )
    totals = [{"kind": kind, "id": id, "total": total} for kind, id, total in rows]
    data = {"phase": found.key, "totals": totals}
    return event_append(
        participant.workshop_id, "results.revealed", data, actor=participant, ref=ref
    )


# ---------------------------------------------------------------------------- votes

# Apps that own a kind of vote target (principles) register how to find one.
VOTE_TARGETS: dict[str, Callable[[int, int], bool]] = {
    Vote.Kind.STATEMENT: lambda workshop_id, id: (
        Statement.objects.filter(workshop_id=workshop_id, pk=id).live().exists()
    ),
}


def _vote_target(workshop_id: int, target: Any) -> tuple[str, int]:
    if not isinstance(target, dict):
        raise CommandError("invalid", _("Say what the vote is for: a statement or a principle."))
    kind, id = target.get("kind"), target.get("id")
    if kind not in VOTING_PHASE or not isinstance(id, int) or isinstance(id, bool):
        raise CommandError("invalid", _("Say what the vote is for: a statement or a principle."))
    exists = VOTE_TARGETS.get(kind)
    if exists is None or not exists(workshop_id, id):
        raise CommandError("not_found", _("There is nothing to vote for with that id."))
    return kind, id


def _vote_event(participant: Participant, phase: Phase, kind: str, id: int, ref: str) -> Event:
    on_target = Vote.objects.filter(target_kind=kind, target_id=id)
    data = {
        "target": {"kind": kind, "id": id},
        "total": None if phase.results_hidden else on_target.count(),
        "voter": participant.pk,
        "voter_votes": on_target.filter(participant=participant).count(),
        "phase": phase.key,
    }
    return event_append(participant.workshop_id, "vote.changed", data, actor=participant, ref=ref)


@command
def vote_cast(*, participant: Participant, target: Any, ref: str = "") -> Event:
    kind, id = _vote_target(participant.workshop_id, target)
    phase = open_phase(participant.workshop_id, VOTING_PHASE[kind])
    spent = Vote.objects.filter(participant=participant, phase=phase).count()
    if spent >= phase.vote_budget:
        raise CommandError(
            "over_budget",
            _("You have used all %(n)d of your votes; take one back to vote again.")
            % {"n": phase.vote_budget},
        )
    Vote.objects.create(participant=participant, phase=phase, target_kind=kind, target_id=id)
    return _vote_event(participant, phase, kind, id, ref)


@command
def vote_retract(*, participant: Participant, target: Any, ref: str = "") -> Event:
    kind, id = _vote_target(participant.workshop_id, target)
    phase = open_phase(participant.workshop_id, VOTING_PHASE[kind])
    mine = Vote.objects.filter(participant=participant, target_kind=kind, target_id=id).last()
    if mine is None:
        raise CommandError("not_found", _("You have no vote on that to take back."))
    mine.delete()
    return _vote_event(participant, phase, kind, id, ref)
