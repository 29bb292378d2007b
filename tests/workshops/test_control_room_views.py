"""The control room's forms: people, retention, deletion; and the log for the replay."""

from datetime import date, timedelta

import pytest

from workshops import services
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, facilitator):
    client.force_login(facilitator)
    return client


def test_a_facilitator_adds_an_organiser_by_username(signed_in, workshop, outsider):
    response = signed_in.post(
        f"/facilitate/{workshop.code}/people/", {"username": "charlie", "role": "organiser"}
    )
    assert response.status_code == 302
    assert workshop.organisers.filter(pk=outsider.pk).exists()


def test_an_unknown_username_changes_nothing_and_says_why(signed_in, workshop):
    response = signed_in.post(
        f"/facilitate/{workshop.code}/people/",
        {"username": "nobody", "role": "organiser"},
        follow=True,
    )
    assert "nobody" in response.content.decode()
    assert not workshop.organisers.exists()


def test_a_deletion_day_must_be_in_the_future(signed_in, workshop):
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    signed_in.post(f"/facilitate/{workshop.code}/retention/", {"delete_after": yesterday})
    workshop.refresh_from_db()
    assert workshop.delete_after is None
    later = date.today() + timedelta(days=30)
    signed_in.post(f"/facilitate/{workshop.code}/retention/", {"delete_after": later.isoformat()})
    workshop.refresh_from_db()
    assert workshop.delete_after == later


def test_deleting_needs_the_code_typed(signed_in, workshop):
    signed_in.post(f"/facilitate/{workshop.code}/delete/", {"confirm": "WRONG1"})
    assert Workshop.objects.filter(pk=workshop.pk).exists()
    response = signed_in.post(f"/facilitate/{workshop.code}/delete/", {"confirm": workshop.code})
    assert response["Location"] == "/facilitate/"
    assert not Workshop.objects.filter(pk=workshop.pk).exists()


def test_organisers_read_the_log_but_do_not_control(client, workshop, facilitator, outsider, ada):
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username="charlie", role="organiser"
    )
    services.value_add(participant=ada, text="equity")
    client.force_login(outsider)
    log = client.get(f"/facilitate/{workshop.code}/events.json").json()
    assert [e["event"] for e in log["events"]] == ["member.added", "value.added"]
    assert log["events"][0]["actor"]["name"] == "alice"  # the facilitator who added them
    assert log["events"][1]["actor"] == {"id": ada.pk, "name": "Ada", "role": "participant"}
    assert log["state"]["values"] == []
    assert client.get(f"/facilitate/{workshop.code}/").status_code == 404
    assert (
        client.post(f"/facilitate/{workshop.code}/delete/", {"confirm": workshop.code}).status_code
        == 404
    )


@pytest.mark.parametrize("path", ["", "events.json", "suggestions.json"])
def test_anonymous_visitors_are_sent_to_sign_in(client, workshop, path):
    response = client.get(f"/facilitate/{workshop.code}/{path}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_projector_opens_with_its_secret_link_until_revoked(client, workshop, facilitator):
    assert client.get(f"/j/{workshop.code}/screen/").status_code == 302  # sign in first
    client.force_login(facilitator)
    client.post(f"/facilitate/{workshop.code}/screen/share/")
    workshop.refresh_from_db()
    key = workshop.screen_key
    client.logout()
    assert client.get(f"/j/{workshop.code}/screen/?key={key}").status_code == 200
    assert client.get(f"/j/{workshop.code}/screen/?key=wrong").status_code == 404
    client.force_login(facilitator)
    client.post(f"/facilitate/{workshop.code}/screen/unshare/")
    client.logout()
    assert client.get(f"/j/{workshop.code}/screen/?key={key}").status_code == 404


@pytest.mark.parametrize("key", ["é", "%C3%A9", "\u2603", "%F0%9F%98%80", "%ED%A0%80", "%00"])
def test_a_screen_link_with_any_wrong_key_is_not_found_never_a_crash(
    client, workshop, facilitator, outsider, key
):
    services.screen_share(workshop=workshop, by=facilitator)
    assert client.get(f"/j/{workshop.code}/screen/?key={key}").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/j/{workshop.code}/screen/?key={key}").status_code == 404
    client.force_login(facilitator)  # a facilitator still sees their screen
    assert client.get(f"/j/{workshop.code}/screen/?key={key}").status_code == 200


def test_outsiders_cannot_share_the_projector(client, workshop, outsider):
    client.force_login(outsider)
    assert client.post(f"/facilitate/{workshop.code}/screen/share/").status_code == 404
    assert client.get(f"/j/{workshop.code}/screen/").status_code == 404


def test_the_report_and_the_replay_are_linked_from_the_list_and_the_control_room(
    signed_in, workshop
):
    report = f'href="/facilitate/{workshop.code}/report/"'
    replay = f'href="/facilitate/{workshop.code}/replay/"'
    for path in ("/facilitate/", f"/facilitate/{workshop.code}/"):
        page = signed_in.get(path).content.decode()
        assert report in page and replay in page, path
