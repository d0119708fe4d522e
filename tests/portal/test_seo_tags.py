# ruff: noqa: F811 - pytest fixtures imported from tests.ideas.test_services
"""What each public page tells search engines and link previews about itself.

The title, meta description, canonical link, language alternates, Open Graph and
Twitter card tags (portal.templatetags.seo_tags), with every address on
PORTAL_BASE_URL rather than the host the request came in on.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from cms.models import HomePage
from ideas.models import IdeaStatus
from tests.factories import IdeaFactory, UserFactory, create_challenge
from tests.ideas.test_services import (  # noqa: F401 - fixtures
    intake_unit,
    media_root,
    png_file,
    private_media_root,
    submit,
)

pytestmark = pytest.mark.django_db

BASE = "https://ideer.fjordvik.example.no"


@pytest.fixture(autouse=True)
def public_address(settings):
    # Deliberately not the test client's host ("testserver").
    settings.PORTAL_BASE_URL = BASE


class HeadParser(HTMLParser):
    """The <head>'s title, meta and link tags, with their values as a browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = self.in_title = False
        self.title = ""
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if tag == "head":
            self.in_head = True
        elif self.in_head and tag == "title":
            self.in_title = True
        elif self.in_head and tag == "meta":
            key = values.get("property") or values.get("name")
            if key:
                self.meta.setdefault(key, []).append(values.get("content", ""))
        elif self.in_head and tag == "link":
            self.links.append(values)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        elif tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


class Head:
    def __init__(self, html: str) -> None:
        parser = HeadParser()
        parser.feed(html)
        self.title = parser.title.strip()
        self._meta = parser.meta
        self._links = parser.links

    def meta(self, key: str) -> str | None:
        values = self._meta.get(key, [])
        assert len(values) <= 1, f"{key} appears {len(values)} times"
        return values[0] if values else None

    def all_meta(self, key: str) -> list[str]:
        return self._meta.get(key, [])

    @property
    def canonical(self) -> str:
        found = [link["href"] for link in self._links if link.get("rel") == "canonical"]
        assert len(found) == 1, found
        return found[0]

    @property
    def alternates(self) -> dict[str, str]:
        return {
            link["hreflang"]: link["href"]
            for link in self._links
            if link.get("rel") == "alternate" and "hreflang" in link
        }

    def links(self, rel: str) -> list[dict[str, str]]:
        return [link for link in self._links if link.get("rel") == rel]


def head_of(client, url: str, **params) -> Head:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return Head(response.content.decode())


def assert_shares(head: Head, *, title: str, description: str, url: str, og_type: str) -> None:
    assert head.meta("description") == description
    assert head.meta("og:title") == title
    assert head.meta("og:description") == description
    assert head.meta("og:url") == url
    assert head.canonical == url
    assert head.meta("og:type") == og_type
    assert head.meta("og:site_name") == "Mulighetsportalen"


# --- Home ----------------------------------------------------------------------------------


def test_the_home_page_describes_itself_in_both_languages(client):
    home = HomePage.objects.get()
    home.hero_intro = "Del ideer som gjør Fjordvik bedre."
    home.save_revision().publish()

    head = head_of(client, "/")
    assert_shares(
        head,
        title=home.title,
        description="Del ideer som gjør Fjordvik bedre.",
        url=f"{BASE}/",
        og_type="website",
    )
    assert head.alternates == {"nb": f"{BASE}/", "en": f"{BASE}/en/", "x-default": f"{BASE}/"}
    assert head.meta("og:locale") == "nb_NO"
    assert head.all_meta("og:locale:alternate") == ["en_GB"]
    assert head.meta("twitter:card") == "summary"
    assert head.meta("og:image") is None

    english = head_of(client, "/en/")
    assert english.canonical == f"{BASE}/en/"
    assert english.meta("og:url") == f"{BASE}/en/"
    assert english.meta("og:locale") == "en_GB"
    assert english.alternates == head.alternates


def test_the_editors_search_description_wins_over_the_introduction(client):
    home = HomePage.objects.get()
    home.hero_intro = "Del ideer."
    home.search_description = "Fjordvik kommunes idéportal."
    home.save_revision().publish()

    assert head_of(client, "/").meta("description") == "Fjordvik kommunes idéportal."


