"""A welcome's state is built once and shared by every joiner at that version, and no
client can tell: the shared text is byte for byte the state built alone, whatever
happened in the workshop since (every kind of command, and the changes no event
announces), for participants and for facilitators."""

import contextlib
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from principles.models import Principle
from tests.workshops.test_state_machine import WORDS, Session, run_sessions
from workshops import selectors, services
from workshops.live import consumer
from workshops.live.protocol import COMMANDS, parse
from workshops.live.welcome import SharedWelcomes, version_of, welcome_frame
from workshops.live.wire import encode
from workshops.models import Idea, Statement, Value
from workshops.services import Refused, report_share, report_unshare

AUDIENCES = (False, True)  # the room's state, the facilitators'


def shared_text(welcomes: SharedWelcomes, workshop_id: int, private: bool) -> tuple[int, str]:
    shared = welcomes.state(version_of(workshop_id), private=private)
    return shared.seq, shared.text(selectors.people_joined(workshop_id))


def built_alone(workshop, private: bool) -> tuple[int, str]:
    seq, state = selectors.workshop_state(workshop, private=private)
    return seq, encode(state)


@pytest.mark.django_db
def test_a_shared_state_is_the_state_built_alone(workshop, ada):
    services.value_add(participant=ada, text="equity — «équité»")
    welcomes = SharedWelcomes(workshop.pk)
    for private in AUDIENCES:
        assert shared_text(welcomes, workshop.pk, private) == built_alone(workshop, private)


@pytest.mark.django_db
def test_a_welcome_frame_is_the_welcome_encoded_whole(workshop, ada):
    seq, state = selectors.workshop_state(workshop)
    you = {"id": ada.pk, "name": "Ada", "role": "participant", "votes": {}, "consent": {}}
    whole = {"type": "welcome", "protocol": 1, "you": you, "token": "t", "seq": seq}
    assert welcome_frame(you=you, token="t", seq=seq, state=encode(state)) == encode(
        {**whole, "state": state}
    )


@pytest.mark.django_db
def test_every_joiner_gets_the_same_text_built_once(workshop, ada, django_assert_num_queries):
    welcomes = SharedWelcomes(workshop.pk)
    first = welcomes.state(version_of(workshop.pk), private=False)
    # Only the version is read: nothing happened, so nothing is built again.
    with django_assert_num_queries(1):
        again = welcomes.state(version_of(workshop.pk), private=False)
    assert again is first


@pytest.mark.django_db
def test_a_join_changes_the_people_count_and_nothing_else(workshop, ada):
    welcomes = SharedWelcomes(workshop.pk)
    before = welcomes.state(version_of(workshop.pk), private=False)
    services.participant_join(workshop=workshop, name="Bea")
    assert welcomes.state(version_of(workshop.pk), private=False) is before
    assert shared_text(welcomes, workshop.pk, False) == built_alone(workshop, False)


@pytest.mark.django_db
def test_a_rename_on_resume_is_shown_to_the_next_joiner(workshop):
    ada, token = services.participant_join(workshop=workshop, name="Ada")
    services.value_add(participant=ada, text="care")
    welcomes = SharedWelcomes(workshop.pk)
    welcomes.state(version_of(workshop.pk), private=False)
    services.participant_join(workshop=workshop, name="Ada Lovelace", token=token)
    seq, text = shared_text(welcomes, workshop.pk, False)
    assert '"name":"Ada Lovelace"' in text
    assert (seq, text) == built_alone(workshop, False)


@pytest.mark.django_db
def test_a_welcome_built_in_a_group_is_the_welcome_built_alone(workshop, ada, facilitator):
    """The hello path itself: a participant's and a facilitator's whole welcome frame."""
    services.value_add(participant=ada, text="care")
    welcomes = SharedWelcomes(workshop.pk)
    hellos = [
        consumer.ParticipantHello(name="Bea", token=None, since=0, user=None),
        consumer.ParticipantHello(name="", token=None, since=0, user=facilitator),
    ]
    bea, host = consumer._participants_hello(workshop, welcomes, hellos)
    for hello in (bea, host):
        assert isinstance(hello, consumer.Hello)
        token = hello.frame.split('"token":"', 1)[1].split('"', 1)[0]
        alone = welcome_built_alone(workshop, hello.participant, token, hello.sees_private)
        assert hello.frame == alone
    assert host.sees_private and not bea.sees_private


