"""The demo routing rules and lifecycle: every status, realistic texts, a few overdue."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from challenges import demo as challenges_demo
from ideas import demo_triage
from ideas.models import Idea, IdeaEvent, IdeaStatus, RoutingRule
from ideas.overdue import overdue_ideas
from portal import demo
from tests.factories import IdeaFactory

S = IdeaStatus


@pytest.fixture
def municipality(db):
    units = demo.seed_units()
    challenges_demo.seed_themes()
    demo.seed_people(units)
    return units


@pytest.mark.django_db
def test_rules_are_seeded_once_and_route_by_tag(municipality):
    from ideas.routing import explain_unit

    first = demo_triage.seed_rules()
    assert len(demo_triage.seed_rules()) == len(first) == RoutingRule.objects.count()
    rule = RoutingRule.objects.get(name="Skolevei til Teknisk drift")
    resolution = explain_unit(Idea(kind="idea"), tag_ids=[rule.tag_id])
    assert resolution.unit.slug == "teknisk-drift"
    assert RoutingRule.objects.filter(is_active=False).exists()


@pytest.mark.django_db
def test_lifecycle_covers_every_status_and_is_idempotent(municipality):
    now = timezone.now()
    units = list(municipality.values())
    for i in range(60):
        idea = IdeaFactory(owning_unit=units[i % len(units)])
        when = now - datetime.timedelta(days=i * 2, hours=1)
        Idea.objects.filter(pk=idea.pk).update(created_at=when, status_changed_at=when)

    moved = demo_triage.seed_lifecycle()
    assert moved > 40
    statuses = set(Idea.objects.values_list("status", flat=True))
    assert statuses == set(S.values)
    assert 1 <= overdue_ideas().count() <= 8
    for event in IdeaEvent.objects.filter(to_status__in=[S.REJECTED, S.IMPLEMENTED]):
        assert len(event.public_text) > 40
    # Timelines are in the past and in order.
    for idea in Idea.objects.exclude(status=S.SUBMITTED):
        times = list(idea.events.order_by("pk").values_list("created_at", flat=True))
        assert times == sorted(times)
        assert all(idea.created_at <= t <= timezone.now() for t in times)

    before = list(Idea.objects.order_by("pk").values_list("status", "status_changed_at"))
    events = IdeaEvent.objects.count()
    assert demo_triage.seed_lifecycle() == 0
    assert list(Idea.objects.order_by("pk").values_list("status", "status_changed_at")) == before
    assert IdeaEvent.objects.count() == events


@pytest.mark.django_db
def test_the_concluded_demo_challenge_shows_the_ideas_its_outcome_tells_of(client):
    from io import StringIO

    from django.core.management import call_command

    from challenges.models import ChallengePage

    call_command("seed_demo", stdout=StringIO())
    challenge = ChallengePage.objects.get(slug=demo_triage.CONCLUDED_CHALLENGE)
    answers = Idea.objects.public().filter(challenge=challenge)
    # "Vi fikk inn seks ideer. To av dem er tatt i bruk: ukentlig salg av overskuddsmat
    # til ansatte, og en felles bestillingsplan for sykehjemmene."
    assert "seks ideer" in challenge.outcome and answers.count() == 6
    implemented = answers.filter(status=IdeaStatus.IMPLEMENTED)
    assert set(implemented.values_list("title", flat=True)) == {
        "Ukentlig salg av overskuddsmat til ansatte",
        "Felles bestillingsplan for sykehjemmene",
    }
    html = client.get(challenge.url).content.decode()
    for idea in answers:
        assert idea.title in html
    # Submitted while the challenge was open, decided after it closed.
    for idea in answers:
        assert (
            challenge.opens_on <= timezone.localtime(idea.created_at).date() <= challenge.closes_on
        )

    call_command("seed_demo", stdout=StringIO())  # a second run adds nothing
    assert Idea.objects.filter(challenge=challenge).count() == 6
