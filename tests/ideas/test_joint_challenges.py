"""Ideas on a joint challenge (docs/regional.md, issue 13 item 4): they belong to the lead
municipality and go to its owning unit; a partner's staff read them in triage and post
notes and answers marked with their municipality; only the lead moves the status; a
municipality that is not a partner sees nothing of them.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from challenges.joint import challenge_partners_set
from challenges.models import ChallengePage
from ideas import notifications, permissions, services
from ideas.actions import (
    TransitionPermissionDenied,
    idea_add_note,
    idea_answer,
    idea_assign,
    idea_hide,
    idea_reroute,
    idea_transition,
)
from ideas.models import Idea, IdeaEvent, IdeaStatus
from portal.services import municipality_groups_update
from tests.factories import (
    MunicipalityFactory,
    UnitFactory,
    UserFactory,
    create_challenge,
    default_municipality,
)
from tests.ideas.triage_helpers import admin_staff_of, with_admin_access

S = IdeaStatus
ROLES = [
    "anonymous",
    "citizen",
    "lead_staff",  # staff of the owning unit, in the lead municipality
    "lead_other_staff",  # staff of another unit of the lead municipality
    "partner_staff",  # staff of a unit of a partner municipality
    "partner_admin",  # administrator of a partner municipality (not in a unit)
    "other_staff",  # staff of a municipality that is not a partner
    "admin",
]
READING = {"lead_staff", "lead_other_staff", "partner_staff", "partner_admin", "admin"}
CONTRIBUTING = {"lead_staff", "partner_staff", "admin"}
ACTING = {"lead_staff", "admin"}


@pytest.fixture
def joint(db):
    fjordvik = default_municipality()
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
    nordvik = MunicipalityFactory(name="Nordvik kommune", slug="nordvik", number="9903")
    lead_unit = UnitFactory(name="Plan og miljø", municipality=fjordvik)
    lead_other_unit = UnitFactory(name="Oppvekst", municipality=fjordvik)
    fjordvik.intake_unit = lead_other_unit
    fjordvik.save()
    havbygd_unit = UnitFactory(name="Rådmannens stab", municipality=havbygd)
    nordvik_unit = UnitFactory(name="Samfunnsutvikling", municipality=nordvik)
    administrators, _editors = municipality_groups_update(municipality=havbygd)
    partner_admin = with_admin_access(UserFactory())
    partner_admin.groups.add(administrators)
    challenge = create_challenge(title="Kollektivtransport over grensa", owning_unit=lead_unit)
    challenge = challenge_partners_set(
        challenge=challenge, partners=[havbygd], governance="Fjordvik bestemmer."
    )
    citizen = UserFactory(display_name="Kari")
    idea = services.idea_submit(
        author=citizen,
        title="Bestillingsbuss over grensa",
        summary="En buss som kjører når folk trenger den.",
        description="En buss som kjører når folk trenger den, uansett kommunegrense.",
        challenge=challenge,
    )
    users = {
        "anonymous": AnonymousUser(),
        "citizen": citizen,
        "lead_staff": admin_staff_of(lead_unit),
        "lead_other_staff": admin_staff_of(lead_other_unit),
        "partner_staff": admin_staff_of(havbygd_unit, display_name="Guro Nes"),
        "partner_admin": partner_admin,
        "other_staff": admin_staff_of(nordvik_unit),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return {
        "fjordvik": fjordvik,
        "havbygd": havbygd,
        "nordvik": nordvik,
        "lead_unit": lead_unit,
        "lead_other_unit": lead_other_unit,
        "havbygd_unit": havbygd_unit,
        "challenge": challenge,
        "idea": idea,
        "users": users,
    }


def test_an_idea_on_a_joint_challenge_belongs_to_the_lead_and_its_owning_unit(joint):
    idea = joint["idea"]
    assert idea.municipality == joint["fjordvik"]
    assert idea.owning_unit == joint["lead_unit"]


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(joint, role):
    user, idea = joint["users"][role], Idea.objects.get(pk=joint["idea"].pk)
    assert permissions.can_view_in_triage(user, idea) is (role in READING)
    assert permissions.can_view_internal(user, idea) is (role in READING)
    assert permissions.can_contribute(user, idea) is (role in CONTRIBUTING)
    assert permissions.can_act_on(user, idea) is (role in ACTING)


ACTIONS = {
    "transition": lambda j, by: idea_transition(idea=j["idea"], to=S.IN_REVIEW, by=by),
    "reroute": lambda j, by: idea_reroute(
        idea=j["idea"], to_unit=j["lead_other_unit"], by=by, reason="Hører hjemme der."
    ),
    "assign": lambda j, by: idea_assign(idea=j["idea"], assignee=j["users"]["lead_staff"], by=by),
    "hide": lambda j, by: idea_hide(idea=j["idea"], by=by, reason="Personopplysninger."),
    "note": lambda j, by: idea_add_note(idea=j["idea"], by=by, text="Intern merknad."),
    "answer": lambda j, by: idea_answer(idea=j["idea"], by=by, text="Et offentlig svar."),
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_service_matrix(joint, role, action):
    by = joint["users"][role]
    allowed = role in (CONTRIBUTING if action in ("note", "answer") else ACTING)
    before = Idea.objects.values().get(pk=joint["idea"].pk)
    events_before = IdeaEvent.objects.filter(idea=joint["idea"]).count()
    if allowed:
        ACTIONS[action](joint, by)
        assert IdeaEvent.objects.filter(idea=joint["idea"]).count() == events_before + 1
        return
    with pytest.raises(TransitionPermissionDenied) as refused:
        ACTIONS[action](joint, by)
    assert Idea.objects.values().get(pk=joint["idea"].pk) == before
    assert IdeaEvent.objects.filter(idea=joint["idea"]).count() == events_before
    if role == "partner_staff":
        # The partner is told why, and who decides.
        assert "felles utfordring ledet av Fjordvik kommune" in str(refused.value)


def test_notes_and_answers_are_marked_with_the_municipality_written_for(joint):
    idea, users = joint["idea"], joint["users"]
    partner_note = idea_add_note(idea=idea, by=users["partner_staff"], text="Fra Havbygd.")
    lead_answer = idea_answer(idea=idea, by=users["lead_staff"], text="Fra Fjordvik.")
    admin_note = idea_add_note(idea=idea, by=users["admin"], text="Fra plattformen.")
    assert partner_note.municipality == joint["havbygd"]
    assert lead_answer.municipality == joint["fjordvik"]
    assert admin_note.municipality == joint["fjordvik"]
    # Moving on later does not rewrite whose words they were.
    joint["havbygd_unit"].staff.remove(users["partner_staff"])
    partner_note.refresh_from_db()
    assert partner_note.municipality == joint["havbygd"]


def test_the_author_is_told_which_municipality_answered(
    joint, mailoutbox, django_capture_on_commit_callbacks
):
    idea, users = joint["idea"], joint["users"]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        idea_answer(idea=idea, by=users["partner_staff"], text="Havbygd støtter ideen.")
    (mail,) = [m for m in mailoutbox if m.to == [users["citizen"].email]]
    assert "Havbygd kommune, partner i den felles utfordringen, har svart" in mail.body
    assert "Havbygd støtter ideen." in mail.body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        idea_answer(idea=idea, by=users["lead_staff"], text="Fjordvik ser på den.")
    (mail,) = [m for m in mailoutbox if m.to == [users["citizen"].email]]
    assert "Plan og miljø har svart" in mail.body


def test_a_partners_intake_unit_is_told_about_a_new_idea_and_who_decides(
    joint, mailoutbox, django_capture_on_commit_callbacks
):
    havbygd, nordvik = joint["havbygd"], joint["nordvik"]
    havbygd.intake_unit = joint["havbygd_unit"]
    havbygd.save()
    # Not a partner: its intake unit hears nothing of the lead's joint challenge.
    nordvik.intake_unit = UnitFactory(name="Nordvik servicetorg", municipality=nordvik)
    nordvik.save()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.idea_submit(
            author=joint["users"]["citizen"],
            title="Felles bysykkel",
            summary="Sykler som kan leveres i begge kommuner.",
            description="Sykler som kan leveres i begge kommuner, med én app.",
            challenge=joint["challenge"],
        )
    partner_staff = joint["users"]["partner_staff"].email
    by_recipients = {frozenset(mail.to): mail for mail in mailoutbox}
    partner_mail = by_recipients[frozenset({joint["havbygd_unit"].contact_email, partner_staff})]
    assert (
        partner_mail.subject == f"Ny idé på en felles utfordring {idea.reference}: Felles bysykkel"
    )
    assert (
        "Havbygd kommune er partner i utfordringen; Fjordvik kommune leder den og bestemmer"
        in " ".join(partner_mail.body.split())
    )
    assert reverse("ideas_triage:idea", args=[idea.pk]) in partner_mail.body
    # The owning unit gets its usual e-mail, and nobody in Nordvik gets any.
    lead_mail = by_recipients[frozenset(notifications.unit_recipients(joint["lead_unit"]))]
    assert "Felles bysykkel" in lead_mail.subject and "partner" not in lead_mail.body
    everyone = {address for mail in mailoutbox for address in mail.to}
    assert nordvik.intake_unit.contact_email not in everyone
    assert joint["users"]["other_staff"].email not in everyone


def test_no_partner_e_mail_for_an_ordinary_challenge_or_a_partner_without_intake_unit(
    joint, mailoutbox, django_capture_on_commit_callbacks
):
    ordinary = create_challenge(title="Bare Fjordvik", owning_unit=joint["lead_unit"])
    joint["havbygd"].intake_unit = joint["havbygd_unit"]
    joint["havbygd"].save()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_submit(
            author=joint["users"]["citizen"],
            title="Lokal benk",
            summary="En benk ved kaia.",
            description="En benk ved kaia, der folk venter på båten.",
            challenge=ordinary,
        )
    everyone = {address for mail in mailoutbox for address in mail.to}
    assert mailoutbox and joint["users"]["partner_staff"].email not in everyone
    # A partner that has not named an intake unit yet: nobody to tell, nothing fails.
    joint["havbygd"].intake_unit = None
    joint["havbygd"].save()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_submit(
            author=joint["users"]["citizen"],
            title="Felles ferje",
            summary="En ferje mellom kommunene.",
            description="En ferje mellom kommunene, hver time.",
            challenge=joint["challenge"],
        )
    everyone = {address for mail in mailoutbox for address in mail.to}
    assert mailoutbox and joint["users"]["partner_staff"].email not in everyone


# --- HTTP ----------------------------------------------------------------------------------


def _login(client, joint, role):
    if role != "anonymous":
        client.force_login(joint["users"][role])


@pytest.mark.parametrize("role", ROLES)
def test_http_queue_and_workspace(client, joint, role):
    _login(client, joint, role)
    idea = joint["idea"]
    queue = client.get(reverse("ideas_triage:queue"))
    page = client.get(reverse("ideas_triage:idea", args=[idea.pk]))
    if role in READING:
        if role != "lead_other_staff":  # another unit's staff pick the unit to see it
            assert idea.reference in queue.content.decode()
        assert page.status_code == 200
        html = page.content.decode()
        assert ("Publiser et offentlig svar" in html) is (role in CONTRIBUTING)
        assert ("Legg til internt notat" in html) is (role in CONTRIBUTING)
        # The status is the lead's to move: no status buttons for anyone else.
        assert ("Endre status" in html) is (role in ACTING)
        if role == "partner_staff":
            assert "felles utfordring ledet av Fjordvik kommune" in html
    elif role == "other_staff":
        # Their own (empty) queue; the idea itself is refused.
        assert queue.status_code == 200
        assert idea.reference not in queue.content.decode()
        assert idea.title not in queue.content.decode()
        assert page.status_code == 302
        assert page["Location"] == reverse("wagtailadmin_home")
    else:
        assert page.status_code == 302
        assert reverse("wagtailadmin_login") in page["Location"]


def test_partner_staff_filter_the_queue_by_the_joint_challenge(client, joint):
    client.force_login(joint["users"]["partner_staff"])
    response = client.get(
        reverse("ideas_triage:queue"), {"challenge": joint["challenge"].pk, "status": "all"}
    )
    assert response.status_code == 200
    assert joint["idea"].reference in response.content.decode()


HTTP_ACTIONS = {
    "transition": {"transition-to": S.IN_REVIEW},
    "reroute": {"reroute-reason": "Der."},
    "hide": {"hide-reason": "Personopplysninger."},
    "note": {"note-text": "Havbygd har en bestillingsbuss fra før."},
    "answer": {"answer-text": "Havbygd støtter ideen."},
}


@pytest.mark.parametrize("action", list(HTTP_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_http_actions(client, joint, role, action):
    _login(client, joint, role)
    idea = joint["idea"]
    data = dict(HTTP_ACTIONS[action])
    if action == "reroute":
        data["reroute-to_unit"] = joint["lead_other_unit"].pk
    events_before = IdeaEvent.objects.filter(idea=idea).count()
    response = client.post(reverse("ideas_triage:action", args=[idea.pk, action]), data)
    events = IdeaEvent.objects.filter(idea=idea).count() - events_before
    allowed = role in (CONTRIBUTING if action in ("note", "answer") else ACTING)
    assert response.status_code == 302
    assert events == (1 if allowed else 0)
    idea.refresh_from_db()
    if role not in ACTING:
        assert idea.status == S.SUBMITTED
        assert idea.owning_unit == joint["lead_unit"]
        assert not idea.is_hidden
    if role == "partner_staff" and not allowed:
        # Refused on the server with a message saying why, back on the idea's page.
        assert response["Location"] == reverse("ideas_triage:idea", args=[idea.pk])
        followed = client.get(response["Location"]).content.decode()
        assert "bare ansatte i Fjordvik kommune" in followed


def test_partner_note_and_answer_show_their_municipality(client, joint):
    idea, users = joint["idea"], joint["users"]
    client.force_login(users["partner_staff"])
    client.post(
        reverse("ideas_triage:action", args=[idea.pk, "note"]),
        {"note-text": "Vi kan dele sjåfører."},
    )
    client.post(
        reverse("ideas_triage:action", args=[idea.pk, "answer"]),
        {"answer-text": "Havbygd støtter ideen."},
    )
    # In triage, for the lead's staff: beside the author.
    client.force_login(users["lead_staff"])
    html = client.get(reverse("ideas_triage:idea", args=[idea.pk])).content.decode()
    assert "Guro Nes, Havbygd kommune" in html
    # In public: the answer says whose it is; the note never shows.
    client.logout()
    public = client.get(idea.get_absolute_url()).content.decode()
    assert "Havbygd støtter ideen." in public
    assert "Svar fra Havbygd kommune" in public
    assert "Vi kan dele sjåfører." not in public


@pytest.mark.parametrize("count", [1, 8])
def test_partner_triage_pages_stay_within_budget(
    client, joint, count, django_assert_max_num_queries
):
    for number in range(count):
        services.idea_submit(
            author=joint["users"]["citizen"],
            title=f"Idé {number} om bussen",
            summary="Kort.",
            description="Lengre beskrivelse.",
            challenge=joint["challenge"],
        )
    idea = joint["idea"]
    idea_add_note(idea=idea, by=joint["users"]["partner_staff"], text="Fra Havbygd.")
    idea_answer(idea=idea, by=joint["users"]["partner_staff"], text="Svar fra Havbygd.")
    client.force_login(joint["users"]["partner_staff"])
    with django_assert_max_num_queries(30):
        queue = client.get(reverse("ideas_triage:queue"))
    assert queue.content.decode().count("Idé ") >= count
    with django_assert_max_num_queries(40):
        assert client.get(reverse("ideas_triage:idea", args=[idea.pk])).status_code == 200
    client.logout()
    with django_assert_max_num_queries(30):
        assert client.get(idea.get_absolute_url()).status_code == 200


def _queue_row(html: str, reference: str) -> str:
    (row,) = [row for row in html.split("<tr")[1:] if f"<strong>{reference}</strong>" in row]
    return row


@pytest.mark.parametrize("count", [1, 8])
def test_the_queue_marks_joint_ideas_without_a_query_per_row(
    client, joint, count, django_assert_max_num_queries
):
    ordinary = create_challenge(title="Bare Fjordvik", owning_unit=joint["lead_unit"])
    submitted = {"joint": [joint["idea"]], "ordinary": []}
    for number in range(count):
        for kind, challenge in (("joint", joint["challenge"]), ("ordinary", ordinary)):
            submitted[kind].append(
                services.idea_submit(
                    author=joint["users"]["citizen"],
                    title=f"Idé {number} ({kind})",
                    summary="Kort.",
                    description="Lengre beskrivelse.",
                    challenge=challenge,
                )
            )
    for role in ("lead_staff", "partner_staff"):
        client.force_login(joint["users"][role])
        with django_assert_max_num_queries(30):
            html = client.get(reverse("ideas_triage:queue")).content.decode()
        for idea in submitted["joint"]:
            assert "Felles" in _queue_row(html, idea.reference), role
        if role == "lead_staff":
            for idea in submitted["ordinary"]:
                assert "Felles" not in _queue_row(html, idea.reference)
        else:  # the partner's queue holds the joint ideas only
            for idea in submitted["ordinary"]:
                assert idea.reference not in html


def test_the_demo_has_a_joint_challenge_with_a_partner_s_note_and_answer(db):
    from challenges.models import ChallengePage
    from ideas import demo_region
    from portal import demo as portal_demo

    portal_demo.seed()
    demo_region.seed()  # a second run changes nothing
    challenge = ChallengePage.objects.get(slug="felles-kollektiv")
    assert challenge.live
    assert challenge.owning_unit.municipality.slug == "fjordvik"
    assert sorted(challenge.partner_municipalities.values_list("slug", flat=True)) == [
        "havbygd",
        "nordvik",
    ]
    assert challenge.governance
    ideas = Idea.objects.filter(challenge=challenge)
    assert ideas.count() == len(demo_region.JOINT.ideas)
    assert {idea.municipality.slug for idea in ideas} == {"fjordvik"}
    havbygd_events = IdeaEvent.objects.filter(
        idea__challenge=challenge, municipality__slug="havbygd"
    )
    assert sorted(havbygd_events.values_list("kind", flat=True)) == ["answer", "note"]


def test_the_list_its_filter_and_triage_agree_on_a_partner_s_joint_challenges(joint):
    """One definition (`challenges.models.partner_challenge_ids`), two views of it: the
    public's (a partner's idea list and its filter: published joint challenges, a
    closed one too) and the partner staff's in triage (taken offline too)."""
    from ideas.forms import IdeaFilterForm
    from ideas.selectors import joint_challenge_ids, municipality_ideas_q
    from ideas.triage.selectors import in_my_municipalities
    from tests.factories import IdeaFactory

    today = timezone.localdate()
    lead_unit, havbygd = joint["lead_unit"], joint["havbygd"]
    closed = challenge_partners_set(
        challenge=create_challenge(
            title="Ferje om natta",
            owning_unit=lead_unit,
            opens_on=today - datetime.timedelta(days=60),
            closes_on=today - datetime.timedelta(days=2),
        ),
        partners=[havbygd],
    )
    offline = challenge_partners_set(
        challenge=create_challenge(title="Felles havneplan", owning_unit=lead_unit),
        partners=[havbygd],
    )
    on_closed, on_offline = (
        IdeaFactory(reference=f"2026-0900{n}", owning_unit=lead_unit, challenge=challenge)
        for n, challenge in enumerate((closed, offline))
    )
    offline.unpublish()
    create_challenge(title="Fjordviks egen floke", owning_unit=lead_unit)  # not joint

    listed = joint_challenge_ids(havbygd.pk)
    assert listed == sorted([joint["challenge"].pk, closed.pk])
    # The partner's list filter offers exactly the joint challenges whose ideas it lists.
    form = IdeaFilterForm(None, user=AnonymousUser(), municipality_id=havbygd.pk)
    assert [challenge.pk for challenge in form["challenge"].field.queryset] == sorted(
        listed, key=lambda pk: ChallengePage.objects.get(pk=pk).title
    )
    on_list = Idea.objects.public().filter(municipality_ideas_q(havbygd.pk))
    assert set(on_list) == {joint["idea"], on_closed}
    # Its staff still read the ideas of the one taken offline.
    partner_staff = joint["users"]["partner_staff"]
    in_triage = in_my_municipalities(Idea.objects.all(), partner_staff)
    assert set(in_triage) == {joint["idea"], on_closed, on_offline}
    # Not a partner: none of them, in either.
    assert joint_challenge_ids(joint["nordvik"].pk) == []
    assert not in_my_municipalities(Idea.objects.all(), joint["users"]["other_staff"]).exists()
