"""The public project page and the project section of idea pages: what they show, what
they never show, what they cost, and that a change shows at once."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ideas.models import IdeaStatus
from projects import actions
from projects.models import Phase, ProjectDocument
from tests.factories import MunicipalityFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of
from tests.projects.helpers import accepted_idea, started_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site_settings):
    unit = UnitFactory(name="Helse og omsorg", name_en="Health and care")
    staff = admin_staff_of(unit)
    idea = accepted_idea(unit, title="Kaffebuss til frivilligsentralen")
    project = started_project(unit, by=staff, ideas=[idea], name="Kaffebussen")
    actions.project_edit(project=project, by=staff, budget=987654)
    actions.project_log(project=project, by=staff, text="HEMMELIG LOGG")
    actions.project_change_phase(
        project=project, by=staff, phase=Phase.objects.get(slug="teste"), note="INTERN GRUNN"
    )
    actions.project_save_milestone(
        project=project,
        by=staff,
        title="Første tur",
        planned_on=timezone.localdate() - datetime.timedelta(days=3),
        reached_on=timezone.localdate(),
    )
    neighbour = UnitFactory(name="Oppvekst", municipality=MunicipalityFactory(name="Nabovik"))
    actions.project_add_unit(project=project, by=staff, unit=neighbour, contact=UserFactory())
    actions.project_add_member(project=project, by=staff, user=UserFactory(display_name="Tor"))
    for title, public in (("Offentlig rapport", True), ("Intern plan", False)):
        actions.project_add_document(
            project=project,
            by=staff,
            title=title,
            file=SimpleUploadedFile(f"{title}.pdf", b"%PDF-1.4"),
            is_public=public,
        )
    return {"unit": unit, "staff": staff, "idea": idea, "project": project}


def test_the_page_shows_progress_milestones_units_and_ideas(client, world):
    project = world["project"]
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Kaffebussen" in html
    assert 'aria-current="step"' in html and "Teste" in html
    assert "Første tur" in html
    assert "Helse og omsorg" in html and "Oppvekst" in html and "Nabovik" in html
    assert world["idea"].title in html
    assert "Offentlig rapport" in html


def test_internal_figures_never_reach_the_public_page(client, world):
    html = client.get(world["project"].get_absolute_url()).content.decode()
    for secret in ("987654", "987 654", "987&nbsp;654", "HEMMELIG LOGG", "INTERN GRUNN"):
        assert secret not in html
    assert "Intern plan" not in html
    assert "Tor" not in html  # team members are internal; units are named


def test_the_english_twin(client, world):
    response = client.get("/en" + world["project"].get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Milestones" in html and "Health and care" in html and ">Test<" in html


def test_a_missing_project_is_a_404(client, db):
    assert client.get("/prosjekter/finnes-ikke/").status_code == 404


def test_a_hidden_idea_leaves_the_project_page(client, world):
    from ideas.actions import idea_hide

    url = world["project"].get_absolute_url()
    assert world["idea"].title in client.get(url).content.decode()
    idea_hide(idea=world["idea"], by=world["staff"], reason="Personopplysninger.")
    assert world["idea"].title not in client.get(url).content.decode()


def test_query_budget_cold_and_warm(client, world, django_assert_max_num_queries):
    project, staff = world["project"], world["staff"]
    url = project.get_absolute_url()
    # The same budget however many rows each part has.
    for n in range(8):
        actions.project_save_milestone(
            project=project, by=staff, title=f"Steg {n}", planned_on=timezone.localdate()
        )
        actions.project_add_unit(
            project=project, by=staff, unit=UnitFactory(), contact=UserFactory(), role="Med"
        )
    project.idea_links.create(idea=accepted_idea(world["unit"]))
    # Six of the project's own (project, milestones, units, documents, ideas, phases),
    # two of the gains section (its gains; the municipality whose gains pages it links);
    # the rest is the site's menu, as on every page.
    with django_assert_max_num_queries(13):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == 200


def test_a_change_shows_at_once(client, world):
    project, staff = world["project"], world["staff"]
    url = project.get_absolute_url()
    client.get(url)
    actions.project_save_milestone(
        project=project, by=staff, title="Andre tur", planned_on=timezone.localdate()
    )
    assert "Andre tur" in client.get(url).content.decode()


def test_public_files_download_and_internal_ones_do_not(client, world):
    project = world["project"]
    public = ProjectDocument.objects.get(title="Offentlig rapport")
    internal = ProjectDocument.objects.get(title="Intern plan")
    base = f"/prosjekter/{project.slug}/documents/"
    assert client.get(f"{base}{public.pk}/").status_code == 200
    assert client.get(f"{base}{internal.pk}/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"{base}{internal.pk}/").status_code == 404
    client.force_login(world["staff"])
    assert client.get(f"{base}{internal.pk}/").status_code == 200


# --- The idea page -----------------------------------------------------------------------


def test_the_idea_page_names_the_project_and_its_phase(world, django_assert_max_num_queries):
    idea, project, staff = world["idea"], world["project"], world["staff"]
    url = idea.get_absolute_url()
    for client in (Client(), _logged_in(UserFactory())):
        html = client.get(url).content.decode()
        assert "Kaffebussen" in html and project.get_absolute_url() in html
        assert "Teste" in html
    anonymous = Client()
    anonymous.get(url)
    with django_assert_max_num_queries(1):  # the section is cached with its page
        anonymous.get(url)
    actions.project_change_phase(
        project=project, by=staff, phase=Phase.objects.get(slug="implementere")
    )
    assert "Implementere" in anonymous.get(url).content.decode()


def test_an_idea_in_no_project_has_no_section(client, world):
    other = accepted_idea(world["unit"])
    assert "Kaffebussen" not in client.get(other.get_absolute_url()).content.decode()


def test_put_into_use_shows_on_both_pages(client, world):
    project, idea = world["project"], world["idea"]
    actions.project_put_into_use(
        project=project, by=world["staff"], public_text="Bussen går.", origin="first"
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.IMPLEMENTED
    assert "Bussen går." in client.get(project.get_absolute_url()).content.decode()
    assert "tatt i bruk" in client.get(idea.get_absolute_url()).content.decode().lower()


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
