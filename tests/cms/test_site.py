import pytest
from wagtail.models import Page, Site

from cms.models import HomePage
from cms.site import ensure_site

pytestmark = pytest.mark.django_db


def test_migrations_make_the_home_page_the_default_site_root(client):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    # Wagtail's welcome page is gone: the home page is the only page under the root.
    assert Page.objects.filter(depth=2).count() == 1
    assert client.get("/").status_code == 200


def test_ensure_site_changes_nothing_on_a_complete_tree():
    before = (Page.objects.count(), Site.objects.count(), HomePage.objects.get().pk)
    assert ensure_site().pk == before[2]
    assert (Page.objects.count(), Site.objects.count(), HomePage.objects.get().pk) == before


def test_ensure_site_rebuilds_an_emptied_page_tree(client):
    Site.objects.all().delete()
    Page.objects.all().delete()
    assert client.get("/").status_code == 404
    home = ensure_site()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert client.get("/").status_code == 200


def test_home_page_may_only_live_at_the_top_of_the_tree():
    assert HomePage.parent_page_types == ["wagtailcore.Page"]
    home = HomePage.objects.get()
    assert not HomePage.can_create_at(home)
