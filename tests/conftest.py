import os

import pytest

from tests.factories import TEST_PASSWORD, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django refuses database
# access from such a thread unless told that this is intended (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def citizen(db):
    return UserFactory(email="citizen@example.no", display_name="Kari")


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in the default language.

    LocaleMiddleware activates the request's language in the test thread and leaves it
    active; without this, a test's language would depend on which test ran before it.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches (menus, rate-limit counters, cached figures).

    Rolled-back test data must not live on in something cached during the test.
    """
    from django.core.cache import caches

    for alias in ("default", "local", "people"):
        caches[alias].clear()
    yield
    for alias in ("default", "local", "people"):
        caches[alias].clear()


@pytest.fixture
def site_settings(db):
    """The site's menu settings exist, as they do after the site's first request.

    The first request creates them, which changes the pages' version and so refreshes
    every cached page: a test of cached pages must not mistake that for its own write.
    """
    from wagtail.models import Site

    from cms.models import NavigationSettings

    return NavigationSettings.for_site(Site.objects.get(is_default_site=True))
