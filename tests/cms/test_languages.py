"""Two languages: the site's labels in each, English versions of pages, and Norwegian
text marked as Norwegian on the English pages (WCAG 3.1.2, language of parts)."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Locale, Site, Workflow

from cms.models import HomePage, NavigationSettings, StandardPage
from ideas.models import IdeaStatus
from tests.factories import (
    IdeaFactory,
    ThemeFactory,
    UnitFactory,
    UserFactory,
    challenge_index,
    create_challenge,
)

pytestmark = pytest.mark.django_db


def norwegian_home() -> HomePage:
    return HomePage.objects.get(locale__language_code="nb")


def translate(page, **english_fields):
    """What an editor does: *Translate* in the admin, write the English text, publish."""
    english = page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    for field, value in english_fields.items():
        setattr(english, field, value)
    english.save_revision().publish()
    return english


def opening_tag(html: str, text: str, tag: str = "") -> str:
    """The opening tag of the (first) element whose text starts with `text`."""
    body = html.split("<body", 1)[1]
    match = re.search(rf"<{tag or '[a-z0-9]+'}\b[^<>]*>\s*" + re.escape(text), body)
    assert match, f"{text!r} not found"
    return match.group(0)


# --- The site's own labels ------------------------------------------------------------


def test_theme_and_unit_names_follow_the_interface_language(client):
    theme = ThemeFactory(name="Forebygging og tidlig innsats", name_en="Prevention")
    unit = UnitFactory(name="Helse og omsorg", name_en="Health and Care")
    url = create_challenge(title="Ensomhet blant eldre", theme=theme, owning_unit=unit).url

    norwegian = client.get(url).content.decode()
    english = client.get("/en" + url).content.decode()

    assert "Forebygging og tidlig innsats" in norwegian and "Prevention" not in norwegian
    assert "Helse og omsorg" in norwegian and "Health and Care" not in norwegian
    assert "Prevention" in english and "Forebygging og tidlig innsats" not in english
    assert "Health and Care" in english and "Helse og omsorg" not in english
    # An English name is English: nothing to mark.
    assert 'lang="nb"' not in opening_tag(english, "Prevention")


def test_a_name_without_english_falls_back_to_norwegian_marked_as_such(client):
    theme = ThemeFactory(name="Nødvendig kompetanse", name_en="")
    url = create_challenge(theme=theme).url

    english = client.get("/en" + url).content.decode()
    norwegian = client.get(url).content.decode()

    assert 'lang="nb"' in opening_tag(english, "Nødvendig kompetanse")
    assert 'lang="nb"' not in opening_tag(norwegian, "Nødvendig kompetanse")


def test_the_idea_list_filters_name_themes_in_english(client):
    ThemeFactory(name="God kvalitet", name_en="Good quality")
    assert "Good quality" in client.get("/en/ideas/").content.decode()
    assert "God kvalitet" in client.get("/ideas/").content.decode()


def test_menu_and_footer_are_editable_in_both_languages(client):
    about = StandardPage(title="Om portalen", slug="om-portalen")
    norwegian_home().add_child(instance=about)
    about.save_revision().publish()
    navigation = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    link = {"label": "", "label_en": "", "page": None, "destination": "", "url": ""}
    navigation.main_menu = [
        {"type": "link", "value": {**link, "page": about.pk, "label_en": "About"}},
        {"type": "link", "value": {**link, "label": "Kommunen", "url": "https://k.example"}},
    ]
    navigation.footer_text = "Drevet av kommunen."
    navigation.footer_text_en = "Run by the municipality."
    navigation.save()

    norwegian = client.get("/").content.decode()
    english = client.get("/en/").content.decode()

    assert '<a class="ds-link" href="/om-portalen/">Om portalen</a>' in norwegian
    assert "Drevet av kommunen." in norwegian and "Run by the municipality." not in norwegian
    assert '<a class="ds-link" href="/en/om-portalen/">About</a>' in english
    assert "Run by the municipality." in english and "Drevet av kommunen." not in english
    # A link text nobody translated stays Norwegian, and says so.
    assert 'href="https://k.example" lang="nb">Kommunen</a>' in english
    assert 'href="https://k.example">Kommunen</a>' in norwegian


def test_menus_are_cached_per_language(client):
    create_challenge()
    for _twice in range(2):
        english = client.get("/en/search/").content.decode()
        norwegian = client.get("/search/").content.decode()
        assert 'href="/en/ideas/">Ideas</a>' in english
        assert 'href="/ideas/">Ideer</a>' in norwegian and "/en/ideas/" not in norwegian


def test_wagtails_default_workflow_has_a_norwegian_name():
    names = set(Workflow.objects.values_list("name", flat=True))
    assert "Moderators approval" not in names
    assert "Godkjenning av moderator" in names


# --- Norwegian content on the English pages -------------------------------------------


def test_untranslated_content_is_marked_norwegian_only_on_english_pages(client):
    challenge = create_challenge(title="Trygg skolevei", summary="Hvordan blir veien trygg?")
    idea = IdeaFactory(challenge=challenge, title="Gåbuss til skolen")
    challenge_url, idea_url = challenge.url, idea.get_absolute_url()

    english_challenge = client.get("/en" + challenge_url).content.decode()
    norwegian_challenge = client.get(challenge_url).content.decode()
    english_idea = client.get("/en" + idea_url).content.decode()
    norwegian_idea = client.get(idea_url).content.decode()

    assert '<html lang="en">' in english_challenge
    assert 'lang="nb"' in opening_tag(english_challenge, "Trygg skolevei", "h1")
    assert 'lang="nb"' in opening_tag(english_challenge, "Hvordan blir veien trygg?")
    assert 'lang="nb"' in opening_tag(english_challenge, "Gåbuss til skolen")
    assert 'lang="nb"' in opening_tag(english_idea, "Gåbuss til skolen", "h1")
    assert 'lang="nb"' in opening_tag(english_idea, "<p>En lengre beskrivelse", "div")
    for html in (norwegian_challenge, norwegian_idea):
        assert '<html lang="nb">' in html
        assert 'lang="nb"' not in html.split("<body", 1)[1].split('class="portal-language"')[0]


def test_idea_cards_mark_their_norwegian_text_on_english_pages(client):
    IdeaFactory(title="Sykkelparkering ved stasjonen")
    english = client.get("/en/ideas/").content.decode()
    norwegian = client.get("/ideas/").content.decode()
    assert 'lang="nb"' in opening_tag(english, "Sykkelparkering ved stasjonen")
    assert 'lang="nb"' not in opening_tag(norwegian, "Sykkelparkering ved stasjonen")


def test_a_municipal_unit_in_a_sentence_is_marked_when_norwegian(client):
    url = IdeaFactory(owning_unit=UnitFactory(name="Teknisk drift", name_en="")).get_absolute_url()
    english = client.get("/en" + url).content.decode()
    norwegian = client.get(url).content.decode()
    assert "Teknisk drift vil se på" in " ".join(norwegian.split())
    assert '<span lang="nb">' not in norwegian
    assert '<span lang="nb">Teknisk drift</span> will look at it' in english


def test_the_implemented_status_reads_once_in_english(client):
    idea = IdeaFactory(status=IdeaStatus.IMPLEMENTED)
    text = " ".join(client.get("/en" + idea.get_absolute_url()).content.decode().split())
    assert "Put into use. Put into use!" not in text
    assert "<strong>Put into use.</strong> Made useful!" in text


# --- English versions of pages (Wagtail's localisation) -------------------------------


def test_an_english_translation_is_served_at_its_english_address(client):
    about = StandardPage(title="Om portalen", slug="om-portalen", introduction="Hvem vi er.")
    norwegian_home().add_child(instance=about)
    about.save_revision().publish()

    english = translate(about, title="About the portal", introduction="Who we are.")

    assert english.url == "/en/om-portalen/"
    response = client.get("/en/om-portalen/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "About the portal" in html and "Who we are." in html
    assert 'lang="nb"' not in opening_tag(html, "About the portal")
    # The Norwegian page is unchanged at its own address.
    norwegian = client.get("/om-portalen/").content.decode()
    assert "Om portalen" in norwegian and "About the portal" not in norwegian


def test_pages_nobody_translated_are_still_served_in_english(client):
    """Translating one page creates the English home page (as an alias of the Norwegian
    one); the rest of the site must stay reachable under /en/, in Norwegian."""
    about = StandardPage(title="Om portalen", slug="om-portalen")
    norwegian_home().add_child(instance=about)
    about.save_revision().publish()
    url = create_challenge(title="Trygg skolevei").url
    translate(about, title="About the portal")

    home = client.get("/en/")
    page = client.get("/en" + url)
    feed = client.get("/en" + url + "feed/")

    assert home.status_code == 200 and page.status_code == 200 and feed.status_code == 200
    assert 'lang="nb"' in opening_tag(page.content.decode(), "Trygg skolevei", "h1")
    # The hero is the Norwegian home page's (the English one is its alias): marked.
    assert 'lang="nb"' in opening_tag(home.content.decode(), "Sammen finner vi")
    assert client.get(url).status_code == 200
    assert client.get("/en/no-such-page/").status_code == 404


def test_an_english_home_page_carries_the_english_hero(client):
    translate(norwegian_home(), hero_title="Together we find new solutions")

    english = client.get("/en/").content.decode()
    norwegian = client.get("/").content.decode()

    assert "Together we find new solutions" in english
    assert 'lang="nb"' not in opening_tag(english, "Together we find new solutions")
    assert "Sammen finner vi nye løsninger" in norwegian


def test_an_english_challenge_shows_the_ideas_of_the_norwegian_one(client):
    challenge = create_challenge(title="Trygg skolevei")
    IdeaFactory(challenge=challenge, title="Gåbuss til skolen")
    english = translate(challenge, title="Safe routes to school", summary="How?")
    index_url = challenge_index().url

    html = client.get(english.url).content.decode()
    listing = client.get("/en" + index_url).content.decode()
    rss = client.get("/en" + index_url + "rss/").content.decode()

    assert english.url.startswith("/en/")
    assert "Safe routes to school" in html and "Gåbuss til skolen" in html
    assert f"?challenge={challenge.pk}" in html  # ideas answer the Norwegian challenge
    # The translation is not another challenge: the list names the challenge once.
    assert listing.count("Trygg skolevei") + listing.count("Safe routes to school") == 1
    assert "<title>Safe routes to school</title>" in rss


def test_challenge_cards_show_the_english_title_and_summary_on_english_pages(
    client, django_assert_max_num_queries
):
    """The lists are of the Norwegian challenges (their dates, status and idea counts),
    but an English visitor reads the English title and summary, marked as English;
    a challenge nobody translated keeps its Norwegian text, marked Norwegian."""
    translated = create_challenge(title="Trygg skolevei", summary="Hvordan?")
    create_challenge(title="Ensomhet blant eldre")
    IdeaFactory(challenge=translated, status=IdeaStatus.SUBMITTED)
    translate(translated, title="Safe routes to school", summary="How could we?")
    index_url = challenge_index().url

    english = client.get("/en" + index_url).content.decode()
    norwegian = client.get(index_url).content.decode()
    english_home = client.get("/en/").content.decode()

    assert "Safe routes to school" in english and "Trygg skolevei" not in english
    assert "How could we?" in english
    assert 'lang="nb"' not in opening_tag(english, "Safe routes to school")
    assert 'lang="nb"' in opening_tag(english, "Ensomhet blant eldre")
    assert "Safe routes to school" in english_home  # the home page's open challenges
    assert "Trygg skolevei" in norwegian and "Safe routes to school" not in norwegian
    # One query more than the Norwegian list at most, however many are translated.
    client.get("/en" + index_url)
    with django_assert_max_num_queries(6):
        client.get("/en" + index_url + "?sort=newest")


def test_editors_translate_a_page_through_the_admin(client):
    about = StandardPage(title="Om portalen", slug="om-portalen")
    norwegian_home().add_child(instance=about)
    about.save_revision().publish()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    english_locale = Locale.objects.get(language_code="en")

    # The home page first (Wagtail translates a page below a translated parent only),
    # then the page itself.
    for page in (norwegian_home(), about):
        url = reverse("simple_translation:submit_page_translation", args=[page.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"locales": [english_locale.pk]})
        assert response.status_code == 302

    english = StandardPage.objects.get(locale__language_code="en")
    assert english.translation_key == about.translation_key
    assert not english.live  # a draft until the editor has written and published it


def test_a_translated_page_costs_no_more_queries(client, django_assert_max_num_queries):
    challenge = create_challenge(title="Trygg skolevei")
    url = challenge.url
    english_url = translate(challenge, title="Safe routes to school").url
    for _warm in range(2):
        client.get(english_url)
        client.get("/en" + url)
    # As many as the Norwegian page (tests/cms/test_routing.py).
    with django_assert_max_num_queries(2):
        assert client.get(english_url).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/en" + url).status_code == 200


def test_an_english_version_of_a_restricted_page_is_restricted_too(client):
    from wagtail.models import PageViewRestriction

    challenge = create_challenge(title="Intern utfordring")
    english_url = translate(challenge, title="Internal challenge").url
    assert client.get(english_url).status_code == 200

    PageViewRestriction.objects.create(page=challenge, restriction_type="login")

    response = client.get(english_url)
    assert response.status_code == 302
    assert "/login" in response["Location"]


# --- Feeds ----------------------------------------------------------------------------


def test_feed_titles_follow_the_requests_language(client):
    create_challenge(title="Trygg skolevei")
    feed = challenge_index().url + "rss/"

    norwegian = client.get(feed).content.decode()
    english = client.get("/en" + feed).content.decode()

    assert "<title>Åpne utfordringer – Utfordringer</title>" in norwegian
    assert "<language>nb</language>" in norwegian
    assert "<title>Open challenges – Utfordringer</title>" in english
    assert "<language>en</language>" in english
    assert "/en/utfordringer/" in english


def _language_links(html: str) -> dict[str, str]:
    """The language switcher's links: {hreflang: href} of the links it offers."""
    pattern = r'<a class="ds-link" href="([^"]+)" lang="[a-z]+" hreflang="([a-z]+)"'
    return {code: href for href, code in re.findall(pattern, html)}


