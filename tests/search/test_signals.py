"""What a write elsewhere changes in search, whatever path it takes (search.signals).

The search app tells portal.invalidation which documents each model feeds; these tests
write the way an admin or a cascade does and search as the next visitor would.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from search.backends import get_database_backend
from tests.factories import IdeaFactory, ThemeFactory, UnitFactory, UserFactory, create_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def themed(db):
    theme = ThemeFactory(name="Oppvekst", slug="oppvekst")
    challenge = create_challenge(title="Trygg skolevei", theme=theme)
    idea = IdeaFactory(title="Gatelys ved skolen", theme=theme, challenge=challenge)
    get_database_backend().rebuild()
    return {"theme": theme, "challenge": challenge, "idea": idea}


def _search(client, **params) -> str:
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_theme_slug_changed_in_the_admin_filters_search_at_once(
    client, themed, site_settings, django_capture_on_commit_callbacks
):
    """Issue #11, item 16: the index kept the old slug until a rebuild."""
    assert "Gatelys ved skolen" in _search(client, theme="oppvekst")
    admin = UserFactory(is_superuser=True, is_staff=True)
    admin_client = type(client)()
    admin_client.force_login(admin)
    theme = themed["theme"]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtailsnippets_challenges_theme:edit", args=[theme.pk]),
            {"name": "Oppvekst", "slug": "barn-og-unge", "description": "", "sort_order": "0"},
        )
    assert response.status_code == 302

    html = _search(client, theme="barn-og-unge")
    assert "Gatelys ved skolen" in html and "Trygg skolevei" in html
    assert "Gatelys ved skolen" not in _search(client, theme="oppvekst")


def test_a_unit_slug_changed_through_the_orm_filters_search_at_once(
    client, site_settings, django_capture_on_commit_callbacks
):
    unit = UnitFactory(name="Teknisk", slug="teknisk")
    IdeaFactory(title="Gatelys ved skolen", owning_unit=unit)
    get_database_backend().rebuild()
    assert "Gatelys ved skolen" in _search(client, unit="teknisk")

    with django_capture_on_commit_callbacks(execute=True):
        unit.slug = "teknisk-drift"
        unit.save()

    assert "Gatelys ved skolen" in _search(client, unit="teknisk-drift")
    assert "Gatelys ved skolen" not in _search(client, unit="teknisk")


def test_many_documents_are_updated_in_batches(
    client, site_settings, django_capture_on_commit_callbacks
):
    from django_tasks.signals import task_enqueued

    theme = ThemeFactory(name="Helse", slug="helse")
    IdeaFactory.create_batch(3, theme=theme, title="Trygghetsalarm")
    get_database_backend().rebuild()
    enqueued = []

    def record(sender, task_result, **kwargs):
        enqueued.append(task_result.task.name)

    task_enqueued.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            theme.slug = "helse-og-omsorg"
            theme.save()
    finally:
        task_enqueued.disconnect(record)

    assert enqueued == ["update_search_index_many"]  # one task for the three ideas
    assert _search(client, theme="helse-og-omsorg").count("Trygghetsalarm") >= 3


def test_a_deleted_theme_leaves_no_idea_behind_its_old_slug(
    client, site_settings, django_capture_on_commit_callbacks
):
    theme = ThemeFactory(name="Kultur", slug="kultur")
    idea = IdeaFactory(title="Konserter i parken", theme=theme)
    get_database_backend().rebuild()
    assert "Konserter i parken" in _search(client, theme="kultur")

    with django_capture_on_commit_callbacks(execute=True):
        theme.delete()  # no challenge uses it; the idea keeps no theme

    assert "Konserter i parken" not in _search(client, theme="kultur")
    assert idea.get_absolute_url() in _search(client, q="konserter")
