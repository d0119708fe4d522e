"""A municipality's home page follows its slug (cms.municipal_pages, docs/regional.md)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from challenges.municipal_sites import ensure_home
from cms.models import HomePage, StandardPage
from search.backends import get_database_backend
from tests.factories import IdeaFactory, ThemeFactory, UnitFactory, default_municipality
from tests.portal.test_public_isolation import _challenge_below

pytestmark = pytest.mark.django_db


def test_a_new_slug_moves_the_home_page_its_pages_and_search_entries(
    client, django_capture_on_commit_callbacks
):
    fjordvik = default_municipality()
    home = ensure_home(fjordvik)
    unit = UnitFactory(municipality=fjordvik)
    challenge = _challenge_below(
        home, title="Trygg skolevei", slug="trygg-skolevei", unit=unit, theme=ThemeFactory()
    )
    idea = IdeaFactory(title="Gatelys langs brygga", owning_unit=unit)
    get_database_backend().rebuild()

    fjordvik.slug = "fjordby"
    fjordvik.full_clean()
    with django_capture_on_commit_callbacks(execute=True):
        fjordvik.save()

    home.refresh_from_db()
    challenge.refresh_from_db()
    assert home.slug == "fjordby"
    assert challenge.url == "/fjordby/utfordringer/trygg-skolevei/"
    assert client.get("/fjordby/utfordringer/trygg-skolevei/").status_code == 200
    old = client.get("/fjordvik/utfordringer/trygg-skolevei/")
    assert (old.status_code, old["Location"]) == (301, "/fjordby/utfordringer/trygg-skolevei/")
    # Publishing the page's latest revision later keeps the new address.
    home.latest_revision.publish()
    home.refresh_from_db()
    assert home.url_path.endswith("/fjordby/")
    # The search entries carry the new slug (the facet) and the new address.
    found = client.get(reverse("search:search"), {"q": "skolevei"}).content.decode()
    assert "/fjordby/utfordringer/trygg-skolevei/" in found
    faceted = client.get(
        reverse("search:search"), {"q": "gatelys", "municipality": "fjordby"}
    ).content.decode()
    assert idea.get_absolute_url() in faceted


def test_other_changes_leave_the_home_page_alone(django_capture_on_commit_callbacks):
    fjordvik = default_municipality()
    home = ensure_home(fjordvik)
    revision = home.latest_revision_id

    fjordvik.contact_phone = "12345678"
    with django_capture_on_commit_callbacks(execute=True):
        fjordvik.save()

    home.refresh_from_db()
    assert (home.slug, home.latest_revision_id) == ("fjordvik", revision)


def test_a_slug_another_page_or_the_site_uses_is_refused():
    fjordvik = default_municipality()
    ensure_home(fjordvik)
    HomePage.objects.get(locale__language_code="nb").add_child(
        instance=StandardPage(title="Om portalen", slug="om-portalen")
    )

    for taken in ("om-portalen", "search"):
        fjordvik.slug = taken
        with pytest.raises(ValidationError) as raised:
            fjordvik.full_clean()
        assert "slug" in raised.value.message_dict
