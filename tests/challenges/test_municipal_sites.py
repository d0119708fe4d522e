"""A municipality's own part of the site: `/<slug>/` on the shared host, its own hostname,
redirects from the single-municipality addresses (challenges.municipal_sites)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import GroupPagePermission, Site

from challenges.models import ChallengeIndexPage, ChallengePage
from challenges.municipal_sites import MunicipalSiteError, ensure_home
from cms.models import MunicipalityHomePage
from tests.factories import (
    IdeaFactory,
    MunicipalityFactory,
    ThemeFactory,
    UnitFactory,
    create_challenge,
    default_municipality,
)

pytestmark = pytest.mark.django_db

HOST = "fjordvik.localhost"


def _challenge_below(home, *, title: str, unit, live: bool = True) -> ChallengePage:
    """A challenge in a municipality's own challenge index."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    index = ChallengeIndexPage.objects.child_of(home).get()
    page = ChallengePage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        summary=f"Om {title.lower()}.",
        owning_unit=unit,
        theme=ThemeFactory(),
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
        live=live,
    )
    index.add_child(instance=page)
    if live:
        page.save_revision().publish()
    return page


@pytest.fixture
def havbygd():
    return MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")


def test_a_municipality_home_is_reached_under_its_slug_with_its_challenges(client):
    fjordvik = default_municipality()
    home = ensure_home(fjordvik)
    challenge = _challenge_below(home, title="Trygg skolevei", unit=UnitFactory())

    assert client.get("/fjordvik/").status_code == 200
    assert "Trygg skolevei" in client.get("/fjordvik/").content.decode()
    response = client.get("/fjordvik/utfordringer/trygg-skolevei/")
    assert response.status_code == 200
    assert response.context["page"].pk == challenge.pk
    assert challenge.url == "/fjordvik/utfordringer/trygg-skolevei/"


def test_ensure_home_runs_again_without_duplicating_anything():
    fjordvik = default_municipality()
    first = ensure_home(fjordvik)
    again = ensure_home(fjordvik)

    assert first.pk == again.pk
    assert MunicipalityHomePage.objects.count() == 1
    assert ChallengeIndexPage.objects.child_of(first).count() == 1


def test_the_municipality_own_hostname_serves_its_pages_without_the_prefix(client):
    fjordvik = default_municipality()
    home = ensure_home(fjordvik, hostname=HOST)
    _challenge_below(home, title="Trygg skolevei", unit=UnitFactory())

    front = client.get("/", HTTP_HOST=HOST)
    assert front.status_code == 200
    assert front.context["page"].pk == home.pk
    challenge = client.get("/utfordringer/trygg-skolevei/", HTTP_HOST=HOST)
    assert challenge.status_code == 200
    assert "Trygg skolevei" in challenge.content.decode()
    # The menu on the municipality's own site leads to its own challenges.
    assert 'href="/utfordringer/"' in front.content.decode()
    # The shared host still reaches the same pages under the prefix.
    assert client.get("/fjordvik/utfordringer/trygg-skolevei/").status_code == 200
    assert Site.objects.get(hostname=HOST).root_page_id == home.pk


def test_a_challenge_below_a_municipality_must_be_owned_by_one_of_its_units(havbygd):
    home = ensure_home(havbygd)
    fjordvik_unit = UnitFactory()  # the default municipality's

    with pytest.raises(ValidationError) as raised:
        _challenge_below(home, title="Feil kommune", unit=fjordvik_unit)

    assert "owning_unit" in raised.value.message_dict
    assert not ChallengePage.objects.filter(title="Feil kommune").exists()
    # One of Havbygd's own units is fine.
    _challenge_below(home, title="Rett kommune", unit=UnitFactory(municipality=havbygd))


def test_the_first_municipality_takes_over_the_old_challenges_and_old_addresses_redirect(
    client, havbygd
):
    challenge = create_challenge(title="Trygg skolevei")
    old_url = challenge.url
    assert old_url.startswith("/utfordringer/")

    ensure_home(default_municipality())
    ensure_home(havbygd)  # not the first: takes nothing over

    challenge.refresh_from_db()
    assert challenge.url == "/fjordvik" + old_url
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/fjordvik" + old_url
    english = client.get("/en" + old_url)
    assert english.status_code == 301
    assert english["Location"] == "/en/fjordvik" + old_url
    index = client.get("/utfordringer/")
    assert (index.status_code, index["Location"]) == (301, "/fjordvik/utfordringer/")
    feed = client.get("/utfordringer/rss/")
    assert (feed.status_code, feed["Location"]) == (301, "/fjordvik/utfordringer/rss/")
    assert client.get("/fjordvik/utfordringer/rss/").status_code == 200
    # Havbygd has its own, empty challenge index.
    assert client.get("/havbygd/utfordringer/").status_code == 200


