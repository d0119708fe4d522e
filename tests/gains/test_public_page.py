"""The gains on the public project page: chart and table agree, nothing internal shows,
a change shows at once, and what it costs."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from gains import actions
from gains.models import GainStatus
from tests.factories import UnitFactory
from tests.gains.helpers import days_ago, quality_gain
from tests.ideas.triage_helpers import admin_staff_of
from tests.projects.helpers import started_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site_settings):
    unit = UnitFactory()
    staff = admin_staff_of(unit, display_name="Gunn Gevinsteier")
    project = started_project(unit, by=staff, name="Kaffebussen")
    gain = quality_gain(project, by=staff)
    for value, days in (("110.5", 120), ("1234.25", 30)):
        actions.gain_record_measurement(
            gain=gain,
            by=staff,
            value=Decimal(value),
            measured_on=days_ago(days),
            source="INTERN KILDE",
            comment="INTERN KOMMENTAR",
        )
    late = quality_gain(project, by=staff, indicator="Besøk per dag")
    actions.gain_change_status(
        gain=late, by=staff, status=GainStatus.NOT_REALISED, deviation="Bussen ble forsinket."
    )
    return {"project": project, "gain": gain, "staff": staff}


def _gain_article(html: str, indicator: str) -> str:
    start = html.index(f">{indicator}</h3>")
    return html[start : html.index("</article>", start)]


def test_chart_and_table_show_the_same_figures(client, world):
    html = client.get(world["project"].get_absolute_url()).content.decode()
    article = _gain_article(html, "Timer kjøring per uke")
    chart = article[article.index("<svg") : article.index("</svg>")]
    table = article[article.index("<table") : article.index("</table>")]
    chart_figures = re.findall(r'data-value="([^"]+)" data-kind="(\w+)"', chart)
    table_figures = re.findall(
        r'<tr data-kind="(\w+)">.*?gains-table__value">([^<]+)</td>', table, re.S
    )
    assert sorted((kind, value) for value, kind in chart_figures) == sorted(table_figures)
    assert len(table_figures) == 4  # baseline, two measurements, target
    assert ("measurement", "1\xa0234,25") in table_figures  # Norwegian number format
    assert 'role="img"' in chart and "<desc" in chart


def test_nothing_internal_shows_and_the_deviation_does(client, world):
    html = client.get(world["project"].get_absolute_url()).content.decode()
    for secret in ("INTERN KILDE", "INTERN KOMMENTAR", "Gunn Gevinsteier", "Turnus"):
        assert secret not in html
    assert "Bussen ble forsinket." in html
    assert "<script" not in _gain_article(html, "Besøk per dag")
    assert "style=" not in html[html.index('id="gains-heading"') :]


def test_a_new_measurement_shows_at_once(client, world):
    url = world["project"].get_absolute_url()
    client.get(url)
    actions.gain_record_measurement(
        gain=world["gain"],
        by=world["staff"],
        value=Decimal("77"),
        measured_on=days_ago(2),
        source="S",
    )
    assert ">77</td>" in client.get(url).content.decode()


def test_query_budget(django_assert_max_num_queries, world):
    url = world["project"].get_absolute_url()
    with django_assert_max_num_queries(30):
        Client().get(url)
    for _ in range(3):
        quality_gain(world["project"], by=world["staff"], indicator=f"Flere {_}")
    with django_assert_max_num_queries(30):
        cold = Client().get(url)
    assert cold.status_code == 200
    with django_assert_max_num_queries(12):
        Client().get(url)  # warm: the gains section costs nothing
