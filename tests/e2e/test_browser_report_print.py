"""The report as it prints on A4: the outcome first, and no part cut where a reader would
lose its thread (a heading alone at the foot of a page, a row or a card cut in two)."""

from __future__ import annotations

import re

import pytest

from principles import services as principle_services
from tests.e2e.pages import fill_sign_in
from workshops import services

pytestmark = [pytest.mark.browser]

# A4 less the report's page margins (18 mm each side, 20 mm top, 22 mm bottom) at 96 dpi.
PAGE_WIDTH_PX = round((210 - 36) / 25.4 * 96)
PAGE_HEIGHT_PX = round((297 - 42) / 25.4 * 96)
WORDS = [
    "equity",
    "care",
    "trust",
    "openness",
    "fairness",
    "curiosity",
    "inclusion",
    "humility",
    "agency",
    "play",
    "rigour",
    "kindness",
    "solidarity",
    "courage",
    "joy",
    "privacy",
    "learning",
    "respect",
    "generosity",
    "transparency",
    "togetherness",
    "patience",
    "honesty",
    "wonder",
    "reciprocity",
]


def seed(workshop, host):
    """A full session: 25 values, a dozen statements, three principles with consent."""
    people = [services.participant_join(workshop=workshop, name=f"P{i}")[0] for i in range(6)]
    for index, word in enumerate(WORDS):
        services.value_add(participant=people[index % 6], text=word)
    services.phase_open(participant=host, phase="statements")
    statements = [
        services.statement_add(participant=people[i % 6], activity=activity, value=WORDS[i]).data[
            "id"
        ]
        for i, activity in enumerate(["assessment", "recognition", "peer review", "mentoring"] * 3)
    ]
    services.phase_open(participant=host, phase="principles")
    for n, title in enumerate(["Assess to include", "Credit every voice", "Open by default"]):
        pid = principle_services.principle_propose(
            participant=host,
            title=title,
            body="What it means in practice for learners and for the institution.",
            sources=statements[n * 3 : n * 3 + 4],
        ).data["id"]
        principle_services.consent_open(participant=host, id=pid)
        for who, level in zip(people, ["full", "full", "reservations", "discuss"], strict=False):
            principle_services.consent_place(participant=who, id=pid, level=level, reason="Why")
        principle_services.consent_close(participant=host, id=pid)
        principle_services.principle_finalize(participant=host, id=pid)


def test_the_printed_report_opens_on_the_outcome_and_keeps_headings_with_what_follows(
    browser, server, workshop, host
):
    seed(workshop, host)
    context = browser.new_context(viewport={"width": PAGE_WIDTH_PX, "height": PAGE_HEIGHT_PX})
    page = context.new_page()
    page.goto(f"{server.url}/accounts/login/")
    fill_sign_in(page)
    page.goto(f"{server.url}/facilitate/{workshop.code}/report/")
    page.emulate_media(media="print")

    layout = page.evaluate(
        """() => {
          const box = (node) => node.getBoundingClientRect();
          const doc = document.querySelector('.report-doc');
          const top = box(doc).top;
          const sections = [...doc.querySelectorAll('.report-section')];
          const values = document.querySelector('.report-section--values');
          const chart = values.querySelector('.report-chart');
          const style = (selector, property) => [...document.querySelectorAll(selector)]
            .map((node) => getComputedStyle(node)[property]);
          return {
            order: sections.map((s) => s.id || s.className),
            principlesTop: box(document.getElementById('principles')).top - top,
            forcedBreaks: sections.map((s) => getComputedStyle(s).breakBefore),
            headingBreaks: style('.report-h2, .report-h3, .report-group__title, .report-prompt',
              'breakAfter'),
            rowBreaks: style('.report-table tr', 'breakInside'),
            cardBreaks: style('.report-principle', 'breakInside'),
            tableHeads: style('.report-table thead', 'display'),
            valuesHeadToChartEnd: box(chart).bottom - box(values.querySelector('.report-h2')).top,
          };
        }"""
    )
    # The outcome first: the agreed principles, then the statements, then the values.
    assert layout["order"][:3] == ["principles", "statements", "values"]
    assert layout["principlesTop"] < PAGE_HEIGHT_PX / 2, "the principles start on page one"
    assert "page" not in layout["forcedBreaks"]
    assert set(layout["headingBreaks"]) == {"avoid"}
    assert set(layout["rowBreaks"]) == {"avoid"}
    assert set(layout["cardBreaks"]) <= {"avoid", "avoid-page"}
    assert set(layout["tableHeads"]) == {"table-header-group"}
    # The Values heading can go with its chart: both fit on one page.
    assert layout["valuesHeadToChartEnd"] < PAGE_HEIGHT_PX

    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 2 <= pages <= 6
    context.close()
