"""The role matrix over every triage action, at the service and at the HTTP level.

"foreign_*" are the staff, editor and administrator of another municipality (Havbygd):
they have a triage workspace of their own, and nothing of Fjordvik's is theirs.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.template.loader import render_to_string
from django.urls import reverse

from ideas import permissions
from ideas.actions import (
    TransitionError,
    TransitionPermissionDenied,
    WorkflowError,
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
from portal.services import municipality_groups_update
from tests.factories import IdeaFactory, MunicipalityFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of, with_admin_access

S = IdeaStatus
FOREIGN = ["foreign_staff", "foreign_editor", "foreign_admin"]
ROLES = [
    "anonymous",
    "citizen",
    "author",
    "editor",
    "other_staff",
    "owner_staff",
    "admin",
    *FOREIGN,
]
ACTING = {"owner_staff", "admin"}
READING = {"other_staff", "owner_staff", "admin"}
# May open the triage workspace (their own municipality's, for the foreigners).
IN_TRIAGE = READING | {"foreign_staff", "foreign_admin"}


@pytest.fixture
def world(db):
    unit, other_unit = UnitFactory(name="Eier"), UnitFactory(name="Annen")
    # A name no other text on the status block could contain (a random one could: "Ann").
    colleague = admin_staff_of(unit, display_name="Saksbehandler Zakarias Qvist")
    editor = with_admin_access(UserFactory())
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    idea = IdeaFactory(owning_unit=unit)
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd")
    havbygd_unit = UnitFactory(name="Havbygd teknisk", municipality=havbygd)
    administrators, editors = municipality_groups_update(municipality=havbygd)
    foreign_editor, foreign_admin = UserFactory(), UserFactory()
    foreign_editor.groups.add(editors)
    foreign_admin.groups.add(administrators)
    users = {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(),
        "author": idea.author,
        "editor": editor,
        "other_staff": admin_staff_of(other_unit),
        "owner_staff": admin_staff_of(unit),
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "foreign_staff": admin_staff_of(havbygd_unit),
        "foreign_editor": foreign_editor,
        "foreign_admin": foreign_admin,
    }
    return {
        "havbygd_unit": havbygd_unit,
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
    assert permissions.can_view_triage(user) is (role in IN_TRIAGE)
    assert permissions.can_view_in_triage(user, world["idea"]) is (role in READING)
    assert permissions.can_view_internal(user, world["idea"]) is (role in READING)
    assert permissions.can_manage_routing_rules(user) is (role in ("admin", "foreign_admin"))


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
    idea_url = reverse("ideas_triage:idea", args=[world["idea"].pk])
    for url in (reverse("ideas_triage:queue"), idea_url, reverse("ideas_triage:rule_test")):
        response = client.get(url)
        if role in READING or (role in IN_TRIAGE and url != idea_url):
            assert response.status_code == 200
            if role not in READING:
                # Another municipality's staff have a queue of their own, without it.
                assert world["idea"].reference not in response.content.decode()
        elif role in ("editor", *FOREIGN):
            # In the admin, but this idea is not theirs to read (nor any, for editors):
            # Wagtail turns the PermissionDenied into a redirect to the dashboard.
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
        if role in ("editor", "other_staff", *FOREIGN):
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


# --- Another municipality ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["foreign_staff", "foreign_admin"])
def test_no_filter_opens_another_municipality_s_queue(client, world, role):
    _login(client, world, role)
    own = IdeaFactory(owning_unit=world["havbygd_unit"])
    for query in (
        {},
        {"status": "all"},
        {"unit": world["unit"].pk, "status": "all"},
        {"q": world["idea"].reference, "status": "all"},
        {"assignee": world["colleague"].pk, "status": "all"},
    ):
        response = client.get(reverse("ideas_triage:queue"), query)
        assert response.status_code == 200
        references = [idea.reference for idea in response.context["ideas"]]
        assert world["idea"].reference not in references, query
    queue = client.get(reverse("ideas_triage:queue")).context["ideas"]
    assert [idea.reference for idea in queue] == [own.reference]
    form = client.get(reverse("ideas_triage:queue")).context["filter_form"]
    assert world["unit"] not in form.fields["unit"].queryset
    assert world["havbygd_unit"] in form.fields["unit"].queryset
    assert str(world["colleague"].pk) not in dict(form.fields["assignee"].choices)


@pytest.mark.django_db
def test_a_municipality_s_administrator_reads_its_whole_queue_but_acts_as_staff_only(client, world):
    admin = world["users"]["foreign_admin"]
    own = IdeaFactory(owning_unit=world["havbygd_unit"])
    client.force_login(admin)
    response = client.get(reverse("ideas_triage:queue"))
    assert [idea.reference for idea in response.context["ideas"]] == [own.reference]
    assert permissions.can_view_in_triage(admin, own)
    # Acting is for the unit's staff: an administrator who handles ideas joins a unit.
    assert not permissions.can_act_on(admin, own)


@pytest.mark.django_db
def test_bulk_refuses_another_municipality_s_ideas_without_naming_them(client, world):
    client.force_login(world["users"]["foreign_staff"])
    response = client.post(
        reverse("ideas_triage:bulk"),
        {"ideas": [world["idea"].pk], "action": "note", "text": "Hei."},
    )
    assert response.status_code == 302
    assert not IdeaEvent.objects.filter(idea=world["idea"], kind="note").exists()
    shown = client.get(response["Location"], follow=True).content.decode()
    assert world["idea"].title not in shown


@pytest.mark.django_db
def test_reroute_stays_within_the_idea_s_municipality(client, world):
    staff, idea = world["users"]["owner_staff"], world["idea"]
    with pytest.raises(WorkflowError, match="en annen kommune"):
        idea_reroute(idea=idea, to_unit=world["havbygd_unit"], by=staff, reason="Feil kommune.")
    idea.refresh_from_db()
    assert idea.owning_unit == world["unit"]

    client.force_login(staff)
    page = client.get(reverse("ideas_triage:idea", args=[idea.pk]))
    offered = list(page.context["forms"]["reroute"].fields["to_unit"].queryset)
    assert offered == [world["other_unit"]]
    response = client.post(
        reverse("ideas_triage:action", args=[idea.pk, "reroute"]),
        {"reroute-to_unit": world["havbygd_unit"].pk, "reroute-reason": "Feil kommune."},
    )
    assert response.status_code == 400  # the form again, with the reason kept
    assert "Feil kommune." in response.content.decode()
    idea.refresh_from_db()
    assert idea.owning_unit == world["unit"]


@pytest.mark.django_db
def test_merge_stays_within_the_idea_s_municipality(client, world):
    staff, idea = world["users"]["owner_staff"], world["idea"]
    elsewhere = IdeaFactory(owning_unit=world["havbygd_unit"], title="Havbygds egen idé")
    with pytest.raises(TransitionError, match="en annen kommune"):
        idea_merge(idea=idea, into=elsewhere, by=staff)
    idea.refresh_from_db()
    assert idea.status == S.SUBMITTED

    client.force_login(staff)
    response = client.post(
        reverse("ideas_triage:action", args=[idea.pk, "merge"]),
        {"merge-into": elsewhere.reference, "merge-public_reason": "Samme sak."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Samme sak." in html
    assert "Havbygds egen idé" not in html  # the other idea is not named
    idea.refresh_from_db()
    assert idea.status == S.SUBMITTED


@pytest.mark.django_db
def test_another_municipality_s_bulk_reroute_target_is_refused(world):
    report = ideas_bulk_apply(
        ideas=[world["idea"]],
        action="reroute",
        by=world["users"]["admin"],
        to_unit=world["havbygd_unit"],
        reason="Feil kommune.",
    )
    assert [r.ok for r in report.results] == [False]
    assert "en annen kommune" in report.results[0].message
