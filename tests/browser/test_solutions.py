"""The solution library in a real browser: Havbygd adopts a Fjordvik solution, measures
it against its own baseline, and Fjordvik's solution page shows that it worked there."""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import Page, expect

from gains.models import Gain, GainStatus
from ideas.models import IdeaStatus
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.browser.test_ideas import log_in
from tests.browser.test_projects_journey import record
from tests.browser.test_triage import admin_log_in
from tests.factories import (
    IdeaFactory,
    MunicipalityFactory,
    UnitFactory,
    UserFactory,
    default_municipality,
)
from tests.gains.helpers import days_ago
from tests.ideas.triage_helpers import admin_staff_of
from tests.solutions.helpers import editor_of, published_from, put_into_use_project, realised_gain


def test_havbygd_adopts_a_fjordvik_solution_and_fjordvik_sees_it_realised(page: Page, base: str):
    fjordvik_unit = UnitFactory(municipality=default_municipality(), name="Helse og omsorg")
    fjordvik_staff = admin_staff_of(fjordvik_unit)
    project = put_into_use_project(fjordvik_unit, by=fjordvik_staff)
    realised_gain(project, by=fjordvik_staff)
    solution = published_from(
        project, by=fjordvik_staff, reviewer=editor_of(fjordvik_unit.municipality)
    )
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
    havbygd_staff = admin_staff_of(UnitFactory(municipality=havbygd, name="Havbygd helse"))

    admin_log_in(page, base, havbygd_staff)
    page.goto(base + solution.get_absolute_url())
    expect(page.get_by_text("Ingen annen kommune har tatt den i bruk ennå.").first).to_be_visible()
    page.get_by_role("link", name="Ta i bruk denne løsningen i kommunen deres").click()
    page.get_by_label("Navn på prosjektet deres").fill("Nattilsyn i Havbygd")
    page.get_by_role("button", name="Ta i bruk løsningen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nattilsyn i Havbygd")

    # Havbygd's copied gain, without Fjordvik's figures: their own baseline and
    # measurement, recorded in the gains screens, then marked realised.
    gain = Gain.objects.get(project__name="Nattilsyn i Havbygd")
    assert gain.baseline_on is None and not gain.measurements.exists()
    page.get_by_role("link", name="Åpne gevinstrealiseringsplanen").click()
    page.get_by_role("link", name=gain.indicator).click()
    record(
        page,
        "baseline",
        "Registrer nullpunktsmålingen",
        value="140",
        day=days_ago(90),
        source="Egen",
    )
    expect(page.get_by_text("Nullpunktsmålingen er registrert.")).to_be_visible()
    record(page, "measurement", "Registrer en måling", value="95", day=days_ago(3), source="Egen")
    expect(page.get_by_text("Målingen er registrert.")).to_be_visible()
    page.locator("summary", has_text="Endre status").click()
    status_form = page.locator("form[action$='/status/']")
    status_form.get_by_label("Ny status").select_option(GainStatus.REALISED)
    status_form.get_by_role("button", name="Lagre").click()
    gain.refresh_from_db()
    assert gain.status == GainStatus.REALISED
    assert gain.baseline_value == Decimal("140")

    page.context.clear_cookies()
    page.goto(base + solution.get_absolute_url())
    expect(page.locator("#solution-reuse")).to_have_text(
        "Realisert i 1 av 1 kommune som tok den i bruk"
    )
    adopters = page.get_by_role("region", name="Hvem som har tatt den i bruk")
    expect(adopters.get_by_role("link", name="Nattilsyn i Havbygd")).to_be_visible()
    expect(adopters.get_by_role("cell", name="Havbygd kommune")).to_be_visible()
    # Havbygd's own figures on Fjordvik's page: its baseline, its measurement, the change.
    measured = adopters.get_by_role(
        "table", name="Målt i Havbygd kommune, mot egen nullpunktsmåling"
    )
    row = measured.get_by_role("row", name=gain.indicator)
    expect(row).to_contain_text("140")
    expect(row).to_contain_text("95")
    expect(row).to_contain_text("-45")
    assert_no_serious_axe_violations(page)


def test_connect_before_building_hints_are_accessible(page: Page, base: str):
    """The two "already solved elsewhere" hints: on the citizen's idea form while the
    title is typed, and on the staff's project start form for a similar idea."""
    fjordvik_unit = UnitFactory(municipality=default_municipality(), name="Helse og omsorg")
    fjordvik_staff = admin_staff_of(fjordvik_unit)
    project = put_into_use_project(fjordvik_unit, by=fjordvik_staff)
    solution = published_from(
        project, by=fjordvik_staff, reviewer=editor_of(fjordvik_unit.municipality)
    )
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
    havbygd_unit = UnitFactory(municipality=havbygd, name="Havbygd helse")
    havbygd_staff = admin_staff_of(havbygd_unit)

    log_in(page, base, UserFactory(display_name="Solveig"))
    page.goto(f"{base}/ideas/new/")
    page.get_by_label("Tittel").press_sequentially("Digitalt tilsyn om natten for eldre")
    hint = page.locator("#similar-ideas").get_by_role("heading", name="Allerede løst et annet sted")
    expect(hint).to_be_visible()
    expect(
        page.locator("#similar-ideas").get_by_role("link", name=re.compile(solution.title))
    ).to_be_visible()
    assert_no_serious_axe_violations(page)

    idea = IdeaFactory(
        owning_unit=havbygd_unit,
        title="Tilsyn om natten uten å vekke de eldre",
        summary="Digitalt tilsyn om natten.",
        status=IdeaStatus.ACCEPTED,
    )
    page.context.clear_cookies()
    admin_log_in(page, base, havbygd_staff)
    page.goto(f"{base}{reverse('projects_staff:start')}?idea={idea.pk}")
    region = page.get_by_role("region", name="Allerede løst et annet sted")
    expect(region.get_by_role("link", name=solution.title, exact=True)).to_be_visible()
    expect(region.get_by_role("link", name=f"ta i bruk «{solution.title}»")).to_be_visible()
    assert_no_serious_axe_violations(page)
