"""Reminding gain owners whose next measurement is due (`send_measurement_reminders`)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from gains import selectors
from gains.models import GainEvent, MeasurementReminder
from portal.absolute_urls import base_url
from portal.emails import queue_email


def send_measurement_reminders(today: datetime.date) -> int:
    """E-mail the owner of every gain whose next measurement is due, once per due date.
    The reminder row and the e-mail go together: the row is the record that it was sent,
    and its unique (gain, due date) keeps a second run from sending it again. Returns
    how many were sent."""
    sent = 0
    for summary, due_on in selectors.due_for_measurement(today):
        gain, owner = summary.gain, summary.gain.owner
        if not (owner.is_active and owner.email):
            continue
        if MeasurementReminder.objects.filter(gain=gain, due_on=due_on).exists():
            continue
        try:
            with transaction.atomic():
                MeasurementReminder.objects.create(gain=gain, due_on=due_on, sent_to=owner.email)
                GainEvent.objects.create(
                    gain=gain, kind=GainEvent.Kind.REMINDED, data={"due_on": due_on.isoformat()}
                )
                queue_email(
                    template="gains/emails/measurement_due",
                    context={"gain": gain, "due_on": due_on, "base_url": base_url()},
                    to=[owner.email],
                )
        except IntegrityError:  # another run sent it a moment ago
            continue
        sent += 1
    return sent
