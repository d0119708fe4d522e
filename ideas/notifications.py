"""Who is told about what happens to an idea. Every e-mail is queued on commit."""

from __future__ import annotations

from typing import Any

from ideas.models import Follow, Idea
from portal.emails import queue_email
from portal.models import Unit, User


def idea_audience(idea: Idea, *, exclude: User | None = None) -> list[str]:
    """The author and every follower of the idea, once each, minus the person acting."""
    users = {idea.author_id: idea.author.email}
    for user_id, email in Follow.objects.filter(idea=idea, user__is_active=True).values_list(
        "user_id", "user__email"
    ):
        users[user_id] = email
    if exclude is not None:
        users.pop(exclude.pk, None)
    return sorted(set(users.values()))


def notify_idea_audience(
    idea: Idea, *, template: str, context: dict[str, Any], exclude: User | None = None
) -> None:
    """One e-mail per recipient, so nobody sees the others' addresses."""
    for email in idea_audience(idea, exclude=exclude):
        queue_email(template=template, context={"idea": idea, **context}, to=[email])


def unit_recipients(unit: Unit) -> list[str]:
    emails = set(unit.staff.filter(is_active=True).values_list("email", flat=True))
    if unit.contact_email:
        emails.add(unit.contact_email)
    return sorted(emails)


def notify_unit(unit: Unit, *, template: str, context: dict[str, Any]) -> None:
    recipients = unit_recipients(unit)
    if recipients:
        queue_email(template=template, context={"unit": unit, **context}, to=recipients)
