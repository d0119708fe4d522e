"""The municipality facet (docs/regional.md): in every backend, and on the search page
only when the results span several municipalities."""

from __future__ import annotations

import pytest
from django.urls import reverse

from challenges.joint import challenge_partners_set
from challenges.municipal_sites import ensure_home
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


# --- Joint challenges: counted under the lead and every partner ----------------------------


@pytest.fixture
def joint_region(region):
    nordvik = MunicipalityFactory(name="Nordvik kommune", slug="nordvik", number="9903")
    nordvik_unit = UnitFactory(name="Nordvik teknisk", slug="nordvik-teknisk", municipality=nordvik)
    # Another municipality's ordinary challenge: never a partner's.
    create_challenge(title="Gatelys i Nordvik sentrum", owning_unit=nordvik_unit)
    # Led by Havbygd, with Fjordvik as a partner.
    region["challenge"] = challenge_partners_set(
        challenge=region["challenge"], partners=[region["fjordvik"]]
    )
    return {**region, "nordvik": nordvik}


def test_every_backend_counts_a_joint_challenge_under_each_partner(search_backend, joint_region):
    search_backend.rebuild()
    everything = search_backend.search("gatelys")

    assert everything.facet_count("municipality", "havbygd") == 2  # idea + its challenge
    assert everything.facet_count("municipality", "fjordvik") == 2  # idea + the joint one
    assert everything.facet_count("municipality", "nordvik") == 1
    assert everything.total == 4  # the joint challenge is one hit, not one per municipality
    fjordvik = search_backend.search("gatelys", filters={"municipality": ["fjordvik"]})
    assert {hit.title for hit in fjordvik.hits} == {"Gatelys i Fjordvik", "Mørke gatelys"}
    nordvik = search_backend.search("gatelys", filters={"municipality": ["nordvik"]})
    assert {hit.title for hit in nordvik.hits} == {"Gatelys i Nordvik sentrum"}


def _titles(backend, municipality: str) -> set[str]:
    results = backend.search("gatelys", filters={"municipality": [municipality]})
    return {hit.title for hit in results.hits}


def test_a_challenge_is_re_indexed_when_its_partners_change(
    region, django_capture_on_commit_callbacks
):
    backend = get_database_backend()
    backend.rebuild()
    assert "Mørke gatelys" not in _titles(backend, "fjordvik")

    # As an editor publishes it (the page's own publish).
    with django_capture_on_commit_callbacks(execute=True):
        challenge_partners_set(challenge=region["challenge"], partners=[region["fjordvik"]])
    assert "Mørke gatelys" in _titles(backend, "fjordvik")

    # From the municipality's side, without a publish (a script, a shell).
    with django_capture_on_commit_callbacks(execute=True):
        region["fjordvik"].joint_challenges.remove(region["challenge"])
    assert "Mørke gatelys" not in _titles(backend, "fjordvik")
    assert "Mørke gatelys" in _titles(backend, "havbygd")


def test_a_municipality_slug_change_re_indexes_the_joint_challenges_it_is_a_partner_in(
    joint_region, django_capture_on_commit_callbacks
):
    backend = get_database_backend()
    backend.rebuild()
    fjordvik = joint_region["fjordvik"]
    fjordvik.slug = "fjordvik-kommune"
    with django_capture_on_commit_callbacks(execute=True):
        fjordvik.save()
    assert "Mørke gatelys" in _titles(backend, "fjordvik-kommune")
    assert "Mørke gatelys" not in _titles(backend, "fjordvik")


def test_every_backend_counts_a_joint_challenge_only_under_its_active_partners(
    search_backend, joint_region, django_capture_on_commit_callbacks
):
    search_backend.rebuild()
    fjordvik = joint_region["fjordvik"]
    assert search_backend.search("gatelys").facet_count("municipality", "fjordvik") == 2

    fjordvik.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        fjordvik.save()
    # Its own idea stays its own; the joint challenge no longer names it (as its page).
    inactive = search_backend.search("gatelys")
    assert inactive.facet_count("municipality", "fjordvik") == 1
    assert inactive.facet_count("municipality", "havbygd") == 2
    assert "Mørke gatelys" not in _titles(search_backend, "fjordvik")

    fjordvik.is_active = True
    with django_capture_on_commit_callbacks(execute=True):
        fjordvik.save()
    assert "Mørke gatelys" in _titles(search_backend, "fjordvik")


def test_a_partner_own_hostname_finds_the_joint_challenge(client, joint_region):
    sjoby = MunicipalityFactory(name="Sjøby kommune", slug="sjoby", number="9904")
    ensure_home(sjoby, hostname="sjoby.localhost")
    # Not a partner: finds nothing of it.
    ensure_home(
        MunicipalityFactory(name="Øyland kommune", slug="oyland", number="9905"),
        hostname="oyland.localhost",
    )
    challenge_partners_set(
        challenge=joint_region["challenge"], partners=[joint_region["fjordvik"], sjoby]
    )
    get_database_backend().rebuild()
    url = reverse("search:search")

    sjoby_page = client.get(url, {"q": "gatelys"}, HTTP_HOST="sjoby.localhost")
    oyland_page = client.get(url, {"q": "gatelys"}, HTTP_HOST="oyland.localhost")

    assert sjoby_page.status_code == oyland_page.status_code == 200
    sjoby_html, oyland_html = sjoby_page.content.decode(), oyland_page.content.decode()
    assert "Mørke gatelys" in sjoby_html
    # Only what the partner takes part in: not the lead's ideas, not another's challenge.
    assert "Gatelys i Nordvik sentrum" not in sjoby_html
    assert joint_region["havbygd_idea"].get_absolute_url() not in sjoby_html
    assert "Mørke gatelys" not in oyland_html
