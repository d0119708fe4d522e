"""The skeleton in a real browser: pages render, keyboard users reach the content, axe passes."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_serious_axe_violations

PUBLIC_PAGES = ["/", "/accounts/signup/", "/accounts/login/"]


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["nb", "en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_pass_axe(page: Page, base: str, prefix: str, path: str):
    response = page.goto(base + prefix + path)
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "en" if prefix else "nb")
    assert_no_serious_axe_violations(page)


def test_home_page_renders_hero_and_styles(page: Page, base: str):
    page.goto(base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sammen finner vi nye løsninger")
    expect(page.get_by_role("link", name="Opprett konto")).to_be_visible()
    # Designsystemet's stylesheet is served from node_modules and applied.
    button_radius = page.get_by_role("link", name="Opprett konto").evaluate(
        "el => getComputedStyle(el).borderRadius"
    )
    assert button_radius not in ("", "0px")


def test_skip_link_moves_keyboard_focus_to_main_content(page: Page, base: str):
    page.goto(base + "/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hopp til hovedinnholdet")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    # The next Tab lands inside the main content, not back in the header.
    page.keyboard.press("Tab")
    focused_in_main = page.evaluate(
        "() => document.getElementById('main-content').contains(document.activeElement)"
    )
    assert focused_in_main


def test_language_switcher_keeps_the_page(page: Page, base: str):
    page.goto(base + "/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_role("link", name="Norsk (bokmål)").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")


def test_signup_journey_with_keyboard_only(page: Page, base: str, mailoutbox, settings):
    settings.PORTAL_BASE_URL = base  # e-mailed links point at the portal's public address
    page.goto(base + "/accounts/signup/")
    page.get_by_label("E-postadresse").focus()
    page.keyboard.type("ny.innbygger@example.no")
    page.keyboard.press("Tab")
    page.keyboard.type("Nora")
    page.keyboard.press("Tab")
    page.keyboard.type("fjordvik-er-fin-2026")
    page.keyboard.press("Tab")
    page.keyboard.type("fjordvik-er-fin-2026")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Opprett konto")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sjekk e-posten din")
    assert len(mailoutbox) == 1
    link = re.search(r"http://\S+/accounts/confirm/\S+/", mailoutbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_text("E-postadressen din er bekreftet")).to_be_visible()
    page.get_by_label("E-postadresse").fill("ny.innbygger@example.no")
    page.get_by_label("Passord").fill("fjordvik-er-fin-2026")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min profil")


def test_rejected_signup_keeps_input_and_focuses_the_error_summary(page: Page, base: str):
    page.goto(base + "/accounts/signup/")
    page.get_by_label("E-postadresse").fill("nora@example.no")
    page.get_by_label("Navn som vises offentlig").fill("Nora")
    page.get_by_label("Passord", exact=True).fill("fjordvik-er-fin-2026")
    page.get_by_label("Gjenta passordet").fill("noe-annet-helt")
    page.get_by_role("button", name="Opprett konto").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_label("E-postadresse")).to_have_value("nora@example.no")
    expect(page.get_by_label("Navn som vises offentlig")).to_have_value("Nora")
    assert_no_serious_axe_violations(page)


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["nb", "en"])
def test_paused_log_in_says_so_offers_a_reset_and_passes_axe(page: Page, base: str, prefix: str):
    from tests.factories import UserFactory

    UserFactory(email="kari@example.no")
    page.goto(base + prefix + "/accounts/login/")
    for _ in range(5):
        page.locator("#id_username").fill("kari@example.no")
        page.locator("#id_password").fill("feil-passord")
        page.locator("#id_password").press("Enter")
        page.wait_for_load_state()
    heading = "Log-in is paused" if prefix else "Innlogging er satt på pause"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("alert")).to_contain_text("30")
    reset = page.get_by_role("link", name="Reset your password" if prefix else "Velg nytt passord")
    expect(reset).to_be_visible()
    assert_no_serious_axe_violations(page)
