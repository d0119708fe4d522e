"""Who is told as a solution moves through its review. Every e-mail is queued on commit
(`portal.emails.queue_email`), rendered now in the language of the person acting.

- Submitted: the owning municipality's reviewers (its editors and administrators) learn
  that a solution waits for them.
- Returned or published: its writers (whoever created or submitted it) learn the outcome,
  with the reviewer's comment when it was returned.
The person acting is never told of their own step.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from portal.absolute_urls import base_url
from portal.emails import queue_email
from portal.models import User
from solutions.models import Solution, SolutionEvent


def reviewer_emails(solution: Solution, *, exclude: User) -> list[str]:
    """The active members of the owning municipality's editors and administrators."""
    municipality = solution.municipality
    groups = [g for g in (municipality.editors_group_id, municipality.administrators_group_id) if g]
    if not groups:
        return []
    found = User.objects.filter(groups__in=groups, is_active=True).exclude(pk=exclude.pk)
    return sorted(set(found.values_list("email", flat=True)))


def writer_emails(solution: Solution, *, exclude: User) -> list[str]:
    """Whoever created or submitted the solution, while active."""
    wrote = Q(kind=SolutionEvent.Kind.CREATED) | Q(kind=SolutionEvent.Kind.SUBMITTED)
    actors = solution.events.filter(wrote).values("actor")
    found = User.objects.filter(pk__in=actors, is_active=True).exclude(pk=exclude.pk)
    return sorted(set(found.values_list("email", flat=True)))


def notify_review_step(solution: Solution, *, step: str, by: User, comment: str = "") -> int:
    """The e-mails of one review step (`submit`, `return`, `publish`); others tell nobody.
    Returns how many were queued."""
    if step == "submit":
        recipients, template = reviewer_emails(solution, exclude=by), "waiting"
    elif step in ("return", "publish"):
        recipients = writer_emails(solution, exclude=by)
        template = "returned" if step == "return" else "published"
    else:
        return 0
    context = {
        "solution": solution,
        "comment": comment,
        "by": by,
        "staff_url": base_url() + reverse("solutions_staff:solution", args=[solution.pk]),
        "public_url": base_url() + solution.get_absolute_url(),
    }
    for email in recipients:
        queue_email(template=f"solutions/emails/{template}", context=context, to=[email])
    return len(recipients)
