"""Workshops and everything said in them.

Rows are written only by `workshops.services`; every write there also appends an
`Event`, the log that sockets and exports replay.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

DEFAULT_LICENCE = "CC BY 4.0"
# Marked for translation: a workshop created in French gets the French wording.
DEFAULT_STATEMENT_TEMPLATE = gettext_noop(
    "What might {activity} look like as a practice of {value}?"
)


class Workshop(models.Model):
    code = models.CharField(max_length=6, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    licence = models.CharField(max_length=100, default=DEFAULT_LICENCE)
    template = models.CharField(max_length=40, default="open-values")
    statement_template = models.CharField(max_length=300, default=DEFAULT_STATEMENT_TEMPLATE)
    activity_suggestions = models.JSONField(default=list, blank=True)
    # Keys of activities people typed that a facilitator removed: their statements are
    # hidden, and one typed again waits for approval instead of being offered to the room.
    activities_removed = models.JSONField(default=list, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_workshops", blank=True
    )
    # Organisers see everything and export, but do not control the session.
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organised_workshops", blank=True
    )
    # Secret of the projector link, for a screen nobody signs in on (empty: not shared).
    screen_key = models.CharField(max_length=64, blank=True)
    # Secret of the read-only report link; empty when not shared (rotating it revokes).
    report_key = models.CharField(max_length=64, blank=True)
    # The workshop and everything said in it are deleted on this day (manage.py purge_expired).
    delete_after = models.DateField(null=True, blank=True)
    # When the facilitator ended the session (null: not ended): every screen then shows the
    # outcome. `report_for_room`: the ending shared the report link with everyone.
    ended_at = models.DateTimeField(null=True, blank=True)
    report_for_room = models.BooleanField(default=False)
    # Contributions reach the facilitators first and go live when approved.
    premoderated = models.BooleanField(default=False)
    # Values and statements one participant may have at once (None: no cap); the
    # facilitator's bound on what a crowd of sockets can make every welcome weigh.
    contribution_limit = models.PositiveIntegerField(null=True, blank=True)

    # The round of breakout tables that is on now (0: none; workshops.services.tables):
    # read with the row's lock, so a command writes a contribution's table only when
    # tables are formed, without a query of its own when they are not.
    seating = models.PositiveIntegerField(default=0)
    # The projector shows each table's top items side by side (1-2-4-All's "All" step).
    tables_top = models.BooleanField(default=False)
    # The facilitator's message that every screen shows at once (empty: none), and when
    # it was sent (services/messages.py): "Five minutes left: pick your top two".
    message = models.CharField(max_length=280, blank=True)
    message_at = models.DateTimeField(null=True, blank=True)

    # The IANA zone the report and the exports tell times in (the facilitator's browser
    # zone when the workshop was created).
    time_zone = models.CharField(max_length=64, default="UTC")
    # The last event seq handed out; bumped under a row lock, so seqs never repeat or skip.
    last_seq = models.PositiveBigIntegerField(default=0)
    # Changes to what a welcome shows that no event announces (a participant renamed on
    # resume, the report link shared or revoked): with `last_seq`, the version of the
    # welcome that each hub builds once and shares (workshops/live/welcome.py).
    unlogged_changes = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class Phase(models.Model):
    class Kind(models.TextChoices):
        VALUES = "values", _("Values")
        STATEMENTS = "statements", _("Statements")
        PRINCIPLES = "principles", _("Principles")
        IDEAS = "ideas", _("Ideas")

    class Status(models.TextChoices):
        PENDING = "pending", _("Not started")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="phases")
    key = models.SlugField(max_length=40)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=120)
    prompt = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    position = models.PositiveIntegerField(default=0)
    vote_budget = models.PositiveIntegerField(default=3)
    # While set, vote totals are not broadcast, so early votes do not herd the rest.
    results_hidden = models.BooleanField(default=False)
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    # An `ideas` phase's columns, [{"key": "h1", "title": "Horizon 1"}, ...]: each idea
    # sits in one of them. Empty: one pile of cards (and for the other kinds).
    columns = models.JSONField(default=list, blank=True)
    # The design's suggested duration (None: as long as it takes), whether the step is
    # done in breakout tables, and the facilitator's script for it: never sent to the
    # room (selectors.workshop_state, events.PRIVATE_FIELDS).
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    tables = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    # When the schedule opens or closes the phase by itself, whether or not anyone is
    # connected (services/schedule.py); each is cleared once it has happened.
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["workshop", "position"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "key"], name="unique_phase_key"),
        ]

    def __str__(self) -> str:
        return f"{self.workshop.code}/{self.key}"


class Participant(models.Model):
    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        FACILITATOR = "facilitator", _("Facilitator")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=60, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    # Facilitators are recognised by their login, participants by their resume token.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # sha256 of the secret resume token: a database leak does not leak identities.
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "id"]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class Table(models.Model):
    """A breakout table: some of the room's participants working apart for a while.

    `tables.form` seats everyone at a *round* of tables; `tables.end` ends the round and
    the room works together again, each contribution still labelled with its table. The
    members of past rounds are kept: who sat together before can be kept apart next time.
    """

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="tables")
    round = models.PositiveIntegerField()  # 1 for the first tables.form, 2 for the next...
    name = models.CharField(max_length=40)
    position = models.PositiveIntegerField(default=0)
    # Participants only: facilitators and screens are never seated.
    members = models.ManyToManyField(Participant, related_name="tables", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # null: the round is on now

    class Meta:
        ordering = ["workshop", "round", "position"]

    def __str__(self) -> str:
        return f"{self.workshop_id}/{self.round}/{self.name}"


class ContributionQuerySet(models.QuerySet):
    def live(self) -> ContributionQuerySet:
        """What the room sees: neither hidden by a facilitator nor awaiting approval."""
        return self.filter(hidden=False, pending=False)


class Contribution(models.Model):
    """What values and statements share: an author, a grouping key, moderation."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE)
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL)
    # Normalised text (case, spacing, punctuation): equal keys count as one idea.
    key = models.CharField(max_length=300, db_index=True)
    hidden = models.BooleanField(default=False)
    # The breakout table its author sat at when they wrote it (null: the room's).
    table = models.ForeignKey(
        "Table", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Sent while the workshop is pre-moderated: only facilitators see it until approved.
    pending = models.BooleanField(default=False)
    # Sent after the facilitator ended the live session, in a phase its schedule opened:
    # the report and exports tell "during the session" and "afterwards" apart.
    afterwards = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["id"]


class Value(Contribution):
    text = models.CharField(max_length=80)
    # Set when a facilitator merges this value into another; counts then combine.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )

    def __str__(self) -> str:
        return self.text


class Statement(Contribution):
    activity = models.CharField(max_length=80)
    value_text = models.CharField(max_length=80)
    # The live value this statement builds on, when one has the same key.
    value = models.ForeignKey(
        Value, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    text = models.CharField(max_length=400)

    def __str__(self) -> str:
        return self.text


class Idea(Contribution):
    """A free-text card of an `ideas` phase, in one of its columns, maybe answering another."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="ideas")
    text = models.CharField(max_length=280)
    # One of the phase's column keys; blank when the phase has no columns.
    column = models.CharField(max_length=40, blank=True)
    # The card this one answers (a Futures Wheel's consequence), in the same phase. Its
    # answers stay, unanchored, when it is taken back.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )

    def __str__(self) -> str:
        return self.text


class Material(models.Model):
    """A link the facilitator gives the room: slides, the recording, related work."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "id"]

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement")
        PRINCIPLE = "principle", _("Principle")
        IDEA = "idea", _("Idea")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="votes")
    target_kind = models.CharField(max_length=20, choices=Kind.choices)
    target_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["target_kind", "target_id"])]

    def __str__(self) -> str:
        return f"{self.participant_id} -> {self.target_kind} {self.target_id}"


# Which phase a vote on each kind of target belongs to (and spends the budget of).
VOTING_PHASE: dict[str, str] = {
    Vote.Kind.STATEMENT: Phase.Kind.STATEMENTS,
    Vote.Kind.PRINCIPLE: Phase.Kind.PRINCIPLES,
    # A vote on an idea belongs to the idea's own phase (services.votes.VOTE_PHASES).
    Vote.Kind.IDEA: Phase.Kind.IDEAS,
}


class Event(models.Model):
    """The log of everything that changed a workshop: the truth sockets replay."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=40)
    data = models.JSONField()
    at = models.DateTimeField()
    # Who sent the command and its client-chosen ref: a retried ref returns this event.
    actor = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL)
    ref = models.CharField(max_length=64, blank=True)
    # sha256 of the command's name and fields: a ref reused for another command is refused
    # instead of acknowledged with this event (blank on events logged before it existed).
    ref_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["workshop", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "seq"], name="unique_event_seq"),
            models.UniqueConstraint(
                fields=["actor", "ref"], condition=~models.Q(ref=""), name="unique_actor_ref"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id}#{self.seq} {self.kind}"
