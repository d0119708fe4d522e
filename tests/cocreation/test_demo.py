"""The demo's co-creation process: its shape, and that seeding it twice changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges import demo as challenges_demo
from cocreation import demo as cocreation_demo
from cocreation.models import (
    AttendanceCount,
    Input,
    MeetingPoint,
    Process,
    ProcessEvent,
    Registration,
    RegistrationStatus,
)
from ideas import demo_triage
from ideas.models import Idea, IdeaEvent, IdeaStatus
from portal import demo

S = IdeaStatus


@pytest.fixture
def fjordvik(db):
    units = demo.seed_units()
    challenges_demo.seed_themes()
    demo.seed_people(units)
    demo_triage.seed_rules()
    return units


def counts() -> dict[str, int]:
    return {
        "processes": Process.objects.count(),
        "meetings": MeetingPoint.objects.count(),
        "registrations": Registration.objects.count(),
        "attendance": AttendanceCount.objects.count(),
        "inputs": Input.objects.count(),
        "events": ProcessEvent.objects.count(),
        "ideas": Idea.objects.count(),
        "idea events": IdeaEvent.objects.count(),
    }


def test_the_demo_process_has_the_shape_of_a_real_one(fjordvik, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        summary = cocreation_demo.seed()
    # No e-mail to the made-up registrants and input givers.
    assert callbacks == []
    assert "90 inputs" in summary

    process = Process.objects.get(slug=cocreation_demo.SLUG)
    assert process.is_published
    assert process.organising_unit.municipality.slug == "fjordvik"
    meetings = list(process.meetings.all())
    assert len(meetings) >= 12
    assert len({meeting.kind for meeting in meetings}) >= 7
    now = timezone.now()
    past = [meeting for meeting in meetings if meeting.ends_at < now]
    upcoming = [meeting for meeting in meetings if meeting.starts_at > now]
    assert len(past) >= 12 and len(upcoming) == 2
    assert all(meeting.takes_registrations for meeting in upcoming)
    assert all(meeting.attendance_total for meeting in past)
    assert 140 <= sum(meeting.attendance_total for meeting in past) <= 160
    # The small online meeting is full, with one on its waiting list.
    statuses = list(Registration.objects.values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.WAITLISTED) == 1
    assert len(statuses) == 10

    inputs = Input.objects.filter(meeting__process=process)
    assert inputs.count() == 90
    # Inputs are dated during their meetings, in the past.
    assert not inputs.filter(created_at__gt=now).exists()
    assert inputs.filter(channel="self_service").exists()
    in_ideas = inputs.exclude(idea=None)
    assert in_ideas.values("idea").distinct().count() == 12
    assert in_ideas.count() > 50
    assert inputs.exclude(answer="").count() == 8
    assert inputs.filter(theme=None, idea=None, answer="").count() == len(cocreation_demo.OPEN)
    # Some ideas moved on: accepted, and one put into use.
    ideas = Idea.objects.filter(cocreation_inputs__meeting__process=process).distinct()
    by_status = {status: ideas.filter(status=status).count() for status in S.values}
    assert by_status[S.ACCEPTED] >= 4
    assert by_status[S.IMPLEMENTED] == 1
    assert by_status[S.IN_REVIEW] >= 3
    assert all(idea.municipality.slug == "fjordvik" for idea in ideas)
    # Attached after the idea was written, through the real service.
    assert ProcessEvent.objects.filter(kind=ProcessEvent.Kind.INPUTS_ATTACHED).count() == 2


def test_a_participant_follows_their_note_to_the_idea_put_into_use(client, fjordvik):
    cocreation_demo.seed()
    item = Input.objects.filter(idea__status=S.IMPLEMENTED).order_by("pk").first()
    page = client.get(reverse("cocreation:receipt", args=[item.code])).content.decode()
    assert item.idea.title in page and "Tatt i bruk" in page
    # The process page shows the public meetings, never a registrant's name.
    page = client.get(reverse("cocreation:process", args=[cocreation_demo.SLUG])).content
    assert "Stand på torget" in page.decode() and "Lene Fossum" not in page.decode()


def test_seeding_twice_changes_nothing(fjordvik):
    cocreation_demo.seed()
    first = counts()
    cocreation_demo.seed()
    assert counts() == first
