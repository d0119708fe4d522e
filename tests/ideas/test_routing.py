"""Routing: every idea reaches exactly one active unit."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ideas.models import Idea, IdeaKind, IdeaTag, RoutingRule
from ideas.routing import explain_unit, resolve_unit
from portal.models import Unit
from tests.factories import IdeaFactory, ThemeFactory, UnitFactory, create_challenge


@pytest.fixture
def world(db):
    units = {
        slug: UnitFactory(slug=slug, name=slug.title())
        for slug in ("teknisk", "oppvekst", "naering", "kultur", "helse", "nedlagt")
    }
    units["intake"] = UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG, name="Mottak")
    Unit.objects.filter(slug="nedlagt").update(is_active=False)
    units["nedlagt"].refresh_from_db()
    themes = {"forebygging": ThemeFactory(slug="forebygging"), "kvalitet": ThemeFactory()}
    tags = {name: IdeaTag.objects.create(name=name, slug=name) for name in ("skolevei", "lys")}
    challenges = {
        "ensomhet": create_challenge(
            title="Ensomhet", owning_unit=units["kultur"], theme=themes["kvalitet"]
        ),
        "overvann": create_challenge(
            title="Overvann", owning_unit=units["nedlagt"], theme=themes["kvalitet"]
        ),
    }
    rules = [
        RoutingRule(
            name="Skolevei", priority=10, tag=tags["skolevei"], target_unit=units["teknisk"]
        ),
        RoutingRule(
            name="Forebygging",
            priority=20,
            theme=themes["forebygging"],
            target_unit=units["oppvekst"],
        ),
        RoutingRule(
            name="Forslag", priority=30, idea_kind=IdeaKind.PROPOSAL, target_unit=units["naering"]
        ),
        RoutingRule(
            name="Gammel regel",
            priority=5,
            is_active=False,
            theme=themes["forebygging"],
            target_unit=units["kultur"],
        ),
        RoutingRule(
            name="Ensomhet til helse",
            priority=15,
            challenge=challenges["ensomhet"],
            target_unit=units["helse"],
        ),
        RoutingRule(
            name="Til nedlagt enhet", priority=1, tag=tags["lys"], target_unit=units["nedlagt"]
        ),
        # Same priority as "Skolevei" but newer: loses the tie.
        RoutingRule(
            name="Skolevei 2", priority=10, tag=tags["skolevei"], target_unit=units["helse"]
        ),
    ]
    for rule in rules:
        rule.save()
    return {"units": units, "themes": themes, "tags": tags, "challenges": challenges}


CASES = [
    # (challenge, theme, tags, kind) -> expected unit, reason
    (None, None, [], IdeaKind.IDEA, "intake", "intake"),
    (None, None, ["skolevei"], IdeaKind.IDEA, "teknisk", "rule"),
    (None, "forebygging", [], IdeaKind.IDEA, "oppvekst", "rule"),  # inactive rule skipped
    (None, "forebygging", ["skolevei"], IdeaKind.IDEA, "teknisk", "rule"),  # priority 10 < 20
    (None, None, [], IdeaKind.PROPOSAL, "naering", "rule"),
    (None, "forebygging", [], IdeaKind.PROPOSAL, "oppvekst", "rule"),
    ("ensomhet", None, [], IdeaKind.IDEA, "helse", "rule"),  # challenge rule beats owner
    ("ensomhet", None, ["skolevei"], IdeaKind.IDEA, "teknisk", "rule"),
    ("overvann", None, [], IdeaKind.IDEA, "intake", "intake"),  # owner inactive
    ("overvann", "kvalitet", [], IdeaKind.PROPOSAL, "naering", "rule"),
    (None, None, ["lys"], IdeaKind.IDEA, "intake", "intake"),  # rule to inactive unit
    (None, "kvalitet", ["lys"], IdeaKind.IDEA, "intake", "intake"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("challenge, theme, tags, kind, expected, reason", CASES)
def test_routing_table(world, challenge, theme, tags, kind, expected, reason):
    idea = Idea(
        challenge=world["challenges"].get(challenge),
        theme=world["themes"].get(theme),
        kind=kind,
    )
    tag_ids = [world["tags"][name].pk for name in tags]
    resolution = explain_unit(idea, tag_ids=tag_ids)
    assert resolution.unit == world["units"][expected]
    assert resolution.reason == reason
    assert resolve_unit(idea, tag_ids=tag_ids) == world["units"][expected]


@pytest.mark.django_db
def test_saved_ideas_are_routed_by_their_stored_tags(world):
    idea = IdeaFactory(owning_unit=None)
    idea.tags.add(world["tags"]["skolevei"])
    assert resolve_unit(idea) == world["units"]["teknisk"]


@pytest.mark.django_db
def test_challenge_owner_is_the_fallback_without_rules(world):
    RoutingRule.objects.all().delete()
    idea = Idea(challenge=world["challenges"]["ensomhet"], kind=IdeaKind.IDEA)
    resolution = explain_unit(idea, tag_ids=[])
    assert (resolution.unit, resolution.reason) == (world["units"]["kultur"], "challenge")


@pytest.mark.django_db
def test_missing_intake_unit_is_a_configuration_error(world):
    Unit.objects.filter(slug=settings.PORTAL_INTAKE_UNIT_SLUG).update(is_active=False)
    with pytest.raises(ImproperlyConfigured):
        resolve_unit(Idea(kind=IdeaKind.IDEA), tag_ids=[])


# --- Property: any idea resolves to exactly one active unit -------------------------------

UNIT_KEYS = ["teknisk", "oppvekst", "naering", "kultur", "helse", "nedlagt"]
rule_strategy = st.fixed_dictionaries(
    {
        "condition": st.sampled_from(["challenge", "theme", "tag", "kind"]),
        "value": st.integers(min_value=0, max_value=1),
        "priority": st.integers(min_value=0, max_value=5),
        "active": st.booleans(),
        "target": st.sampled_from(UNIT_KEYS),
    }
)
idea_strategy = st.fixed_dictionaries(
    {
        "challenge": st.sampled_from([None, "ensomhet", "overvann"]),
        "theme": st.sampled_from([None, "forebygging", "kvalitet"]),
        "tags": st.sets(st.sampled_from(["skolevei", "lys"])),
        "kind": st.sampled_from(list(IdeaKind.values)),
    }
)


def _expected_unit(world, rules, idea_spec, inactive):
    """An independent reading of the routing rules in the issue."""

    def matches(rule):
        condition, value = rule["condition"], rule["value"]
        if condition == "challenge":
            return idea_spec["challenge"] == ["ensomhet", "overvann"][value]
        if condition == "theme":
            return idea_spec["theme"] == ["forebygging", "kvalitet"][value]
        if condition == "tag":
            return ["skolevei", "lys"][value] in idea_spec["tags"]
        return idea_spec["kind"] == list(IdeaKind.values)[value]

    for _index, rule in sorted(enumerate(rules), key=lambda pair: (pair[1]["priority"], pair[0])):
        if rule["active"] and rule["target"] not in inactive and matches(rule):
            return world["units"][rule["target"]]
    if idea_spec["challenge"]:
        owner = world["challenges"][idea_spec["challenge"]].owning_unit
        if owner.slug not in inactive:
            return owner
    return world["units"]["intake"]


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rules=st.lists(rule_strategy, max_size=6),
    idea_spec=idea_strategy,
    inactive=st.sets(st.sampled_from(UNIT_KEYS)),
)
def test_any_idea_resolves_to_exactly_one_active_unit(world, rules, idea_spec, inactive):
    with transaction.atomic():
        RoutingRule.objects.all().delete()
        Unit.objects.filter(slug__in=UNIT_KEYS).update(is_active=True)
        Unit.objects.filter(slug__in=inactive).update(is_active=False)
        conditions = {
            "challenge": lambda v: {"challenge": list(world["challenges"].values())[v]},
            "theme": lambda v: {"theme": list(world["themes"].values())[v]},
            "tag": lambda v: {"tag": list(world["tags"].values())[v]},
            "kind": lambda v: {"idea_kind": list(IdeaKind.values)[v]},
        }
        for i, rule in enumerate(rules):
            RoutingRule.objects.create(
                name=f"Regel {i}",
                priority=rule["priority"],
                is_active=rule["active"],
                target_unit=world["units"][rule["target"]],
                **conditions[rule["condition"]](rule["value"]),
            )
        idea = Idea(
            challenge=world["challenges"].get(idea_spec["challenge"]),
            theme=world["themes"].get(idea_spec["theme"]),
            kind=idea_spec["kind"],
        )
        # The challenge's owner is read fresh, as its active flag changed above.
        if idea.challenge is not None:
            idea.challenge.owning_unit.refresh_from_db()
        tag_ids = [world["tags"][name].pk for name in idea_spec["tags"]]

        unit = resolve_unit(idea, tag_ids=tag_ids)

        assert isinstance(unit, Unit)
        assert Unit.objects.get(pk=unit.pk).is_active
        assert unit == _expected_unit(world, rules, idea_spec, inactive)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_routing_reads_the_database_once(world, django_assert_num_queries):
    """Rules, the challenge's owner and the intake unit: one query when submitting."""
    idea = Idea(challenge=world["challenges"]["ensomhet"], kind=IdeaKind.IDEA)
    with django_assert_num_queries(1):
        unit = resolve_unit(idea, tag_ids=[world["tags"]["skolevei"].pk])
    assert unit == world["units"]["teknisk"]
