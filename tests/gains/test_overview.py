""" "Hva er gevinsten?" and "Tatt i bruk": the sums are right and never mix units, chart
and table agree, nothing hidden or internal shows, both languages, and what it costs."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gains import actions, overview
from gains.models import GainStatus, GainType
from ideas.models import IdeaStatus
from projects.actions import project_log, project_put_into_use
from projects.models import Project
from tests.factories import IdeaFactory, MunicipalityFactory, ThemeFactory, UnitFactory
from tests.ideas.triage_helpers import admin_staff_of
from tests.projects.helpers import accepted_idea, started_project

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days_ago(days: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=days)


def gain(project, by, *, unit, baseline, target, measured=(), type=GainType.QUALITY, **extra):
    """A gain with a baseline 200 days ago, a target 165 days ahead (a year's line) and
    measurements given as (value, days ago)."""
    row = actions.gain_add(
        project=project,
        by=by,
        description=extra.pop("description", f"Gevinst i {unit}"),
        type=type,
        indicator=extra.pop("indicator", f"Målt i {unit}"),
        unit=unit,
        target_value=Decimal(target),
        target_on=days_ago(-165),
        owner=by,
    )
    actions.gain_record_baseline(
        gain=row, by=by, value=Decimal(baseline), measured_on=days_ago(200), source="Telling"
    )
    for value, days in measured:
        actions.gain_record_measurement(
            gain=row,
            by=by,
            value=Decimal(value),
            measured_on=days_ago(days),
            source="INTERN KILDE",
            comment="INTERN KOMMENTAR",
        )
    row.refresh_from_db()
    return row


@pytest.fixture
def region(site_settings):
    """Two municipalities. Fjordvik: two projects (one put into use), gains of every
    type, one behind plan, one planned, one not realised; hidden and withdrawn ideas.
    Havbygd: one project with hours."""
    fjordvik = MunicipalityFactory(name="Fjordvik", slug="fjordvik")
    havbygd = MunicipalityFactory(name="Havbygd", slug="havbygd")
    helse = UnitFactory(name="Helse og omsorg", slug="helse", municipality=fjordvik)
    teknisk = UnitFactory(name="Teknisk drift", slug="teknisk", municipality=fjordvik)
    hav = UnitFactory(name="Havbygd oppvekst", slug="hav-oppvekst", municipality=havbygd)
    elders = ThemeFactory(name="Eldre", slug="eldre")
    climate = ThemeFactory(name="Klima", slug="klima")
    staff = admin_staff_of(helse, display_name="Hanne Prosjekteier")
    tech = admin_staff_of(teknisk)
    hav_staff = admin_staff_of(hav)

    bus = started_project(
        helse, by=staff, name="Kaffebussen", ideas=[accepted_idea(helse, theme=elders)]
    )
    bus.budget = Decimal("987654")
    bus.save()
    project_log(project=bus, by=staff, text="HEMMELIG LOGG")
    gain(bus, staff, unit="NOK/år", type=GainType.ECONOMIC, baseline=0, target=500000,
         measured=[("250000", 30)])  # fmt: skip
    hours = gain(bus, staff, unit="timer", baseline=120, target=80, measured=[("100", 30)])
    # Down, as the target wants: +20. Realised gains count as well as those being realised.
    actions.gain_change_status(gain=hours, by=staff, status=GainStatus.REALISED)
    gain(bus, staff, unit="besøk", baseline=0, target=10)  # planned: nothing measured
    project_put_into_use(
        project=bus, by=staff, public_text="Bussen går hver tirsdag.", origin="first",
        values=["value_quality"],
    )  # fmt: skip

    lights = started_project(
        teknisk,
        by=tech,
        name="Lysstyring",
        ideas=[accepted_idea(teknisk, theme=climate), accepted_idea(teknisk, theme=elders)],
    )
    gain(lights, tech, unit="Timer ", baseline=10, target=20, measured=[("15", 20)])  # +5
    gain(lights, tech, unit="prosent", baseline=50, target=80, measured=[("70", 20)])  # +20
    gain(lights, tech, unit="besøk", type=GainType.OTHERS, baseline=0, target=100,
         measured=[("60", 10)])  # fmt: skip
    # 190 of 365 days along the line from 0 to 100: planned 52, measured 5: behind plan.
    gain(lights, tech, unit="turer", type=GainType.OTHERS, baseline=0, target=100,
         measured=[("5", 10)], indicator="Turer med bussen")  # fmt: skip
    dropped = gain(lights, tech, unit="tonn CO₂", baseline=10, target=5, measured=[("9", 50)])
    actions.gain_change_status(
        gain=dropped, by=tech, status=GainStatus.NOT_REALISED, deviation="Leverandøren sviktet."
    )

    ferry = started_project(hav, by=hav_staff, name="Fergeappen", ideas=[accepted_idea(hav)])
    gain(ferry, hav_staff, unit="timer", baseline=0, target=10, measured=[("7", 5)])  # +7
    # The same unit as a gain for others in Fjordvik, but a quality gain: never added to it.
    gain(ferry, hav_staff, unit="besøk", baseline=0, target=10, measured=[("4", 5)])

    IdeaFactory(owning_unit=helse)  # submitted
    IdeaFactory(owning_unit=helse, status=IdeaStatus.REJECTED)
    IdeaFactory(owning_unit=helse, status=IdeaStatus.ACCEPTED, is_hidden=True, title="SKJULT")
    IdeaFactory(owning_unit=helse, status=IdeaStatus.WITHDRAWN, title="TRUKKET")
    IdeaFactory(
        owning_unit=helse, status=IdeaStatus.IMPLEMENTED, title="Benker ved kaia", summary="Ti nye"
    )
    IdeaFactory(owning_unit=helse, status=IdeaStatus.IMPLEMENTED, is_hidden=True, title="SKJULT2")
    return {"fjordvik": fjordvik, "havbygd": havbygd, "bus": bus, "lights": lights}


def _sums(figures: overview.Overview) -> dict[tuple[str, str], Decimal]:
    return {(t.measure.type, t.measure.unit.casefold()): t.total for t in figures.totals}


def test_sums_by_type_and_unit_never_mix_units(region):
    figures = overview.overview(region["fjordvik"])
    assert _sums(figures) == {
        ("economic", "nok/år"): Decimal("250000"),
        ("quality", "timer"): Decimal("25"),  # 20 (a fall, as the target wants) + 5
        ("quality", "prosent"): Decimal("20"),
        ("others", "besøk"): Decimal("60"),  # not added to the quality gains' units
        ("others", "turer"): Decimal("5"),
    }
    # Economic first, then quality, then for others.
    assert [t.measure.type for t in figures.totals][0] == "economic"
    assert [t.measure.type for t in figures.totals][-1] == "others"


def test_the_region_sums_every_active_municipality(region):
    region_sums = _sums(overview.overview(None))
    assert region_sums[("quality", "timer")] == Decimal("32")
    assert region_sums[("quality", "besøk")] == Decimal("4")
    assert region_sums[("others", "besøk")] == Decimal("60")
    assert _sums(overview.overview(region["havbygd"])) == {
        ("quality", "timer"): Decimal("7"),
        ("quality", "besøk"): Decimal("4"),
    }
    region["havbygd"].is_active = False
    region["havbygd"].save()
    assert _sums(overview.overview(None))[("quality", "timer")] == Decimal("25")


def test_sums_by_theme_and_by_unit(region):
    figures = overview.overview(region["fjordvik"])
    by_theme = {(str(r.label), r.measure.unit.casefold()): r.total for r in figures.by_theme}
    # Lysstyring carries ideas of both themes: it counts in each.
    assert by_theme[("Eldre", "timer")] == Decimal("25")
    assert by_theme[("Klima", "timer")] == Decimal("5")
    assert ("Klima", "nok/år") not in by_theme
    by_unit = {(str(r.label), r.measure.unit.casefold()): r.total for r in figures.by_unit}
    assert by_unit[("Helse og omsorg", "timer")] == Decimal("20")
    assert by_unit[("Teknisk drift", "timer")] == Decimal("5")
    assert by_unit[("Helse og omsorg", "nok/år")] == Decimal("250000")


def test_the_funnel_counts_public_ideas_only(region):
    funnel = overview.overview(region["fjordvik"]).funnel
    # Public: 3 in projects (put into use or accepted), submitted, rejected, implemented.
    assert (funnel.ideas, funnel.useful, funnel.projects, funnel.put_into_use) == (6, 4, 2, 1)


def test_behind_plan_as_defined(region):
    behind = overview.overview(region["fjordvik"]).behind_plan
    assert {row.gain.indicator: row.expected for row in behind} == {
        "Turer med bussen": Decimal("52.05"),  # 190 of 365 days of the way from 0 to 100
        "Målt i tonn CO₂": Decimal("7.95"),  # declared not realised
    }


@pytest.mark.parametrize(
    ("baseline", "target", "latest", "behind"),
    [("0", "100", "60", False), ("0", "100", "40", True), ("100", "0", "40", False),
     ("100", "0", "60", True)],
)  # fmt: skip
def test_behind_plan_follows_the_direction_of_the_target(baseline, target, latest, behind):
    row = overview.Gain(
        status=GainStatus.REALISING,
        baseline_value=Decimal(baseline),
        baseline_on=datetime.date(2026, 1, 1),
        target_value=Decimal(target),
        target_on=datetime.date(2026, 1, 11),
    )
    measured = [overview.Measurement(value=Decimal(latest), measured_on=datetime.date(2026, 1, 6))]
    assert overview.is_behind_plan(row, measured) is behind


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _chart_and_table(html: str, heading_id: str) -> tuple[list[str], list[str]]:
    start = html.index(f'id="{heading_id}"')
    part = html[start : html.index("</table>", start)]
    chart = re.findall(r'data-value="([^"]+)"', part[part.index("<svg") : part.index("</svg>")])
    table = re.findall(r'gains-table__value">([^<]+)</td>', part[part.index("<table") :])
    return chart, table


def test_chart_and_table_show_the_same_figures(client, region):
    html = _page(client, reverse("gains:overview_municipality", args=["fjordvik"]))
    chart, table = _chart_and_table(html, "funnel-heading")
    assert chart == table == ["6", "4", "2", "1"]
    start = html.index('data-measure="economic:NOK/år"')
    part = html[start : html.index("</table>", start)]
    assert re.findall(r'data-value="([^"]+)"', part) == ["250\xa0000"]
    assert re.findall(r'gains-table__value">([^<]+)</td>', part) == ["250\xa0000"]
    assert 'data-total="250\xa0000"' in part
    start = html.index('data-measure="quality:timer"')
    part = html[start : html.index("</table>", start)]
    chart = re.findall(r'data-value="([^"]+)"', part)
    assert chart == re.findall(r'gains-table__value">([^<]+)</td>', part)
    assert sorted(chart) == ["20", "5"]
    assert 'data-total="25"' in part


def test_chart_coordinates_are_numbers_in_both_languages(client, region):
    """Norwegian writes 8,5 for 8.5; an SVG coordinate written so is not drawn."""
    for url in (
        "/prosjekter/gevinster/",
        "/en/prosjekter/gevinster/",
        region["bus"].get_absolute_url(),
    ):
        svgs = re.findall(r"<svg.*?</svg>", _page(client, url), re.S)
        assert svgs
        for svg in svgs:
            coordinates = re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"', svg)
            assert coordinates and all("," not in value for value in coordinates), url


def test_one_unit_is_written_one_way(region):
    figures = overview.overview(region["fjordvik"])
    hours = {row.measure.unit for row in figures.by_unit if row.measure.key == "timer"}
    assert hours == {"timer"}


def test_nothing_hidden_or_internal_shows(client, region):
    for url in (
        reverse("gains:overview_municipality", args=["fjordvik"]),
        reverse("gains:showcase_municipality", args=["fjordvik"]),
        reverse("gains:overview"),
        reverse("gains:showcase"),
    ):
        html = _page(client, url)
        for secret in (
            "987",  # the budget, in any format
            "HEMMELIG LOGG",
            "INTERN KILDE",
            "INTERN KOMMENTAR",
            "Telling",  # the baseline's source
            "Hanne Prosjekteier",
            "SKJULT",
            "TRUKKET",
        ):
            assert secret not in html, (url, secret)


def test_the_gains_page_says_what_it_counts(client, region):
    html = _page(client, reverse("gains:overview_municipality", args=["fjordvik"]))
    assert "Leverandøren sviktet." in html
    assert "rett linje" in html  # the definition of behind plan, in Norwegian
    assert "Lysstyring" in html and "Fergeappen" not in html
    assert 'aria-current="page">Fjordvik' in html


def test_the_showcase_tells_the_story(client, region):
    html = _page(client, reverse("gains:showcase_municipality", args=["fjordvik"]))
    assert "Kaffebussen" in html and "Bussen går hver tirsdag." in html
    assert region["bus"].get_absolute_url() in html
    assert "Helse og omsorg" in html
    assert "Benker ved kaia" in html  # put into use without a project
    assert "Lysstyring" not in html  # not put into use
    story = html[html.index("Kaffebussen") :]
    assert 'data-value="250\xa0000"' in story and 'data-value="20"' in story


def test_both_languages_render(client, region):
    nb = _page(client, "/prosjekter/gevinster/")
    assert "Hva er gevinsten?" in nb and "Gevinster bak plan" in nb
    en = _page(client, "/en/prosjekter/gevinster/")
    assert "What are the gains?" in en and "Gains behind plan" in en and 'lang="en"' in en
    assert "Tatt i bruk" in _page(client, "/prosjekter/tatt-i-bruk/fjordvik/")
    assert "Projects put into use" in _page(client, "/en/prosjekter/tatt-i-bruk/fjordvik/")


def test_unknown_or_inactive_municipality_is_not_found(client, region):
    assert (
        client.get(reverse("gains:overview_municipality", args=["finnes-ikke"])).status_code == 404
    )
    region["havbygd"].is_active = False
    region["havbygd"].save()
    assert client.get(reverse("gains:showcase_municipality", args=["havbygd"])).status_code == 404


def test_a_project_never_takes_the_pages_addresses(region):
    lights = region["lights"]
    project = started_project(lights.owning_unit, name="Gevinster")
    assert project.slug != "gevinster"
    assert Project.objects.filter(slug="gevinster").count() == 0


def test_the_project_page_links_both_pages(client, region):
    html = _page(client, region["bus"].get_absolute_url())
    assert reverse("gains:overview_municipality", args=["fjordvik"]) in html
    assert reverse("gains:showcase_municipality", args=["fjordvik"]) in html


def test_the_municipality_home_page_links_both_pages(client, region):
    from challenges.municipal_sites import ensure_home

    ensure_home(region["fjordvik"])
    html = _page(client, "/fjordvik/")
    assert 'href="/prosjekter/gevinster/fjordvik/"' in html
    assert 'href="/prosjekter/tatt-i-bruk/fjordvik/"' in html
    assert "Hva er gevinsten?" in html


def _more_projects(region, count: int) -> None:
    unit = region["lights"].owning_unit
    staff = admin_staff_of(unit)
    for number in range(count):
        project = started_project(unit, by=staff, name=f"Prosjekt {number}")
        gain(project, staff, unit=f"enhet {number % 3}", baseline=0, target=10,
             measured=[("3", 40), ("4", 20)])  # fmt: skip
        project_put_into_use(project=project, by=staff, public_text="I bruk.", origin="first")


@pytest.mark.parametrize("view", ["gains:overview", "gains:showcase"])
def test_query_budget_does_not_grow_with_projects(
    client, region, view, django_assert_max_num_queries
):
    url = reverse(f"{view}_municipality", args=["fjordvik"])
    with django_assert_max_num_queries(13):
        _page(client, url)
    _more_projects(region, 12)
    with django_assert_max_num_queries(13):
        html = _page(client, url)
    assert "Prosjekt 11" in html
    with django_assert_max_num_queries(2):  # warm: the page from the cache
        _page(client, url)
