"""Isolation between municipalities, the public half (issue 13, item 5; docs/regional.md).

Two municipalities, Fjordvik (on the shared host, `/fjordvik/`) and Havbygd (also on
its own hostname), each with a home page, a unit, a theme, a challenge, ideas (one
answering the challenge, one free, Havbygd also a hidden one) and a comment. For every
public surface, another municipality's content appears only where it is meant to:

- the regional front page `/` (meant to show the whole region);
- a municipality's home page `/<slug>/` (`cms.MunicipalityHomePage`) and on its hostname `/`;
- the idea list `/ideas/` (`ideas.urls`): the region on the shared host, the
  municipality alone on its hostname (`/ideas/` there); its count, cards and filter
  choices (challenges, units, themes); a filter naming another municipality's unit;
- a municipality's idea list `/<slug>/ideer/` (a route of its home page) and `/ideer/`
  on its hostname, with its count and filter choices;
- the challenge index `/<slug>/utfordringer/` (`challenges.ChallengeIndexPage`);
- feeds: the index's open challenges (`rss/`, `atom/`) and a challenge's ideas (`feed/`);
- search `/search/` (`search.urls`): regional with the municipality facet on the
  shared host, the municipality alone on its hostname (whatever the query names); in
  every backend (the embedded database one and the Elasticsearch stand-in);
- search suggestions `/search/suggest/`;
- the similar-idea hint on the submit form `/ideas/new/similar/`: the idea's
  municipality's ideas once it is known (hostname, challenge or chosen municipality);
- the sitemap (`/sitemap.xml`, `/sitemap-pages.xml`, `/sitemap-ideas.xml`,
  `portal.urls` → `ideas.sitemap_urls`): the region on the shared host, the
  municipality's pages and ideas, on its own address, on its hostname;
- e-mails: a new idea to its unit and its challenge's followers, the overdue digest
  per unit (`ideas.notifications`, `send_overdue_digest`);
- the main menu: *Utfordringer* on the regional front page leads to the region's
  challenges, on a municipality's hostname to its own.

Idea pages `/ideas/<reference>/` are one idea's own (an idea's reference is unique in
the region) and so are not a list that could leak. With one municipality nothing of
this shows (`test_one_municipality_looks_as_before`).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from challenges.joint import challenge_partners_set
from challenges.models import ChallengeIndexPage, ChallengePage
from challenges.municipal_sites import ensure_home
from ideas import comment_services
from ideas.models import Follow, IdeaStatus
from ideas.notifications import notify_new_idea
from search.backends import get_database_backend
from tests.factories import (
    IdeaFactory,
    MunicipalityFactory,
    ThemeFactory,
    UnitFactory,
    UserFactory,
    create_challenge,
    default_municipality,
)
from tests.search.conftest import search_backend  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

HOST = "havbygd.localhost"


def _challenge_below(home, *, title: str, slug: str, unit, theme) -> ChallengePage:
    today = timezone.localdate()
    page = ChallengePage(
        title=title,
        slug=slug,
        summary=f"Om {title.lower()}.",
        owning_unit=unit,
        theme=theme,
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
    )
    ChallengeIndexPage.objects.child_of(home).get().add_child(instance=page)
    page.save_revision().publish()
    return page


class Region:
    """What each municipality has; `fj_*` Fjordvik's, `hb_*` Havbygd's."""

    def __init__(self) -> None:
        self.fjordvik = default_municipality()
        self.havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
        self.fj_unit = UnitFactory(
            name="Fjordvik oppvekst", slug="fjordvik-oppvekst", municipality=self.fjordvik
        )
        self.hb_unit = UnitFactory(
            name="Havbygd havn", slug="havbygd-havn", municipality=self.havbygd
        )
        self.fj_staff = UserFactory(email="ansatt@fjordvik.example.no")
        self.hb_staff = UserFactory(email="ansatt@havbygd.example.no")
        self.fj_unit.staff.add(self.fj_staff)
        self.hb_unit.staff.add(self.hb_staff)
        self.fj_theme = ThemeFactory(name="Skolevei", slug="skolevei")
        self.hb_theme = ThemeFactory(name="Havnemiljø", slug="havnemiljo")
        self.fj_home = ensure_home(self.fjordvik)
        self.hb_home = ensure_home(self.havbygd, hostname=HOST)
        self.fj_challenge = _challenge_below(
            self.fj_home,
            title="Trygg skolevei",
            slug="trygg-skolevei",
            unit=self.fj_unit,
            theme=self.fj_theme,
        )
        self.hb_challenge = _challenge_below(
            self.hb_home,
            title="Rent havnebasseng",
            slug="rent-havnebasseng",
            unit=self.hb_unit,
            theme=self.hb_theme,
        )
        self.fj_free = IdeaFactory(title="Gatelys langs brygga", owning_unit=self.fj_unit)
        self.fj_answer = IdeaFactory(
            title="Refleksvester til skolebarna",
            owning_unit=self.fj_unit,
            challenge=self.fj_challenge,
            theme=self.fj_theme,
        )
        self.hb_free = IdeaFactory(title="Gatelys ved kaia", owning_unit=self.hb_unit)
        self.hb_answer = IdeaFactory(
            title="Flytende søppelfangere",
            owning_unit=self.hb_unit,
            challenge=self.hb_challenge,
            theme=self.hb_theme,
        )
        self.hb_hidden = IdeaFactory(
            title="Skjult havneidé",
            owning_unit=self.hb_unit,
            is_hidden=True,
            hidden_reason="Personopplysninger",
        )
        comment_services.comment_post(
            idea=self.hb_free, author=UserFactory(), text="Kaiakommentar om lysene"
        )
        comment_services.comment_post(
            idea=self.fj_free, author=UserFactory(), text="Bryggekommentar om lysene"
        )

    @property
    def fjordvik_ideas(self):
        return [self.fj_free, self.fj_answer]

    @property
    def havbygd_ideas(self):
        return [self.hb_free, self.hb_answer]


@pytest.fixture
def region(db) -> Region:
    from wagtail.models import Site

    from cms.models import NavigationSettings

    found = Region()
    # Each site's menu settings exist, as after its first request (see `site_settings`
    # in tests/conftest.py): creating them would refresh every cached page.
    for site in Site.objects.all():
        NavigationSettings.for_site(site)
    return found


def _shows(html: str, ideas) -> set[str]:
    """The titles of `ideas` that `html` links to."""
    return {idea.title for idea in ideas if idea.get_absolute_url() in html}


def _options(html: str, name: str) -> set[str]:
    """The values offered by the select `name` (the empty "all" choice left out)."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.DOTALL)
    assert select is not None, name
    return set(re.findall(r'<option value="([^"]+)"', select.group(0)))


