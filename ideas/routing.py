"""Which unit owns an idea: the first matching active rule of the idea's municipality,
else the challenge's owner, else the municipality's intake unit.

An idea's municipality is its challenge's (the owning unit's), else the one the author
chose, else the only active one (`idea_municipality`). Rules of other municipalities
never match.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from challenges.models import ChallengePage
from ideas.models import Idea, RoutingRule
from portal.models import Municipality, Unit
from portal.municipalities import active_municipality_ids


def idea_municipality_id(
    *, challenge: ChallengePage | None = None, chosen: Municipality | None = None
) -> int:
    """The id of the municipality a new idea belongs to.

    An idea answering a challenge belongs to the challenge's municipality (its owning
    unit's), whatever was chosen. A free idea belongs to the municipality chosen, which
    must be active; with only one active municipality nobody needs to choose. Raises
    ValidationError when several are active and none (or an inactive one) was chosen,
    ImproperlyConfigured when there is no active municipality at all.
    """
    if challenge is not None:
        return challenge.owning_unit.municipality_id
    if chosen is not None:
        if not chosen.is_active:
            raise ValidationError(
                {"municipality": _("%(name)s does not take part any more.") % {"name": chosen}}
            )
        return chosen.pk
    active = active_municipality_ids()
    if len(active) == 1:
        return active[0]
    if not active:
        raise ImproperlyConfigured(
            "There is no active municipality: add one in the admin (Settings, Municipalities)."
        )
    raise ValidationError({"municipality": _("Choose the municipality your idea is for.")})


def _municipality_id_of(idea: Idea) -> int:
    """The idea's municipality, or the one it would get (rule test view, old callers)."""
    if idea.municipality_id is not None:
        return idea.municipality_id
    try:
        challenge = idea.challenge if idea.challenge_id is not None else None
        return idea_municipality_id(challenge=challenge)
    except ValidationError as undecided:
        raise ImproperlyConfigured(
            "Several municipalities are active: say which one the idea belongs to."
        ) from undecided


def matching_rules(
    idea: Idea, tag_ids: Iterable[int], *, municipality_id: int | None = None
) -> QuerySet[RoutingRule]:
    """The active rules of the idea's municipality that match it, best first, whose
    target unit is active.

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
    if municipality_id is None:
        municipality_id = _municipality_id_of(idea)
    return RoutingRule.objects.filter(
        reduce(operator.or_, conditions),
        municipality_id=municipality_id,
        is_active=True,
        target_unit__is_active=True,
    ).order_by("priority", "pk")


def intake_unit(municipality_id: int) -> Unit:
    """The municipality's active intake unit; ImproperlyConfigured if it has none."""
    municipality = Municipality.objects.select_related("intake_unit").get(pk=municipality_id)
    unit = municipality.intake_unit
    if unit is None or not unit.is_active:
        raise ImproperlyConfigured(
            f"{municipality} has no active intake unit: choose one in the admin "
            "(Settings, Municipalities)."
        )
    return unit


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
    municipality_id = _municipality_id_of(idea)
    rules = matching_rules(idea, tag_ids, municipality_id=municipality_id)
    owner_id = idea.challenge.owning_unit_id if idea.challenge_id is not None else None
    intake_id = Subquery(
        Municipality.objects.filter(pk=municipality_id).values("intake_unit_id")[:1]
    )
    candidates = Q(pk=intake_id) | Q(pk__in=Subquery(rules.values("target_unit_id")[:1]))
    if owner_id is not None:
        candidates |= Q(pk=owner_id)
    units = list(
        Unit.objects.filter(candidates, is_active=True).annotate(
            rule_id=Subquery(rules.values("pk")[:1]),
            rule_unit_id=Subquery(rules.values("target_unit_id")[:1]),
            intake_id=intake_id,
        )
    )
    return _by_precedence(units, owner_id, municipality_id)


def _by_precedence(
    units: list[Unit], owner_id: int | None, municipality_id: int
) -> tuple[Unit, int | None, str]:
    """A matching rule's unit, else the challenge's owner, else the intake unit."""
    by_pk = {unit.pk: unit for unit in units}
    if units and units[0].rule_unit_id in by_pk:
        return by_pk[units[0].rule_unit_id], units[0].rule_id, "rule"
    if owner_id in by_pk:
        return by_pk[owner_id], None, "challenge"
    intake = next((u for u in units if u.pk == u.intake_id), None)
    # intake_unit() raises ImproperlyConfigured when the intake unit is missing.
    return intake or intake_unit(municipality_id), None, "intake"


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
