"""The interface speaks Norwegian Bokmål by default and English under /en/."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_norwegian_is_the_default_whatever_the_browser_prefers(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="nb">' in html
    assert "Logg inn" in html


def test_english_under_the_en_prefix(client):
    response = client.get("/en/accounts/login/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Logg inn" not in html


def test_home_page_in_both_languages(client):
    assert "Hopp til hovedinnholdet" in client.get("/").content.decode()
    assert "Skip to main content" in client.get("/en/").content.decode()


def test_language_switcher_links_to_the_same_page_in_the_other_language(client):
    html = client.get("/accounts/login/?next=/accounts/profile/").content.decode()
    assert 'href="/en/accounts/login/?next=/accounts/profile/"' in html
    html = client.get("/en/accounts/signup/").content.decode()
    assert 'href="/accounts/signup/"' in html


def test_reversed_urls_follow_the_active_language(client):
    html = client.get("/en/").content.decode()
    assert 'href="/en/accounts/signup/"' in html
    html = client.get("/").content.decode()
    assert f'href="{reverse("accounts:signup")}"' in html
    assert reverse("accounts:signup") == "/accounts/signup/"


def test_404_page_is_translated_and_has_the_site_layout(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "Vi fant ikke siden" in response.content.decode()
    response = client.get("/en/does-not-exist/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_500_page_renders_without_request_context(rf):
    from portal.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Noe gikk galt" in response.content.decode()