def welcome_built_alone(workshop, participant, token: str, private: bool = False) -> str:
    """One joiner's welcome as it would be built alone, every part of `you` asked for."""
    seq, state = selectors.workshop_state(workshop, private=private)
    you = {
        "id": participant.pk,
        "name": participant.name,
        "role": participant.role,
        "votes": selectors.my_votes(participant),
        "table": services.seat_of(participant),
    }
    for part in selectors.YOU_PARTS:
        you.update(part(participant))
    frame = {"type": "welcome", "protocol": 1, "you": you, "token": token, "seq": seq}
    return encode({**frame, "state": state})


# ------------------------------------------------------------ every kind of event


def _field_values(draw: Any, session: "SharedWelcomeSession") -> dict[str, Any]:
    """Plausible fields for any command: ids that exist, phases that exist, words."""
    w = session.workshop
    ids = list(Value.objects.filter(workshop=w).values_list("id", flat=True))
    ids += list(Statement.objects.filter(workshop=w).values_list("id", flat=True))
    ids += list(Idea.objects.filter(workshop=w).values_list("id", flat=True))
    principles = list(Principle.objects.filter(workshop=w).values_list("id", flat=True))
    phases = list(w.phases.values_list("key", flat=True)) or ["values"]
    pick = draw(st.integers(0, 50))
    tables = list(w.tables.values_list("id", flat=True)) or [1]
    people = list(w.participants.filter(role="participant").values_list("id", flat=True)) or [1]
    some = ids + principles or [1]
    id = draw(st.sampled_from(some))
    return {
        "text": draw(WORDS),
        "activity": draw(WORDS),
        "value": draw(WORDS),
        "title": draw(st.sampled_from(["Trust first", "", "Care"])),
        "body": draw(st.sampled_from(["", "Because"])),
        "description": "About",
        "licence": "CC0",
        "statement_template": "What might {activity} look like as a practice of {value}?",
        "activity_suggestions": ["assessment"],
        "prompt": draw(st.sampled_from(["", "Say it"])),
        "id": id,
        "ids": [id, some[pick % len(some)]],
        "into": some[pick % len(some)],
        "sources": [i for i in ids if Statement.objects.filter(pk=i).exists()][:2],
        "phase": draw(st.sampled_from(phases)),
        "kind": draw(st.sampled_from(["values", "statements", "principles", "ideas"])),
        "columns": draw(
            st.sampled_from([[], [{"key": "h1", "title": "Now"}, {"key": "h2", "title": "Next"}]])
        ),
        "column": draw(st.sampled_from([None, "h1", "h2"])),
        "parent": draw(st.sampled_from([None, id])),
        "position": pick % 4,
        "vote_budget": pick % 5,
        # A phase's script reaches facilitators only (the invariant checks the room's).
        "notes": draw(st.sampled_from(["", "Read the example aloud."])),
        "minutes": pick % 3 * 5,
        "tables": draw(st.booleans()),
        "seconds": 60,
        "premoderated": draw(st.booleans()),
        "limit": draw(st.sampled_from([None, 1, 5])),
        "share_report": draw(st.booleans()),
        # Credentials: a claim answers its claimant only; what the room sees is a count.
        "name": draw(st.sampled_from(["Ada", ""])),
        "email": draw(st.sampled_from(["", "ada@example.org"])),
        "did": "",
        "named": draw(st.booleans()),
        "enabled": draw(st.booleans()),
        "criteria": "Took part",
        "credentials": draw(st.booleans()),
        "confirm": draw(st.booleans()),
        "shown": draw(st.booleans()),
        "level": draw(st.sampled_from(["full", "reservations", "discuss", "cannot"])),
        "reason": draw(st.sampled_from(["", "not yet"])),
        "target": {
            "kind": draw(st.sampled_from(["statement", "principle", "idea"])),
            "id": id,
        },
        # Schedules and the room's links are in every welcome.
        "opens_at": draw(st.sampled_from([None, "2030-01-31T18:00:00+01:00"])),
        "closes_at": draw(st.sampled_from([None, "2030-01-31T19:30:00Z"])),
        "url": draw(st.sampled_from(["https://example.org/slides", "ftp://example.org"])),
        # Tables: who sits where is in every welcome.
        "size": draw(st.sampled_from([None, 2, 3])),
        "count": draw(st.sampled_from([None, 1, 2])),
        "apart": draw(st.booleans()),
        "table": tables[pick % len(tables)],
        "participant": people[pick % len(people)],
    }


