"""Who is told about what happens to an idea. Every e-mail is queued on commit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from challenges.selectors import can_see_challenge
from ideas.models import Follow, Idea
from portal.absolute_urls import base_url as portal_base_url
from portal.emails import queue_email
from portal.models import Municipality, Unit, User


def idea_audience(idea: Idea, *, exclude: User | None = None) -> list[str]:
    """The author and every follower of the idea, once each, minus the person acting.

    Only the author while the idea is hidden."""
    users = {idea.author_id: idea.author.email}
    # Nobody but the author may see a hidden idea, not even in an e-mail.
    followers = Follow.objects.none() if idea.is_hidden else Follow.objects.filter(idea=idea)
    for user_id, email in followers.filter(user__is_active=True).values_list(
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


def notify_unit(unit: Unit, *, template: str, context: dict[str, Any]) -> bool:
    """One e-mail to the unit's active staff and contact address; False if it has none."""
    recipients = unit_recipients(unit)
    if recipients:
        queue_email(template=template, context={"unit": unit, **context}, to=recipients)
    return bool(recipients)


def challenge_follower_emails(idea: Idea) -> list[str]:
    """Those following the idea's challenge who may still see it, but not the author.

    A challenge can be unpublished or restricted after people followed it; they must
    not hear about it then (`challenges.selectors.can_see_challenge`, the same rule as
    every list). Where anyone may see it, nobody's groups are read.
    """
    challenge = idea.challenge
    follows = Follow.objects.filter(challenge=challenge, user__is_active=True).exclude(
        user_id=idea.author_id
    )
    if can_see_challenge(AnonymousUser(), challenge):
        emails = follows.values_list("user__email", flat=True)
    else:
        followers = [
            follow.user
            for follow in follows.select_related("user").prefetch_related("user__groups")
        ]
        emails = [user.email for user in followers if can_see_challenge(user, challenge)]
    return sorted(set(emails))


def partner_intake_units(idea: Idea) -> list[Unit]:
    """The active intake units of the active partner municipalities of the idea's joint
    challenge (none for an ordinary challenge or a free idea): one query.

    The intake unit is the one a municipality names to receive what nobody else claims,
    so it is the partner's door for ideas it takes part in but does not own."""
    if idea.challenge_id is None:
        return []
    return list(
        Unit.objects.filter(
            pk__in=Municipality.objects.filter(
                joint_challenges=idea.challenge_id, is_active=True
            ).values("intake_unit_id"),
            is_active=True,
        )
        .select_related("municipality")
        .order_by("municipality__name", "pk")
    )


def notify_new_idea(idea: Idea) -> int:
    """Queue the e-mails about a new idea: its unit, the intake unit of each partner of a
    joint challenge, and everyone following its challenge except the author. Returns how
    many e-mails were queued."""
    base_url = portal_base_url()
    queued = 0
    told: set[str] = set()
    if idea.owning_unit is not None:
        told.update(unit_recipients(idea.owning_unit))
        queued += notify_unit(
            idea.owning_unit,
            template="ideas/emails/new_idea",
            context={"idea": idea, "base_url": base_url},
        )
    for unit in partner_intake_units(idea):
        # Someone on both units (or one contact address) gets the owning unit's e-mail only.
        recipients = [email for email in unit_recipients(unit) if email not in told]
        if not recipients:
            continue
        told.update(recipients)
        queue_email(
            template="ideas/emails/new_idea_partner",
            context={
                "idea": idea,
                "unit": unit,
                "partner": unit.municipality,
                "lead": idea.municipality,
                "base_url": base_url,
            },
            to=recipients,
        )
        queued += 1
    if idea.challenge_id is not None:
        for email in challenge_follower_emails(idea):
            queue_email(
                template="ideas/emails/new_idea_challenge",
                context={"idea": idea, "challenge": idea.challenge, "base_url": base_url},
                to=[email],
            )
            queued += 1
    return queued