def test_another_municipality_challenge_under_the_old_index_stops_the_move(havbygd):
    create_challenge(title="Fjordviks utfordring")
    create_challenge(title="Havbygds utfordring", owning_unit=UnitFactory(municipality=havbygd))

    with pytest.raises(MunicipalSiteError, match="Havbygds utfordring"):
        ensure_home(default_municipality())

    assert ChallengeIndexPage.objects.get().get_parent().specific_class.__name__ == "HomePage"
    assert not MunicipalityHomePage.objects.exists()  # all or nothing


def test_a_slug_the_site_uses_itself_is_refused():
    municipality = MunicipalityFactory(slug="search")

    with pytest.raises(MunicipalSiteError, match="search"):
        ensure_home(municipality)


def test_the_command_sets_up_a_municipality_and_its_hostname(client):
    default_municipality()
    call_command("municipal_home", "fjordvik", "--hostname", HOST, stdout=_Sink())

    assert client.get("/", HTTP_HOST=HOST).context["page"].specific_class is MunicipalityHomePage
    with pytest.raises(CommandError, match="nowhere"):
        call_command("municipal_home", "nowhere", stdout=_Sink())


class _Sink:
    def write(self, text: str) -> None:
        pass


# --- The municipality's own idea list ----------------------------------------------------


def test_the_municipality_idea_list_shows_only_its_public_ideas(client, havbygd):
    home = ensure_home(havbygd)
    havbygd_unit = UnitFactory(municipality=havbygd)
    IdeaFactory(title="Havbygds idé", owning_unit=havbygd_unit)
    IdeaFactory(
        title="Skjult havbygdidé",
        owning_unit=havbygd_unit,
        is_hidden=True,
        hidden_reason="Personopplysninger",
    )
    IdeaFactory(title="Trukket havbygdidé", owning_unit=havbygd_unit, status="withdrawn")
    IdeaFactory(title="Fjordviks idé")

    response = client.get(f"{home.url}ideer/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Havbygds idé" in content
    assert "Fjordviks idé" not in content
    assert "Skjult havbygdidé" not in content
    assert "Trukket havbygdidé" not in content
    assert 'action="/havbygd/ideer/"' in content
    # The regional list still shows both municipalities' ideas.
    regional = client.get("/ideas/").content.decode()
    assert "Havbygds idé" in regional and "Fjordviks idé" in regional


@pytest.mark.parametrize("size", [5, 40])
def test_the_municipality_idea_list_costs_the_same_at_any_size(
    client, citizen, havbygd, size, site_settings, django_assert_max_num_queries
):
    home = ensure_home(havbygd)
    unit = UnitFactory(municipality=havbygd)
    for _ in range(size):
        IdeaFactory(owning_unit=unit)
        IdeaFactory()  # Fjordvik's, never shown here
    client.force_login(citizen)

    # Cold: the routes, the page and the list; warm: only the person's support.
    for budget in (24, 8):
        with django_assert_max_num_queries(budget):
            response = client.get("/havbygd/ideer/", {"per_page": 50})
        assert response.content.decode().count('<article class="ds-card ideas-card"') == size
    assert home.pk


def test_the_municipality_idea_list_on_its_own_hostname(client):
    ensure_home(default_municipality(), hostname=HOST)
    IdeaFactory(title="Fjordviks idé")

    response = client.get("/ideer/", HTTP_HOST=HOST)

    assert response.status_code == 200
    assert "Fjordviks idé" in response.content.decode()


def test_a_new_home_page_is_where_the_municipality_s_administrators_and_editors_work():
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
    home = ensure_home(havbygd)

    havbygd.refresh_from_db()
    for group in (havbygd.administrators_group, havbygd.editors_group):
        pages = set(GroupPagePermission.objects.filter(group=group).values_list("page", flat=True))
        assert pages == {home.pk}
    assert havbygd.collection is not None