class SharedWelcomeSession(Session):
    """Random sessions of every command (and of what no event announces); after each
    step, the cached welcome equals a fresh one, for participants and facilitators."""

    @initialize()
    def open_workshop(self):
        self.user, _ = User.objects.get_or_create(username="host-of-random-sessions")
        self.workshop = services.workshop_create(title="Random session", facilitator=self.user)
        self.host = services.participant_join(workshop=self.workshop, user=self.user)[0]
        self.refs = 0
        self.welcomes = SharedWelcomes(self.workshop.pk)

    @rule(data=st.data(), name=st.sampled_from(sorted(COMMANDS)), by_host=st.booleans())
    def any_command(self, data, name, by_host):
        command = COMMANDS[name]
        people = list(self.workshop.participants.filter(role="participant"))
        actor = self.host if by_host or command.facilitator_only or not people else people[0]
        drawn = _field_values(data.draw, self)
        kwarg = dict(command.renamed)  # table.move's `participant` is the service's `person`
        with contextlib.suppress(Refused):
            # As a socket sends it: fields of the declared types only (the edge refuses the rest).
            fields = parse(command, {field: drawn[field] for field in command.fields})
            command.service(
                participant=actor,
                ref="",
                **{kwarg.get(field, field): value for field, value in fields.items()},
            )

    @rule(name=st.sampled_from(["Ada", "Bea", "Ada Lovelace"]))
    def resume_under_another_name(self, name):
        """Their contributions show the new name, and no event says so."""
        said = Value.objects.filter(workshop=self.workshop, author__role="participant").first()
        if said is None:
            someone = services.participant_join(workshop=self.workshop, name="Someone")[0]
            with contextlib.suppress(Refused):  # no values phase open
                services.value_add(participant=someone, text="kindness")
            said = Value.objects.filter(author=someone).first()
        if said is None or said.author is None:
            return
        token = f"token-of-{said.author.pk}"
        said.author.token_hash = services.hash_token(token)
        said.author.save(update_fields=["token_hash"])
        services.participant_join(workshop=self.workshop, name=name, token=token)

    @rule(share=st.booleans())
    def share_or_revoke_the_report(self, share):
        (report_share if share else report_unshare)(workshop=self.workshop, by=self.user)

    @invariant()
    def the_shared_welcome_is_the_one_built_alone(self):
        """After every step: the state shared since the step before (if still current)
        is what a joiner alone would be sent now."""
        if not hasattr(self, "welcomes"):
            return
        for private in AUDIENCES:
            shared = shared_text(self.welcomes, self.workshop.pk, private)
            assert shared == built_alone(self.workshop, private)
        # Nothing hidden or awaiting approval is in the room's shared part.
        room = json.loads(shared_text(self.welcomes, self.workshop.pk, False)[1])
        for key, model in (("values", Value), ("statements", Statement)):
            unseen = model.objects.filter(workshop=self.workshop).exclude(
                hidden=False, pending=False
            )
            shown = {item["id"] for item in room[key]}
            assert not shown & set(unseen.values_list("pk", flat=True))
        assert not [phase for phase in room["phases"] if "notes" in phase]


@pytest.mark.django_db
def test_the_shared_welcome_follows_every_kind_of_event():
    run_sessions(SharedWelcomeSession, sessions=8, steps=20)
