"""The menus are cached between requests and rebuilt when editors change what they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from challenges.models import ChallengeIndexPage
from cms.models import NavigationSettings
from tests.factories import challenge_index

pytestmark = pytest.mark.django_db


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_second_request_does_not_rebuild_the_menus(client):
    challenge_index().save_revision().publish()
    first = queries_for(client, "/accounts/login/")
    second = queries_for(client, "/accounts/login/")
    assert second < first


def test_publishing_and_unpublishing_the_challenge_index_updates_the_menu(client):
    index = challenge_index()
    index.unpublish()
    assert 'href="/utfordringer/"' not in client.get("/accounts/login/").content.decode()
    index.save_revision().publish()
    assert 'href="/utfordringer/"' in client.get("/accounts/login/").content.decode()
    ChallengeIndexPage.objects.get(pk=index.pk).unpublish()
    assert 'href="/utfordringer/"' not in client.get("/accounts/login/").content.decode()


def test_saving_the_navigation_settings_updates_the_footer(client, rf):
    from wagtail.models import Site

    client.get("/accounts/login/")  # builds and caches the menus
    settings = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.footer_text = "Drevet av Fjordvik kommune, enhet for innovasjon."
    settings.save()
    assert "enhet for innovasjon" in client.get("/accounts/login/").content.decode()


def test_menus_follow_the_language(client):
    challenge_index().save_revision().publish()
    assert 'href="/en/utfordringer/"' in client.get("/en/accounts/login/").content.decode()
    assert 'href="/utfordringer/"' in client.get("/accounts/login/").content.decode()
