"""The report after the session, its secret read-only link, and the replay page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from workshops import services
from workshops.demo import demo_workshop_ensure
from workshops.models import Workshop
from workshops.records.report import report_build

pytestmark = [pytest.mark.django_db]


def report_url(workshop: Workshop) -> str:
    return reverse("report", args=[workshop.code])


# ---------------------------------------------------------------------------- permissions


@pytest.mark.parametrize("name", ["report", "replay"])
def test_it_sends_anonymous_visitors_to_sign_in(client, workshop, name):
    response = client.get(reverse(name, args=[workshop.code]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", ["report", "replay"])
def test_it_hides_the_workshop_from_outsiders(client, workshop, outsider, name):
    client.force_login(outsider)
    assert client.get(reverse(name, args=[workshop.code])).status_code == 404


@pytest.mark.parametrize("name", ["report", "replay"])
def test_it_shows_organisers_and_facilitators(client, workshop, facilitator, organiser, name):
    for user in (facilitator, organiser):
        client.force_login(user)
        assert client.get(reverse(name, args=[workshop.code])).status_code == 200


def test_it_offers_sharing_to_facilitators_only(client, workshop, facilitator, organiser):
    client.force_login(facilitator)
    assert 'id="report-share"' in client.get(report_url(workshop)).content.decode()
    client.force_login(organiser)
    page = client.get(report_url(workshop)).content.decode()
    assert 'id="report-share"' not in page
    assert "Share this report" not in page


def test_it_refuses_sharing_to_organisers_and_outsiders(client, workshop, organiser, outsider):
    for user in (organiser, outsider):
        client.force_login(user)
        assert client.post(reverse("report_link_new", args=[workshop.code])).status_code == 404
        assert client.post(reverse("report_link_revoke", args=[workshop.code])).status_code == 404
    workshop.refresh_from_db()
    assert workshop.report_key == ""


def test_it_shares_only_by_post(client, workshop, facilitator):
    client.force_login(facilitator)
    assert client.get(reverse("report_link_new", args=[workshop.code])).status_code == 405


# ---------------------------------------------------------------------------- share and revoke


def shared_url(workshop: Workshop) -> str:
    workshop.refresh_from_db()
    return reverse("report_shared", args=[workshop.code, workshop.report_key])


def test_it_shows_the_report_to_anyone_with_the_link(client, workshop, facilitator, said):
    client.force_login(facilitator)
    response = client.post(reverse("report_link_new", args=[workshop.code]))
    assert response.status_code == 302
    url = shared_url(workshop)
    assert len(workshop.report_key) >= 32
    assert url in client.get(report_url(workshop)).content.decode()

    client.logout()
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "What might assessment look like as a practice of equity?" in page
    assert "<form" not in page  # read-only: no controls at all
    assert "report-share" not in page
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


def test_it_revokes_the_old_link_when_sharing_again(client, workshop, facilitator):
    client.force_login(facilitator)
    client.post(reverse("report_link_new", args=[workshop.code]))
    old = shared_url(workshop)
    client.post(reverse("report_link_new", args=[workshop.code]))
    new = shared_url(workshop)
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_it_revokes_the_link_on_unshare(client, workshop, facilitator):
    client.force_login(facilitator)
    client.post(reverse("report_link_new", args=[workshop.code]))
    url = shared_url(workshop)
    response = client.post(reverse("report_link_revoke", args=[workshop.code]))
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.report_key == ""
    client.logout()
    assert client.get(url).status_code == 404


def test_it_gives_404_for_a_wrong_key_or_an_unshared_report(client, workshop, facilitator):
    url = reverse("report_shared", args=[workshop.code, "x" * 43])
    assert client.get(url).status_code == 404  # never shared: the empty key matches nothing
    client.force_login(facilitator)
    client.post(reverse("report_link_new", args=[workshop.code]))
    client.logout()
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------- content


def test_it_reports_the_demo_workshop(client, facilitator):
    demo = demo_workshop_ensure(facilitator)
    client.force_login(facilitator)
    page = client.get(report_url(demo)).content.decode()
    assert "Open Futures for Micro-credentialing" in page
    assert "What might assessment look like as a practice of equity?" in page
    assert ">equity<" in page
    assert "CC BY 4.0" in page
    figures = dict(
        (label, int(n))
        for n, label in re.findall(
            r'report-figure__n">(\d+)</span> <span class="report-figure__label">([^<]+)<', page
        )
    )
    assert figures == {
        "participants": 9,
        "contributors": 9,
        "values": 9,
        "distinct values": 9,
        "statements": 8,
        "principles": 0,
        "votes": 0,
    }


def test_it_groups_statements_by_value(workshop, said):
    report = report_build(workshop)
    by_value = {group.text: [row.text for row in group.statements] for group in report.values}
    assert by_value["equity"] == ["What might assessment look like as a practice of equity?"]
    assert by_value["care"] == ["What might recognition look like as a practice of care?"]
    equity = report.values[0]
    assert (equity.text, equity.count, equity.statement_count) == ("equity", 2, 1)
    assert equity.statements[0].votes == 2


def test_it_leaves_hidden_items_out(client, workshop, facilitator, said):
    client.force_login(facilitator)
    page = client.get(report_url(workshop)).content.decode()
    assert "something rude" not in page
    assert "spamming" not in page


def test_it_draws_the_values_as_an_accessible_chart(client, workshop, facilitator, said):
    client.force_login(facilitator)
    page = client.get(report_url(workshop)).content.decode()
    start = page.index('<svg class="values-chart"')  # after the principles' consent bars
    svg = page[start : page.index("</svg>", start)]
    assert 'role="img"' in svg
    assert '<title id="values-chart-title">' in svg
    assert "Named most: “equity” (by 2 people)." in svg
    labels = re.findall(r'class="values-chart__label"[^>]*>([^<]+)<', svg)
    assert labels == ["equity", "care"]
    widths = [float(w) for w in re.findall(r'class="values-chart__bar"[^>]*width="([\d.]+)%"', svg)]
    assert widths[0] == 2 * widths[1]
    assert 'id="values-table"' in page  # the table fallback


def test_it_escapes_user_text_in_the_chart_and_the_page(client, workshop, facilitator, ada):
    services.value_add(participant=ada, text="<b>x</b>")
    client.force_login(facilitator)
    page = client.get(report_url(workshop)).content.decode()
    start = page.index('<svg class="values-chart"')  # after the principles' consent bars
    svg = page[start : page.index("</svg>", start)]
    assert "&lt;b&gt;x&lt;/b&gt;" in svg
    assert "<b>x</b>" not in page
    table = page[page.index('id="values-table"') :]
    assert "&lt;b&gt;x&lt;/b&gt;" in table


def test_it_keeps_numbers_unlocalised_in_the_chart(client, workshop, facilitator, ada, bob):
    services.value_add(participant=ada, text="equity")
    services.value_add(participant=bob, text="care")
    services.value_add(participant=bob, text="Care")
    services.value_add(participant=ada, text="care!")
    client.force_login(facilitator)
    page = client.get(report_url(workshop), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    start = page.index('<svg class="values-chart"')  # after the principles' consent bars
    svg = page[start : page.index("</svg>", start)]
    assert not re.search(r'(width|x)="\d+,\d+"', svg)


def add_values(workshop: Workshop, n: int) -> None:
    people = [services.participant_join(workshop=workshop)[0] for _ in range(5)]
    for i in range(n):
        services.value_add(participant=people[i % 5], text=f"value {i}")
    host = services.participant_join(workshop=workshop, user=workshop.facilitators.get())[0]
    services.phase_open(participant=host, phase="statements")
    for i in range(0, n, 2):
        services.statement_add(participant=people[i % 5], activity=f"act {i}", value=f"value {i}")


def count_queries(client, workshop: Workshop) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(report_url(workshop)).status_code == 200
    return len(queries)


def test_it_reads_a_fixed_number_of_queries(
    client, facilitator, django_assert_max_num_queries, said
):
    small = services.workshop_create(title="Small", facilitator=facilitator)
    large = services.workshop_create(title="Large", facilitator=facilitator)
    add_values(small, 10)
    add_values(large, 200)
    client.force_login(facilitator)
    count_queries(client, small)  # warm the session and the caches
    small_count, large_count = count_queries(client, small), count_queries(client, large)
    assert small_count == large_count
    # 29: two for the materials (in the state, and in their section), one for what was
    # added after the session, and one asks whether the workshop ever formed breakout
    # tables, beside the 25 of the rest.
    with django_assert_max_num_queries(29):
        client.get(report_url(large))


# ---------------------------------------------------------------------------- replay


def test_it_hands_the_replay_its_event_log(client, workshop, facilitator, said):
    client.force_login(facilitator)
    page = client.get(reverse("replay", args=[workshop.code])).content.decode()
    assert reverse("event_log", args=[workshop.code]) in page
    assert f'src="{static("js/replay.js")}"' in page
    for speed in ("1", "4", "16", "64"):
        assert f'data-speed="{speed}"' in page
    log = client.get(reverse("event_log", args=[workshop.code])).json()
    kinds = [event["event"] for event in log["events"]]
    assert kinds.count("value.added") == 4
    assert "principle.proposed" in kinds


def test_it_counts_punctuation_only_values_as_the_ideas_they_are(workshop, ada, bob):
    for text in ("!!!", "---", "equity"):
        services.value_add(participant=ada, text=text)
    services.value_add(participant=bob, text="Equity!")
    figures = dict(report_build(workshop).figures)
    assert figures["values"] == 4
    assert figures["distinct values"] == 3


def test_its_bars_count_people_not_mentions(client, workshop, facilitator, ada, bob):
    for text in ("equity", "Equity!", "EQUITY"):  # Ada says it three times
        services.value_add(participant=ada, text=text)
    services.value_add(participant=ada, text="care")
    services.value_add(participant=bob, text="care")
    report = report_build(workshop)
    assert [(g.text, g.people, g.count) for g in report.values] == [
        ("care", 2, 2),
        ("equity", 1, 3),
    ]
    client.force_login(facilitator)
    page = client.get(report_url(workshop)).content.decode()
    start = page.index('<svg class="values-chart"')  # after the principles' consent bars
    svg = page[start : page.index("</svg>", start)]
    counts = re.findall(r'class="values-chart__count"[^>]*>(\d+)<', svg)
    assert counts == ["2", "1"]
    assert "said 3 times" in page[page.index('id="values-table"') :]


def test_a_design_of_ideas_reports_its_cards_without_empty_principles_or_values(
    client, facilitator
):
    workshop = services.workshop_create(
        title="Rules", facilitator=facilitator, template="min-specs"
    )
    ada = services.participant_join(workshop=workshop, name="Ada")[0]
    services.idea_add(participant=ada, phase="max-specs", text="Meet weekly", column="must-do")
    client.force_login(facilitator)
    page = client.get(report_url(workshop)).content.decode()
    assert "Meet weekly" in page
    assert 'id="principles"' not in page
    assert 'id="statements"' not in page
    assert 'id="values"' not in page
    # ... which the open-values design keeps, even empty: they are its steps.
    page = client.get(report_url(services.workshop_create(title="V", facilitator=facilitator)))
    assert all(f'id="{part}"' in page.content.decode() for part in ("principles", "values"))
