"""The solution services: creating from each source, the review, the database's
invariants, and adoption (copied gain definitions, never measurements; the
"realised in N of M" figure)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from gains import actions as gain_actions
from gains.models import Gain, GainStatus, Measurement
from ideas.models import IdeaStatus
from portal.actions import ActionNotAllowed
from projects.models import ProjectEvent
from solutions import actions, selectors
from solutions.models import Adoption, Solution, SolutionEvent, SolutionSource, SolutionStatus
from tests.factories import IdeaFactory, MunicipalityFactory, UnitFactory
from tests.gains.helpers import days_ago, quality_gain
from tests.ideas.triage_helpers import admin_staff_of
from tests.projects.helpers import started_project
from tests.solutions.helpers import (
    DETAILS,
    draft_from,
    editor_of,
    published_from,
    put_into_use_project,
    realised_gain,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    project = put_into_use_project(unit, by=staff)
    return {
        "unit": unit,
        "staff": staff,
        "project": project,
        "editor": editor_of(unit.municipality),
    }


def test_a_draft_from_a_project_put_into_use(world):
    solution = draft_from(world["project"], by=world["staff"])
    assert solution.status == SolutionStatus.DRAFT
    assert solution.municipality == world["project"].municipality
    assert solution.slug == "digitalt-tilsyn-om-natten"
    assert SolutionEvent.objects.filter(solution=solution, kind="created").exists()


def test_a_project_not_put_into_use_cannot_be_shared(world):
    project = started_project(world["unit"], by=world["staff"], name="Uferdig")
    with pytest.raises(ActionNotAllowed, match="tatt i bruk"):
        draft_from(project, by=world["staff"])
    assert not Solution.objects.exists()


def test_a_draft_from_an_idea_put_into_use_and_not_from_an_open_idea(world):
    implemented = IdeaFactory(owning_unit=world["unit"], status=IdeaStatus.IMPLEMENTED)
    solution = actions.solution_create(
        municipality=world["unit"].municipality,
        by=world["staff"],
        source=SolutionSource.IDEA,
        idea=implemented,
        **DETAILS,
    )
    assert solution.idea == implemented
    accepted = IdeaFactory(owning_unit=world["unit"], status=IdeaStatus.ACCEPTED)
    with pytest.raises(ActionNotAllowed):
        actions.solution_create(
            municipality=world["unit"].municipality,
            by=world["staff"],
            source=SolutionSource.IDEA,
            idea=accepted,
            **{**DETAILS, "title": "Annen"},
        )


def test_an_external_solution_needs_its_source_link(world):
    municipality = world["unit"].municipality
    with pytest.raises(ActionNotAllowed, match="kilden"):
        actions.solution_create(
            municipality=municipality, by=world["staff"], source="external", **DETAILS
        )
    solution = actions.solution_create(
        municipality=municipality,
        by=world["staff"],
        source="external",
        source_url="https://example.no/losning",
        source_organisation="KS",
        **DETAILS,
    )
    assert solution.source_url == "https://example.no/losning"


def test_the_database_keeps_the_source_consistent(world):
    solution = draft_from(world["project"], by=world["staff"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Solution.objects.filter(pk=solution.pk).update(source="external")
    with pytest.raises(IntegrityError), transaction.atomic():
        Solution.objects.filter(pk=solution.pk).update(source_url="https://example.no/")
    with pytest.raises(IntegrityError), transaction.atomic():
        Solution.objects.filter(pk=solution.pk).update(reuse_terms="other", reuse_terms_text="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Solution.objects.filter(pk=solution.pk).update(status="published")  # no date


def test_the_address_is_unique_and_stays_when_the_title_changes(world):
    first = draft_from(world["project"], by=world["staff"])
    second = draft_from(world["project"], by=world["staff"])
    assert second.slug == "digitalt-tilsyn-om-natten-2"
    actions.solution_edit(solution=first, by=world["staff"], title="Nytt navn")
    first.refresh_from_db()
    assert (first.title, first.slug) == ("Nytt navn", "digitalt-tilsyn-om-natten")
    with pytest.raises(IntegrityError), transaction.atomic():
        Solution.objects.filter(pk=second.pk).update(slug=first.slug)


def test_other_terms_must_be_described(world):
    with pytest.raises(ActionNotAllowed, match="vilkårene"):
        draft_from(world["project"], by=world["staff"], reuse_terms="other")


def test_the_review_publish_and_return_with_a_comment(world):
    staff, editor = world["staff"], world["editor"]
    solution = draft_from(world["project"], by=staff)
    actions.solution_step(solution=solution, by=staff, step="submit")
    assert solution.status == SolutionStatus.IN_REVIEW
    with pytest.raises(ActionNotAllowed, match="kommentar"):
        actions.solution_step(solution=solution, by=editor, step="return")
    actions.solution_step(solution=solution, by=editor, step="return", comment="Mangler pris")
    assert (solution.status, solution.review_comment) == (SolutionStatus.DRAFT, "Mangler pris")
    actions.solution_step(solution=solution, by=staff, step="submit")
    actions.solution_step(solution=solution, by=editor, step="publish")
    assert solution.status == SolutionStatus.PUBLISHED and solution.published_at
    assert solution.review_comment == ""
    kinds = list(solution.events.values_list("kind", flat=True))
    assert kinds == ["created", "submitted", "returned", "submitted", "published"]


def test_a_draft_is_changed_by_writers_a_published_one_by_reviewers_only(world):
    solution = published_from(world["project"], by=world["staff"], reviewer=world["editor"])
    # Its writers withdraw it to change it; the message says so.
    with pytest.raises(PermissionDenied, match="trekk den tilbake"):
        actions.solution_edit(solution=solution, by=world["staff"], title="Endret")
    solution.refresh_from_db()
    assert solution.title != "Endret"
    # Its reviewers correct it in place: still published, the change in its history.
    actions.solution_edit(solution=solution, by=world["editor"], cost="Rettet: 40 000 kr")
    solution.refresh_from_db()
    assert solution.status == SolutionStatus.PUBLISHED and solution.cost == "Rettet: 40 000 kr"
    assert solution.events.filter(kind="edited", actor=world["editor"]).exists()
    with pytest.raises(ActionNotAllowed):
        actions.solution_step(solution=solution, by=world["editor"], step="publish")
    actions.solution_step(solution=solution, by=world["staff"], step="withdraw", comment="Utgått")
    assert solution.status == SolutionStatus.WITHDRAWN
    # Withdrawn, it is changed by nobody until it is reopened as a draft.
    with pytest.raises(ActionNotAllowed, match="utkast"):
        actions.solution_edit(solution=solution, by=world["editor"], title="Endret")
    actions.solution_step(solution=solution, by=world["staff"], step="reopen")
    assert solution.status == SolutionStatus.DRAFT


# --- Adoption -------------------------------------------------------------------------------


@pytest.fixture
def adopter():
    neighbour = MunicipalityFactory(name="Havbygd kommune", slug="havbygd")
    unit = UnitFactory(municipality=neighbour)
    return {"unit": unit, "staff": admin_staff_of(unit), "municipality": neighbour}


def test_adopting_creates_a_linked_project_with_the_gain_definitions(world, adopter):
    source_gain = realised_gain(world["project"], by=world["staff"])
    solution = published_from(world["project"], by=world["staff"], reviewer=world["editor"])
    adoption = actions.solution_adopt(
        solution=solution, by=adopter["staff"], owning_unit=adopter["unit"]
    )
    project = adoption.project
    assert project.municipality == adopter["municipality"]
    assert project.owning_unit == adopter["unit"]
    assert project.name == solution.title
    assert ProjectEvent.objects.filter(project=project, kind="started").exists()
    copied = Gain.objects.get(project=project)
    for field in ("description", "type", "indicator", "unit", "stakeholders"):
        assert getattr(copied, field) == getattr(source_gain, field)
    # Their own baseline, measurements and status, never ours.
    assert copied.baseline_value is None and copied.baseline_on is None
    assert copied.status == GainStatus.PLANNED and copied.target_value is None
    assert copied.owner == adopter["staff"]
    assert not Measurement.objects.filter(gain=copied).exists()
    assert Measurement.objects.filter(gain=source_gain).count() == 1
    assert solution.events.filter(kind="adopted").exists()


def test_a_municipality_adopts_once_and_never_its_own(world, adopter):
    solution = published_from(world["project"], by=world["staff"], reviewer=world["editor"])
    actions.solution_adopt(solution=solution, by=adopter["staff"], owning_unit=adopter["unit"])
    with pytest.raises(ActionNotAllowed, match="allerede"):
        actions.solution_adopt(solution=solution, by=adopter["staff"], owning_unit=adopter["unit"])
    with pytest.raises(PermissionDenied):
        actions.solution_adopt(solution=solution, by=world["staff"], owning_unit=world["unit"])
    assert Adoption.objects.count() == 1


def test_only_a_published_solution_is_adopted(world, adopter):
    solution = draft_from(world["project"], by=world["staff"])
    with pytest.raises(ActionNotAllowed, match="publisert"):
        actions.solution_adopt(solution=solution, by=adopter["staff"], owning_unit=adopter["unit"])
    assert not Adoption.objects.exists()


def test_realised_in_n_of_m_municipalities(world):
    realised_gain(world["project"], by=world["staff"])
    solution = published_from(world["project"], by=world["staff"], reviewer=world["editor"])
    adopters = []
    for name in ("Havbygd", "Nordvik", "Sørvik"):
        unit = UnitFactory(municipality=MunicipalityFactory(name=name))
        staff = admin_staff_of(unit)
        adopters.append(
            (actions.solution_adopt(solution=solution, by=staff, owning_unit=unit), staff)
        )
    assert (selectors.reuse(solution.pk).realised, selectors.reuse(solution.pk).adopted) == (0, 3)
    # Havbygd realises its copied gain; Nordvik measures but has not realised it yet.
    (havbygd, havbygd_staff), (nordvik, nordvik_staff), _ = adopters
    gain = Gain.objects.get(project=havbygd.project)
    gain_actions.gain_record_baseline(
        gain=gain, by=havbygd_staff, value=Decimal("130"), measured_on=days_ago(100), source="Egen"
    )
    gain_actions.gain_change_status(gain=gain, by=havbygd_staff, status=GainStatus.REALISING)
    gain_actions.gain_change_status(gain=gain, by=havbygd_staff, status=GainStatus.REALISED)
    nordvik_gain = Gain.objects.get(project=nordvik.project)
    gain_actions.gain_record_baseline(
        gain=nordvik_gain, by=nordvik_staff, value=Decimal("1"), measured_on=days_ago(9), source="S"
    )
    quality_gain(nordvik.project, by=nordvik_staff)  # a second gain, planned
    reuse = selectors.reuse(solution.pk)
    assert (reuse.realised, reuse.adopted) == (1, 3)
    assert [s.is_realised for s in reuse.adoptions] == [True, False, False]
