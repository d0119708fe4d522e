"""Versions of cached data (portal.versions): what a request sees, and when."""

import pytest
from django.core.cache import cache

from portal import versions

# Bumps register an on-commit callback. Every test runs with the default cache in
# memory and in Redis (tests/portal/conftest.py), as with one host and with several.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_cache")]


def test_a_request_reads_each_version_once_but_sees_its_own_writes():
    before = versions.current(versions.IDEAS)
    with versions.request_scope():
        assert versions.current(versions.IDEAS) == before
        # Another process bumps: this request keeps the version it started with...
        cache.set("version:" + versions.IDEAS, "from-another-process")
        assert versions.current(versions.IDEAS) == before
        # ...but its own write is seen at once.
        versions.bump(versions.IDEAS)
        mine = versions.current(versions.IDEAS)
        assert mine not in (before, "from-another-process")
    assert versions.current(versions.IDEAS) == mine  # the next request reads afresh


def test_cached_values_last_until_their_version_changes():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert versions.cached(versions.LABELS, "figure", compute) == 1
    assert versions.cached(versions.LABELS, "figure", compute) == 1
    versions.bump(versions.LABELS)
    assert versions.cached(versions.LABELS, "figure", compute) == 2


def test_a_refused_value_is_not_kept():
    assert versions.cached(versions.SEARCH, "k", lambda: "down", keep=lambda v: False) == "down"
    assert versions.cached(versions.SEARCH, "k", lambda: "up") == "up"


# --- Bulk writes to themes and units -----------------------------------------------------
# The idea list's filter choices (theme and unit names) are cached under LABELS. Writes
# that bypass `save()` / `delete()` on the instance, such as the Wagtail admin's bulk
# delete of snippets, must still bump it.


def _idea_filters(client) -> str:
    return client.get("/ideas/").content.decode()


@pytest.fixture
def warm_client(client):
    """A client whose first visit already set up the site (a PAGES bump on its own)."""
    client.get("/ideas/")
    return client


def test_bulk_deleting_themes_in_the_admin_drops_them_from_the_idea_filters(warm_client):
    client = warm_client
    from django.urls import reverse

    from challenges.models import Theme
    from tests.factories import ThemeFactory, UserFactory

    gone = ThemeFactory(name="Klimatilpasning")
    kept = ThemeFactory(name="God helhet")
    admin_client = client.__class__()
    admin_client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("wagtail_bulk_action", args=["challenges", "theme", "delete"])
    assert admin_client.get(f"{url}?id={gone.pk}").status_code == 200  # the confirmation
    assert "Klimatilpasning" in _idea_filters(client)

    response = admin_client.post(f"{url}?id={gone.pk}")
    assert response.status_code == 302
    assert not Theme.objects.filter(pk=gone.pk).exists()

    html = _idea_filters(client)
    assert "Klimatilpasning" not in html
    assert kept.name in html


def test_queryset_writes_to_units_show_in_the_idea_filters_at_once(warm_client):
    client = warm_client
    from portal.models import Unit
    from tests.factories import UnitFactory

    UnitFactory(name="Kultur og frivillighet", slug="kultur")
    UnitFactory(name="Plan og miljø", slug="plan")
    html = _idea_filters(client)
    assert "Kultur og frivillighet" in html and "Plan og miljø" in html

    Unit.objects.filter(slug="kultur").update(is_active=False)
    assert "Kultur og frivillighet" not in _idea_filters(client)

    Unit.objects.filter(slug="plan").delete()
    assert "Plan og miljø" not in _idea_filters(client)


def test_a_queryset_rename_of_an_organisation_shows_on_the_cached_idea_list(warm_client):
    from ideas.models import IdeaKind
    from portal.models import Organisation
    from tests.factories import IdeaFactory, OrganisationFactory

    organisation = OrganisationFactory(name="Fjordtech AS")
    IdeaFactory(kind=IdeaKind.PROPOSAL, organisation=organisation)
    assert "Fjordtech AS" in _idea_filters(warm_client)

    Organisation.objects.filter(pk=organisation.pk).update(name="Fjordtech Norge AS")

    assert "Fjordtech Norge AS" in _idea_filters(warm_client)
