"""Challenges in a real browser: from the home page to a challenge, filters, the answer button."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_serious_axe_violations
from tests.factories import (
    IdeaFactory,
    ThemeFactory,
    UnitFactory,
    UserFactory,
    challenge_index,
    create_challenge,
)


@pytest.fixture
def challenges(base):
    helse = UnitFactory(slug="helse-og-omsorg", name="Helse og omsorg")
    oppvekst = UnitFactory(slug="oppvekst", name="Oppvekst")
    elderly = create_challenge(
        title="Ensomhet blant eldre som bor hjemme",
        owning_unit=helse,
        theme=ThemeFactory(slug="helhet", name="God helhet og samhandling"),
    )
    school = create_challenge(
        title="Frafall i videregående",
        owning_unit=oppvekst,
        theme=ThemeFactory(slug="tidlig-innsats", name="Forebygging og tidlig innsats"),
    )
    IdeaFactory(challenge=elderly, title="Nabolagskaffe hver torsdag", support_count=3)
    return {"elderly": elderly, "school": school}


@pytest.fixture
def standard_page(base):
    from cms.models import HomePage, StandardPage

    page = StandardPage(
        title="Slik fungerer det",
        slug="slik-fungerer-det",
        introduction="Fra nytt, via nyttig, til nyttiggjort.",
        body=[
            {"type": "heading", "value": {"text": "Nytt", "level": "h2"}},
            {"type": "rich_text", "value": "<p>Du sender inn en idé.</p>"},
            {"type": "quote", "value": {"quote": "Tenk nytt.", "attribution": "Ordføreren"}},
        ],
    )
    HomePage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["nb", "en"])
@pytest.mark.parametrize("which", ["home", "index", "challenge", "standard"])
def test_pages_pass_axe(page: Page, base, challenges, standard_page, prefix, which):
    paths = {
        "home": "/",
        "index": challenge_index().url,
        "challenge": challenges["elderly"].url,
        "standard": standard_page.url,
    }
    response = page.goto(base + prefix + paths[which])
    assert response is not None and response.status == 200
    assert_no_serious_axe_violations(page)


def test_open_a_challenge_from_the_home_page(page: Page, base, challenges):
    page.goto(base + "/")
    page.get_by_role("link", name="Ensomhet blant eldre som bor hjemme").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ensomhet blant eldre som bor hjemme")
    expect(page.get_by_role("link", name="Nabolagskaffe hver torsdag")).to_be_visible()


def test_filter_the_index_with_javascript(page: Page, base, challenges):
    page.goto(base + challenge_index().url)
    results = page.locator("#challenge-results")
    expect(results.get_by_role("link", name="Frafall i videregående")).to_be_visible()
    # The live region sits outside what htmx replaces: screen readers announce changes
    # to a region they already know, not a new one.
    status = page.locator("main [aria-live=polite]")
    expect(status).to_have_count(1)
    status.evaluate("el => { el.__sameNode = true; }")
    page.get_by_label("Tema").focus()
    page.get_by_label("Tema").select_option("helhet")
    # htmx swaps the results in place and puts the filters in the address.
    expect(page).to_have_url(re.compile(r"[?&]theme=helhet(&|$)"))
    expect(results.get_by_role("link", name="Frafall i videregående")).to_have_count(0)
    expect(results.get_by_role("link", name="Ensomhet blant eldre som bor hjemme")).to_be_visible()
    expect(status).to_have_text("1 utfordring")
    assert status.evaluate("el => el.__sameNode === true")
    expect(page.get_by_label("Tema")).to_be_focused()
    # The page was not reloaded: the filter keeps its value, and reloading keeps the state.
    page.reload()
    expect(page.get_by_label("Tema")).to_have_value("helhet")
    expect(results.get_by_role("link", name="Frafall i videregående")).to_have_count(0)


def test_answer_this_challenge_leads_to_the_idea_form(page: Page, base, challenges):
    UserFactory(email="kari@example.no", display_name="Kari")
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-postadresse").fill("kari@example.no")
    page.get_by_label("Passord").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min profil")

    challenge = challenges["school"]
    page.goto(base + challenge.url)
    page.get_by_role("link", name="Svar på utfordringen").click()
    expect(page).to_have_url(re.compile(rf"/ideas/new/\?challenge={challenge.pk}$"))


def test_next_page_of_challenges_moves_focus_to_the_results(page: Page, base):
    unit = UnitFactory()
    theme = ThemeFactory()
    for number in range(13):
        create_challenge(title=f"Utfordring {number:02d}", owning_unit=unit, theme=theme)
    page.goto(base + challenge_index().url)
    pages = page.get_by_role("navigation", name="Sider med utfordringer")
    expect(pages.locator("[aria-current=true]")).to_have_text("Side 1")
    pages.get_by_role("link", name="Neste").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#challenge-result-count")).to_be_focused()
    expect(pages.locator("[aria-current=true]")).to_have_text("Side 2")


def test_the_page_count_between_previous_and_next_gets_no_arrow(page: Page, base):
    from ideas.challenge_pages import IDEAS_PER_PAGE

    challenge = create_challenge(title="Mange ideer")
    IdeaFactory.create_batch(IDEAS_PER_PAGE + 1, challenge=challenge)
    page.goto(base + challenge.url)
    pages = page.get_by_role("navigation", name="Sider med ideer")
    # Designsystemet draws an arrow on the first and last item: only Previous and Next.
    label = pages.get_by_text("Side 1 av 2")
    assert label.evaluate("el => getComputedStyle(el, '::before').content") == "none"
    next_link = pages.get_by_role("link", name="Neste")
    assert next_link.evaluate("el => getComputedStyle(el, '::before').content") != "none"
