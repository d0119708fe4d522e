"""Small builders shared by the triage, workflow and routing tests."""

from __future__ import annotations

from ideas.models import Follow, Idea, IdeaStatus, Vote
from tests.factories import IdeaFactory, UnitFactory, UserFactory


def staff_of(unit, **fields):
    user = UserFactory(**fields)
    unit.staff.add(user)
    return user


def idea_in(status: str, **fields) -> Idea:
    """An idea in the given status; a merged idea points at a fresh public idea."""
    if status == IdeaStatus.MERGED and "merged_into" not in fields:
        fields["merged_into"] = IdeaFactory(owning_unit=fields.get("owning_unit") or UnitFactory())
    return IdeaFactory(status=status, **fields)


def add_votes(idea: Idea, voters) -> None:
    for voter in voters:
        Vote.objects.create(idea=idea, voter=voter)
    idea.support_count = Vote.objects.filter(idea=idea).count()
    idea.save(update_fields=["support_count"])


def add_followers(idea: Idea, users) -> None:
    for user in users:
        Follow.objects.create(idea=idea, user=user)


def with_admin_access(user):
    """Staff log in to the Wagtail admin, as the demo's "Saksbehandlere" group allows."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


def admin_staff_of(unit, **fields):
    return with_admin_access(staff_of(unit, **fields))
