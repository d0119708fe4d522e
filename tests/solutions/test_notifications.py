"""E-mails of the review: reviewers hear of a submission, writers of the outcome; nobody
of their own step, nobody outside the owning municipality; sent on commit, in the
language of the person acting (Bokmål by default)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import translation

from solutions import actions
from tests.factories import MunicipalityFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of
from tests.solutions.helpers import admin_of, draft_from, editor_of, put_into_use_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    unit = UnitFactory()
    municipality = unit.municipality
    staff = admin_staff_of(unit)
    other = MunicipalityFactory(name="Nabokommune")
    return {
        "staff": staff,
        "editor": editor_of(municipality),
        "administrator": admin_of(municipality),
        "other_editor": editor_of(other),
        "inactive_editor": _inactive(editor_of(municipality)),
        "solution": draft_from(put_into_use_project(unit, by=staff), by=staff),
    }


def _inactive(user):
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def _step(django_capture_on_commit_callbacks, **kwargs) -> list:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.solution_step(**kwargs)
    return list(mail.outbox)


def test_a_submission_tells_the_municipalitys_reviewers(world, django_capture_on_commit_callbacks):
    sent = _step(
        django_capture_on_commit_callbacks,
        solution=world["solution"],
        by=world["staff"],
        step="submit",
    )
    assert sorted(m.to[0] for m in sent) == sorted(
        [world["editor"].email, world["administrator"].email]
    )
    message = sent[0]
    assert "venter på din vurdering" in message.subject
    assert world["solution"].title in message.subject
    assert f"/admin/solutions/{world['solution'].pk}/" in message.body


def test_returned_and_published_tell_who_wrote_it(world, django_capture_on_commit_callbacks):
    solution, staff, editor = world["solution"], world["staff"], world["editor"]
    actions.solution_step(solution=solution, by=staff, step="submit")

    returned = _step(
        django_capture_on_commit_callbacks,
        solution=solution,
        by=editor,
        step="return",
        comment="Skriv hva det kostet.",
    )
    assert [m.to for m in returned] == [[staff.email]]
    assert "Sendt tilbake" in returned[0].subject
    assert "Skriv hva det kostet." in returned[0].body

    actions.solution_step(solution=solution, by=staff, step="submit")
    with translation.override("en"):
        published = _step(
            django_capture_on_commit_callbacks, solution=solution, by=editor, step="publish"
        )
    assert [m.to for m in published] == [[staff.email]]
    assert published[0].subject.startswith("Published:")
    assert solution.get_absolute_url() in published[0].body


def test_nobody_is_told_of_their_own_step_and_withdrawal_tells_nobody(
    world, django_capture_on_commit_callbacks
):
    """An editor who writes, submits and publishes alone gets no e-mail of it."""
    solution, editor = world["solution"], world["editor"]
    sent = _step(django_capture_on_commit_callbacks, solution=solution, by=editor, step="submit")
    assert editor.email not in [m.to[0] for m in sent]
    assert world["staff"].email not in [m.to[0] for m in sent]  # staff do not review
    published = _step(
        django_capture_on_commit_callbacks, solution=solution, by=editor, step="publish"
    )
    assert [m.to for m in published] == [[world["staff"].email]]  # who created it
    withdrawn = _step(
        django_capture_on_commit_callbacks,
        solution=solution,
        by=editor,
        step="withdraw",
        comment="Utdatert.",
    )
    assert withdrawn == []


def test_a_refused_step_sends_nothing(world, django_capture_on_commit_callbacks):
    citizen = UserFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        actions.solution_step(solution=world["solution"], by=citizen, step="submit")
    assert mail.outbox == []
