"""*Min side* across the region (issue 13, item 3; docs/regional.md): a person's ideas,
support and follows in every municipality, each naming its municipality when several
take part; with one, the page is as before."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ideas.models import Follow, Vote
from tests.factories import (
    IdeaFactory,
    MunicipalityFactory,
    UnitFactory,
    UserFactory,
    create_challenge,
    default_municipality,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    fjordvik = UnitFactory(name="Fjordvik teknisk", municipality=default_municipality())
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
    return fjordvik, UnitFactory(name="Havbygd havn", municipality=havbygd)


def _main(html: str) -> str:
    """The page's own content, without the header naming the site's municipality."""
    return html[html.index("<main") : html.index("</main>")]


def _activity(me, fjordvik_unit, havbygd_unit, *, number: int) -> None:
    """`number` of each: ideas of mine, ideas I support and follow, challenges I follow,
    alternating between the two municipalities."""
    for n in range(number):
        unit = fjordvik_unit if n % 2 == 0 else havbygd_unit
        IdeaFactory(author=me, owning_unit=unit, title=f"Min idé {n}")
        Vote.objects.create(idea=IdeaFactory(owning_unit=unit, title=f"Støttet {n}"), voter=me)
        Follow.objects.create(idea=IdeaFactory(owning_unit=unit, title=f"Fulgt {n}"), user=me)
        Follow.objects.create(
            challenge=create_challenge(title=f"Floke {n}", owning_unit=unit), user=me
        )


def test_min_side_shows_the_whole_region_and_names_each_municipality(client, units):
    me = UserFactory()
    _activity(me, *units, number=2)
    client.force_login(me)

    html = _main(client.get(reverse("ideas:mine")).content.decode())

    for title in ("Min idé 1", "Støttet 1", "Fulgt 1", "Floke 1"):  # Havbygd's
        assert title in html
    # Each item names its own: four Havbygd items and four of Fjordvik's.
    assert html.count(">Havbygd kommune<") == 4
    assert html.count(">Fjordvik kommune<") == 4


@pytest.mark.parametrize("number", [2, 20])
def test_min_side_costs_the_same_however_much_a_person_does(
    client, units, number, site_settings, django_assert_max_num_queries
):
    me = UserFactory()
    _activity(me, *units, number=number)
    client.force_login(me)
    client.get(reverse("ideas:mine"))  # the menus and pages, cached after

    with django_assert_max_num_queries(10):
        response = client.get(reverse("ideas:mine"))

    assert len(response.context["followed_challenges"]) == number


def test_with_one_municipality_min_side_names_none(client):
    me = UserFactory()
    IdeaFactory(author=me, title="Min idé")
    Vote.objects.create(idea=IdeaFactory(title="Støttet"), voter=me)
    client.force_login(me)

    html = _main(client.get(reverse("ideas:mine")).content.decode())

    assert "Min idé" in html and "Støttet" in html
    assert ">Fjordvik kommune<" not in html
    assert "ideas-municipality" not in html
    assert not client.get(reverse("ideas:mine")).context["regional"]
