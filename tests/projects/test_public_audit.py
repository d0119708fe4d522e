"""An audit of projects (with their gains section) against the non-negotiables, filling
what the other modules leave open: the roles across municipalities (staff of the same
and of another municipality, a municipality's administrator), internal figures kept off
the page's head (title, description, Open Graph) as well as its body even when staff
fill the shared cache, and interface text in the page's language.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gains import actions as gain_actions
from portal.services import municipality_groups_update
from projects import actions
from projects.models import Phase, ProjectDocument
from tests.factories import MunicipalityFactory, UnitFactory, UserFactory
from tests.gains.helpers import days_ago, quality_gain
from tests.i18n_audit import wrong_language
from tests.ideas.triage_helpers import admin_staff_of, with_admin_access
from tests.projects.helpers import accepted_idea, started_project

pytestmark = pytest.mark.django_db

ROLES = [
    "owner_staff",
    "contact",
    "same_municipality_staff",
    "other_municipality_staff",
    "municipality_admin",
    "editor",
    "citizen",
    "anonymous",
]
WORKING_ON_IT = {"owner_staff", "contact"}
UNIT_STAFF = WORKING_ON_IT | {"same_municipality_staff", "other_municipality_staff"}
SECRETS = ("987654", "987 654", "987\xa0654", "HEMMELIG LOGG", "INTERN GRUNN", "Intern plan")


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
    neighbour = MunicipalityFactory(name="Nabovik")
    contact = admin_staff_of(UnitFactory(municipality=neighbour))
    actions.project_add_unit(project=project, by=staff, unit=contact.units.get(), contact=contact)
    for title, public in (("Offentlig rapport", True), ("Intern plan", False)):
        actions.project_add_document(
            project=project,
            by=staff,
            title=title,
            file=SimpleUploadedFile(f"{title}.pdf", b"%PDF-1.4"),
            is_public=public,
        )
    gain = quality_gain(project, by=staff)
    gain_actions.gain_record_measurement(
        gain=gain, by=staff, value=Decimal("95"), measured_on=days_ago(20), source="Turnus"
    )
    administrators, _editors = municipality_groups_update(municipality=project.municipality)
    municipality_admin = with_admin_access(UserFactory())
    municipality_admin.groups.add(administrators)
    editor = with_admin_access(UserFactory())
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    users = {
        "owner_staff": staff,
        "contact": contact,
        "same_municipality_staff": admin_staff_of(UnitFactory(municipality=project.municipality)),
        "other_municipality_staff": admin_staff_of(
            UnitFactory(municipality=MunicipalityFactory(name="Fjernby"))
        ),
        "municipality_admin": municipality_admin,
        "editor": editor,
        "citizen": UserFactory(),
        "anonymous": AnonymousUser(),
    }
    return {"project": project, "gain": gain, "users": users, "idea": idea}


def _log_in(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])


def _refused(response) -> bool:
    """Wagtail's admin sends a refused person to the dashboard or the log-in page."""
    return response.status_code == 302 and (
        response["Location"] == reverse("wagtailadmin_home")
        or response["Location"].startswith(reverse("wagtailadmin_login"))
    )


# --- Roles --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_internal_documents_only_for_those_working_on_the_project(client, world, role):
    _log_in(client, world, role)
    project = world["project"]
    base = f"/prosjekter/{project.slug}/documents/"
    public = ProjectDocument.objects.get(title="Offentlig rapport")
    internal = ProjectDocument.objects.get(title="Intern plan")
    assert client.get(f"{base}{public.pk}/").status_code == 200
    expected = 200 if role in WORKING_ON_IT else 404
    assert client.get(f"{base}{internal.pk}/").status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_staff_screens_across_municipalities(client, world, role):
    _log_in(client, world, role)
    project, gain = world["project"], world["gain"]
    listing = client.get(reverse("projects_staff:list"))
    if role in UNIT_STAFF:
        assert listing.status_code == 200
        assert ("Kaffebussen" in listing.content.decode()) == (role in WORKING_ON_IT)
    else:
        assert _refused(listing)
    for url in (
        reverse("projects_staff:project", args=[project.pk]),
        reverse("gains_staff:plan", args=[project.pk]),
        reverse("gains_staff:gain", args=[gain.pk]),
        reverse("gains_staff:export", args=[project.pk, "csv"]),
        reverse("gains_staff:export", args=[project.pk, "xlsx"]),
    ):
        response = client.get(url)
        if role in WORKING_ON_IT:
            assert response.status_code == 200, url
        else:
            assert response.status_code in (302, 403, 404), url
            assert b"987654" not in response.content
            assert b"Timer kj" not in response.content  # the gain's indicator


# --- Nothing leaks --------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("first", ["owner_staff", "anonymous"])
def test_internal_figures_stay_off_the_page_and_its_head_whoever_fills_the_cache(
    client, world, prefix, first
):
    """The page is cached for everyone: staff seeing it first must not put anything of
    theirs in what the public is then served."""
    url = prefix + world["project"].get_absolute_url()
    _log_in(client, world, first)
    client.get(url)
    client.logout()
    html = client.get(url).content.decode()
    head = html[: html.index("</head>")]
    assert re.search(r'<meta property="og:title" content="Kaffebussen', head)
    assert "En buss som henter eldre til kaffen." in head  # the public summary
    for secret in SECRETS:
        assert secret not in html, secret
    assert "Tor" not in head and "Turnus" not in html  # the gain's internal source


# --- Both languages ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("put_into_use", [False, True])
def test_the_project_page_speaks_one_language(client, world, lang, put_into_use):
    project = world["project"]
    if put_into_use:
        actions.project_put_into_use(
            project=project,
            by=world["users"]["owner_staff"],
            public_text="Bussen går.",
            origin="first",
        )
    response = client.get(("/en" if lang == "en" else "") + project.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and f'lang="{lang}"' in html
    assert "Timer kjøring per uke" in html  # the gains section is on it
    assert wrong_language(html, lang, "projects", "gains", "portal") == []


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_idea_page_section_speaks_one_language(client, world, lang):
    response = client.get(("/en" if lang == "en" else "") + world["idea"].get_absolute_url())
    html = response.content.decode()
    assert "Kaffebussen" in html
    assert wrong_language(html, lang, "projects") == []


# --- What the staff screens cost ---------------------------------------------------------------


def test_the_phase_list_costs_the_same_for_many_phases(
    client, world, django_assert_max_num_queries
):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("project_phases:index")
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for n in range(10):
        Phase.objects.create(name=f"Fase {n}", slug=f"fase-{n}", sort_order=100 + n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert "Fase 9" in html


def test_the_project_list_shows_many_projects_for_the_same_cost(
    client, world, django_assert_max_num_queries
):
    """Projects with milestones, partner units and gains: one list, one cost."""
    staff = world["users"]["owner_staff"]
    client.force_login(staff)
    url = reverse("projects_staff:list")
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    unit = staff.units.get()
    for n in range(8):
        project = started_project(unit, by=staff, name=f"Prosjekt {n}")
        actions.project_add_unit(project=project, by=staff, unit=UnitFactory(), contact=staff)
        quality_gain(project, by=staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert "Prosjekt 7" in html
