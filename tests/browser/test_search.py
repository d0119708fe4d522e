"""The search page in a real browser: suggestions while typing, submit, facet filter, axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from search.backends import get_database_backend
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.factories import IdeaFactory, ThemeFactory, UnitFactory, create_challenge


def seed_search():
    oppvekst = ThemeFactory(name="Oppvekst", slug="oppvekst")
    klima = ThemeFactory(name="Klima", slug="klima")
    unit = UnitFactory(name="Oppvekst og utdanning", slug="oppvekst")
    create_challenge(
        title="Nok barnehageplasser i nye boligfelt",
        summary="Barnehagene fylles opp raskere enn vi bygger.",
        theme=oppvekst,
        owning_unit=unit,
    )
    IdeaFactory(
        title="Flere plasser i barnehagen",
        summary="Foreldre venter for lenge på plass i barnehagen.",
        theme=oppvekst,
        owning_unit=unit,
    )
    IdeaFactory(
        title="Regnbed ved barnehagen",
        summary="Regnbed tar unna overvann fra taket på barnehagen.",
        theme=klima,
    )
    get_database_backend().rebuild()


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["nb", "en"])
def test_search_page_passes_axe(page: Page, base: str, prefix: str):
    seed_search()
    response = page.goto(base + prefix + "/search/?q=barnehagen")
    assert response is not None and response.status == 200
    expect(page.locator(".search-hit").first).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.goto(base + prefix + "/search/?q=ingenting+her")
    assert_no_serious_axe_violations(page)


def test_type_see_suggestions_submit_and_filter(page: Page, base: str):
    seed_search()
    page.goto(base + "/search/")
    box = page.get_by_role("combobox", name="Hva leter du etter?")
    box.press_sequentially("barneh", delay=40)
    listbox = page.get_by_role("listbox", name="Forslag")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option = listbox.get_by_role("option", name=re.compile("Flere plasser i barnehagen"))
    expect(option).to_be_visible()
    box.press("ArrowDown")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-activedescendant")
    assert_no_serious_axe_violations(page)
    box.press("Escape")
    expect(listbox).to_be_hidden()

    box.press_sequentially("agen", delay=20)
    box.press("Enter")  # no option chosen: a plain search
    expect(page).to_have_url(re.compile(r"/search/\?q=barnehagen(&|$)"))
    results = page.locator(".search-hit")
    expect(results).to_have_count(3)
    expect(page.locator(".search-hit mark").first).to_be_visible()

    # Filtering by a facet updates results and the URL (htmx), keeping the query.
    page.get_by_role("checkbox", name=re.compile(r"^Klima")).check()
    expect(page).to_have_url(re.compile(r"q=barnehagen.*theme=klima"))
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Regnbed ved barnehagen")
    expect(page.get_by_role("checkbox", name=re.compile(r"^Klima"))).to_be_checked()


def test_filters_work_without_javascript(browser, base: str):
    seed_search()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/search/?q=barnehagen")
    page.get_by_role("checkbox", name=re.compile(r"^Klima")).check()
    page.get_by_role("button", name="Bruk filtrene").click()
    expect(page).to_have_url(re.compile(r"theme=klima"))
    expect(page.locator(".search-hit")).to_have_count(1)
    context.close()


def test_filtering_keeps_focus_on_the_filter_and_announces_the_new_count(page: Page, base: str):
    seed_search()
    page.goto(base + "/search/?q=barnehagen")
    expect(page.locator(".search-hit")).to_have_count(3)
    # A live region is announced only when it changes in place, so it must outlive the
    # swap of the results.
    status = page.locator("#search-live-status")
    expect(status).to_have_attribute("aria-live", "polite")
    status.evaluate("el => { el.__sameNode = true; }")
    klima = page.get_by_role("checkbox", name=re.compile(r"^Klima"))
    klima.focus()
    page.keyboard.press("Space")
    expect(page.locator(".search-hit")).to_have_count(1)
    expect(status).to_contain_text("1 treff")
    assert status.evaluate("el => el.__sameNode === true")
    # The checkbox that was just ticked has focus again, so Tab goes on from there.
    expect(page.get_by_role("checkbox", name=re.compile(r"^Klima"))).to_be_focused()
