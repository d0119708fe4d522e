"""Switching to English in a real browser: English labels, an English version of a page,
and Norwegian text that says it is Norwegian (WCAG 3.1.2)."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_serious_axe_violations
from tests.factories import IdeaFactory, ThemeFactory, UnitFactory, create_challenge


def test_a_visitor_switches_to_english(page: Page, base):
    from wagtail.models import Locale

    from cms.models import HomePage, StandardPage

    challenge = create_challenge(
        title="Trygg skolevei",
        theme=ThemeFactory(name="God kvalitet", name_en="Good quality"),
        owning_unit=UnitFactory(name="Teknisk drift", name_en="Technical Services"),
    )
    IdeaFactory(challenge=challenge, title="Gåbuss til skolen")
    home = HomePage.objects.get(locale__language_code="nb")
    about = StandardPage(title="Om portalen", slug="om-portalen", introduction="Hvem vi er.")
    home.add_child(instance=about)
    about.save_revision().publish()
    english = Locale.objects.get(language_code="en")
    english_home = home.copy_for_translation(english)
    english_home.hero_title = "Together we find new solutions"
    english_home.save_revision().publish()
    english_about = about.copy_for_translation(english)
    english_about.title = "About the portal"
    english_about.introduction = "Who we are."
    english_about.save_revision().publish()

    # A challenge nobody translated: English around it, its own text marked Norwegian.
    page.goto(base + challenge.url)
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/utfordringer/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "nb")
    expect(page.get_by_text("Good quality").first).to_be_visible()
    expect(page.get_by_text("Technical Services").first).to_be_visible()
    expect(page.get_by_role("link", name="Gåbuss til skolen")).to_have_attribute("lang", "nb")
    assert_no_serious_axe_violations(page)

    # The English home page and an English version of a page.
    page.goto(base + "/en/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Together we find new solutions")
    page.goto(base + "/om-portalen/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/om-portalen/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("About the portal")
    expect(page.locator("article[lang]")).to_have_count(0)
    assert_no_serious_axe_violations(page)

    # And back to Norwegian.
    page.get_by_role("link", name=re.compile(r"^Norsk")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Om portalen")
