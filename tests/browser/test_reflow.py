"""Phones (WCAG 1.4.10 Reflow): every public page type fits 320 and 390 CSS pixels.

No page may scroll sideways at those widths, whatever the content: long e-mail
addresses, long words in titles and several filters.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import (
    TEST_PASSWORD,
    IdeaFactory,
    UnitFactory,
    UserFactory,
    challenge_index,
    create_challenge,
)

LONG_EMAIL = "postmottak.helse-og-omsorg.tjenestekontoret@fjordvik.kommune.example.no"
WIDTHS = [320, 390]


@pytest.fixture
def content(base, settings):
    from cms.models import HomePage, StandardPage

    UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG, name="Strategi og utvikling")
    unit = UnitFactory(name="Helse og omsorg", slug="helse-og-omsorg", contact_email=LONG_EMAIL)
    contact = UserFactory(display_name="Solveig Lie")
    challenge = create_challenge(
        title="Ensomhet blant eldre som bor hjemme", owning_unit=unit, contact_person=contact
    )
    idea = IdeaFactory(
        challenge=challenge,
        owning_unit=unit,
        title="Nabolagskaffe hver torsdag på frivilligsentralen",
        description="Vi inviterer til kaffe.\n\nSe https://fjordvik.kommune.example.no/"
        "frivilligsentralen/arrangementer/nabolagskaffe-hver-torsdag",
    )
    page = StandardPage(title="Slik fungerer det", slug="slik-fungerer-det")
    HomePage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    user = UserFactory(email=LONG_EMAIL.replace("postmottak", "kari"), display_name="Kari")
    return {"challenge": challenge, "idea": idea, "standard": page, "user": user}


def log_in(page: Page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min profil")


def assert_no_horizontal_scrolling(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " [...document.querySelectorAll('main *')].filter(el => {"
        "   const r = el.getBoundingClientRect();"
        "   return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1);"
        " }).slice(0, 5).map(el => el.tagName + '.' + el.className)]"
    )
    scroll_width, inner_width, overflowing = widths
    assert scroll_width <= inner_width, (
        f"{page.url} is {scroll_width}px wide at {inner_width}px: {overflowing}"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_fit_a_phone_without_scrolling_sideways(page: Page, base, content, width):
    page.set_viewport_size({"width": width, "height": 800})
    paths = [
        "/",
        challenge_index().url,
        content["challenge"].url,
        "/ideas/",
        content["idea"].get_absolute_url(),
        "/search/?q=kaffe",
        "/accounts/login/",
        "/accounts/signup/",
        content["standard"].url,
    ]
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert_no_horizontal_scrolling(page)

    log_in(page, base, content["user"])
    for path in ["/accounts/profile/", "/ideas/mine/", "/ideas/new/", content["challenge"].url]:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert_no_horizontal_scrolling(page)


def assert_inside(page: Page, inner: str, outer: str) -> None:
    inner_box = page.locator(inner).first.bounding_box()
    outer_box = page.locator(outer).first.bounding_box()
    assert inner_box["x"] >= outer_box["x"] - 1, inner
    assert inner_box["x"] + inner_box["width"] <= outer_box["x"] + outer_box["width"] + 1, inner


def test_long_e_mail_addresses_wrap_inside_their_box(page: Page, base, content):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(base + content["challenge"].url)
    assert_inside(page, ".challenges-detail__facts a[href^='mailto:']", ".challenges-detail__facts")
    log_in(page, base, content["user"])
    page.goto(base + "/accounts/profile/")
    assert_inside(page, "main strong", "main")


def test_idea_and_challenge_pages_stack_their_columns_on_a_phone(page: Page, base, content):
    page.set_viewport_size({"width": 390, "height": 800})
    for path, main, aside in (
        (content["idea"].get_absolute_url(), ".ideas-detail__main", ".ideas-detail__aside"),
        (content["challenge"].url, ".challenges-detail__main", ".challenges-detail__facts"),
    ):
        page.goto(base + path)
        main_box = page.locator(main).bounding_box()
        aside_box = page.locator(aside).bounding_box()
        # One column: the side box comes below the text, and the text gets the width.
        assert aside_box["y"] >= main_box["y"] + main_box["height"], path
        assert main_box["width"] >= 390 - 2 * 16 - 1, path


def test_idea_filters_fold_away_on_a_phone_and_stay_open_on_a_wide_screen(
    page: Page, base, content
):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(base + "/ideas/")
    toggle = page.locator("main summary", has_text="Filtrer og sorter")
    expect(toggle).to_be_visible()
    expect(page.get_by_label("Sorter etter")).to_be_hidden()
    # The first result is on the first screen, not below the filters.
    first = page.get_by_role("link", name=content["idea"].title)
    assert first.bounding_box()["y"] < 800
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Sorter etter")).to_be_visible()

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base + "/ideas/")
    expect(page.get_by_label("Sorter etter")).to_be_visible()


def test_idea_filters_fold_away_on_a_phone_without_javascript_too(browser, base, content):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(base + "/ideas/")
    expect(page.get_by_label("Sorter etter")).to_be_hidden()
    page.locator("main summary", has_text="Filtrer og sorter").click()
    expect(page.get_by_label("Sorter etter")).to_be_visible()
    assert_no_horizontal_scrolling(page)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base + "/ideas/")
    expect(page.get_by_label("Sorter etter")).to_be_visible()
    context.close()
