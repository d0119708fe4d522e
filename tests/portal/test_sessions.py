"""Sessions are read from a cache and written through to the database
(`cached_db`): a logged-in page costs no session query, a log-out ends the session
everywhere, and emptying the cache logs nobody out."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _same_browser(client: Client) -> Client:
    """Another client (another server process's view) sending the same cookies."""
    other = Client()
    for name, morsel in client.cookies.items():
        other.cookies[name] = morsel.value
    return other


def _user_of(client: Client, site_settings):
    return client.get(reverse("ideas:list")).wsgi_request.user


def test_a_logged_in_page_reads_the_session_from_the_cache(client, site_settings):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("ideas:list"))
    with CaptureQueriesContext(connection) as queries:
        assert _user_of(client, site_settings) == user
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]


def test_logging_out_ends_the_session_for_every_request_that_carries_it(client, site_settings):
    user = UserFactory()
    client.force_login(user)
    stolen = _same_browser(client)
    assert _user_of(stolen, site_settings) == user

    client.post(reverse("accounts:logout"))

    assert not _user_of(stolen, site_settings).is_authenticated


def test_emptying_the_cache_logs_nobody_out(client, site_settings):
    user = UserFactory()
    client.force_login(user)
    caches[settings.SESSION_CACHE_ALIAS].clear()
    assert _user_of(client, site_settings) == user


def test_production_keeps_sessions_apart_from_the_small_default_cache():
    """One file per logged-in person must not crowd out the pages' versions; with
    several hosts, sessions are in their shared Redis."""
    script = (
        "import json, portal.settings.production as p; "
        "print(json.dumps([p.SESSION_ENGINE, p.CACHES[p.SESSION_CACHE_ALIAS], "
        "p.CACHES['default']]))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CACHE_BACKEND", "CACHE_URL", "CACHE_LOCATION", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="example.org",
        SESSION_CACHE_LOCATION="/srv/portal/sessions",
    )

    def production(**extra: str) -> list:
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=settings.BASE_DIR,
            env={**environment, **extra},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return json.loads(done.stdout)

    engine, sessions, default = production()
    assert engine == "django.contrib.sessions.backends.cached_db"
    assert sessions["BACKEND"].endswith("FileBasedCache")
    assert sessions["LOCATION"] == "/srv/portal/sessions" != default["LOCATION"]

    _engine, sessions, default = production(CACHE_URL="redis://cache.internal:6379/0")
    assert (
        sessions["BACKEND"] == default["BACKEND"] == ("django.core.cache.backends.redis.RedisCache")
    )
    assert sessions["KEY_PREFIX"] != default["KEY_PREFIX"]