def _fj_titles(region: Region) -> set[str]:
    return {idea.title for idea in region.fjordvik_ideas}


def _hb_titles(region: Region) -> set[str]:
    return {idea.title for idea in region.havbygd_ideas}


def _all_ideas(region: Region):
    return [*region.fjordvik_ideas, *region.havbygd_ideas, region.hb_hidden]


# --- Front pages ---------------------------------------------------------------------------


def test_the_regional_front_page_shows_the_whole_region(client, region):
    html = client.get("/").content.decode()

    assert _shows(html, _all_ideas(region)) == _fj_titles(region) | _hb_titles(region)
    assert "Trygg skolevei" in html and "Rent havnebasseng" in html


def test_a_municipality_home_page_shows_only_its_own(client, region):
    fjordvik = client.get("/fjordvik/").content.decode()
    havbygd = client.get("/", HTTP_HOST=HOST).content.decode()

    assert _shows(fjordvik, _all_ideas(region)) == _fj_titles(region)
    assert "Trygg skolevei" in fjordvik and "Rent havnebasseng" not in fjordvik
    assert _shows(havbygd, _all_ideas(region)) == _hb_titles(region)
    assert "Rent havnebasseng" in havbygd and "Trygg skolevei" not in havbygd


def test_the_regional_menu_leads_to_the_region_s_challenges(client, region):
    menu = re.compile(r'<a[^>]*href="([^"]*)"[^>]*>\s*(?:Utfordringer|Challenges)\s*</a>')

    regional = menu.findall(client.get("/").content.decode())
    own = menu.findall(client.get("/", HTTP_HOST=HOST).content.decode())

    assert regional and set(regional) == {reverse("search:search") + "?type=challenge"}
    # The overview lists both municipalities' challenges.
    get_database_backend().rebuild()
    overview = client.get(regional[0]).content.decode()
    assert "Trygg skolevei" in overview and "Rent havnebasseng" in overview
    assert "/utfordringer/" in own


