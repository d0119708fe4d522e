"""From nyttig to nyttiggjort in a real browser: a caseworker of the owning unit turns an
accepted idea into a project in the Wagtail admin, adds a gain, records its baseline
and two measurements, and the public pages show them: the project page's gain with
those figures in its chart's table, and the idea page naming the project."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from ideas.models import IdeaStatus
from projects.models import Project
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.browser.test_triage import admin_log_in
from tests.factories import IdeaFactory, UnitFactory
from tests.ideas.triage_helpers import admin_staff_of


def record(page: Page, action: str, summary: str, *, value: str, day: datetime.date, source: str):
    """Open one of the gain page's actions and submit its form."""
    page.locator("summary", has_text=summary).click()
    form = page.locator(f"form[action$='/{action}/']")
    form.get_by_label("Verdi").fill(value)
    form.get_by_label("Målt").fill(day.isoformat())
    form.get_by_label("Kilde").fill(source)
    form.get_by_role("button", name="Lagre").click()


def test_staff_carry_an_idea_into_a_project_and_the_public_sees_its_gain(page: Page, base: str):
    today = timezone.localdate()
    baseline_on = today - datetime.timedelta(days=90)
    first_on, second_on = today - datetime.timedelta(days=60), today - datetime.timedelta(days=3)
    unit = UnitFactory(name="Helse og omsorg", slug="helse-og-omsorg")
    staff = admin_staff_of(unit, display_name="Siri Aasen")
    idea = IdeaFactory(
        owning_unit=unit,
        status=IdeaStatus.ACCEPTED,
        title="Kaffebuss til frivilligsentralen",
        summary="En buss som henter eldre til kaffe og prat.",
    )

    admin_log_in(page, base, staff)
    # From the accepted idea's triage page to the start form, with the idea chosen.
    page.goto(f"{base}/admin/triage/{idea.pk}/")
    page.get_by_role("link", name="Start et prosjekt fra denne ideen").click()
    expect(page.get_by_label(re.compile(re.escape(idea.reference)))).to_be_checked()
    page.get_by_label("Navn").fill("Kaffebussen")
    page.get_by_label("Offentlig sammendrag").fill(
        "Vi prøver en buss som henter eldre som bor alene til frivilligsentralen."
    )
    page.get_by_role("button", name="Start prosjektet").click()
    expect(page.get_by_text("Prosjektet er startet.")).to_be_visible()
    project = Project.objects.get()
    assert (project.owning_unit, project.owner) == (unit, staff)

    # The realisation plan: add a gain, then its baseline and two measurements.
    page.get_by_role("link", name="Åpne gevinstrealiseringsplanen").click()
    form = page.locator(f"form[action$='/gains/project/{project.pk}/']")
    form.get_by_label("Beskrivelse").fill("Eldre som bor alene kommer seg oftere ut.")
    form.get_by_label("Gevinsttype").select_option("quality")
    form.get_by_label("Indikator").fill("Besøk på frivilligsentralen")
    form.get_by_label("Måleenhet").fill("besøk per uke")
    form.get_by_label("Målverdi").fill("60")
    form.get_by_label("Måldato").fill((today + datetime.timedelta(days=270)).isoformat())
    form.get_by_label("Gevinsteier").select_option(label="Siri Aasen")
    form.get_by_role("button", name="Legg til gevinsten").click()
    expect(page.get_by_text("Gevinsten er lagt til.")).to_be_visible()

    record(
        page,
        "baseline",
        "Registrer nullpunktsmålingen",
        value="42",
        day=baseline_on,
        source="Besøksprotokollen",
    )
    expect(page.get_by_text("Nullpunktsmålingen er registrert.")).to_be_visible()
    # A number field: typed with a point, shown the Norwegian way (51,50).
    for value, day in (("47", first_on), ("51.5", second_on)):
        record(page, "measurement", "Registrer en måling", value=value, day=day, source="Protokoll")
        expect(page.get_by_text("Målingen er registrert.")).to_be_visible()

    # The public project page: the gain, and its chart's table with those figures.
    page.context.clear_cookies()
    page.goto(base + project.get_absolute_url())
    gain = page.locator("article.gains-gain", has_text="Besøk på frivilligsentralen")
    expect(gain).to_be_visible()
    expect(gain.locator("svg.gains-chart circle")).to_have_count(3)
    rows = gain.locator("table.gains-table tbody tr")
    expected = [
        ("baseline", baseline_on, "42"),
        ("measurement", first_on, "47"),
        ("measurement", second_on, "51,50"),
        ("target", today + datetime.timedelta(days=270), "60"),
    ]
    expect(rows).to_have_count(len(expected))
    for row, (kind, day, value) in zip(rows.all(), expected, strict=True):
        expect(row).to_have_attribute("data-kind", kind)
        expect(row.locator("time")).to_have_attribute("datetime", day.isoformat())
        expect(row.locator("td.gains-table__value")).to_have_text(value)
    assert_no_serious_axe_violations(page)

    # The idea page says where the idea went.
    page.goto(base + idea.get_absolute_url())
    section = page.locator(".projects-idea-section")
    expect(section).to_contain_text("Denne ideen føres videre i prosjektet Kaffebussen.")
    section.get_by_role("link", name="Kaffebussen").click()
    expect(page).to_have_url(re.compile(re.escape(project.get_absolute_url()) + "$"))