def _alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)"', html))


def test_switching_language_follows_a_translation_with_its_own_slug(client):
    """An editor gave the English version its own address: the switcher and the
    hreflang alternates lead to each version, never to a 404."""
    about = StandardPage(title="Om portalen", slug="om-portalen")
    norwegian_home().add_child(instance=about)
    about.save_revision().publish()
    translate(about, title="About the portal", slug="about-the-portal")

    english = client.get("/en/about-the-portal/").content.decode()
    assert _language_links(english) == {"nb": "/om-portalen/"}
    assert client.get("/om-portalen/").status_code == 200
    assert _alternates(english)["nb"].endswith("/om-portalen/")
    assert _alternates(english)["x-default"].endswith("/om-portalen/")

    norwegian = client.get("/om-portalen/").content.decode()
    assert _language_links(norwegian) == {"en": "/en/about-the-portal/"}
    assert "About the portal" in client.get("/en/about-the-portal/").content.decode()
    assert _alternates(norwegian)["en"].endswith("/en/about-the-portal/")


def test_switching_language_keeps_the_query(client):
    """A page's list (sorted, filtered) stays as it was when the language changes."""
    url = challenge_index().url
    english = client.get(f"/en{url}?sort=deadline").content.decode()
    assert _language_links(english) == {"nb": f"{url}?sort=deadline"}
