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


# --- Wording: one Bokmål term for each thing, on every page ------------------------------


def _po(app: str) -> str:
    from django.conf import settings

    return (settings.BASE_DIR / app / "locale/nb/LC_MESSAGES/django.po").read_text()


def test_withdrawing_is_always_trekke_tilbake():
    po = _po("ideas")
    assert "trekk ideen" not in po.lower()
    assert "trekke ideen" not in po.lower()
    assert "er trukket." not in po  # "trukket tilbake"
    assert 'msgstr "Trekk tilbake ideen"' in po


def test_sort_labels_read_beste_treff_and_kortest_frist(client):
    from tests.factories import challenge_index

    challenges = client.get(challenge_index().url).content.decode()
    search = client.get(reverse("search:search"), {"q": "skole"}).content.decode()

    assert "Kortest frist" in challenges and "Frist snarest" not in challenges
    assert "Beste treff" in search and "Best treff" not in search


def test_tags_are_stikkord_in_public_and_in_the_admin(client, citizen):
    from tests.factories import UserFactory

    client.force_login(citizen)
    public = client.get(reverse("ideas:submit")).content.decode()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    admin = client.get(reverse("ideas_routing_rules:add")).content.decode()

    for content in (public, admin):
        assert "Stikkord" in content
        assert "mneord" not in content


def test_the_list_and_search_call_their_results_treff(client):
    assert ">Treff</h2>" in client.get(reverse("ideas:list")).content.decode()
    assert "Resultater" not in client.get(reverse("ideas:list")).content.decode()


def test_an_implemented_idea_says_put_into_use_once_in_english(client):
    from django.utils import translation

    from ideas.models import IdeaStatus
    from tests.factories import IdeaFactory

    idea = IdeaFactory(status=IdeaStatus.IMPLEMENTED)
    with translation.override("en"):
        url = idea.get_absolute_url()

    content = client.get(url).content.decode()

    assert url.startswith("/en/")
    assert "Put into use. Put into use!" not in " ".join(content.split())
    assert "is now using the idea" in content
