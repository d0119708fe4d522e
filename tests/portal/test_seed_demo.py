from io import StringIO

from django.contrib.auth.models import Group
from django.core.management import call_command
from django_comments_xtd.models import XtdComment

from challenges.models import ChallengePage, Theme
from ideas.models import Follow, Idea, IdeaEvent, IdeaStatus, RoutingRule, Vote
from portal import roles
from portal.demo import DEMO_PASSWORD, STAFF_GROUP
from portal.models import Municipality, Organisation, Unit, User


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "themes": Theme.objects.count(),
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "unit staff": Unit.staff.through.objects.count(),
        "members": Organisation.members.through.objects.count(),
        "challenges": ChallengePage.objects.count(),
        "ideas": Idea.objects.count(),
        "votes": Vote.objects.count(),
        "events": IdeaEvent.objects.count(),
        "comments": XtdComment.objects.count(),
        "follows": Follow.objects.count(),
        "routing rules": RoutingRule.objects.count(),
    }


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", stdout=StringIO())
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    assert first["units"] >= 8
    assert first["themes"] == 4
    assert first["challenges"] >= 8
    assert first["ideas"] >= 150
    assert first["comments"] >= 50
    # Every status of the lifecycle is shown in the demo.
    assert set(Idea.objects.values_list("status", flat=True)) == set(IdeaStatus.values)
    # Some threads have replies, and some comments are the owning unit's answers.
    assert XtdComment.objects.filter(level=1).exists()
    unit_staff_ids = set(Unit.staff.through.objects.values_list("user_id", flat=True))
    assert XtdComment.objects.filter(user_id__in=unit_staff_ids).exists()


def test_demo_municipality_has_what_the_readme_promises(db):
    call_command("seed_demo", stdout=StringIO())
    assert Unit.objects.filter(slug="strategi-og-utvikling", is_active=True).exists()
    assert set(Theme.objects.values_list("slug", flat=True)) == {
        "forebygging-og-tidlig-innsats",
        "god-helhet-og-samhandling",
        "god-kvalitet",
        "nodvendig-kompetanse",
    }
    admin = User.objects.get(email="admin@fjordvik.kommune.example.no")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    editor = User.objects.get(email="redaktor@fjordvik.kommune.example.no")
    assert editor.groups.filter(name="Editors").exists()
    assert editor.has_perm("wagtailadmin.access_admin")
    unit_names = set(Unit.objects.values_list("name", flat=True))
    for unit in Unit.objects.all():
        staff = unit.staff.get()
        # A person, not the unit: assigning an idea to them must not read as to a unit.
        assert staff.display_name not in unit_names
        assert staff.display_name == f"{staff.first_name} {staff.last_name}"
        assert staff.groups.filter(name=STAFF_GROUP).exists()
        assert staff.has_perm("wagtailadmin.access_admin")
        assert staff.check_password(DEMO_PASSWORD)
    business = Organisation.objects.get(name="Fjordtech AS")
    assert business.members.filter(email="ingrid.fjell@fjordtech.example.no").exists()
    for organisation in Organisation.objects.all():
        organisation.full_clean()  # demo organisation numbers pass the mod-11 check
    assert Group.objects.filter(name=STAFF_GROUP).exists()


def test_the_demo_region_has_three_municipalities_each_with_staff_and_an_administrator(db):
    call_command("seed_demo", stdout=StringIO())
    municipalities = {m.slug: m for m in Municipality.objects.all()}
    assert set(municipalities) == {"fjordvik", "havbygd", "nordvik"}
    for slug, municipality in municipalities.items():
        administrator = User.objects.get(email=f"kommuneadmin@{slug}.kommune.example.no")
        assert administrator.check_password(DEMO_PASSWORD)
        assert administrator.groups.filter(pk=municipality.administrators_group_id).exists()
        assert roles.is_municipality_admin(administrator, municipality.pk)
        assert municipality.intake_unit.municipality == municipality
        staff = User.objects.filter(units__municipality=municipality)
        assert staff.exists()
        assert Idea.objects.filter(municipality=municipality).count() >= 3
    # Havbygd's staff are not Fjordvik's.
    havbygd_staff = User.objects.filter(units__municipality=municipalities["havbygd"])
    assert not havbygd_staff.filter(units__municipality=municipalities["fjordvik"]).exists()


def test_a_demo_password_changed_by_the_user_survives_a_second_seed(db):
    call_command("seed_demo", stdout=StringIO())
    kari = User.objects.get(email="kari.nordmann@example.no")
    kari.set_password("mitt-eget-passord-1")
    kari.save()
    call_command("seed_demo", stdout=StringIO())
    kari.refresh_from_db()
    assert kari.check_password("mitt-eget-passord-1")
