"""Two people register for the last seat at the same moment: one gets it, one waits.

Each registration runs in its own thread with its own database connection and
transaction, so the meeting row lock (`select_for_update` on PostgreSQL, the write lock
on SQLite) is all that keeps them apart. Run it on PostgreSQL with DATABASE_URL set.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection

from cocreation import services
from cocreation.models import Registration, RegistrationStatus
from tests.cocreation.helpers import add_meeting, organiser_and_process


def _register_at_once(meeting, emails: list[str]) -> list[str]:
    """Register each address in its own thread, all released together.

    The in-memory SQLite test database reports a competing writer as "locked" at once
    instead of waiting; the worker then retries, as the busy timeout would on a file.
    """
    barrier = threading.Barrier(len(emails))
    outcomes: list[str] = [""] * len(emails)

    def worker(index: int, email: str) -> None:
        try:
            barrier.wait(timeout=10)
            for _attempt in range(300):
                try:
                    registration = services.registration_create(
                        meeting=meeting, name=email, email=email
                    )
                except OperationalError as locked:
                    if "locked" not in str(locked):
                        raise
                    time.sleep(0.01)
                else:
                    outcomes[index] = registration.status
                    return
            outcomes[index] = "gave up"
        except Exception as error:
            outcomes[index] = type(error).__name__
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=pair) for pair in enumerate(emails)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_registrations_for_the_last_seat_one_confirmed_one_waitlisted():
    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser, capacity=2)
    services.registration_create(meeting=meeting, name="Først", email="forst@example.no")

    outcomes = _register_at_once(meeting, ["a@example.no", "b@example.no"])

    assert sorted(outcomes) == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
    stored = Registration.objects.filter(meeting=meeting)
    assert stored.filter(status=RegistrationStatus.CONFIRMED).count() == 2
    assert stored.filter(status=RegistrationStatus.WAITLISTED).count() == 1
