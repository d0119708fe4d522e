"""Builders shared by the co-creation tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cocreation import services
from cocreation.models import MeetingKind, MeetingPoint, Process
from tests.factories import ThemeFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of


def organiser_and_process(**fields) -> tuple[object, Process]:
    unit = fields.pop("organising_unit", None) or UnitFactory()
    organiser = admin_staff_of(unit)
    today = timezone.localdate()
    values = {
        "title": "Løsningsjakten",
        "slug": f"losningsjakten-{Process.objects.count()}",
        "aim": "Finne ut hva innbyggerne trenger for å bo hjemme lenger.",
        "starts_on": today - datetime.timedelta(days=10),
        "ends_on": today + datetime.timedelta(days=60),
        "theme": ThemeFactory(),
        "is_published": True,
    } | fields
    process = services.process_create(by=organiser, organising_unit=unit, **values)
    return organiser, process


def add_meeting(process: Process, by, *, days_ahead: float = 7, **fields) -> MeetingPoint:
    starts = timezone.now() + datetime.timedelta(days=days_ahead)
    values = {
        "kind": MeetingKind.WORKSHOP,
        "title": "Verksted på biblioteket",
        "place": "Biblioteket, Storgata 1",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "is_public": True,
        "registration_open": True,
        "capacity": None,
    } | fields
    return services.meeting_create(process=process, by=by, values=values)


def citizen(**fields):
    return UserFactory(**fields)
