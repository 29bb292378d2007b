"""Every page is valid HTML for the Nu Html Checker: as the server sends it, and as the
DOM stands once its scripts have run (what scripts add must validate too)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest

from principles import services as principles
from tests.conftest import needs, vnu_jar
from tests.e2e.pages import fill_sign_in, log_console
from workshops import services

pytestmark = [pytest.mark.browser]


def vnu_errors(pages: dict[str, str]) -> list[str]:
    """Validate each named HTML text in one run of the checker; its errors, located."""
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for name, html in pages.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
        run = subprocess.run(
            ["java", "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", *files],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
    messages = json.loads(run.stderr)["messages"]  # the checker reports on stderr
    return [
        f"{Path(m.get('url', '')).stem}:{m.get('lastLine')}: {m['message']}"
        f" [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


@pytest.fixture
def busy_workshop(workshop, facilitator):
    """A workshop with something on every page: values, statements, votes, a principle."""
    host = services.participant_join(workshop=workshop, user=facilitator)[0]
    ada = services.participant_join(workshop=workshop, name="Ada")[0]
    for text in ("equity", "care", "Equity", "openness"):
        services.value_add(participant=ada, text=text)
    services.phase_open(participant=host, phase="statements")
    statement = services.statement_add(participant=ada, activity="assessment", value="equity")
    services.vote_cast(participant=ada, target={"kind": "statement", "id": statement.data["id"]})
    principle = principles.principle_propose(
        participant=host,
        title="Assess fairly",
        body="For everyone.",
        sources=[statement.data["id"]],
    )
    principles.consent_open(participant=host, id=principle.data["id"])
    return workshop


def test_every_page_validates_as_sent_and_after_its_scripts_ran(server, busy_workshop, contexts):
    needs("vnu")
    code = busy_workshop.code
    anonymous = ["/", "/accounts/login/", "/j/XXXXXX/", f"/j/{code}/"]
    signed_in = [
        "/facilitate/",
        f"/facilitate/{code}/",
        f"/j/{code}/screen/",
        f"/facilitate/{code}/report/",
        f"/facilitate/{code}/replay/",
    ]
    pages: dict[str, str] = {}

    def collect(page, path):
        response = page.goto(f"{server.url}{path}")
        assert response is not None
        name = path.strip("/").replace("/", "_") or "home"
        pages[f"{name}.sent"] = response.text()
        page.wait_for_load_state("networkidle")
        if page.locator("#join-button").is_visible():
            page.click("#join-button")
        if page.locator("#conn-status").count():
            page.wait_for_selector("#conn-status[data-state=connected]")
        page.wait_for_timeout(500)  # the render after the welcome
        pages[f"{name}.dom"] = page.content()

    visitor = log_console(contexts().new_page(), "visitor")
    for path in anonymous:
        collect(visitor, path)
    alice = log_console(contexts(viewport={"width": 1366, "height": 768}).new_page(), "alice")
    alice.goto(f"{server.url}/accounts/login/?next=/facilitate/")
    fill_sign_in(alice)
    for path in signed_in:
        collect(alice, path)

    assert vnu_errors(pages) == []
