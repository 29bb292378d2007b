"""Who may do what with a workshop, and the reason given when they may not.

`workshops.access` is the one place that answers; pages, the socket and the services
turn its refusals into their own answers (a 404, a sign-in, `forbidden`).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from workshops import access, services
from workshops.access import Refusal
from workshops.errors import Refused
from workshops.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def cofacilitator(django_user_model, workshop, facilitator):
    user = django_user_model.objects.create_user("cora", password="cora-pass-123")
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username="cora", role="facilitator"
    )
    return user


def refusal(answer):
    """What a check said: None when allowed, else its reason."""
    return None if answer else answer.refusal


@pytest.mark.parametrize(
    ("check", "facilitator_", "organiser_", "outsider_", "nobody"),
    [
        (access.facilitator, None, Refusal.ORGANISER_ONLY, Refusal.NOT_MEMBER, Refusal.SIGNED_OUT),
        (access.member, None, None, Refusal.NOT_MEMBER, Refusal.SIGNED_OUT),
        (access.organiser, Refusal.NOT_MEMBER, None, Refusal.NOT_MEMBER, Refusal.SIGNED_OUT),
    ],
)
def test_each_account_gets_its_answer(
    check, facilitator_, organiser_, outsider_, nobody, workshop, facilitator, organiser, outsider
):
    assert refusal(check(facilitator, workshop)) == facilitator_
    assert refusal(check(organiser, workshop)) == organiser_
    assert refusal(check(outsider, workshop)) == outsider_
    assert refusal(check(AnonymousUser(), workshop)) == nobody
    assert refusal(check(None, workshop)) == nobody


def test_rights_are_per_workshop(workshop, facilitator, outsider):
    theirs = services.workshop_create(title="Another", facilitator=outsider)
    assert access.facilitator(facilitator, workshop)
    assert refusal(access.facilitator(facilitator, theirs)) == Refusal.NOT_MEMBER
    assert refusal(access.member(facilitator, theirs)) == Refusal.NOT_MEMBER


def test_a_refusal_is_false_and_says_why_in_words(workshop, organiser):
    answer = access.facilitator(organiser, workshop)
    assert not answer
    assert "facilitators" in answer.message
    with pytest.raises(Refused) as refused:
        answer.require()
    assert (refused.value.code, refused.value.message) == ("forbidden", answer.message)


def test_an_allowed_answer_is_true_has_no_message_and_requires_nothing(workshop, facilitator):
    answer = access.facilitator(facilitator, workshop)
    assert answer and answer.refusal is None and answer.message == ""
    answer.require()


def test_every_refusal_has_a_sentence_in_french_too(settings):
    from django.utils import translation

    for reason in Refusal:
        english = access.Access(reason).message
        with translation.override("fr"):
            french = access.Access(reason).message
        assert english and french and french != english, reason


def test_a_participant_row_acts_as_facilitator_only_while_its_account_facilitates(
    workshop, facilitator, cofacilitator, ada
):
    cora, _token = services.participant_join(workshop=workshop, user=cofacilitator)
    assert access.acting_facilitator(cora) and access.facilitator_row(cora)
    assert refusal(access.acting_facilitator(ada)) == Refusal.PARTICIPANT
    assert refusal(access.facilitator_row(ada)) == Refusal.PARTICIPANT
    services.workshop_member_remove(workshop=workshop, by=facilitator, user_id=cofacilitator.pk)
    cora.refresh_from_db()
    # The row still says facilitator (a socket may hold it); the account no longer does.
    assert cora.role == Participant.Role.FACILITATOR
    assert access.facilitator_row(cora)
    assert refusal(access.acting_facilitator(cora)) == Refusal.NO_LONGER_FACILITATOR


def test_a_sockets_facilitator_must_still_be_signed_in_as_that_account(
    workshop, facilitator, host, outsider, ada
):
    assert access.signed_in_facilitator(host, facilitator.pk)
    assert access.signed_in_facilitator(host, str(facilitator.pk))  # as a session stores it
    assert refusal(access.signed_in_facilitator(host, None)) == Refusal.SIGNED_OUT_ELSEWHERE
    assert refusal(access.signed_in_facilitator(host, outsider.pk)) == (
        Refusal.SIGNED_OUT_ELSEWHERE
    )
    assert refusal(access.signed_in_facilitator(ada, facilitator.pk)) == Refusal.PARTICIPANT


@pytest.mark.parametrize("key", ["", "wrong", "é", "\ud800", None, 42, ["k"]])
def test_a_secret_link_opens_with_its_own_key_only(workshop, facilitator, key):
    assert refusal(access.screen_key(workshop, "anything")) == Refusal.BAD_KEY  # not shared
    real = services.screen_share(workshop=workshop, by=facilitator)
    workshop.refresh_from_db()
    assert access.screen_key(workshop, real)
    assert refusal(access.screen_key(workshop, key)) == Refusal.BAD_KEY
    assert refusal(access.report_key(workshop, real)) == Refusal.BAD_KEY  # another link's


def test_a_report_key_opens_the_report_until_replaced(workshop, facilitator):
    first = services.report_share(workshop=workshop, by=facilitator)
    workshop.refresh_from_db()
    assert access.report_key(workshop, first)
    second = services.report_share(workshop=workshop, by=facilitator)
    workshop.refresh_from_db()
    assert access.report_key(workshop, second)
    assert refusal(access.report_key(workshop, first)) == Refusal.BAD_KEY


def test_a_screen_sees_as_a_facilitator_or_through_its_key(workshop, facilitator, organiser):
    key = services.screen_share(workshop=workshop, by=facilitator)
    workshop.refresh_from_db()
    signed_in = access.screen(facilitator, workshop, "")
    assert signed_in and signed_in.sees_private
    through_link = access.screen(None, workshop, key)
    assert through_link and not through_link.sees_private
    # A key that does not open it is the reason; without a key, the account's.
    assert access.screen(None, workshop, "wrong").refusal == Refusal.BAD_KEY
    assert access.screen(organiser, workshop, "wrong").refusal == Refusal.BAD_KEY
    assert access.screen(None, workshop, "").refusal == Refusal.SIGNED_OUT
    assert access.screen(organiser, workshop, "").refusal == Refusal.ORGANISER_ONLY


FACILITATORS_ONLY = {
    "member add": lambda workshop, user: services.workshop_member_add(
        workshop=workshop, by=user, username="olga", role="facilitator"
    ),
    "member remove": lambda workshop, user: services.workshop_member_remove(
        workshop=workshop, by=user, user_id=user.pk
    ),
    "screen share": lambda workshop, user: services.screen_share(workshop=workshop, by=user),
    "report share": lambda workshop, user: services.report_share(workshop=workshop, by=user),
    "deletion date": lambda workshop, user: services.workshop_schedule_deletion(
        workshop=workshop, by=user, delete_after=None
    ),
    "delete": lambda workshop, user: services.workshop_delete(workshop=workshop, by=user),
}


@pytest.mark.parametrize("action", FACILITATORS_ONLY)
@pytest.mark.parametrize("who", ["organiser", "outsider"])
def test_only_facilitators_manage_members_links_and_retention(action, who, workshop, request):
    user = request.getfixturevalue(who)
    with pytest.raises(Refused) as refused:
        FACILITATORS_ONLY[action](workshop, user)
    assert refused.value.code == "forbidden"
    workshop.refresh_from_db()
    assert not workshop.facilitators.filter(pk=user.pk).exists()
    assert workshop.screen_key == workshop.report_key == ""
    assert not workshop.events.exists()
