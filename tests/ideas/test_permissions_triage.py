"""The role matrix over every triage action, at the service and at the HTTP level."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.template.loader import render_to_string
from django.urls import reverse

from ideas import permissions
from ideas.actions import (
    TransitionPermissionDenied,
    idea_add_note,
    idea_answer,
    idea_assign,
    idea_hide,
    idea_merge,
    idea_reroute,
    idea_transition,
    idea_unhide,
    idea_unmerge,
    ideas_bulk_apply,
)
from ideas.models import Idea, IdeaEvent, IdeaStatus
from tests.factories import IdeaFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of, with_admin_access

S = IdeaStatus
ROLES = ["anonymous", "citizen", "author", "editor", "other_staff", "owner_staff", "admin"]
ACTING = {"owner_staff", "admin"}
READING = {"other_staff", "owner_staff", "admin"}


@pytest.fixture
def world(db):
    unit, other_unit = UnitFactory(name="Eier"), UnitFactory(name="Annen")
    colleague = admin_staff_of(unit)
    editor = with_admin_access(UserFactory())
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    idea = IdeaFactory(owning_unit=unit)
    users = {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(),
        "author": idea.author,
        "editor": editor,
        "other_staff": admin_staff_of(other_unit),
        "owner_staff": admin_staff_of(unit),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return {
        "unit": unit,
        "other_unit": other_unit,
        "colleague": colleague,
        "idea": idea,
        "users": users,
    }


def _merged(world):
    idea, target = world["idea"], IdeaFactory(owning_unit=world["unit"])
    idea_merge(idea=idea, into=target, by=world["users"]["admin"])
    return idea


def _hidden(world):
    idea = world["idea"]
    idea_hide(idea=idea, by=world["users"]["admin"], reason="Spam.")
    return idea


ACTIONS = {
    "transition": lambda w, by: idea_transition(idea=w["idea"], to=S.IN_REVIEW, by=by),
    "reject": lambda w, by: idea_transition(
        idea=w["idea"], to=S.REJECTED, by=by, public_reason="Nei takk."
    ),
    "merge": lambda w, by: idea_merge(
        idea=w["idea"], into=IdeaFactory(owning_unit=w["unit"]), by=by
    ),
    "unmerge": lambda w, by: idea_unmerge(idea=_merged(w), by=by),
    "reroute": lambda w, by: idea_reroute(
        idea=w["idea"], to_unit=w["other_unit"], by=by, reason="Hører hjemme der."
    ),
    "assign": lambda w, by: idea_assign(idea=w["idea"], assignee=w["colleague"], by=by),
    "note": lambda w, by: idea_add_note(idea=w["idea"], by=by, text="Intern."),
    "answer": lambda w, by: idea_answer(idea=w["idea"], by=by, text="Svar."),
    "hide": lambda w, by: idea_hide(idea=w["idea"], by=by, reason="Personopplysninger."),
    "unhide": lambda w, by: idea_unhide(idea=_hidden(w), by=by, reason="Rettet."),
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_service_role_matrix(world, role, action):
    by = world["users"][role]
    events_before = IdeaEvent.objects.filter(idea=world["idea"]).count()
    if role in ACTING:
        ACTIONS[action](world, by)
        assert IdeaEvent.objects.filter(idea=world["idea"]).count() > events_before
    else:
        before = Idea.objects.values().get(pk=world["idea"].pk)
        with pytest.raises(TransitionPermissionDenied):
            ACTIONS[action](world, by)
        after = Idea.objects.values().get(pk=world["idea"].pk)
        if action not in ("unmerge", "unhide"):  # the merge/hiding was done by an admin
            assert after == before
            assert IdeaEvent.objects.filter(idea=world["idea"]).count() == events_before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_author_may_withdraw(world, role):
    by = world["users"][role]
    if role == "author":
        idea_transition(idea=world["idea"], to=S.WITHDRAWN, by=by)
    else:
        with pytest.raises(TransitionPermissionDenied):
            idea_transition(idea=world["idea"], to=S.WITHDRAWN, by=by)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_bulk_applies_the_same_rights(world, role):
    report = ideas_bulk_apply(
        ideas=[world["idea"]], action="transition", by=world["users"][role], to=S.IN_REVIEW
    )
    assert [r.ok for r in report.results] == [role in ACTING]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_bulk_hide_applies_the_same_rights(world, role):
    report = ideas_bulk_apply(
        ideas=[world["idea"]], action="hide", by=world["users"][role], reason="Spam."
    )
    assert [r.ok for r in report.results] == [role in ACTING]
    world["idea"].refresh_from_db()
    assert world["idea"].is_hidden is (role in ACTING)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_functions(world, role):
    user = world["users"][role]
    assert permissions.can_act_on(user, world["idea"]) is (role in ACTING)
    assert permissions.can_view_triage(user) is (role in READING)
    assert permissions.can_view_internal(user) is (role in READING)
    assert permissions.can_manage_routing_rules(user) is (role == "admin")


@pytest.mark.django_db
def test_inactive_staff_cannot_act(world):
    staff = world["users"]["owner_staff"]
    staff.is_active = False
    staff.save()
    assert not permissions.can_act_on(staff, world["idea"])


# --- HTTP ----------------------------------------------------------------------------------

HTTP_ACTIONS = {
    "transition": {"transition-to": S.IN_REVIEW},
    "note": {"note-text": "Intern."},
    "answer": {"answer-text": "Svar."},
    "assign": {},
    "reroute": {},
    "merge": {},
    "hide": {"hide-reason": "Personopplysninger."},
    "unhide": {"unhide-reason": "Rettet."},
}


def _login(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_http_queue_and_idea_page(client, world, role):
    _login(client, world, role)
    for url in (
        reverse("ideas_triage:queue"),
        reverse("ideas_triage:idea", args=[world["idea"].pk]),
        reverse("ideas_triage:rule_test"),
    ):
        response = client.get(url)
        if role in READING:
            assert response.status_code == 200
        elif role == "editor":
            # In the admin, but ideas are not theirs to manage: Wagtail turns the
            # PermissionDenied into a redirect to the dashboard with a message.
            assert response.status_code == 302
            assert response["Location"] == reverse("wagtailadmin_home")
        else:
            # No admin access at all: Wagtail sends them to its login page.
            assert response.status_code == 302
            assert reverse("wagtailadmin_login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(HTTP_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_http_actions(client, world, role, action):
    _login(client, world, role)
    data = dict(HTTP_ACTIONS[action])
    if action == "assign":
        data = {"assign-assignee": world["colleague"].pk}
    elif action == "reroute":
        data = {"reroute-to_unit": world["other_unit"].pk, "reroute-reason": "Der."}
    elif action == "merge":
        data = {"merge-into": IdeaFactory(owning_unit=world["unit"]).reference}
    elif action == "unhide":
        _hidden(world)
    events_before = IdeaEvent.objects.filter(idea=world["idea"]).count()
    url = reverse("ideas_triage:action", args=[world["idea"].pk, action])
    response = client.post(url, data)
    events = IdeaEvent.objects.filter(idea=world["idea"]).count() - events_before
    if role in ACTING:
        assert response.status_code == 302
        assert events == 1
    else:
        assert response.status_code == 302
        if role in ("editor", "other_staff"):
            assert response["Location"] == reverse("wagtailadmin_home")
        else:
            assert reverse("wagtailadmin_login") in response["Location"]
        assert events == 0


@pytest.mark.django_db
def test_other_units_staff_read_without_action_forms(client, world):
    client.force_login(world["users"]["other_staff"])
    response = client.get(reverse("ideas_triage:idea", args=[world["idea"].pk]))
    assert response.context["can_act"] is False
    assert response.context["forms"] == {}
    assert "only staff of Eier" in response.content.decode() or "bare ansatte i Eier" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_internal_notes_and_assignee_never_reach_the_public_status_block(world):
    staff = world["users"]["owner_staff"]
    idea = world["idea"]
    idea_assign(idea=idea, assignee=world["colleague"], by=staff)
    idea_add_note(idea=idea, by=staff, text="HEMMELIG NOTAT")
    idea_transition(idea=idea, to=S.IN_REVIEW, by=staff, internal_note="INTERN BEGRUNNELSE")
    idea_reroute(idea=idea, to_unit=world["other_unit"], by=staff, reason="INTERN OMRUTING")
    idea.refresh_from_db()
    html = render_to_string(
        "ideas/includes/status.html",
        {"idea": idea, "public_events": idea.events.filter(is_internal=False)},
    )
    for secret in ("HEMMELIG NOTAT", "INTERN BEGRUNNELSE", "INTERN OMRUTING"):
        assert secret not in html
    assert str(world["colleague"]) not in html
    assert world["other_unit"].name in html
