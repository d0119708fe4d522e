"""The public library and a solution's page: only published solutions, the filters and
sorting, what a page shows (gains with measurements, adopters, "realised in N of M",
Open Graph), what it never shows, and what the pages cost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from challenges.models import Theme
from gains import actions as gain_actions
from gains.models import Gain, GainStatus
from ideas.models import Idea, IdeaStatus
from projects import actions as project_actions
from solutions import actions
from tests.factories import IdeaFactory, MunicipalityFactory, UnitFactory
from tests.gains.helpers import days_ago
from tests.ideas.triage_helpers import admin_staff_of
from tests.solutions.helpers import (
    DETAILS,
    draft_from,
    editor_of,
    published_from,
    put_into_use_project,
    realised_gain,
)

pytestmark = pytest.mark.django_db
LIBRARY = "/losninger/"


@pytest.fixture
def world(site_settings):
    municipality = MunicipalityFactory(name="Fjordvik kommune", slug="fjordvik", inhabitants=24_500)
    unit = UnitFactory(municipality=municipality)
    staff = admin_staff_of(unit)
    editor = editor_of(municipality)
    project = put_into_use_project(unit, by=staff)
    project_actions.project_edit(project=project, by=staff, budget=987654)
    realised_gain(project, by=staff)
    theme = Theme.objects.create(name="God helhet", slug="god-helhet")
    solution = published_from(project, by=staff, reviewer=editor, themes=[theme])
    return {
        "unit": unit,
        "staff": staff,
        "editor": editor,
        "project": project,
        "solution": solution,
        "theme": theme,
    }


def _titles(client, **params) -> str:
    return client.get(LIBRARY, params).content.decode()


def test_only_published_solutions_are_public(client, world):
    staff, editor, project = world["staff"], world["editor"], world["project"]
    draft = draft_from(project, by=staff, title="Utkast om natten")
    in_review = draft_from(project, by=staff, title="Til vurdering")
    actions.solution_step(solution=in_review, by=staff, step="submit")
    withdrawn = published_from(project, by=staff, reviewer=editor, title="Trukket tilbake")
    actions.solution_step(solution=withdrawn, by=staff, step="withdraw", comment="Gammel")
    html = _titles(client)
    assert "Digitalt tilsyn om natten" in html
    for hidden in (draft, in_review, withdrawn):
        assert hidden.title not in html
        assert client.get(hidden.get_absolute_url()).status_code == 404


def test_the_page_shows_what_it_took_terms_contact_source_and_gains(client, world):
    solution = world["solution"]
    response = client.get(solution.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("400 000 kr", "Felles rammeavtale", "Siri Aasen", "Ring oss", "Timer kjøring"):
        assert text in html, text
    assert world["project"].get_absolute_url() in html
    assert 'data-kind="measurement"' in html  # the measurements, in the chart and table
    assert '<meta property="og:type" content="article">' in html
    assert 'property="og:title"' in html and "Digitalt tilsyn om natten" in html
    # Internal figures never: the budget, the audit trail, the reviewer, who wrote it.
    assert "987654" not in html and "987 654" not in html
    assert world["editor"].email not in html and world["staff"].email not in html


def test_the_address_is_stable(client, world):
    solution = world["solution"]
    assert solution.get_absolute_url() == "/losninger/digitalt-tilsyn-om-natten/"


def test_filters(client, world):
    other = MunicipalityFactory(name="Storby kommune", slug="storby", inhabitants=120_000)
    other_unit = UnitFactory(municipality=other)
    other_staff = admin_staff_of(other_unit)
    project = put_into_use_project(other_unit, by=other_staff, name="Parkering")
    published_from(
        project,
        by=other_staff,
        reviewer=editor_of(other),
        title="Smart parkering",
        kind="digital",
    )
    both = ("Digitalt tilsyn om natten", "Smart parkering")

    def shown(**params):
        html = _titles(client, **params)
        return tuple(title for title in both if title in html)

    assert shown() == both
    assert shown(theme="god-helhet") == both[:1]
    assert shown(kind="digital") == both[1:]
    assert shown(municipality="storby") == both[1:]
    assert shown(size="large") == both[:1]
    assert shown(size="city") == both[1:]
    assert shown(gain_type="quality") == both[:1]
    assert shown(gain_type="economic") == ()
    assert shown(q="parkering") == both[1:]
    assert shown(reused=1) == ()
    # An unknown value is dropped; the other filters still apply.
    assert shown(theme="finnes-ikke", kind="digital") == both[1:]


def _adopt(solution, name):
    unit = UnitFactory(municipality=MunicipalityFactory(name=name))
    staff = admin_staff_of(unit)
    return actions.solution_adopt(solution=solution, by=staff, owning_unit=unit), staff


def test_sorting_by_reuse_and_gains(client, world):
    staff, editor = world["staff"], world["editor"]
    plain = published_from(
        put_into_use_project(world["unit"], by=staff, name="Annet"),
        by=staff,
        reviewer=editor,
        title="Uten gevinst",
    )
    _adopt(plain, "Havbygd kommune")
    _adopt(plain, "Nordvik kommune")
    html = _titles(client, sort="reused")
    assert html.index("Uten gevinst") < html.index("Digitalt tilsyn om natten")
    html = _titles(client, sort="gained")
    assert html.index("Digitalt tilsyn om natten") < html.index("Uten gevinst")
    assert "Uten gevinst" in _titles(client, reused=2)
    assert "Digitalt tilsyn om natten" not in _titles(client, reused=2)


def test_the_page_shows_who_adopted_it_and_where_it_was_realised(client, world):
    solution = world["solution"]
    (havbygd, havbygd_staff), _nordvik = (
        _adopt(solution, "Havbygd kommune"),
        _adopt(solution, "Nordvik kommune"),
    )
    gain = Gain.objects.get(project=havbygd.project)
    gain_actions.gain_record_baseline(
        gain=gain, by=havbygd_staff, value=130, measured_on=days_ago(60), source="Egen"
    )
    gain_actions.gain_record_measurement(
        gain=gain, by=havbygd_staff, value=100, measured_on=days_ago(5), source="Egen"
    )
    gain_actions.gain_change_status(gain=gain, by=havbygd_staff, status=GainStatus.REALISED)
    html = client.get(solution.get_absolute_url()).content.decode()
    assert "Havbygd kommune" in html and "Nordvik kommune" in html
    assert havbygd.project.get_absolute_url() in html
    assert "Realisert i 1 av 2 kommuner som tok den i bruk" in html
    # Havbygd's own figures, against its own baseline: 130 → 100, a change of −30.
    measured = _adopter_table(html, havbygd.municipality.slug)
    assert "Målt i Havbygd kommune, mot egen nullpunktsmåling" in measured
    assert "130" in measured and "100" in measured and "-30" in measured
    assert "Realisert" in measured
    # Nordvik has not measured its baseline yet: nothing to compare, no table.
    assert f'data-adopter="{_nordvik[0].municipality.slug}"' not in html


def _adopter_table(html: str, slug: str) -> str:
    """The adopter's measured-gains table, from its caption (not its attributes, whose
    factory-made slug may hold any digits) to its end."""
    start = html.index("<caption>", html.index(f'data-adopter="{slug}"'))
    return html[start : html.index("</table>", start)]


def test_an_adopter_without_measurements_shows_its_baseline_alone(client, world):
    solution = world["solution"]
    adoption, staff = _adopt(solution, "Havbygd kommune")
    gain = Gain.objects.get(project=adoption.project)
    gain_actions.gain_record_baseline(
        gain=gain, by=staff, value=42, measured_on=days_ago(3), source="Egen"
    )
    html = client.get(solution.get_absolute_url()).content.decode()
    measured = _adopter_table(html, adoption.municipality.slug)
    assert "42" in measured and "Ikke målt ennå" in measured
    # The source's own measurement (90) is Fjordvik's, never shown as Havbygd's.
    assert "90" not in measured


def test_adopt_button_only_for_staff_of_another_municipality(client, world):
    solution = world["solution"]
    adopt_url = reverse("solutions_staff:adopt", args=[solution.pk])
    assert adopt_url not in client.get(solution.get_absolute_url()).content.decode()
    client.force_login(world["staff"])
    assert adopt_url not in client.get(solution.get_absolute_url()).content.decode()
    other = admin_staff_of(UnitFactory(municipality=MunicipalityFactory(name="Havbygd")))
    client.force_login(other)
    assert adopt_url in client.get(solution.get_absolute_url()).content.decode()


def test_library_query_budget(client, world, django_assert_max_num_queries):
    staff, editor = world["staff"], world["editor"]
    for n in range(6):
        published_from(
            put_into_use_project(world["unit"], by=staff, name=f"P{n}"),
            by=staff,
            reviewer=editor,
            title=f"Løsning {n}",
            themes=[world["theme"]],
        )
    # Count, rows, themes; the filter choices (themes, municipalities); the site's menu.
    with django_assert_max_num_queries(12):
        assert client.get(LIBRARY, {"sort": "gained", "theme": "god-helhet"}).status_code == 200


def test_detail_query_budget(client, world, django_assert_max_num_queries):
    solution = world["solution"]
    for name in ("Havbygd", "Nordvik", "Sørvik"):
        adoption, staff = _adopt(solution, name)
        gain = Gain.objects.get(project=adoption.project)
        gain_actions.gain_record_baseline(
            gain=gain, by=staff, value=130, measured_on=days_ago(60), source="Egen"
        )
        gain_actions.gain_record_measurement(
            gain=gain, by=staff, value=100, measured_on=days_ago(5), source="Egen"
        )
    # The solution, themes, documents, adoptions, their measured gains, the gains section;
    # the site's menu. Three adopters with measurements cost no more than one.
    with django_assert_max_num_queries(12):
        assert client.get(solution.get_absolute_url()).status_code == 200


def test_an_idea_hidden_after_sharing_is_never_named(client, world):
    idea = IdeaFactory(
        owning_unit=world["unit"], status=IdeaStatus.IMPLEMENTED, title="Skjult kilde-idé"
    )
    solution = actions.solution_create(
        municipality=world["unit"].municipality,
        by=world["staff"],
        source="idea",
        idea=idea,
        **{**DETAILS, "title": "Fra en idé"},
    )
    actions.solution_step(solution=solution, by=world["staff"], step="submit")
    actions.solution_step(solution=solution, by=world["editor"], step="publish")
    assert "Skjult kilde-idé" in client.get(solution.get_absolute_url()).content.decode()
    Idea.objects.filter(pk=idea.pk).update(is_hidden=True)
    html = client.get(solution.get_absolute_url()).content.decode()
    assert "Skjult kilde-idé" not in html and idea.get_absolute_url() not in html
