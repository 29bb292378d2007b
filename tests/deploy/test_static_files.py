"""Static files after an upgrade: a browser never runs yesterday's JavaScript.

Each page links fingerprinted names (their content's hash), so a release changes the
URLs, and the files themselves can be cached for good and sent compressed.
"""

from __future__ import annotations

import gzip
import posixpath
import re

import pytest
from django.test import Client

FINGERPRINTED = re.compile(r"/static/(?P<name>[\w/]+)\.(?P<hash>[0-9a-f]{12})\.(?P<ext>js|css)")


def linked_static(client: Client, path: str) -> list[str]:
    html = client.get(path).content.decode()
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


@pytest.mark.django_db
def test_the_home_page_links_its_stylesheet_under_a_fingerprinted_name(client):
    links = linked_static(client, "/")
    assert links, "the home page links no static file"
    assert all(FINGERPRINTED.fullmatch(link) for link in links), links


@pytest.mark.django_db
def test_a_participant_page_script_imports_the_fingerprinted_live_client(client, workshop):
    (script,) = [link for link in linked_static(client, f"/j/{workshop.code}/") if ".js" in link]
    assert FINGERPRINTED.fullmatch(script), script
    body = b"".join(client.get(script).streaming_content).decode()
    imports = re.findall(r'from "\./([^"]+)"', body)
    assert imports, "the participant script imports nothing"
    # A plain `./live.js` would be served from a name that stays the same across releases.
    assert all(re.fullmatch(r"\w+\.[0-9a-f]{12}\.js", name) for name in imports), imports


@pytest.mark.django_db
def test_a_fingerprinted_script_is_sent_compressed_and_cached_for_at_least_a_year(client):
    (stylesheet,) = linked_static(client, "/")
    response = client.get(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    gzip.decompress(b"".join(response.streaming_content))  # really gzip
    cache_control = response["Cache-Control"]
    assert "immutable" in cache_control
    max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
    assert max_age >= 365 * 24 * 3600


def imported_modules(client: Client, script: str) -> dict[str, list[str]]:
    """Every module a page script reaches through its imports: URL -> what it imports."""
    graph: dict[str, list[str]] = {}
    todo = [script]
    while todo:
        url = todo.pop()
        if url in graph:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.getvalue().decode()
        base = url.rsplit("/", 1)[0]
        graph[url] = [
            posixpath.normpath(f"{base}/{path}")
            for path in re.findall(r'from "(\.\.?/[^"]+)"', body)
        ]
        todo.extend(graph[url])
    return graph


@pytest.mark.django_db
def test_every_module_of_the_control_room_and_the_participant_page_is_served_fingerprinted(
    client, facilitator, workshop
):
    # The control room is split into modules in js/control/ (and the participant page
    # shares the live client and the DOM helpers): each one, however deep, is imported
    # under a name that changes with its content, and is there.
    client.force_login(facilitator)
    for page in (f"/facilitate/{workshop.code}/", f"/j/{workshop.code}/"):
        (script,) = [link for link in linked_static(client, page) if link.endswith(".js")]
        graph = imported_modules(client, script)
        assert all(FINGERPRINTED.fullmatch(url) for url in graph), sorted(graph)
        names = {FINGERPRINTED.fullmatch(url).group("name") for url in graph}
        assert {"js/live", "js/dom", "js/state"} <= names, names
        if page.startswith("/facilitate/"):
            assert {"js/control/phases", "js/control/board", "js/control/principles"} <= names