def test_an_index_left_below_the_regional_root_is_not_the_region_s_challenges(client, region):
    """An installation that became regional without moving its old index keeps it as
    one municipality's: the regional front page does not offer it as the region's."""
    create_challenge(title="Gammel floke", owning_unit=region.fj_unit)

    html = client.get("/").content.decode()

    assert 'href="/utfordringer/"' not in html
    assert reverse("search:search") + "?type=challenge" in html


# --- Idea lists ------------------------------------------------------------------------------


def test_the_shared_host_idea_list_covers_the_region(client, region):
    html = client.get(reverse("ideas:list")).content.decode()

    assert _shows(html, _all_ideas(region)) == _fj_titles(region) | _hb_titles(region)
    assert {"fjordvik-oppvekst", "havbygd-havn"} <= _options(html, "unit")
    assert {"skolevei", "havnemiljo"} <= _options(html, "theme")


@pytest.mark.parametrize(
    ("path", "host", "own", "other"),
    [
        ("/fjordvik/ideer/", None, "fjordvik", "havbygd"),
        ("/havbygd/ideer/", None, "havbygd", "fjordvik"),
        ("/ideer/", HOST, "havbygd", "fjordvik"),
        ("/ideas/", HOST, "havbygd", "fjordvik"),
    ],
)
def test_a_municipality_idea_list_its_count_and_filters_are_its_own(
    client, region, path, host, own, other, django_assert_max_num_queries
):
    extra = {"HTTP_HOST": host} if host else {}
    own_ideas = region.fjordvik_ideas if own == "fjordvik" else region.havbygd_ideas
    own_challenge = region.fj_challenge if own == "fjordvik" else region.hb_challenge
    own_unit = region.fj_unit if own == "fjordvik" else region.hb_unit
    own_theme = region.fj_theme if own == "fjordvik" else region.hb_theme
    other_unit = region.hb_unit if own == "fjordvik" else region.fj_unit

    # Cold: the routes, the page, the filters and the list; warm: next to nothing.
    for budget in (24, 8):
        with django_assert_max_num_queries(budget):
            html = client.get(path, **extra).content.decode()

    assert _shows(html, _all_ideas(region)) == {idea.title for idea in own_ideas}
    assert "2 ideas" in html or "2 ideer" in html
    assert _options(html, "challenge") == {str(own_challenge.pk)}
    assert _options(html, "unit") == {own_unit.slug}
    assert _options(html, "theme") == {own_theme.slug}
    assert "Kaiakommentar" not in html and "Bryggekommentar" not in html
    # Naming another municipality's unit finds nothing of theirs.
    filtered = client.get(path, {"unit": other_unit.slug}, **extra).content.decode()
    assert _shows(filtered, _all_ideas(region)) <= {idea.title for idea in own_ideas}
    # The cached filter fields of one list are not another's.
    regional = client.get(reverse("ideas:list")).content.decode()
    assert _options(regional, "unit") >= {region.fj_unit.slug, region.hb_unit.slug}
    assert other in regional  # (the regional list names both)


