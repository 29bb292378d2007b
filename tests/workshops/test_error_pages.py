"""Every error page speaks the site's language, in its layout, with the join-code form."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LAYOUT = 'class="site-header"'
JOIN_FORM = 'id="join-code-form"'


def test_a_mistyped_link_gets_the_sites_404_with_the_join_form(client):
    response = client.get("/j/XXXXXX/")
    assert response.status_code == 404
    page = response.content.decode()
    assert LAYOUT in page and JOIN_FORM in page
    assert "There is no workshop with this code." in page
    assert "<title>Page not found · Open Visioning</title>" in page


def test_the_404_is_in_french_for_a_french_browser(client):
    response = client.get("/nowhere/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Page introuvable" in page and JOIN_FORM in page


def test_a_page_someone_may_not_open_gets_the_sites_403(client, facilitator, workshop):
    from django.core.exceptions import PermissionDenied

    from workshops import views

    request = client.get("/").wsgi_request
    response = views.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert JOIN_FORM in response.content.decode()


def test_an_expired_form_gets_the_sites_403():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/", {"code": "ABC234"})
    assert response.status_code == 403
    page = response.content.decode()
    assert LAYOUT in page and "The form had expired" in page and JOIN_FORM in page


def test_guessing_codes_gets_the_sites_429(client, workshop):
    for _attempt in range(60):
        response = client.post("/", {"code": "ZZZZZZ"})
        if response.status_code == 429:
            break
    assert response.status_code == 429
    page = response.content.decode()
    assert LAYOUT in page and JOIN_FORM in page
    assert "Too many attempts from your address." in page


def test_a_server_error_gets_the_sites_500_without_the_database(client, settings):
    settings.DEBUG = False
    from workshops import views

    request = client.get("/").wsgi_request
    response = views.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert LAYOUT in page and JOIN_FORM in page and "Something went wrong" in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_head_on_the_home_page_answers_like_get(client):
    head = client.head("/")
    assert head.status_code == 200
    assert head["Content-Type"] == client.get("/")["Content-Type"]
