"""The municipality facet (docs/regional.md): in every backend, and on the search page
only when the results span several municipalities."""

from __future__ import annotations

import pytest
from django.urls import reverse

from search.backends import get_database_backend
from tests.factories import (
    IdeaFactory,
    MunicipalityFactory,
    UnitFactory,
    create_challenge,
    default_municipality,
)


@pytest.fixture
def region(db):
    fjordvik = default_municipality()
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
    havbygd_unit = UnitFactory(name="Havbygd teknisk", slug="havbygd-teknisk", municipality=havbygd)
    return {
        "fjordvik": fjordvik,
        "havbygd": havbygd,
        "fjordvik_idea": IdeaFactory(title="Gatelys i Fjordvik"),
        "havbygd_idea": IdeaFactory(title="Gatelys på Havbygd-kaia", owning_unit=havbygd_unit),
        "hidden": IdeaFactory(
            title="Gatelys skjult",
            owning_unit=havbygd_unit,
            is_hidden=True,
            hidden_reason="Personopplysninger",
        ),
        "challenge": create_challenge(title="Mørke gatelys", owning_unit=havbygd_unit),
    }


def test_every_backend_counts_and_filters_by_municipality(search_backend, region):
    search_backend.rebuild()
    everything = search_backend.search("gatelys")

    assert everything.facet_count("municipality", "havbygd") == 2  # idea + challenge
    assert everything.facet_count("municipality", "fjordvik") == 1
    havbygd = search_backend.search("gatelys", filters={"municipality": ["havbygd"]})
    assert {hit.title for hit in havbygd.hits} == {"Gatelys på Havbygd-kaia", "Mørke gatelys"}
    assert [v.selected for v in havbygd.facets["municipality"] if v.key == "havbygd"] == [True]
    # The hidden idea is counted nowhere.
    assert "Gatelys skjult" not in {hit.title for hit in everything.hits}


def test_the_search_page_offers_the_municipality_facet_in_a_region(client, region):
    get_database_backend().rebuild()

    html = client.get(reverse("search:search"), {"q": "gatelys"}).content.decode()

    assert 'id="facet-municipality-havbygd"' in html
    assert "Havbygd kommune" in html and "Fjordvik kommune" in html
    filtered = client.get(
        reverse("search:search"), {"q": "gatelys", "municipality": "havbygd"}
    ).content.decode()
    # Titles are highlighted (<mark>); the ideas' addresses tell them apart.
    assert region["fjordvik_idea"].get_absolute_url() not in filtered
    assert region["havbygd_idea"].get_absolute_url() in filtered
    assert 'value="havbygd" id="facet-municipality-havbygd" checked' in filtered


def test_a_single_municipality_site_shows_no_municipality_facet(client, db):
    idea = IdeaFactory(title="Gatelys i Fjordvik")
    IdeaFactory(title="Gatelys ved skolen")
    get_database_backend().rebuild()

    html = client.get(reverse("search:search"), {"q": "gatelys"}).content.decode()

    assert idea.get_absolute_url() in html
    assert "facet-municipality" not in html