def test_the_page_title_is_not_repeated_when_it_is_the_sites_name(client):
    home = HomePage.objects.get()
    home.title = "Forside"
    home.save_revision().publish()
    assert head_of(client, "/").title == "Forside – Mulighetsportalen"

    home.title = "Mulighetsportalen"
    home.save_revision().publish()
    assert head_of(client, "/").title == "Mulighetsportalen"


def test_a_page_with_nothing_to_say_gets_the_sites_description(client):
    # The log-in page says nothing of itself; a description is still there.
    head = head_of(client, reverse("accounts:login"))

    assert head.meta("description") == (
        "Ideer og utfordringer i Fjordvik kommune: send inn en idé, støtt andres og følg "
        "med på hva kommunen gjør med dem."
    )
    assert head.meta("og:title") == "Logg inn"
    assert head.title == "Logg inn – Mulighetsportalen"


# --- Idea list -----------------------------------------------------------------------------


def test_the_idea_list_is_canonical_without_its_filters_but_with_its_page(client):
    IdeaFactory.create_batch(25)

    head = head_of(client, reverse("ideas:list"))
    assert_shares(
        head,
        title="Ideer",
        description=(
            "Ideer og forslag fra innbyggere og næringsliv, og hva kommunen har gjort med dem."
        ),
        url=f"{BASE}/ideas/",
        og_type="website",
    )
    assert head.title == "Ideer – Mulighetsportalen"

    second = head_of(client, reverse("ideas:list"), page=2, sort="supported", kind="idea")
    assert second.canonical == f"{BASE}/ideas/?page=2"
    assert second.alternates == {
        "nb": f"{BASE}/ideas/?page=2",
        "en": f"{BASE}/en/ideas/?page=2",
        "x-default": f"{BASE}/ideas/?page=2",
    }
    # The first page has one address, with or without ?page=1.
    assert head_of(client, reverse("ideas:list"), page=1).canonical == f"{BASE}/ideas/"


def test_the_english_idea_list_is_described_in_english(client):
    head = head_of(client, "/en/ideas/")

    assert head.canonical == f"{BASE}/en/ideas/"
    assert head.meta("og:title") == "Ideas"
    assert head.meta("description") == (
        "Ideas and proposals from people and businesses, and what the municipality has "
        "done with them."
    )


# --- Idea page -----------------------------------------------------------------------------


def test_an_idea_page_shares_the_ideas_title_and_summary(client):
    idea = IdeaFactory(title="Bålpanne & grill ved «Storvannet»", summary='Et "trygt" bålsted.')
    url = reverse("ideas:detail", kwargs={"reference": idea.reference})

    head = head_of(client, url)

    # Escaped once in the HTML, read back exactly as written.
    assert_shares(
        head,
        title="Bålpanne & grill ved «Storvannet»",
        description='Et "trygt" bålsted.',
        url=f"{BASE}{url}",
        og_type="article",
    )
    assert head.title == "Bålpanne & grill ved «Storvannet» – Mulighetsportalen"
    assert head.alternates["en"] == f"{BASE}/en{url}"
    assert head.meta("twitter:card") == "summary"
    assert head.meta("og:image") is None
    assert head.meta("robots") is None


def test_an_idea_with_an_image_is_shared_with_it(client, intake_unit, private_media_root):
    idea = submit(UserFactory(), attachments=[_image_upload()])
    url = reverse("ideas:detail", kwargs={"reference": idea.reference})
    attachment = idea.attachments.get()

    head = head_of(client, url)

    assert head.meta("og:image") == f"{BASE}{attachment.get_absolute_url()}"
    assert head.meta("twitter:card") == "summary_large_image"
    # Anyone following the preview's image gets it.
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_a_withdrawn_idea_shown_to_its_author_is_not_for_search_engines(
    client, intake_unit, private_media_root
):
    author = UserFactory()
    idea = submit(author, attachments=[_image_upload()])
    idea.status = IdeaStatus.WITHDRAWN
    idea.save()
    client.force_login(author)

    head = head_of(client, reverse("ideas:detail", kwargs={"reference": idea.reference}))

    assert head.meta("robots") == "noindex"
    # Its image is for its author and staff now, not for link previews.
    assert head.meta("og:image") is None


