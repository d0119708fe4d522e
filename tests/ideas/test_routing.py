"""Routing: every idea reaches exactly one active unit."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ideas import services
from ideas.models import Idea, IdeaKind, IdeaTag, RoutingRule
from ideas.routing import explain_unit, idea_municipality_id, resolve_unit
from portal.models import Municipality, Unit
from tests.factories import (
    IdeaFactory,
    MunicipalityFactory,
    RoutingRuleFactory,
    ThemeFactory,
    UnitFactory,
    UserFactory,
    create_challenge,
    default_municipality,
)


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
    """Rules, the challenge's owner and the intake unit: one query when submitting
    (the service has decided the idea's municipality by then)."""
    idea = Idea(
        challenge=world["challenges"]["ensomhet"],
        kind=IdeaKind.IDEA,
        municipality=default_municipality(),
    )
    with django_assert_num_queries(1):
        unit = resolve_unit(idea, tag_ids=[world["tags"]["skolevei"].pk])
    assert unit == world["units"]["teknisk"]


# --- Several municipalities ---------------------------------------------------------------


@pytest.fixture
def region(db):
    """Fjordvik (the default municipality) and Havbygd, each with a rule on one theme."""
    theme = ThemeFactory(slug="skole", name="Skole")
    fjordvik, havbygd = default_municipality(), MunicipalityFactory(name="Havbygd kommune")
    units = {
        "fjordvik-skole": UnitFactory(slug="fjordvik-skole", municipality=fjordvik),
        "fjordvik-mottak": UnitFactory(slug="fjordvik-mottak", municipality=fjordvik),
        "havbygd-skole": UnitFactory(slug="havbygd-skole", municipality=havbygd),
        "havbygd-mottak": UnitFactory(slug="havbygd-mottak", municipality=havbygd),
    }
    fjordvik.intake_unit = units["fjordvik-mottak"]
    fjordvik.save()
    havbygd.intake_unit = units["havbygd-mottak"]
    havbygd.save()
    RoutingRuleFactory(
        municipality=fjordvik, theme=theme, idea_kind="", target_unit=units["fjordvik-skole"]
    )
    RoutingRuleFactory(
        municipality=havbygd, theme=theme, idea_kind="", target_unit=units["havbygd-skole"]
    )
    return {"fjordvik": fjordvik, "havbygd": havbygd, "theme": theme, "units": units}


def test_each_idea_follows_its_own_municipality_s_rule(region):
    author = UserFactory()
    for name in ("fjordvik", "havbygd"):
        idea = services.idea_submit(
            author=author,
            title="Tryggere skolevei",
            summary="Lys langs veien.",
            description="Flere lys langs skoleveien.",
            theme=region["theme"],
            municipality=region[name],
        )
        assert idea.municipality == region[name]
        assert idea.owning_unit == region["units"][f"{name}-skole"]


def test_free_ideas_without_a_rule_go_to_their_municipality_s_intake(region):
    for name in ("fjordvik", "havbygd"):
        idea = Idea(kind=IdeaKind.IDEA, municipality=region[name])
        resolution = explain_unit(idea, tag_ids=[])
        assert (resolution.unit, resolution.reason) == (
            region["units"][f"{name}-mottak"],
            "intake",
        )


def test_an_idea_answering_a_challenge_belongs_to_the_challenge_s_municipality(region):
    challenge = create_challenge(title="Skolemat", owning_unit=region["units"]["havbygd-skole"])
    idea = services.idea_submit(
        author=UserFactory(),
        title="Varm lunsj",
        summary="Varm lunsj i skolen.",
        description="En gang i uka.",
        challenge=challenge,
        municipality=region["fjordvik"],  # the challenge decides, not the choice
    )
    assert idea.municipality == region["havbygd"]
    assert idea.owning_unit == region["units"]["havbygd-skole"]


def test_with_several_municipalities_a_free_idea_must_name_one(region):
    with pytest.raises(ValidationError) as refused:
        idea_municipality_id()
    assert "municipality" in refused.value.message_dict
    region["havbygd"].is_active = False
    region["havbygd"].save()
    assert idea_municipality_id() == region["fjordvik"].pk  # one active: nobody chooses
    with pytest.raises(ValidationError):
        idea_municipality_id(chosen=region["havbygd"])


def test_a_rule_cannot_send_ideas_to_another_municipality_s_unit(region):
    rule = RoutingRuleFactory.build(
        municipality=region["fjordvik"],
        idea_kind="proposal",
        target_unit=region["units"]["havbygd-skole"],
    )
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "target_unit" in refused.value.message_dict


def test_a_rule_without_a_municipality_gets_its_target_unit_s(region):
    rule = RoutingRule.objects.create(
        name="Forslag", idea_kind="proposal", target_unit=region["units"]["havbygd-skole"]
    )
    assert rule.municipality == region["havbygd"]


def test_the_admin_refuses_a_rule_across_municipalities(region, client):
    from django.urls import reverse

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("ideas_routing_rules:add"),
        {
            "municipality": region["fjordvik"].pk,
            "name": "Til feil kommune",
            "priority": "10",
            "is_active": "on",
            "idea_kind": "proposal",
            "target_unit": region["units"]["havbygd-skole"].pk,
        },
    )
    assert response.status_code == 200
    assert "Til feil kommune" in response.content.decode()  # the form keeps what was typed
    assert (
        not Municipality.objects.get(pk=region["fjordvik"].pk)
        .routing_rules.filter(name="Til feil kommune")
        .exists()
    )