def test_a_municipality_idea_list_costs_the_same_with_more_ideas(
    client, region, django_assert_max_num_queries
):
    for number in range(30):
        IdeaFactory(title=f"Havbygd idé {number}", owning_unit=region.hb_unit)
        IdeaFactory(title=f"Fjordvik idé {number}", owning_unit=region.fj_unit)

    for budget in (24, 8):
        with django_assert_max_num_queries(budget):
            html = client.get("/ideas/", HTTP_HOST=HOST, data={"per_page": 50}).content.decode()

    assert "Havbygd idé 29" in html and "Fjordvik idé" not in html


# --- Joint challenges on the partners' idea lists -----------------------------------------


class Joint:
    """A joint challenge led by Fjordvik with Havbygd (own hostname) and Nordvik as
    partners, its ideas (one public, one hidden), and Øyland, which takes no part."""

    def __init__(self, region: Region) -> None:
        self.nordvik = MunicipalityFactory(name="Nordvik kommune", slug="nordvik", number="9903")
        self.oyland = MunicipalityFactory(name="Øyland kommune", slug="oyland", number="9904")
        self.nv_unit = UnitFactory(
            name="Nordvik samferdsel", slug="nordvik-sam", municipality=self.nordvik
        )
        self.oy_unit = UnitFactory(
            name="Øyland teknisk", slug="oyland-teknisk", municipality=self.oyland
        )
        ensure_home(self.nordvik)
        ensure_home(self.oyland)
        self.theme = ThemeFactory(name="Kollektivtransport", slug="kollektivtransport")
        challenge = _challenge_below(
            region.fj_home,
            title="Buss over kommunegrensa",
            slug="buss-over-grensa",
            unit=region.fj_unit,
            theme=self.theme,
        )
        self.challenge = challenge_partners_set(
            challenge=challenge, partners=[region.havbygd, self.nordvik]
        )
        self.answer = IdeaFactory(
            title="Nattbuss til Havbygd",
            owning_unit=region.fj_unit,
            challenge=self.challenge,
            theme=self.theme,
        )
        self.hidden = IdeaFactory(
            title="Skjult bussidé",
            owning_unit=region.fj_unit,
            challenge=self.challenge,
            is_hidden=True,
            hidden_reason="Personopplysninger",
        )
        self.nv_free = IdeaFactory(title="Benker på holdeplassen", owning_unit=self.nv_unit)
        self.oy_free = IdeaFactory(title="Ferje om natta", owning_unit=self.oy_unit)


@pytest.fixture
def joint(region) -> Joint:
    return Joint(region)


def _everything(region: Region, joint: Joint):
    return [*_all_ideas(region), joint.answer, joint.hidden, joint.nv_free, joint.oy_free]


_JOINT_MARK = re.compile(
    r'data-color="info">(?:Joint challenge — led by|Felles utfordring — ledet av) ([^<]+)</span>'
)


@pytest.mark.parametrize(
    ("path", "host", "partner"),
    [
        ("/havbygd/ideer/", None, "havbygd"),
        ("/ideer/", HOST, "havbygd"),
        ("/ideas/", HOST, "havbygd"),
        ("/nordvik/ideer/", None, "nordvik"),
    ],
)
def test_a_joint_challenge_s_ideas_show_on_every_partner_s_idea_list(
    client, region, joint, path, host, partner, django_assert_max_num_queries
):
    extra = {"HTTP_HOST": host} if host else {}
    if partner == "havbygd":
        own_ideas, own_challenges = region.havbygd_ideas, {region.hb_challenge.pk}
        own_unit, own_theme = region.hb_unit, region.hb_theme
    else:
        own_ideas, own_challenges = [joint.nv_free], set()
        own_unit, own_theme = joint.nv_unit, None

    for budget in (24, 8):
        with django_assert_max_num_queries(budget):
            html = client.get(path, **extra).content.decode()

    # Its own ideas and the joint challenge's public one; nothing else of the lead's.
    shown = _shows(html, _everything(region, joint))
    assert shown == {idea.title for idea in own_ideas} | {"Nattbuss til Havbygd"}
    count = len(own_ideas) + 1
    assert f"{count} ideas" in html or f"{count} ideer" in html
    # Marked with its lead, as the challenge's card is; the partner's own are not.
    assert _JOINT_MARK.findall(html) == ["Fjordvik kommune"]
    # The filter offers the joint challenge (and its theme), never the lead's units.
    assert _options(html, "challenge") == {str(pk) for pk in own_challenges | {joint.challenge.pk}}
    assert _options(html, "unit") == {own_unit.slug}
    themes = {joint.theme.slug} | ({own_theme.slug} if own_theme else set())
    assert _options(html, "theme") == themes
    # Choosing it lists its public ideas only.
    chosen = client.get(path, {"challenge": joint.challenge.pk}, **extra).content.decode()
    assert _shows(chosen, _everything(region, joint)) == {"Nattbuss til Havbygd"}
    assert "1 idea " in chosen or "1 idé " in chosen
    # The lead's other challenge, named in the query, is an ignored filter.
    other = client.get(path, {"challenge": region.fj_challenge.pk}, **extra).content.decode()
    assert not _shows(other, [*region.fjordvik_ideas])


