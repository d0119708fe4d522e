"""Which unit owns an idea: the first matching active rule, else the challenge's owner,
else the intake unit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ideas.models import Idea, RoutingRule
from portal.models import Unit


def rule_matches(rule: RoutingRule, idea: Idea, tag_ids: set[int]) -> bool:
    if rule.challenge_id is not None:
        return rule.challenge_id == idea.challenge_id
    if rule.theme_id is not None:
        return rule.theme_id == idea.theme_id
    if rule.tag_id is not None:
        return rule.tag_id in tag_ids
    return bool(rule.idea_kind) and rule.idea_kind == idea.kind


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


def explain_unit(idea: Idea, *, tag_ids: Iterable[int] | None = None) -> Resolution:
    """Like `resolve_unit`, but also says which rule or fallback decided it."""
    if tag_ids is None:
        tag_ids = idea.tags.values_list("pk", flat=True) if idea.pk else []
    tags = set(tag_ids)
    rules = RoutingRule.objects.filter(is_active=True, target_unit__is_active=True).select_related(
        "target_unit"
    )
    for rule in rules.order_by("priority", "pk"):
        if rule_matches(rule, idea, tags):
            return Resolution(rule.target_unit, rule, "rule")
    if idea.challenge_id is not None:
        owner = idea.challenge.owning_unit
        if owner.is_active:
            return Resolution(owner, None, "challenge")
    return Resolution(intake_unit(), None, "intake")


def resolve_unit(idea: Idea, *, tag_ids: Iterable[int] | None = None) -> Unit:
    """Return exactly one active unit for the idea.

    Rules are tried by priority (then age); a rule whose target unit is inactive is
    skipped, as is a challenge owned by an inactive unit. `tag_ids` may be passed when
    the idea's tags are not saved yet (during submission).
    """
    return explain_unit(idea, tag_ids=tag_ids).unit
