"""The triage workspace in the Wagtail admin: queue, idea page, actions, bulk, rules."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas.models import Idea, IdeaEvent, IdeaStatus, IdeaTag, RoutingRule
from tests.factories import IdeaFactory, ThemeFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of, with_admin_access

S = IdeaStatus
QUEUE = reverse("ideas_triage:queue")


def _age(idea: Idea, days: float) -> Idea:
    Idea.objects.filter(pk=idea.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=days)
    )
    return idea


@pytest.fixture
def unit(db):
    return UnitFactory(name="Oppvekst", response_deadline_days=10)


@pytest.fixture
def staff(unit):
    return admin_staff_of(unit, display_name="Siri Saksbehandler")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _queue_refs(response) -> list[str]:
    return [idea.reference for idea in response.context["ideas"]]


@pytest.mark.django_db
def test_queue_shows_my_units_open_ideas_longest_waiting_first(staff_client, unit):
    newest = _age(IdeaFactory(owning_unit=unit), 1)
    oldest = _age(IdeaFactory(owning_unit=unit, status=S.IN_REVIEW), 30)
    middle = _age(IdeaFactory(owning_unit=unit, status=S.ACCEPTED), 5)
    _age(IdeaFactory(owning_unit=unit, status=S.IMPLEMENTED), 50)  # finished
    _age(IdeaFactory(), 40)  # another unit's
    response = staff_client.get(QUEUE)
    assert response.status_code == 200
    assert _queue_refs(response) == [oldest.reference, middle.reference, newest.reference]
    html = response.content.decode()
    assert oldest.title in html
    assert "triage-queue__row--overdue" in html  # 30 days > 10 days


@pytest.mark.django_db
def test_queue_filters(staff_client, unit, staff):
    theme = ThemeFactory()
    tagged = IdeaFactory(owning_unit=unit, title="Trygg skolevei")
    tagged.tags.add(IdeaTag.objects.create(name="skolevei", slug="skolevei"))
    themed = IdeaFactory(owning_unit=unit, theme=theme, title="Lesevenner")
    assigned = IdeaFactory(owning_unit=unit, assignee=staff)
    overdue = _age(IdeaFactory(owning_unit=unit), 20)
    rejected = IdeaFactory(owning_unit=unit, status=S.REJECTED)
    other_unit = UnitFactory()
    elsewhere = IdeaFactory(owning_unit=other_unit)

    def refs(**params):
        return set(_queue_refs(staff_client.get(QUEUE, params)))

    assert refs(tag="skolevei") == {tagged.reference}
    assert refs(theme=theme.pk) == {themed.reference}
    assert refs(assignee="me") == {assigned.reference}
    assert assigned.reference not in refs(assignee="none")
    assert refs(overdue="on") == {overdue.reference}
    assert refs(status=S.REJECTED) == {rejected.reference}
    assert rejected.reference in refs(status="all")
    assert refs(q="skolevei") == {tagged.reference}
    assert refs(q=themed.reference) == {themed.reference}
    # Staff may look at another unit's queue (read only).
    assert refs(unit=other_unit.pk) == {elsewhere.reference}


@pytest.mark.django_db
def test_queue_filter_by_challenge(staff_client, unit):
    from tests.factories import create_challenge

    challenge = create_challenge(owning_unit=unit)
    answer = IdeaFactory(owning_unit=unit, challenge=challenge)
    IdeaFactory(owning_unit=unit)
    response = staff_client.get(QUEUE, {"challenge": challenge.pk})
    assert _queue_refs(response) == [answer.reference]


@pytest.mark.django_db
def test_admin_sees_all_units(client, unit):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    ideas = [IdeaFactory(owning_unit=unit), IdeaFactory()]
    response = client.get(QUEUE)
    assert set(_queue_refs(response)) == {i.reference for i in ideas}


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [5, 50])
def test_queue_query_count_does_not_grow_with_rows(
    staff_client, unit, staff, rows, django_assert_max_num_queries
):
    theme = ThemeFactory()
    tag = IdeaTag.objects.create(name="lys", slug="lys")
    for i in range(rows):
        idea = IdeaFactory(owning_unit=unit, theme=theme, assignee=staff if i % 2 else None)
        idea.tags.add(tag)
    with django_assert_max_num_queries(25):
        response = staff_client.get(QUEUE)
    assert len(response.context["ideas"]) == rows


@pytest.mark.django_db
@pytest.mark.parametrize("events", [5, 50])
def test_idea_page_query_count_does_not_grow_with_history(
    staff_client, unit, staff, events, django_assert_max_num_queries
):
    from ideas.actions import idea_add_note

    idea = IdeaFactory(owning_unit=unit)
    for i in range(events):
        idea_add_note(idea=idea, by=staff, text=f"Notat {i}")
    with django_assert_max_num_queries(40):
        response = staff_client.get(reverse("ideas_triage:idea", args=[idea.pk]))
    assert response.status_code == 200
    assert f"Notat {events - 1}" in response.content.decode()


@pytest.mark.django_db
def test_idea_page_shows_history_notes_assignee_support_and_similar(staff_client, unit, staff):
    from ideas.actions import idea_add_note, idea_answer, idea_assign, idea_transition

    twin = IdeaFactory(title="Gatelys langs skoleveien", summary="Mer lys på skoleveien.")
    idea = IdeaFactory(owning_unit=unit, title="Gatelys langs skoleveien i sentrum")
    idea_transition(idea=idea, to=S.IN_REVIEW, by=staff, internal_note="Sjekk budsjett")
    idea_add_note(idea=idea, by=staff, text="Snakket med driftssjefen.")
    idea_assign(idea=idea, assignee=staff, by=staff)
    idea_answer(idea=idea, by=staff, text="Vi ser på det til høsten.")
    from search.backends import get_backend

    get_backend().rebuild()

    html = staff_client.get(reverse("ideas_triage:idea", args=[idea.pk])).content.decode()
    assert "Snakket med driftssjefen." in html
    assert "Sjekk budsjett" in html
    assert "Vi ser på det til høsten." in html
    assert "Siri Saksbehandler" in html
    assert twin.reference in html  # similar ideas from the search backend


@pytest.mark.django_db
def test_idea_page_shows_the_description_as_the_public_page_does(staff_client, unit):
    idea = IdeaFactory(
        owning_unit=unit,
        description="Vi trenger **mer lys**.\n\n- ved skolen\n- i parken\n\n<script>x()</script>",
    )
    html = staff_client.get(reverse("ideas_triage:idea", args=[idea.pk])).content.decode()
    assert "<strong>mer lys</strong>" in html
    assert "<li>ved skolen</li>" in html
    assert "**" not in html
    # HTML someone typed stays text, as on the public page.
    assert "<script>x()" not in html
    assert "&lt;script&gt;x()" in html


@pytest.mark.django_db
def test_transition_action_posts_and_redirects(staff_client, unit, mailoutbox):
    idea = IdeaFactory(owning_unit=unit)
    url = reverse("ideas_triage:action", args=[idea.pk, "transition"])
    response = staff_client.post(url, {"transition-to": S.IN_REVIEW})
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas_triage:idea", args=[idea.pk])
    idea.refresh_from_db()
    assert idea.status == S.IN_REVIEW


@pytest.mark.django_db
def test_transition_refused_by_the_service_shows_the_reason(staff_client, unit):
    idea = IdeaFactory(owning_unit=unit, status=S.IN_REVIEW)
    url = reverse("ideas_triage:action", args=[idea.pk, "transition"])
    response = staff_client.post(url, {"transition-to": S.REJECTED}, follow=True)
    idea.refresh_from_db()
    assert idea.status == S.IN_REVIEW
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.django_db
def test_invalid_action_form_rerenders_with_errors(staff_client, unit):
    idea = IdeaFactory(owning_unit=unit)
    url = reverse("ideas_triage:action", args=[idea.pk, "transition"])
    response = staff_client.post(url, {"transition-to": S.IMPLEMENTED})
    assert response.status_code == 400
    assert response.context["forms"]["transition"].errors
    assert not IdeaEvent.objects.filter(idea=idea).exists()


@pytest.mark.django_db
def test_each_action_through_the_workspace(staff_client, unit, staff):
    idea = IdeaFactory(owning_unit=unit)
    target = IdeaFactory(owning_unit=unit)
    other = UnitFactory(name="Teknisk")
    colleague = admin_staff_of(unit)

    def post(action, data):
        url = reverse("ideas_triage:action", args=[idea.pk, action])
        data = {f"{action}-{k}": v for k, v in data.items()}
        return staff_client.post(url, data)

    assert post("note", {"text": "Intern merknad"}).status_code == 302
    assert post("answer", {"text": "Offentlig svar"}).status_code == 302
    assert post("assign", {"assignee": colleague.pk}).status_code == 302
    assert post("merge", {"into": target.reference, "public_reason": "Duplikat"}).status_code == 302
    idea.refresh_from_db()
    assert idea.status == S.MERGED and idea.assignee == colleague
    assert post("unmerge", {"reason": "Feil"}).status_code == 302
    assert post("reroute", {"to_unit": other.pk, "reason": "Gjelder vei"}).status_code == 302
    idea.refresh_from_db()
    assert idea.status == S.SUBMITTED and idea.owning_unit == other
    kinds = list(IdeaEvent.objects.filter(idea=idea).values_list("kind", flat=True))
    assert kinds == ["note", "answer", "assigned", "merged", "unmerged", "rerouted"]


@pytest.mark.django_db
def test_hide_and_show_again_from_the_workspace(
    staff_client, unit, mailoutbox, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(owning_unit=unit, title="Reklame for kafé")
    page = reverse("ideas_triage:idea", args=[idea.pk])
    hide = reverse("ideas_triage:action", args=[idea.pk, "hide"])
    unhide = reverse("ideas_triage:action", args=[idea.pk, "unhide"])

    html = staff_client.get(page).content.decode()
    assert f'action="{hide}"' in html and 'name="hide-reason"' in html
    assert f'action="{unhide}"' not in html

    # No reason: the form comes back with an error, and nothing happened.
    refused = staff_client.post(hide, {"hide-reason": "  "})
    assert refused.status_code == 400
    assert refused.context["forms"]["hide"].errors["reason"]
    assert refused.context["open_action"] == "hide"
    idea.refresh_from_db()
    assert not idea.is_hidden

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(hide, {"hide-reason": "Reklame, ikke en idé."}, follow=True)
    idea.refresh_from_db()
    assert idea.is_hidden and idea.hidden_reason == "Reklame, ikke en idé."
    html = response.content.decode()
    assert "Reklame, ikke en idé." in html  # the reason, in the facts and the history
    assert f'action="{unhide}"' in html and f'action="{hide}"' not in html
    queue = staff_client.get(QUEUE)
    assert idea.reference in _queue_refs(queue)  # staff still find it
    assert "Skjult for publikum" in queue.content.decode()
    hidden_only = staff_client.get(QUEUE, {"status": "hidden"})
    assert _queue_refs(hidden_only) == [idea.reference]

    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(unhide, {"unhide-reason": ""}).status_code == 302
    idea.refresh_from_db()
    assert not idea.is_hidden and idea.hidden_reason == ""
    assert _queue_refs(staff_client.get(QUEUE, {"status": "hidden"})) == []
    assert [m.subject for m in mailoutbox] == [
        f"Ideen din {idea.reference} er skjult",
        f"Ideen din {idea.reference} vises igjen",
    ]


@pytest.mark.django_db
def test_bulk_hide_needs_a_reason_and_hides_each_idea(staff_client, unit):
    ideas = [IdeaFactory(owning_unit=unit) for _ in range(2)]
    pks = [i.pk for i in ideas]
    staff_client.post(reverse("ideas_triage:bulk"), {"ideas": pks, "action": "hide"})
    assert not Idea.objects.filter(is_hidden=True).exists()

    response = staff_client.post(
        reverse("ideas_triage:bulk"), {"ideas": pks, "action": "hide", "text": "Spam."}
    )
    report = staff_client.get(response["Location"])
    assert {r["reference"] for r in report.context["succeeded"]} == {i.reference for i in ideas}
    assert set(Idea.objects.values_list("hidden_reason", flat=True)) == {"Spam."}

    staff_client.post(reverse("ideas_triage:bulk"), {"ideas": pks, "action": "unhide"})
    assert not Idea.objects.filter(is_hidden=True).exists()


@pytest.mark.django_db
def test_merge_form_rejects_unknown_reference(staff_client, unit):
    idea = IdeaFactory(owning_unit=unit)
    url = reverse("ideas_triage:action", args=[idea.pk, "merge"])
    response = staff_client.post(url, {"merge-into": "2099-99999"})
    assert response.status_code == 400
    assert response.context["forms"]["merge"].errors["into"]


@pytest.mark.django_db
def test_bulk_action_with_partial_failure_reports_per_idea(staff_client, unit):
    ready = [IdeaFactory(owning_unit=unit) for _ in range(2)]
    accepted = IdeaFactory(owning_unit=unit, status=S.ACCEPTED)
    foreign = IdeaFactory()
    response = staff_client.post(
        reverse("ideas_triage:bulk"),
        {
            "ideas": [i.pk for i in (*ready, accepted, foreign)],
            "action": "transition",
            "to": S.IN_REVIEW,
            "next": QUEUE + "?status=all",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas_triage:bulk_result")
    report = staff_client.get(response["Location"])
    assert report.status_code == 200
    ok = {r["reference"] for r in report.context["succeeded"]}
    failed = {r["reference"]: r["message"] for r in report.context["failed"]}
    assert ok == {i.reference for i in ready}
    assert set(failed) == {accepted.reference, foreign.reference}
    assert all(failed.values())
    html = report.content.decode()
    assert failed[accepted.reference] in html
    assert 'href="/admin/triage/?status=all"' in html
    # The report is shown once; reloading goes back to the queue.
    assert staff_client.get(reverse("ideas_triage:bulk_result")).status_code == 302
    statuses = dict(Idea.objects.values_list("reference", "status"))
    assert statuses[accepted.reference] == S.ACCEPTED


@pytest.mark.django_db
def test_bulk_assign_and_reroute(staff_client, unit, staff):
    ideas = [IdeaFactory(owning_unit=unit) for _ in range(3)]
    staff_client.post(
        reverse("ideas_triage:bulk"),
        {"ideas": [i.pk for i in ideas], "action": "assign", "assignee": staff.pk},
    )
    assert set(Idea.objects.values_list("assignee", flat=True)) == {staff.pk}
    other = UnitFactory()
    staff_client.post(
        reverse("ideas_triage:bulk"),
        {"ideas": [i.pk for i in ideas], "action": "reroute", "to_unit": other.pk, "text": "Feil"},
    )
    assert set(Idea.objects.values_list("owning_unit", flat=True)) == {other.pk}


@pytest.mark.django_db
def test_bulk_form_errors_start_nothing(staff_client, unit):
    idea = IdeaFactory(owning_unit=unit)
    response = staff_client.post(
        reverse("ideas_triage:bulk"), {"ideas": [idea.pk], "action": "transition"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    idea.refresh_from_db()
    assert idea.status == S.SUBMITTED


@pytest.mark.django_db
def test_rule_test_view_explains_the_decision(staff_client, unit):
    tag = IdeaTag.objects.create(name="brøyting", slug="broyting")
    RoutingRule.objects.create(name="Brøyting til drift", priority=5, tag=tag, target_unit=unit)
    response = staff_client.get(
        reverse("ideas_triage:rule_test"), {"tags": [tag.pk], "kind": "idea"}
    )
    assert response.context["resolution"].unit == unit
    assert "Brøyting til drift" in response.content.decode()

    UnitFactory(slug="strategi-og-utvikling", name="Mottaket")
    response = staff_client.get(reverse("ideas_triage:rule_test"), {"kind": "idea"})
    assert response.context["resolution"].reason == "intake"
    assert "Mottaket" in response.content.decode()


@pytest.mark.django_db
def test_rule_test_view_reports_a_missing_intake_unit(staff_client):
    response = staff_client.get(reverse("ideas_triage:rule_test"), {"kind": "idea"})
    assert response.status_code == 200
    assert response.context["config_error"]


@pytest.mark.django_db
def test_dashboard_panel_counts_overdue_per_unit(staff_client, unit, staff):
    other = UnitFactory(name="Teknisk", response_deadline_days=30)
    staff.units.add(other)
    staff._staff_unit_ids = None
    for days in (11, 12):
        _age(IdeaFactory(owning_unit=unit), days)
    _age(IdeaFactory(owning_unit=other), 12)  # within 30 days
    _age(IdeaFactory(owning_unit=other), 31)
    _age(IdeaFactory(), 90)  # not my unit
    response = staff_client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert 'id="ideas-overdue' in html or "ideas-overdue" in html
    panel = html[html.index("ideas-overdue") :]
    assert "Oppvekst" in panel and "Teknisk" in panel
    counts = {
        u.name: u.overdue_count
        for u in response.context["panels"][
            [p.name for p in response.context["panels"]].index("ideas_overdue")
        ].get_context_data({"request": response.wsgi_request})["units"]
    }
    assert counts == {"Oppvekst": 2, "Teknisk": 1}


@pytest.mark.django_db
def test_routing_rules_are_managed_in_the_admin(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    unit = UnitFactory()
    theme = ThemeFactory()
    client.force_login(admin)
    index = client.get(reverse("ideas_routing_rules:index"))
    assert index.status_code == 200
    assert reverse("ideas_triage:rule_test") in index.content.decode()
    response = client.post(
        reverse("ideas_routing_rules:add"),
        {
            "name": "Tema til enhet",
            "priority": 10,
            "is_active": "on",
            "theme": theme.pk,
            "target_unit": unit.pk,
            "idea_kind": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert RoutingRule.objects.get().target_unit == unit


@pytest.mark.django_db
def test_staff_without_admin_access_are_sent_to_login(client, unit):
    from tests.ideas.triage_helpers import staff_of

    client.force_login(staff_of(unit))
    response = client.get(QUEUE)
    assert response.status_code == 302


@pytest.mark.django_db
def test_triage_menu_item_only_for_staff(client, unit, staff):
    editor = with_admin_access(UserFactory())
    client.force_login(editor)
    assert QUEUE not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(staff)
    assert QUEUE in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.django_db
def test_unknown_idea_and_action_are_404(staff_client, unit):
    assert staff_client.get(reverse("ideas_triage:idea", args=[999999])).status_code == 404
    idea = IdeaFactory(owning_unit=unit)
    url = reverse("ideas_triage:action", args=[idea.pk, "delete"])
    assert staff_client.post(url).status_code == 404


# --- Several municipalities ----------------------------------------------------------------


@pytest.fixture
def havbygd(db):
    from tests.factories import MunicipalityFactory

    municipality = MunicipalityFactory(name="Havbygd kommune", slug="havbygd")
    municipality.intake_unit = UnitFactory(name="Havbygd servicetorg", municipality=municipality)
    municipality.save()
    return municipality


@pytest.mark.django_db
def test_rule_test_view_asks_for_the_municipality_when_several_are_active(client, unit, havbygd):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("ideas_triage:rule_test"), {"kind": "idea"})
    assert response.status_code == 200
    assert response.context["config_error"] is None
    assert "municipality" in response.context["form"].errors

    response = client.get(
        reverse("ideas_triage:rule_test"), {"kind": "idea", "municipality": havbygd.pk}
    )
    assert response.context["resolution"].unit.name == "Havbygd servicetorg"
    assert "Havbygd servicetorg" in response.content.decode()


@pytest.mark.django_db
def test_rule_test_view_offers_staff_their_own_municipality_only(client, unit, havbygd):
    staff = admin_staff_of(havbygd.units.get())
    client.force_login(staff)
    response = client.get(reverse("ideas_triage:rule_test"), {"kind": "idea"})
    assert response.context["resolution"].unit.name == "Havbygd servicetorg"
    assert list(response.context["form"].fields["municipality"].queryset) == [havbygd]

    response = client.get(
        reverse("ideas_triage:rule_test"),
        {"kind": "idea", "municipality": unit.municipality_id},
    )
    assert "municipality" in response.context["form"].errors
    assert response.context["resolution"] is None


@pytest.mark.django_db
def test_dashboard_panel_of_a_municipality_s_administrator(client, unit, havbygd):
    from portal.services import municipality_groups_update

    administrators, _editors = municipality_groups_update(municipality=havbygd)
    administrator = UserFactory()
    administrator.groups.add(administrators)
    _age(IdeaFactory(owning_unit=havbygd.units.get()), 30)
    _age(IdeaFactory(owning_unit=unit), 30)
    client.force_login(administrator)
    response = client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert "Havbygd servicetorg" in html
    assert unit.name not in html