def test_the_lead_s_idea_list_is_unchanged_by_its_partners(client, region, joint):
    html = client.get("/fjordvik/ideer/").content.decode()

    assert _shows(html, _everything(region, joint)) == _fj_titles(region) | {"Nattbuss til Havbygd"}
    assert not _JOINT_MARK.findall(html)  # its own idea: not marked as another's
    assert _options(html, "challenge") == {str(region.fj_challenge.pk), str(joint.challenge.pk)}
    assert _options(html, "unit") == {region.fj_unit.slug}


def test_a_municipality_that_takes_no_part_does_not_list_the_joint_ideas(client, region, joint):
    html = client.get("/oyland/ideer/").content.decode()

    assert _shows(html, _everything(region, joint)) == {"Ferje om natta"}
    assert str(joint.challenge.pk) not in _options(html, "challenge") | {""}
    chosen = client.get("/oyland/ideer/", {"challenge": joint.challenge.pk}).content.decode()
    assert _shows(chosen, _everything(region, joint)) == {"Ferje om natta"}


def _thirty_more_of_each(region, joint) -> None:
    """30 more ideas answering the joint challenge and 30 of the lead's own."""
    for number in range(30):
        IdeaFactory(
            title=f"Bussidé {number}", owning_unit=region.fj_unit, challenge=joint.challenge
        )
        IdeaFactory(title=f"Fjordvik idé {number}", owning_unit=region.fj_unit)


def test_a_partner_s_list_costs_the_same_with_more_joint_ideas(
    client, region, joint, django_assert_max_num_queries
):
    _thirty_more_of_each(region, joint)

    for budget in (24, 8):
        with django_assert_max_num_queries(budget):
            html = client.get("/ideer/", HTTP_HOST=HOST, data={"per_page": 50}).content.decode()

    assert "Bussidé 29" in html and "Fjordvik idé" not in html
    assert "33 ideer" in html or "33 ideas" in html


def test_a_partner_leaving_takes_the_joint_ideas_off_its_list(client, region, joint):
    assert "Nattbuss til Havbygd" in client.get("/havbygd/ideer/").content.decode()

    challenge_partners_set(
        challenge=ChallengePage.objects.get(pk=joint.challenge.pk), partners=[joint.nordvik]
    )

    html = client.get("/havbygd/ideer/").content.decode()
    assert "Nattbuss til Havbygd" not in html
    assert str(joint.challenge.pk) not in _options(html, "challenge")
    assert "Nattbuss til Havbygd" in client.get("/nordvik/ideer/").content.decode()


