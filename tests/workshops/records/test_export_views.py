from __future__ import annotations

import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from .conftest import assert_valid

pytestmark = pytest.mark.django_db


def _url(workshop, ext: str) -> str:
    return f"/facilitate/{workshop.code}/export.{ext}"


@pytest.mark.parametrize("ext", ["json", "csv", "xlsx", "md"])
def test_it_sends_anonymous_visitors_to_sign_in(client, workshop, ext):
    response = client.get(_url(workshop, ext))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("ext", ["json", "csv", "xlsx", "md"])
def test_it_hides_the_workshop_from_other_users(client, workshop, outsider, ext):
    client.force_login(outsider)
    assert client.get(_url(workshop, ext)).status_code == 404


def test_it_gives_a_participant_no_way_in(client, workshop, ada):
    # Participants have no account: their browser has no session that could pass.
    client.get(f"/j/{workshop.code}/")
    assert client.get(_url(workshop, "json")).status_code == 302


def test_it_404s_an_unknown_code(client, facilitator):
    client.force_login(facilitator)
    assert client.get("/facilitate/ZZZZZZ/export.json").status_code == 404


def test_it_downloads_json(client, facilitator, rich):
    client.force_login(facilitator)
    response = client.get(_url(rich.workshop, "json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="open-futures-for-micro-credentialing-{rich.workshop.code}.json"'
    )
    data = json.loads(response.content)
    assert_valid(data)
    assert "Ada" in {p["name"] for p in data["participants"]}


def test_it_reads_the_code_in_any_case(client, facilitator, rich):
    client.force_login(facilitator)
    response = client.get(f"/facilitate/{rich.workshop.code.lower()}/export.md")
    assert response.status_code == 200


def test_it_anonymizes_on_request(client, facilitator, rich):
    client.force_login(facilitator)
    response = client.get(_url(rich.workshop, "json") + "?anonymize=1")
    assert b"Ada" not in response.content
    assert json.loads(response.content)["anonymized"] is True
    assert "-anonymized.json" in response["Content-Disposition"]


def test_it_downloads_csv_as_a_zip(client, facilitator, rich):
    client.force_login(facilitator)
    response = client.get(_url(rich.workshop, "csv"))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('.csv.zip"')
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "values.csv" in archive.namelist()


def test_it_downloads_xlsx(client, facilitator, rich):
    client.force_login(facilitator)
    response = client.get(_url(rich.workshop, "xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "statements" in load_workbook(io.BytesIO(response.content)).sheetnames


def test_it_downloads_markdown(client, facilitator, rich):
    client.force_login(facilitator)
    response = client.get(_url(rich.workshop, "md"))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert "What are your open values?" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_it_refuses_post(client, facilitator, rich):
    client.force_login(facilitator)
    assert client.post(_url(rich.workshop, "json")).status_code == 405


def test_it_lets_an_organiser_download(client, workshop, organiser):
    client.force_login(organiser)
    response = client.get(_url(workshop, "md"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_the_control_rooms_csv_links_say_they_download_a_zip(client, facilitator, rich):
    client.force_login(facilitator)
    page = client.get(f"/facilitate/{rich.workshop.code}/").content.decode()
    for link in ('id="export-csv"', 'id="export-csv-anon"'):
        anchor = page[page.index(link) :]
        assert anchor[anchor.index(">") + 1 : anchor.index("</a>")].endswith(".zip")