def test_the_share_image_costs_a_cached_idea_page_no_query(
    client, intake_unit, private_media_root, django_assert_max_num_queries
):
    plain = IdeaFactory()
    pictured = submit(UserFactory(), attachments=[_image_upload()])
    urls = [reverse("ideas:detail", kwargs={"reference": i.reference}) for i in (plain, pictured)]
    for url in urls:
        client.get(url)  # rendered and cached
    with CaptureQueriesContext(connection) as without_image:
        client.get(urls[0])

    with django_assert_max_num_queries(len(without_image)):
        head = head_of(client, urls[1])
    assert head.meta("og:image")


def _image_upload():
    from ideas import services

    return services.AttachmentUpload(png_file(size=(40, 30)), alt_text="Bålpanna i bruk")


# --- Challenge page ------------------------------------------------------------------------


def test_a_challenge_page_shares_its_summary_and_hero_image(
    client, settings, tmp_path, django_assert_max_num_queries
):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = tmp_path
    challenge = create_challenge(title="Ensomhet blant eldre", summary="Hvordan når vi de eldre?")
    image = Image.objects.create(title="Eldre på benk", file=get_test_image_file())
    challenge.hero_image = image
    challenge.hero_image_alt = "To eldre på en benk"
    challenge.save_revision().publish()

    head = head_of(client, challenge.url)

    assert_shares(
        head,
        title="Ensomhet blant eldre",
        description="Hvordan når vi de eldre?",
        url=f"{BASE}{challenge.url}",
        og_type="article",
    )
    rendition = image.get_rendition("width-1200")
    assert head.meta("og:image") == f"{BASE}{rendition.url}"
    assert head.meta("twitter:card") == "summary_large_image"
    assert head.alternates["en"] == f"{BASE}/en{challenge.url}"
    # The head asks for the rendition the page itself shows; Wagtail's rendition cache
    # answers the second request for it.
    with django_assert_max_num_queries(8):
        client.get(challenge.url)


def test_a_challenge_without_an_image_is_shared_as_a_summary(client):
    challenge = create_challenge(title="Klimatilpasning")
    challenge.search_description = "Flom, ras og overvann i Fjordvik."
    challenge.save_revision().publish()

    head = head_of(client, challenge.url)

    assert head.meta("description") == "Flom, ras og overvann i Fjordvik."
    assert head.meta("og:image") is None
    assert head.meta("twitter:card") == "summary"


# --- Search --------------------------------------------------------------------------------


def test_every_search_has_the_search_page_as_its_canonical_address(client):
    head = head_of(client, reverse("search:search"), q="parken", page=2)

    assert head.canonical == f"{BASE}/search/"
    assert head.title == "Søk: parken – Mulighetsportalen"
    assert head.meta("description") == "Søk i ideene og utfordringene i Fjordvik kommune."
    assert head.alternates == {
        "nb": f"{BASE}/search/",
        "en": f"{BASE}/en/search/",
        "x-default": f"{BASE}/search/",
    }
    assert head_of(client, "/en/search/", q="park").canonical == f"{BASE}/en/search/"


# --- Every page ----------------------------------------------------------------------------


def test_every_page_links_the_favicon_and_no_other_host(client):
    challenge = create_challenge()
    idea = IdeaFactory(challenge=challenge)
    for url in (
        "/",
        reverse("ideas:list"),
        idea.get_absolute_url(),
        challenge.url,
        reverse("search:search"),
    ):
        html = client.get(url).content.decode()
        head = Head(html)
        icons = head.links("icon")
        assert [icon["type"] for icon in icons] == ["image/svg+xml"], url
        assert client.get(icons[0]["href"]).status_code == 200
        absolute = [head.canonical, *head.alternates.values(), head.meta("og:url")]
        assert all(address.startswith(BASE + "/") for address in absolute), url
        assert "testserver" not in html.split("</head>")[0], url


def test_a_wagtail_site_naming_another_host_changes_no_address(client):
    # A Wagtail Site record naming another host changes nothing in the addresses.
    site = Site.objects.get(is_default_site=True)
    site.hostname = "intern.fjordvik.local"
    site.save()

    assert head_of(client, "/").canonical == f"{BASE}/"