def test_an_inactive_partner_s_search_facet_disappears(
    client,
    region,
    joint,
    search_backend,  # noqa: F811 - fixture
    django_capture_on_commit_callbacks,
):
    search_backend.rebuild()

    def nordvik_count() -> int:
        return search_backend.search("buss").facet_count("municipality", "nordvik")

    assert nordvik_count() == 1  # the joint challenge, counted under the partner
    nordvik = type(joint.nordvik).objects.get(pk=joint.nordvik.pk)
    nordvik.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        nordvik.save()
    assert nordvik_count() == 0
    found = search_backend.search("buss")
    assert found.facet_count("municipality", "fjordvik") >= 1  # the lead still counts it
    assert found.facet_count("municipality", "havbygd") == 1
    html = client.get(reverse("search:search"), {"q": "buss"}).content.decode()
    assert 'id="facet-municipality-havbygd"' in html
    assert 'id="facet-municipality-nordvik"' not in html

    # Active again (here as a bulk update, which the admin's actions use): back.
    with django_capture_on_commit_callbacks(execute=True):
        type(nordvik).objects.filter(pk=nordvik.pk).update(is_active=True)
    assert nordvik_count() == 1


# --- Challenges and feeds --------------------------------------------------------------------


def test_a_challenge_index_and_its_feeds_list_only_its_own(client, region):
    index = client.get("/fjordvik/utfordringer/").content.decode()
    rss = client.get("/fjordvik/utfordringer/rss/").content.decode()
    atom = client.get("/utfordringer/atom/", HTTP_HOST=HOST).content.decode()
    fj_feed = client.get("/fjordvik/utfordringer/trygg-skolevei/feed/").content.decode()
    hb_feed = client.get("/utfordringer/rent-havnebasseng/feed/", HTTP_HOST=HOST).content.decode()

    assert "Trygg skolevei" in index and "Rent havnebasseng" not in index
    assert "Trygg skolevei" in rss and "Rent havnebasseng" not in rss
    assert "Rent havnebasseng" in atom and "Trygg skolevei" not in atom
    assert "Refleksvester" in fj_feed and "søppelfangere" not in fj_feed
    assert "søppelfangere" in hb_feed and "Refleksvester" not in hb_feed
    assert "Gatelys" not in fj_feed + hb_feed  # free ideas answer no challenge


# --- Search, suggestions, similar ideas ----------------------------------------------------


def test_search_is_regional_on_the_shared_host_and_the_municipality_s_on_its_own(
    client,
    region,
    search_backend,  # noqa: F811 - fixture
    django_assert_max_num_queries,
):
    search_backend.rebuild()
    url = reverse("search:search")

    regional = client.get(url, {"q": "gatelys"}).content.decode()
    faceted = client.get(url, {"q": "gatelys", "municipality": "fjordvik"}).content.decode()
    with django_assert_max_num_queries(12):
        own = client.get(url, {"q": "gatelys"}, HTTP_HOST=HOST).content.decode()
    asks_for_other = client.get(
        url, {"q": "gatelys", "municipality": "fjordvik"}, HTTP_HOST=HOST
    ).content.decode()
    everything_own = client.get(url, {"type": "challenge"}, HTTP_HOST=HOST).content.decode()

    gatelys = [region.fj_free, region.hb_free]
    assert _shows(regional, gatelys) == {"Gatelys langs brygga", "Gatelys ved kaia"}
    assert 'id="facet-municipality-havbygd"' in regional
    assert _shows(faceted, gatelys) == {"Gatelys langs brygga"}
    assert _shows(own, gatelys) == {"Gatelys ved kaia"}
    assert "facet-municipality" not in own
    assert _shows(asks_for_other, gatelys) == {"Gatelys ved kaia"}
    assert "Rent havnebasseng" in everything_own and "Trygg skolevei" not in everything_own
    assert "Skjult havneidé" not in regional + own


def test_suggestions_are_the_municipality_s_on_its_own_hostname(
    client,
    region,
    search_backend,  # noqa: F811 - fixture
    django_assert_max_num_queries,
):
    search_backend.rebuild()
    url = reverse("search:suggest")

    regional = client.get(url, {"q": "gatel"}).content.decode()
    client.get(url, {"q": "gatel"}, HTTP_HOST=HOST)  # the sites and menus, cached after
    with django_assert_max_num_queries(4):
        own = client.get(url, {"q": "gatel"}, HTTP_HOST=HOST).content.decode()

    assert "Gatelys langs brygga" in regional and "Gatelys ved kaia" in regional
    assert "Gatelys ved kaia" in own and "Gatelys langs brygga" not in own


