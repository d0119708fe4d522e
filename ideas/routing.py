"""Which unit owns an idea: the first matching active rule, else the challenge's owner,
else the intake unit."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet, Subquery

from ideas.models import Idea, RoutingRule
from portal.models import Unit


def matching_rules(idea: Idea, tag_ids: Iterable[int]) -> QuerySet[RoutingRule]:
    """The active rules that match the idea, best first, whose target unit is active.

    A rule has exactly one condition (a database constraint), so "any of the idea's
    challenge, theme, tags or kind" selects exactly the rules whose one condition holds.
    """
    conditions = [Q(idea_kind=idea.kind)] if idea.kind else []
    if idea.challenge_id is not None:
        conditions.append(Q(challenge_id=idea.challenge_id))
    if idea.theme_id is not None:
        conditions.append(Q(theme_id=idea.theme_id))
    tag_ids = list(tag_ids)
    if tag_ids:
        conditions.append(Q(tag_id__in=tag_ids))
    if not conditions:
        return RoutingRule.objects.none()
    return RoutingRule.objects.filter(
        reduce(operator.or_, conditions), is_active=True, target_unit__is_active=True
    ).order_by("priority", "pk")


def intake_unit() -> Unit:
    slug = settings.PORTAL_INTAKE_UNIT_SLUG
    try:
        return Unit.objects.get(slug=slug, is_active=True)
    except Unit.DoesNotExist as missing:
        raise ImproperlyConfigured(
            f"The intake unit '{slug}' (PORTAL_INTAKE_UNIT_SLUG) does not exist or is inactive."
        ) from missing


@dataclass(frozen=True)
class Resolution:
    """Which unit gets an idea, and why: the rule that matched, or the fallback used."""

    unit: Unit
    rule: RoutingRule | None
    reason: str  # "rule", "challenge" or "intake"


def _decide(idea: Idea, tag_ids: Iterable[int] | None) -> tuple[Unit, int | None, str]:
    """The unit, the deciding rule's id (if a rule decided) and why, in one query.

    The query reads the active units that could get the idea (the best matching rule's
    target, the challenge's owner, the intake unit) and which rule won; the order of
    precedence is applied here.
    """
    if tag_ids is None:
        tag_ids = idea.tags.values_list("pk", flat=True) if idea.pk else []
    rules = matching_rules(idea, tag_ids)
    owner_id = idea.challenge.owning_unit_id if idea.challenge_id is not None else None
    candidates = Q(slug=settings.PORTAL_INTAKE_UNIT_SLUG) | Q(
        pk__in=Subquery(rules.values("target_unit_id")[:1])
    )
    if owner_id is not None:
        candidates |= Q(pk=owner_id)
    units = list(
        Unit.objects.filter(candidates, is_active=True).annotate(
            rule_id=Subquery(rules.values("pk")[:1]),
            rule_unit_id=Subquery(rules.values("target_unit_id")[:1]),
        )
    )
    return _by_precedence(units, owner_id)


def _by_precedence(units: list[Unit], owner_id: int | None) -> tuple[Unit, int | None, str]:
    """A matching rule's unit, else the challenge's owner, else the intake unit."""
    by_pk = {unit.pk: unit for unit in units}
    if units and units[0].rule_unit_id in by_pk:
        return by_pk[units[0].rule_unit_id], units[0].rule_id, "rule"
    if owner_id in by_pk:
        return by_pk[owner_id], None, "challenge"
    intake = next((u for u in units if u.slug == settings.PORTAL_INTAKE_UNIT_SLUG), None)
    # intake_unit() raises ImproperlyConfigured when the intake unit is missing.
    return intake or intake_unit(), None, "intake"


def explain_unit(idea: Idea, *, tag_ids: Iterable[int] | None = None) -> Resolution:
    """Like `resolve_unit`, but also says which rule or fallback decided it."""
    unit, rule_id, reason = _decide(idea, tag_ids)
    rule = RoutingRule.objects.get(pk=rule_id) if rule_id is not None else None
    return Resolution(unit, rule, reason)


def resolve_unit(idea: Idea, *, tag_ids: Iterable[int] | None = None) -> Unit:
    """Return exactly one active unit for the idea, with one query.

    Rules are tried by priority (then age); a rule whose target unit is inactive is
    skipped, as is a challenge owned by an inactive unit. `tag_ids` may be passed when
    the idea's tags are not saved yet (during submission).
    """
    return _decide(idea, tag_ids)[0]
