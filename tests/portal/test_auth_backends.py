"""The logged-in person's row comes from a cache (portal.auth_backends): a logged-in page
reads no row of theirs, and every change to the row still reaches the next request,
whichever way it is written."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import versions
from portal.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

USER_TABLE = User._meta.db_table


def _same_browser(client: Client) -> Client:
    """Another client sending the same cookies: another tab, or a stolen cookie."""
    other = Client()
    for name, morsel in client.cookies.items():
        other.cookies[name] = morsel.value
    return other


def _user_of(client: Client):
    return client.get(reverse("ideas:list")).wsgi_request.user


def _user_row_queries(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        user = _user_of(client)
        assert user.is_authenticated
    return [q["sql"] for q in queries.captured_queries if f'FROM "{USER_TABLE}"' in q["sql"]]


def test_a_logged_in_page_does_not_read_the_persons_row_again(client, site_settings):
    user = UserFactory()
    client.force_login(user)
    assert _user_of(client) == user  # the first page reads the row once

    assert _user_row_queries(client) == []


def test_a_changed_name_shows_on_the_next_page(client, site_settings):
    user = UserFactory(display_name="Kari")
    client.force_login(user)
    assert _user_of(client).display_name == "Kari"

    user.display_name = "Kari N."
    user.save()

    assert _user_of(client).display_name == "Kari N."


def test_a_new_password_ends_the_persons_other_sessions(client, site_settings):
    user = UserFactory()
    client.force_login(user)
    other_device = Client()
    other_device.force_login(user)
    assert _user_of(other_device) == user  # cached now

    user.set_password("a-new-and-long-password")
    user.save()

    assert not _user_of(other_device).is_authenticated


def test_deactivating_in_the_admins_bulk_action_logs_the_person_out(client, site_settings):
    """Wagtail's "set active state" writes with a queryset update, which sends no signal."""
    user = UserFactory()
    client.force_login(user)
    assert _user_of(client) == user  # cached now
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("wagtail_bulk_action", args=["portal", "user", "set_active_state"])

    response = admin.post(f"{url}?id={user.pk}", {"mark_as_active": "False"})

    assert response.status_code == 302
    assert not User.objects.get(pk=user.pk).is_active
    assert not _user_of(client).is_authenticated


def test_deleting_the_person_logs_them_out(client, site_settings):
    user = UserFactory()
    client.force_login(user)
    assert _user_of(client) == user

    user.delete()

    assert not _user_of(client).is_authenticated


def test_a_forged_session_hash_is_still_refused(client, site_settings):
    user = UserFactory()
    client.force_login(user)
    assert _user_of(client) == user
    session = client.session
    session["_auth_user_hash"] = "0" * 64
    session.save()

    assert not _user_of(client).is_authenticated


def test_a_session_begun_before_the_cached_backend_stays_logged_in(client, site_settings):
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    assert _user_of(client) == user
    assert client.session[BACKEND_SESSION_KEY] == "portal.auth_backends.CachedModelBackend"
    assert _user_row_queries(client) == []


def test_a_persons_version_is_kept_beside_the_sessions_not_in_the_default_cache():
    """One per person would crowd the default cache, whose few keys every page reads."""
    name = versions.person(41)
    before = versions.current(name)
    versions.bump(name)

    assert caches[settings.SESSION_CACHE_ALIAS].get("version:" + name) not in (None, before)
    assert caches["default"].get("version:" + name) is None


def test_a_response_that_never_looks_at_the_person_does_not_read_their_session(client):
    """Moving old sessions to the cached backend happens when the person is looked at,
    so robots.txt stays the same for everyone (no `Vary: Cookie`)."""
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("robots_txt"))

    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