def test_the_similar_idea_hint_shows_the_idea_s_municipality_s_ideas(
    client,
    region,
    search_backend,  # noqa: F811 - fixture
    django_assert_max_num_queries,
):
    search_backend.rebuild()
    url = reverse("ideas:similar")
    title = "Gatelys"

    regional = client.get(url, {"title": title}).content.decode()
    # The challenge's municipality, the ideas found (and their cards' data); then the
    # similar published solutions' match (index size, vocabulary, match: search.suggestions).
    with django_assert_max_num_queries(9):
        for_fjordvik = client.get(
            url, {"title": title, "challenge": region.fj_challenge.pk}
        ).content.decode()
    chosen = client.get(url, {"title": title, "municipality": region.havbygd.pk}).content.decode()
    own = client.get(url, {"title": title}, HTTP_HOST=HOST).content.decode()

    gatelys = [region.fj_free, region.hb_free]
    assert _shows(regional, gatelys) == {"Gatelys langs brygga", "Gatelys ved kaia"}
    assert _shows(for_fjordvik, gatelys) == {"Gatelys langs brygga"}
    assert _shows(chosen, gatelys) == {"Gatelys ved kaia"}
    assert _shows(own, gatelys) == {"Gatelys ved kaia"}


# --- Sitemaps --------------------------------------------------------------------------------


def test_the_sitemap_is_the_region_s_on_the_shared_host_and_the_municipality_s_on_its_own(
    client, region, django_assert_max_num_queries
):
    ideas = client.get("/sitemap-ideas.xml").content.decode()
    pages = client.get("/sitemap-pages.xml").content.decode()
    own_index = client.get("/sitemap.xml", HTTP_HOST=HOST).content.decode()
    for number in range(20):  # a page of ideas is one query, however many
        IdeaFactory(title=f"Havbygd idé {number}", owning_unit=region.hb_unit)
    with django_assert_max_num_queries(4):
        own_ideas = client.get("/sitemap-ideas.xml", HTTP_HOST=HOST).content.decode()
    own_pages = client.get("/sitemap-pages.xml", HTTP_HOST=HOST).content.decode()

    everyone = [*region.fjordvik_ideas, *region.havbygd_ideas]
    assert _shows(ideas, everyone) == _fj_titles(region) | _hb_titles(region)
    assert region.hb_hidden.get_absolute_url() not in ideas
    assert "http://testserver/fjordvik/utfordringer/trygg-skolevei/" in pages
    # Havbygd's pages are served on the shared host too, under /havbygd/.
    assert "http://testserver/havbygd/utfordringer/rent-havnebasseng/" in pages
    assert "<loc>http://havbygd.localhost/sitemap-ideas.xml</loc>" in own_index
    assert _shows(own_ideas, everyone) == _hb_titles(region)
    assert "http://havbygd.localhost/ideas/" in own_ideas
    assert "testserver" not in own_ideas + own_pages
    assert "http://havbygd.localhost/utfordringer/rent-havnebasseng/" in own_pages
    assert "trygg-skolevei" not in own_pages


# --- E-mails ---------------------------------------------------------------------------------


def test_e_mails_about_ideas_go_to_their_own_municipality_only(
    region, django_capture_on_commit_callbacks
):
    fj_follower = UserFactory(email="folger@fjordvik.example.no")
    Follow.objects.create(challenge=region.fj_challenge, user=fj_follower)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        notify_new_idea(region.hb_answer)

    recipients = {address for message in mail.outbox for address in message.to}
    assert "ansatt@havbygd.example.no" in recipients
    assert not {"ansatt@fjordvik.example.no", "folger@fjordvik.example.no"} & recipients


