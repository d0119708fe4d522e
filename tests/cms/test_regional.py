"""The regional front page: with several active municipalities the home page lists them
and the open challenges across the region (docs/regional.md)."""

from __future__ import annotations

import pytest

from challenges.municipal_sites import ensure_home
from tests.challenges.test_municipal_sites import _challenge_below
from tests.factories import (
    IdeaFactory,
    MunicipalityFactory,
    UnitFactory,
    create_challenge,
    default_municipality,
)

pytestmark = pytest.mark.django_db

SECTION = "Kommunene i samarbeidet"


def test_with_one_municipality_the_home_page_is_what_it_always_was(client):
    default_municipality()
    challenge = create_challenge(title="Trygg skolevei")

    content = client.get("/").content.decode()

    assert SECTION not in content
    assert "Trygg skolevei" in content
    assert "<dt>Kommune</dt>" not in content
    assert f'href="{challenge.get_parent().url}"' in content  # "See the challenges"


def test_the_regional_front_page_lists_the_municipalities_and_the_region_s_open_challenges(
    client,
):
    fjordvik = default_municipality()
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
    MunicipalityFactory(name="Nedlagt kommune", slug="nedlagt", number="9903", is_active=False)
    nordvik = MunicipalityFactory(name="Nordvik kommune", slug="nordvik", number="9904")
    fjordvik_home = ensure_home(fjordvik)
    havbygd_home = ensure_home(havbygd)
    nordvik_home = ensure_home(nordvik)
    nordvik_home.unpublish()
    _challenge_below(fjordvik_home, title="Trygg skolevei", unit=UnitFactory())
    _challenge_below(havbygd_home, title="Rent hav", unit=UnitFactory(municipality=havbygd))
    _challenge_below(
        havbygd_home,
        title="Utkast i Havbygd",
        unit=UnitFactory(municipality=havbygd),
        live=False,
    )

    content = client.get("/").content.decode()

    assert SECTION in content
    assert '<a class="ds-link" href="/fjordvik/">Fjordvik kommune</a>' in content
    assert '<a class="ds-link" href="/havbygd/">Havbygd kommune</a>' in content
    # Not published yet: named, not linked. Inactive: not there at all.
    assert "<span>Nordvik kommune</span>" in content
    assert 'href="/nordvik/"' not in content
    assert "Nedlagt kommune" not in content
    # Open challenges from every municipality; never a draft.
    assert "Trygg skolevei" in content and "Rent hav" in content
    assert "<dt>Kommune</dt><dd>Havbygd kommune</dd>" in content  # on the cards
    assert "Utkast i Havbygd" not in content
    # No challenge index of the region's own: no link pretending one municipality's is it.
    assert 'href="/fjordvik/utfordringer/"' not in content


def test_the_regional_front_page_shows_a_coat_of_arms(client, settings, tmp_path):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = tmp_path
    arms = Image.objects.create(title="Våpen", file=get_test_image_file())
    fjordvik = default_municipality()
    fjordvik.coat_of_arms = arms
    fjordvik.save()
    MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")

    content = client.get("/").content.decode()

    assert 'class="cms-municipality-card__arms"' in content
    assert 'alt=""' in content  # the name beside it says it all


@pytest.mark.parametrize("count", [2, 12])
def test_the_regional_front_page_costs_the_same_however_many_municipalities(
    client, site_settings, django_assert_max_num_queries, count
):
    default_municipality()
    for n in range(count - 1):
        municipality = MunicipalityFactory(name=f"Kommune {n}", slug=f"k{n}", number=f"98{n:02d}")
        home = ensure_home(municipality)
        _challenge_below(home, title=f"Utfordring {n}", unit=UnitFactory(municipality=municipality))
        IdeaFactory(owning_unit=UnitFactory(municipality=municipality))

    # Cold: routes, sites, the sections; warm: the page from the caches.
    for budget in (24, 4):
        with django_assert_max_num_queries(budget):
            response = client.get("/")
        assert response.content.decode().count("cms-municipality-card") >= count


def test_a_new_municipality_turns_the_front_page_regional_at_once(client):
    default_municipality()
    assert SECTION not in client.get("/").content.decode()

    MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")

    assert SECTION in client.get("/").content.decode()


def test_nothing_unpublished_or_restricted_shows_on_the_new_pages(client):
    from wagtail.models import PageViewRestriction

    default_municipality()
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
    nordvik = MunicipalityFactory(name="Nordvik kommune", slug="nordvik", number="9904")
    havbygd_home = ensure_home(havbygd)
    PageViewRestriction.objects.create(
        page=ensure_home(nordvik), restriction_type=PageViewRestriction.LOGIN
    )
    unit = UnitFactory(municipality=havbygd)
    _challenge_below(havbygd_home, title="Rent hav", unit=unit)
    _challenge_below(havbygd_home, title="Utkast i Havbygd", unit=unit, live=False)
    IdeaFactory(title="Skjult idé", owning_unit=unit, is_hidden=True, hidden_reason="Spam")
    IdeaFactory(title="Synlig idé", owning_unit=unit)

    front = client.get("/").content.decode()
    assert "<span>Nordvik kommune</span>" in front  # behind a log-in: not linked
    assert 'href="/nordvik/"' not in front

    home = client.get("/havbygd/").content.decode()
    assert "Rent hav" in home and "Synlig idé" in home
    assert "Utkast i Havbygd" not in home
    assert "Skjult idé" not in home
