"""The regional front page and a municipality's own site reached by its hostname, in a
real browser (docs/regional.md)."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from challenges.municipal_sites import ensure_home
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.challenges.test_municipal_sites import _challenge_below
from tests.factories import MunicipalityFactory, UnitFactory, default_municipality


def _region():
    fjordvik = default_municipality()
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
    fjordvik_home = ensure_home(fjordvik)
    havbygd_home = ensure_home(havbygd)
    _challenge_below(fjordvik_home, title="Trygg skolevei", unit=UnitFactory())
    _challenge_below(havbygd_home, title="Rent hav", unit=UnitFactory(municipality=havbygd))
    return fjordvik, havbygd


def test_the_regional_front_page_leads_to_each_municipality(page: Page, base: str):
    _region()

    page.goto(base + "/")
    municipalities = page.get_by_role("region", name="Kommunene i samarbeidet")
    expect(municipalities.get_by_role("link", name="Fjordvik kommune")).to_be_visible()
    expect(page.get_by_role("link", name="Rent hav")).to_be_visible()
    expect(page.get_by_role("link", name="Trygg skolevei")).to_be_visible()
    assert_no_serious_axe_violations(page)

    municipalities.get_by_role("link", name="Havbygd kommune").click()
    expect(page).to_have_url(base + "/havbygd/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Havbygd kommune")
    expect(page.get_by_role("link", name="Rent hav")).to_be_visible()
    expect(page.get_by_role("link", name="Trygg skolevei")).to_have_count(0)
    assert_no_serious_axe_violations(page)


def test_a_municipality_own_hostname_shows_its_site_without_the_prefix(page: Page, base: str):
    port = urlsplit(base).port
    fjordvik = default_municipality()
    home = ensure_home(fjordvik, hostname="fjordvik.localhost", port=port)
    _challenge_below(home, title="Trygg skolevei", unit=UnitFactory())
    own = f"http://fjordvik.localhost:{port}"

    page.goto(own + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fjordvik kommune")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Trygg skolevei").click()
    expect(page).to_have_url(own + "/utfordringer/trygg-skolevei/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trygg skolevei")
    page.goto(own + "/ideer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ideer for Fjordvik kommune")