def test_the_overdue_digest_lists_each_unit_only_its_own_ideas(
    region, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - datetime.timedelta(days=60)
    for idea in (region.fj_free, region.hb_free):
        type(idea).objects.filter(pk=idea.pk).update(
            status=IdeaStatus.SUBMITTED, status_changed_at=long_ago
        )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_overdue_digest", stdout=_Sink())

    bodies = {message.to[0]: message.body for message in mail.outbox if message.to}
    fjordvik = next(body for to, body in bodies.items() if "fjordvik" in to)
    havbygd = next(body for to, body in bodies.items() if "havbygd" in to)
    assert "Gatelys langs brygga" in fjordvik and "Gatelys ved kaia" not in fjordvik
    assert "Gatelys ved kaia" in havbygd and "Gatelys langs brygga" not in havbygd


class _Sink:
    def write(self, *args) -> None:
        pass


# --- One municipality ------------------------------------------------------------------------


def test_one_municipality_looks_as_before(client, db):
    """No home pages, no hostnames: the menu links the challenge index, `/ideas/` and
    search cover everything, with no municipality anywhere."""
    unit = UnitFactory()
    challenge = create_challenge(title="Ensom eldre", owning_unit=unit)
    idea = IdeaFactory(title="Gatelys i sentrum", owning_unit=unit)
    get_database_backend().rebuild()

    home = client.get("/").content.decode()
    ideas = client.get(reverse("ideas:list")).content.decode()
    found = client.get(reverse("search:search"), {"q": "gatelys"}).content.decode()

    assert 'href="/utfordringer/"' in home and "?type=challenge" not in home
    assert challenge.title in home
    assert idea.get_absolute_url() in ideas and unit.slug in _options(ideas, "unit")
    assert idea.get_absolute_url() in found and "facet-municipality" not in found


# --- Joint challenges on the partners' home pages -----------------------------------------


def _newest(html: str) -> str:
    """The home page's "newest ideas" section (the open challenges above it are marked
    with their lead too)."""
    return html[html.index('id="newest-title"') :]


@pytest.mark.parametrize(
    ("path", "host", "partner"),
    [("/havbygd/", None, "havbygd"), ("/", HOST, "havbygd"), ("/nordvik/", None, "nordvik")],
)
def test_a_partner_s_home_page_lists_the_joint_challenge_s_public_ideas_marked(
    client, region, joint, path, host, partner
):
    extra = {"HTTP_HOST": host} if host else {}
    own_ideas = region.havbygd_ideas if partner == "havbygd" else [joint.nv_free]

    html = client.get(path, **extra).content.decode()

    # Its own newest ideas and the joint challenge's public one, as on its idea list;
    # nothing else of the lead's, no hidden idea, nothing of a municipality not taking part.
    shown = _shows(html, _everything(region, joint))
    assert shown == {idea.title for idea in own_ideas} | {"Nattbuss til Havbygd"}
    assert _JOINT_MARK.findall(_newest(html)) == ["Fjordvik kommune"]


def test_the_lead_s_and_a_non_partner_s_home_pages_are_unchanged_by_the_joint_challenge(
    client, region, joint
):
    fjordvik = client.get("/fjordvik/").content.decode()
    oyland = client.get("/oyland/").content.decode()

    expected = _fj_titles(region) | {"Nattbuss til Havbygd"}
    assert _shows(fjordvik, _everything(region, joint)) == expected
    assert not _JOINT_MARK.findall(_newest(fjordvik))  # its own: not marked as another's
    assert _shows(oyland, _everything(region, joint)) == {"Ferje om natta"}
    assert not _JOINT_MARK.findall(_newest(oyland))


def test_a_partner_s_home_page_costs_the_same_with_more_joint_ideas(
    client, region, joint, django_assert_max_num_queries
):
    _thirty_more_of_each(region, joint)

    for budget in (24, 8):
        with django_assert_max_num_queries(budget):
            html = client.get("/", HTTP_HOST=HOST).content.decode()

    assert "Bussidé 29" in html and "Fjordvik idé" not in html
    assert _JOINT_MARK.findall(_newest(html)) == ["Fjordvik kommune"] * 4  # the four newest
