"""Overdue ideas across units with different deadlines, and the daily digest."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from ideas.models import Idea, IdeaStatus
from ideas.overdue import is_overdue, overdue_counts_by_unit, overdue_ideas, with_deadline
from ideas.triage.selectors import mark_overdue
from tests.factories import IdeaFactory, UnitFactory
from tests.ideas.triage_helpers import staff_of

S = IdeaStatus
NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)


def _waiting(unit, days: float, status=S.SUBMITTED, **fields) -> Idea:
    idea = IdeaFactory(owning_unit=unit, status=status, **fields)
    # status_changed_at is set on insert; backdate it the way time would.
    Idea.objects.filter(pk=idea.pk).update(status_changed_at=NOW - datetime.timedelta(days=days))
    idea.refresh_from_db()
    return idea


@pytest.fixture
def units(db):
    return {
        "fast": UnitFactory(name="Rask", slug="rask", response_deadline_days=7),
        "slow": UnitFactory(name="Treg", slug="treg", response_deadline_days=21),
    }


@pytest.mark.django_db
def test_each_unit_uses_its_own_deadline(units):
    fast, slow = units["fast"], units["slow"]
    cases = {
        _waiting(fast, 6.9): False,
        _waiting(fast, 7.1): True,
        _waiting(fast, 30, status=S.IN_REVIEW): True,
        _waiting(slow, 7.1): False,
        _waiting(slow, 20.9, status=S.IN_REVIEW): False,
        _waiting(slow, 21.1): True,
        # Not waiting for staff any more, however old.
        _waiting(fast, 90, status=S.ACCEPTED): False,
        _waiting(slow, 90, status=S.REJECTED): False,
        _waiting(fast, 90, status=S.WITHDRAWN): False,
        _waiting(slow, 90, status=S.IMPLEMENTED): False,
    }
    expected = {idea.pk for idea, overdue in cases.items() if overdue}
    assert set(overdue_ideas(now=NOW).values_list("pk", flat=True)) == expected
    # The Python rule for a loaded idea agrees with the database.
    assert {idea.pk for idea in cases if is_overdue(idea, now=NOW)} == expected


@pytest.mark.django_db
def test_changing_a_units_deadline_changes_what_is_overdue(units):
    idea = _waiting(units["slow"], 10)
    assert not overdue_ideas(now=NOW).exists()
    units["slow"].response_deadline_days = 9
    units["slow"].save()
    assert list(overdue_ideas(now=NOW)) == [idea]


@pytest.mark.django_db
def test_counts_per_unit(units):
    for days in (8, 9, 10):
        _waiting(units["fast"], days)
    _waiting(units["fast"], 1)
    _waiting(units["slow"], 25)
    _waiting(units["slow"], 8)
    UnitFactory()  # nothing overdue: left out
    counts = {u.slug: u.overdue_count for u in overdue_counts_by_unit(now=NOW)}
    assert counts == {"rask": 3, "treg": 1}


@pytest.mark.django_db
def test_due_at_annotation(units):
    idea = _waiting(units["fast"], 2)
    annotated = with_deadline(Idea.objects.filter(pk=idea.pk)).get()
    assert annotated.due_at == idea.status_changed_at + datetime.timedelta(days=7)


@pytest.mark.django_db
def test_a_status_change_restarts_the_clock(units):
    from ideas.actions import idea_transition

    idea = _waiting(units["fast"], 30)
    assert overdue_ideas().filter(pk=idea.pk).exists()
    idea_transition(idea=idea, to=S.IN_REVIEW, by=staff_of(units["fast"]))
    assert not overdue_ideas().filter(pk=idea.pk).exists()


@pytest.mark.django_db
def test_digest_sends_one_email_per_unit_with_its_own_list(
    units, mailoutbox, django_capture_on_commit_callbacks
):
    fast, slow = units["fast"], units["slow"]
    fast_staff = staff_of(fast)
    old_fast = [_waiting(fast, 40, title=f"Gammel rask {i}") for i in range(2)]
    old_slow = _waiting(slow, 40, title="Gammel treg")
    fresh = _waiting(slow, 2, title="Ny treg")
    UnitFactory(slug="ingen-forsinkelser")

    # The digest counts from now; the ideas above are backdated from a fixed NOW.
    offset = timezone.now() - NOW
    Idea.objects.update(status_changed_at=timezone.now() - datetime.timedelta(days=40))
    Idea.objects.filter(pk=fresh.pk).update(status_changed_at=NOW + offset)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_overdue_digest", verbosity=0)

    by_recipients = {tuple(sorted(m.to)): m for m in mailoutbox}
    assert set(by_recipients) == {
        tuple(sorted([fast.contact_email, fast_staff.email])),
        (slow.contact_email,),
    }
    fast_mail = by_recipients[tuple(sorted([fast.contact_email, fast_staff.email]))]
    slow_mail = by_recipients[(slow.contact_email,)]
    assert all(i.reference in fast_mail.body for i in old_fast)
    assert old_slow.reference not in fast_mail.body
    assert old_slow.reference in slow_mail.body
    assert fresh.reference not in slow_mail.body
    assert "2" in fast_mail.subject


@pytest.mark.django_db
def test_digest_with_nothing_overdue_sends_nothing(
    units, mailoutbox, django_capture_on_commit_callbacks
):
    _waiting(units["fast"], 0)
    # The digest counts from now, not from the fixed NOW the ideas are backdated from.
    Idea.objects.update(status_changed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_overdue_digest", verbosity=0)
    assert mailoutbox == []


def _hidden(unit, days: float, **fields) -> Idea:
    return _waiting(
        unit, days, is_hidden=True, hidden_reason="Personopplysninger i teksten", **fields
    )


@pytest.mark.django_db
def test_hidden_ideas_are_never_overdue(units):
    fast = units["fast"]
    shown = _waiting(fast, 30)
    hidden = _hidden(fast, 30)
    _hidden(units["slow"], 30, status=S.IN_REVIEW)

    assert list(overdue_ideas(now=NOW)) == [shown]
    assert not is_overdue(hidden, now=NOW)
    counts = {u.slug: u.overdue_count for u in overdue_counts_by_unit(now=NOW)}
    assert counts == {"rask": 1}  # Treg has only a hidden idea: left out
    # The queue's "Overdue" label agrees.
    rows = list(with_deadline(Idea.objects.filter(pk__in=[shown.pk, hidden.pk])))
    mark_overdue(rows, now=NOW)
    assert {idea.pk for idea in rows if idea.is_overdue} == {shown.pk}


@pytest.mark.django_db
def test_digest_neither_counts_nor_lists_hidden_ideas(
    units, mailoutbox, django_capture_on_commit_callbacks
):
    fast, slow = units["fast"], units["slow"]
    shown = _waiting(fast, 40, title="Synlig forsinket")
    hidden = [_hidden(fast, 40, title=f"Skjult forsinket {i}") for i in range(2)]
    _hidden(slow, 40, title="Bare skjult")
    # The digest counts from now; the ideas above are backdated from a fixed NOW.
    Idea.objects.update(status_changed_at=timezone.now() - datetime.timedelta(days=40))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_overdue_digest", verbosity=0)

    # One digest, to the unit with a visible overdue idea; Treg has nothing to answer.
    assert [m.to for m in mailoutbox] == [[fast.contact_email]]
    mail = mailoutbox[0]
    assert shown.reference in mail.body
    assert not any(idea.reference in mail.body for idea in hidden)
    assert "Skjult" not in mail.body
    assert "1" in mail.subject and "3" not in mail.subject
