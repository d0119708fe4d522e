"""The idea lifecycle: the transition table, merging, concurrency, and the e-mails."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection

from ideas.actions import (
    TransitionError,
    TransitionPermissionDenied,
    WorkflowError,
    allowed_targets,
    idea_add_note,
    idea_answer,
    idea_assign,
    idea_hide,
    idea_merge,
    idea_reroute,
    idea_transition,
    idea_unhide,
    idea_unmerge,
    ideas_bulk_apply,
)
from ideas.models import Follow, Idea, IdeaEvent, IdeaStatus, Vote
from tests.factories import IdeaFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import add_followers, add_votes, idea_in, staff_of

S = IdeaStatus
ALL = list(IdeaStatus.values)

# The lifecycle as the issue specifies it, written out independently of the code:
# (from, to) -> who may do it, and whether a public text is required.
SPEC = {
    (S.SUBMITTED, S.IN_REVIEW): ("staff", False),
    (S.IN_REVIEW, S.ACCEPTED): ("staff", False),
    (S.ACCEPTED, S.IMPLEMENTED): ("staff", True),
    (S.SUBMITTED, S.REJECTED): ("staff", True),
    (S.IN_REVIEW, S.REJECTED): ("staff", True),
    (S.ACCEPTED, S.REJECTED): ("staff", True),
    (S.SUBMITTED, S.WITHDRAWN): ("author", False),
    (S.REJECTED, S.IN_REVIEW): ("staff", True),
}
MERGEABLE = {S.SUBMITTED, S.IN_REVIEW}


@pytest.fixture
def unit(db):
    return UnitFactory()


@pytest.fixture
def staff(unit):
    return staff_of(unit)


def _events(idea: Idea) -> list[IdeaEvent]:
    return list(IdeaEvent.objects.filter(idea=idea).order_by("pk"))


@pytest.mark.django_db
@pytest.mark.parametrize("target", ALL)
@pytest.mark.parametrize("source", ALL)
def test_transition_table_is_exactly_as_specified(source, target, unit, staff):
    idea = idea_in(source, owning_unit=unit)
    spec = SPEC.get((source, target))
    actor = idea.author if spec and spec[0] == "author" else staff

    if spec is None:
        with pytest.raises(TransitionError):
            idea_transition(idea=idea, to=target, by=actor, public_reason="Fordi.")
        idea.refresh_from_db()
        assert idea.status == source
        assert _events(idea) == []
        return

    changed_at = idea.status_changed_at
    result = idea_transition(idea=idea, to=target, by=actor, public_reason="Fordi.")
    idea.refresh_from_db()
    assert idea.status == target == result.status
    assert idea.status_changed_at > changed_at
    [event] = _events(idea)
    assert (event.kind, event.from_status, event.to_status) == (
        IdeaEvent.Kind.TRANSITION,
        source,
        target,
    )
    assert event.actor == actor
    assert event.public_text == "Fordi."
    assert not event.is_internal


@pytest.mark.django_db
@pytest.mark.parametrize("source, target", [k for k, v in SPEC.items() if v[1]])
def test_transitions_that_need_a_public_text_refuse_without_one(source, target, unit, staff):
    idea = idea_in(source, owning_unit=unit)
    with pytest.raises(TransitionError):
        idea_transition(idea=idea, to=target, by=staff, public_reason="   ")
    idea.refresh_from_db()
    assert idea.status == source
    assert _events(idea) == []


@pytest.mark.django_db
@pytest.mark.parametrize("source, target", [k for k, v in SPEC.items() if not v[1]])
def test_transitions_without_required_text_accept_an_empty_reason(source, target, unit, staff):
    idea = idea_in(source, owning_unit=unit)
    actor = idea.author if SPEC[(source, target)][0] == "author" else staff
    idea_transition(idea=idea, to=target, by=actor)
    idea.refresh_from_db()
    assert idea.status == target


@pytest.mark.django_db
@pytest.mark.parametrize("source, target", list(SPEC))
def test_the_wrong_kind_of_actor_is_refused(source, target, unit, staff):
    idea = idea_in(source, owning_unit=unit)
    wrong = staff if SPEC[(source, target)][0] == "author" else idea.author
    with pytest.raises(TransitionPermissionDenied):
        idea_transition(idea=idea, to=target, by=wrong, public_reason="Fordi.")
    idea.refresh_from_db()
    assert idea.status == source
    assert _events(idea) == []


@pytest.mark.django_db
@pytest.mark.parametrize("source", ALL)
def test_only_submitted_and_in_review_ideas_can_be_merged(source, unit, staff):
    idea = idea_in(source, owning_unit=unit)
    into = IdeaFactory(owning_unit=unit)
    if source in MERGEABLE:
        # Merging is a transition, but only through idea_merge, which knows the target.
        with pytest.raises(TransitionError):
            idea_transition(idea=idea, to=S.MERGED, by=staff)
        idea_merge(idea=idea, into=into, by=staff, public_reason="Samme idé.")
        idea.refresh_from_db()
        assert (idea.status, idea.merged_into) == (S.MERGED, into)
    else:
        with pytest.raises(TransitionError):
            idea_merge(idea=idea, into=into, by=staff)
        idea.refresh_from_db()
        assert idea.status == source


@pytest.mark.django_db
def test_unknown_status_is_a_clear_error(unit, staff):
    idea = idea_in(S.SUBMITTED, owning_unit=unit)
    with pytest.raises(TransitionError, match="Unknown status|Ukjent status"):
        idea_transition(idea=idea, to="approved", by=staff)


@pytest.mark.django_db
def test_error_message_names_the_idea_and_both_statuses(unit, staff):
    idea = idea_in(S.SUBMITTED, owning_unit=unit, reference="2026-00777")
    with pytest.raises(TransitionError) as refused:
        idea_transition(idea=idea, to=S.IMPLEMENTED, by=staff, public_reason="x")
    message = str(refused.value)
    assert "2026-00777" in message
    assert str(S.SUBMITTED.label) in message and str(S.IMPLEMENTED.label) in message


@pytest.mark.django_db
def test_a_stale_copy_is_checked_against_the_database(unit, staff):
    idea = idea_in(S.SUBMITTED, owning_unit=unit)
    stale = Idea.objects.get(pk=idea.pk)
    idea_transition(idea=idea, to=S.IN_REVIEW, by=staff)
    # The stale object still says "submitted", but the service re-reads under the lock.
    with pytest.raises(TransitionError):
        idea_transition(idea=stale, to=S.IN_REVIEW, by=staff)
    assert stale.status == S.SUBMITTED
    assert IdeaEvent.objects.filter(idea=idea).count() == 1


@pytest.mark.django_db
def test_allowed_targets_follow_the_table_and_the_actor(unit, staff):
    idea = idea_in(S.SUBMITTED, owning_unit=unit)
    assert set(allowed_targets(idea, staff)) == {S.IN_REVIEW, S.REJECTED}
    assert set(allowed_targets(idea, idea.author)) == {S.WITHDRAWN}
    assert allowed_targets(idea, UserFactory()) == []


# --- Merge and undo ----------------------------------------------------------------------


@pytest.fixture
def merge_case(unit, staff):
    v1, v2, both, v4 = UserFactory.create_batch(4)
    f1, f_both, f3 = UserFactory.create_batch(3)
    source = IdeaFactory(owning_unit=unit, status=S.IN_REVIEW)
    target = IdeaFactory(owning_unit=unit)
    add_votes(source, [v1, v2, both])
    add_votes(target, [both, v4])
    add_followers(source, [f1, f_both])
    add_followers(target, [f_both, f3])
    return {
        "source": source,
        "target": target,
        "source_votes": set(Vote.objects.filter(idea=source).values_list("pk", "voter")),
        "target_votes": set(Vote.objects.filter(idea=target).values_list("pk", "voter")),
        "source_follows": set(Follow.objects.filter(idea=source).values_list("pk", "user")),
        "target_follows": set(Follow.objects.filter(idea=target).values_list("pk", "user")),
        "voters": {v1, v2, both, v4},
        "followers": {f1, f_both, f3},
    }


@pytest.mark.django_db
def test_merge_moves_support_and_followers_without_double_counting(merge_case, staff):
    source, target = merge_case["source"], merge_case["target"]
    idea_merge(idea=source, into=target, by=staff, public_reason="Dette er samme forslag.")
    source.refresh_from_db()
    target.refresh_from_db()

    assert source.status == S.MERGED and source.merged_into == target
    # Every distinct supporter of either idea now supports the target, once.
    target_voters = set(Vote.objects.filter(idea=target).values_list("voter", flat=True))
    assert target_voters == {v.pk for v in merge_case["voters"]}
    assert target.support_count == 4 == Vote.objects.filter(idea=target).count()
    # The person who supported both keeps the vote on the merged idea too.
    assert source.support_count == 1 == Vote.objects.filter(idea=source).count()

    target_followers = set(Follow.objects.filter(idea=target).values_list("user", flat=True))
    assert target_followers == {u.pk for u in merge_case["followers"]} | {source.author_id}

    event = IdeaEvent.objects.get(idea=source, kind=IdeaEvent.Kind.MERGED)
    assert event.from_status == S.IN_REVIEW and event.public_text == "Dette er samme forslag."
    assert len(event.data["moved_vote_ids"]) == 2
    assert len(event.data["moved_follow_ids"]) == 1
    assert IdeaEvent.objects.filter(idea=target, kind=IdeaEvent.Kind.MERGED).exists()


@pytest.mark.django_db
def test_undo_merge_restores_both_ideas_exactly(merge_case, staff):
    source, target = merge_case["source"], merge_case["target"]
    idea_merge(idea=source, into=target, by=staff)
    idea_unmerge(idea=source, by=staff, reason="Det var likevel to ulike ideer.")
    source.refresh_from_db()
    target.refresh_from_db()

    assert source.status == S.IN_REVIEW and source.merged_into is None
    assert (
        set(Vote.objects.filter(idea=source).values_list("pk", "voter"))
        == (merge_case["source_votes"])
    )
    assert (
        set(Vote.objects.filter(idea=target).values_list("pk", "voter"))
        == (merge_case["target_votes"])
    )
    assert (
        set(Follow.objects.filter(idea=source).values_list("pk", "user"))
        == (merge_case["source_follows"])
    )
    assert (
        set(Follow.objects.filter(idea=target).values_list("pk", "user"))
        == (merge_case["target_follows"])
    )
    assert (source.support_count, target.support_count) == (3, 2)
    undo = IdeaEvent.objects.get(idea=source, kind=IdeaEvent.Kind.UNMERGED)
    # Public, as the merge was; the reason is for staff.
    assert undo.to_status == S.IN_REVIEW and not undo.is_internal
    assert undo.internal_note == "Det var likevel to ulike ideer." and not undo.public_text


@pytest.mark.django_db
def test_undoing_a_merge_is_told_on_the_idea_page_and_to_those_told_of_the_merge(
    merge_case, staff, client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://ideer.fjordvik.example.no"
    source, target = merge_case["source"], merge_case["target"]
    idea_merge(idea=source, into=target, by=staff)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        idea_unmerge(idea=source, by=staff, reason="Det var likevel to ulike ideer.")

    source.refresh_from_db()
    html = client.get(source.get_absolute_url()).content.decode()
    assert f"Sammenslåingen med idé {target.reference} ble opphevet" in html
    assert "Det var likevel to ulike ideer." not in html  # staff's reason stays internal
    assert "er slått sammen med den" not in html  # no longer presented as merged
    target_html = client.get(target.get_absolute_url()).content.decode()
    assert f"Sammenslåingen av idé {source.reference} med denne ble opphevet" in target_html

    # The author and the idea's own followers, once each; not the staff member who acted.
    told = sorted(address for message in mailoutbox for address in message.to)
    followers = Follow.objects.filter(idea=source).values_list("user__email", flat=True)
    assert told == sorted({source.author.email, *followers})
    for message in mailoutbox:
        assert "ikke lenger slått sammen" in message.subject
        assert f"https://ideer.fjordvik.example.no{source.get_absolute_url()}" in message.body


@pytest.mark.django_db
def test_undoing_the_merge_of_a_hidden_idea_is_told_to_its_author_only(
    merge_case, staff, mailoutbox, django_capture_on_commit_callbacks
):
    source, target = merge_case["source"], merge_case["target"]
    idea_merge(idea=source, into=target, by=staff)
    Idea.objects.filter(pk=source.pk).update(is_hidden=True, hidden_reason="Personopplysninger")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        idea_unmerge(idea=source, by=staff)

    assert [message.to for message in mailoutbox] == [[source.author.email]]


@pytest.mark.django_db
def test_merging_a_hidden_idea_is_told_to_its_author_only(
    merge_case, staff, mailoutbox, django_capture_on_commit_callbacks
):
    """Its followers cannot see it, so no e-mail may tell them what it said."""
    source, target = merge_case["source"], merge_case["target"]
    Idea.objects.filter(pk=source.pk).update(is_hidden=True, hidden_reason="Personopplysninger")
    source.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        idea_merge(idea=source, into=target, by=staff)

    assert [message.to for message in mailoutbox] == [[source.author.email]]
    # The support and the follows still moved to the idea it became part of.
    assert Follow.objects.filter(idea=target).count() == 4


@pytest.mark.django_db
def test_undo_after_a_moved_voter_withdrew_keeps_counts_true(merge_case, staff):
    source, target = merge_case["source"], merge_case["target"]
    idea_merge(idea=source, into=target, by=staff)
    moved = IdeaEvent.objects.get(idea=source, kind=IdeaEvent.Kind.MERGED).data["moved_vote_ids"]
    Vote.objects.filter(pk=moved[0]).delete()
    idea_unmerge(idea=source, by=staff)
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.support_count == Vote.objects.filter(idea=source).count() == 2
    assert target.support_count == Vote.objects.filter(idea=target).count() == 2


@pytest.mark.django_db
def test_merge_refuses_itself_non_public_targets_and_other_units(unit, staff):
    idea = IdeaFactory(owning_unit=unit)
    with pytest.raises(TransitionError):
        idea_merge(idea=idea, into=idea, by=staff)
    withdrawn = IdeaFactory(owning_unit=unit, status=S.WITHDRAWN)
    with pytest.raises(TransitionError):
        idea_merge(idea=idea, into=withdrawn, by=staff)
    foreign = IdeaFactory()
    with pytest.raises(TransitionPermissionDenied):
        idea_merge(idea=foreign, into=idea, by=staff)
    with pytest.raises(TransitionError):
        idea_unmerge(idea=idea, by=staff)
    assert not IdeaEvent.objects.exists()


# --- Concurrency -------------------------------------------------------------------------


def _run_concurrently(*calls):
    """Run each call in its own thread and connection, started at the same moment.

    Returns, per call, "ok" or the exception class name. The in-memory SQLite test
    database reports a competing writer as "locked" at once instead of waiting; the
    worker then retries, as the busy timeout would on a database file.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list[str | None] = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            for _attempt in range(200):
                try:
                    call()
                    outcomes[index] = "ok"
                    return
                except OperationalError as locked:
                    if "locked" not in str(locked):
                        raise
                    time.sleep(0.01)
            outcomes[index] = "gave up"
        except Exception as refused:
            outcomes[index] = type(refused).__name__
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _assert_consistent_history(idea: Idea, start: str) -> list[IdeaEvent]:
    events = list(IdeaEvent.objects.filter(idea=idea).order_by("pk"))
    status = start
    for event in events:
        assert event.from_status == status
        status = event.to_status
    idea.refresh_from_db()
    assert idea.status == status
    return events


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(2))
def test_two_staff_picking_up_the_same_idea_one_is_refused(round_):
    unit = UnitFactory()
    alice, bob = staff_of(unit), staff_of(unit)
    idea = IdeaFactory(owning_unit=unit)

    outcomes = _run_concurrently(
        lambda: idea_transition(idea=Idea.objects.get(pk=idea.pk), to=S.IN_REVIEW, by=alice),
        lambda: idea_transition(idea=Idea.objects.get(pk=idea.pk), to=S.IN_REVIEW, by=bob),
    )
    assert sorted(outcomes) == ["TransitionError", "ok"]
    events = _assert_consistent_history(idea, S.SUBMITTED)
    assert len(events) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(2))
def test_implement_and_reject_at_once_end_in_one_of_them(round_):
    unit = UnitFactory()
    alice, bob = staff_of(unit), staff_of(unit)
    idea = IdeaFactory(owning_unit=unit, status=S.ACCEPTED)

    outcomes = _run_concurrently(
        lambda: idea_transition(
            idea=Idea.objects.get(pk=idea.pk), to=S.IMPLEMENTED, by=alice, public_reason="Ja."
        ),
        lambda: idea_transition(
            idea=Idea.objects.get(pk=idea.pk), to=S.REJECTED, by=bob, public_reason="Nei."
        ),
    )
    assert sorted(outcomes) == ["TransitionError", "ok"]
    events = _assert_consistent_history(idea, S.ACCEPTED)
    assert len(events) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(2))
def test_chained_transitions_at_once_give_two_ordered_events_or_one_refusal(round_):
    unit = UnitFactory()
    alice, bob = staff_of(unit), staff_of(unit)
    idea = IdeaFactory(owning_unit=unit)

    outcomes = _run_concurrently(
        lambda: idea_transition(idea=Idea.objects.get(pk=idea.pk), to=S.IN_REVIEW, by=alice),
        lambda: idea_transition(idea=Idea.objects.get(pk=idea.pk), to=S.ACCEPTED, by=bob),
    )
    events = _assert_consistent_history(idea, S.SUBMITTED)
    assert outcomes[0] == "ok"
    if outcomes[1] == "ok":
        assert [(e.from_status, e.to_status) for e in events] == [
            (S.SUBMITTED, S.IN_REVIEW),
            (S.IN_REVIEW, S.ACCEPTED),
        ]
    else:
        assert outcomes[1] == "TransitionError"
        assert len(events) == 1


# --- Reroute, assign, note, answer ---------------------------------------------------------


@pytest.mark.django_db
def test_reroute_moves_the_idea_clears_the_assignee_and_logs_internally(unit, staff):
    other = UnitFactory()
    idea = IdeaFactory(owning_unit=unit, assignee=staff)
    idea_reroute(idea=idea, to_unit=other, by=staff, reason="Gjelder vei, ikke skole.")
    idea.refresh_from_db()
    assert idea.owning_unit == other and idea.assignee is None
    event = IdeaEvent.objects.get(idea=idea, kind=IdeaEvent.Kind.REROUTED)
    assert event.is_internal and event.internal_note == "Gjelder vei, ikke skole."
    assert event.data["from_unit"] == unit.pk and event.data["to_unit"] == other.pk
    # Rerouted away: the old unit can no longer act on it.
    with pytest.raises(TransitionPermissionDenied):
        idea_transition(idea=idea, to=S.IN_REVIEW, by=staff)


@pytest.mark.django_db
def test_reroute_refuses_same_unit_inactive_unit_and_missing_reason(unit, staff):
    idea = IdeaFactory(owning_unit=unit)
    with pytest.raises(WorkflowError):
        idea_reroute(idea=idea, to_unit=unit, by=staff, reason="x")
    with pytest.raises(WorkflowError):
        idea_reroute(idea=idea, to_unit=UnitFactory(is_active=False), by=staff, reason="x")
    with pytest.raises(WorkflowError):
        idea_reroute(idea=idea, to_unit=UnitFactory(), by=staff, reason="")
    assert not IdeaEvent.objects.exists()


@pytest.mark.django_db
def test_assignee_must_work_in_the_owning_unit(unit, staff):
    idea = IdeaFactory(owning_unit=unit)
    outsider = staff_of(UnitFactory())
    with pytest.raises(WorkflowError):
        idea_assign(idea=idea, assignee=outsider, by=staff)
    colleague = staff_of(unit)
    idea_assign(idea=idea, assignee=colleague, by=staff)
    idea.refresh_from_db()
    assert idea.assignee == colleague
    idea_assign(idea=idea, assignee=None, by=staff)
    idea.refresh_from_db()
    assert idea.assignee is None
    kinds = list(IdeaEvent.objects.filter(idea=idea).values_list("kind", "is_internal"))
    assert kinds == [(IdeaEvent.Kind.ASSIGNED, True), (IdeaEvent.Kind.ASSIGNED, True)]


@pytest.mark.django_db
def test_notes_are_internal_and_answers_public(unit, staff):
    idea = IdeaFactory(owning_unit=unit)
    note = idea_add_note(idea=idea, by=staff, text="Ring innbyggeren.")
    answer = idea_answer(idea=idea, by=staff, text="Takk, vi ser på dette i høst.")
    assert note.is_internal and note.internal_note == "Ring innbyggeren." and not note.public_text
    assert not answer.is_internal and answer.public_text == "Takk, vi ser på dette i høst."
    with pytest.raises(WorkflowError):
        idea_add_note(idea=idea, by=staff, text="  ")
    with pytest.raises(WorkflowError):
        idea_answer(idea=idea_in(S.WITHDRAWN, owning_unit=unit), by=staff, text="Hei")


# --- E-mails -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_transition_emails_author_and_followers_but_not_the_actor(
    unit, staff, mailoutbox, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(owning_unit=unit)
    follower = UserFactory()
    add_followers(idea, [follower, staff])
    with django_capture_on_commit_callbacks(execute=True):
        idea_transition(
            idea=idea, to=S.REJECTED, by=staff, public_reason="Dette ligger utenfor budsjettet."
        )
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([idea.author.email, follower.email])
    assert all(len(m.to) == 1 for m in mailoutbox)
    body = mailoutbox[0].body
    assert "Dette ligger utenfor budsjettet." in body
    assert idea.reference in mailoutbox[0].subject
    assert f"http://testserver{idea.get_absolute_url()}" in body


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transition_is_refused(
    unit, staff, mailoutbox, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(owning_unit=unit)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionError):
        idea_transition(idea=idea, to=S.REJECTED, by=staff)
    assert mailoutbox == []


@pytest.mark.django_db
def test_answer_is_emailed_to_author_and_followers(
    unit, staff, mailoutbox, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(owning_unit=unit)
    follower = UserFactory()
    add_followers(idea, [follower])
    with django_capture_on_commit_callbacks(execute=True):
        idea_answer(idea=idea, by=staff, text="Vi tar kontakt etter sommeren.")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([idea.author.email, follower.email])
    assert all("Vi tar kontakt etter sommeren." in m.body for m in mailoutbox)


@pytest.mark.django_db
def test_reroute_emails_the_new_unit(unit, staff, mailoutbox, django_capture_on_commit_callbacks):
    other = UnitFactory(contact_email="post@teknisk.example.no")
    colleague = staff_of(other)
    idea = IdeaFactory(owning_unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        idea_reroute(idea=idea, to_unit=other, by=staff, reason="Gjelder brøyting.")
    [message] = mailoutbox
    assert sorted(message.to) == sorted(["post@teknisk.example.no", colleague.email])
    assert "Gjelder brøyting." in message.body
    assert f"/admin/triage/{idea.pk}/" in message.body


@pytest.mark.django_db
def test_merge_tells_the_merged_ideas_audience_where_it_went(
    merge_case, staff, mailoutbox, django_capture_on_commit_callbacks
):
    source, target = merge_case["source"], merge_case["target"]
    with django_capture_on_commit_callbacks(execute=True):
        idea_merge(idea=source, into=target, by=staff)
    recipients = {m.to[0] for m in mailoutbox}
    follower_emails = set(
        Follow.objects.filter(user__in=merge_case["followers"]).values_list(
            "user__email", flat=True
        )
    )
    # Author of the merged idea, its own follower and the one following both.
    assert source.author.email in recipients
    assert recipients <= follower_emails | {source.author.email}
    assert all(target.get_absolute_url() in m.body for m in mailoutbox)


# --- Bulk ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bulk_transition_reports_each_idea_and_keeps_going(unit, staff):
    ready = IdeaFactory.create_batch(2, owning_unit=unit)
    already = IdeaFactory(owning_unit=unit, status=S.ACCEPTED)
    foreign = IdeaFactory()
    report = ideas_bulk_apply(
        ideas=[ready[0], already, foreign, ready[1]], action="transition", by=staff, to=S.IN_REVIEW
    )
    outcome = {r.idea.pk: (r.ok, r.message) for r in report.results}
    assert outcome[ready[0].pk] == (True, "")
    assert outcome[ready[1].pk] == (True, "")
    assert outcome[already.pk][0] is False and already.reference in outcome[already.pk][1]
    assert outcome[foreign.pk][0] is False and outcome[foreign.pk][1]
    assert len(report.succeeded) == 2 and len(report.failed) == 2
    statuses = dict(Idea.objects.values_list("pk", "status"))
    assert statuses[ready[0].pk] == statuses[ready[1].pk] == S.IN_REVIEW
    assert statuses[already.pk] == S.ACCEPTED and statuses[foreign.pk] == S.SUBMITTED


@pytest.mark.django_db
def test_bulk_unknown_action_is_a_programming_error(unit, staff):
    with pytest.raises(ValueError):
        ideas_bulk_apply(ideas=[], action="delete", by=staff)


@pytest.mark.django_db
def test_the_callers_object_is_updated_including_related_objects(unit, staff):
    other = UnitFactory(name="Ny eier")
    idea = IdeaFactory(owning_unit=unit, assignee=staff)
    assert idea.owning_unit == unit and idea.assignee == staff  # cached on the object
    idea_reroute(idea=idea, to_unit=other, by=staff, reason="Hører til der.")
    assert idea.owning_unit == other
    assert idea.assignee is None
    idea_transition(idea=idea, to=S.REJECTED, by=UserFactory(is_superuser=True), public_reason="x")
    assert idea.status == S.REJECTED


@pytest.mark.django_db
def test_bulk_merge_of_duplicates_into_one_idea(unit, staff):
    target = IdeaFactory(owning_unit=unit)
    duplicates = IdeaFactory.create_batch(3, owning_unit=unit)
    voters = UserFactory.create_batch(3)
    for duplicate, voter in zip(duplicates, voters, strict=True):
        add_votes(duplicate, [voter])
    finished = IdeaFactory(owning_unit=unit, status=S.IMPLEMENTED)
    report = ideas_bulk_apply(
        ideas=[*duplicates, finished, target], action="merge", by=staff, into=target
    )
    assert [r.ok for r in report.results] == [True, True, True, False, False]
    target.refresh_from_db()
    assert target.support_count == 3
    undo = ideas_bulk_apply(ideas=duplicates, action="unmerge", by=staff, reason="Feil")
    assert all(r.ok for r in undo.results)
    target.refresh_from_db()
    assert target.support_count == 0


# --- Hiding ----------------------------------------------------------------------------------


def _public_titles() -> list[str]:
    return list(Idea.objects.public().values_list("title", flat=True))


def _search_titles(text: str) -> list[str]:
    from search.backends import get_database_backend

    return [hit.title for hit in get_database_backend().search(text).hits]


@pytest.mark.django_db
def test_hiding_takes_the_idea_out_of_public_view_and_search_and_tells_the_author(
    unit, staff, mailoutbox, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(owning_unit=unit, title="Gatekunst på brannstasjonen")
    follower = UserFactory()
    add_followers(idea, [follower])
    with django_capture_on_commit_callbacks(execute=True):
        idea_answer(idea=idea, by=staff, text="Vi ser på det.")  # indexes it
    assert _search_titles("brannstasjonen") == ["Gatekunst på brannstasjonen"]
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = idea_hide(idea=idea, by=staff, reason="Inneholder personopplysninger.")

    idea.refresh_from_db()
    assert result.is_hidden and idea.is_hidden
    assert idea.hidden_reason == "Inneholder personopplysninger."
    assert idea.status == S.SUBMITTED  # hiding is not a status change
    assert "Gatekunst på brannstasjonen" not in _public_titles()
    assert _search_titles("brannstasjonen") == []
    event = IdeaEvent.objects.get(idea=idea, kind=IdeaEvent.Kind.HIDDEN)
    assert event.actor == staff
    assert event.data["reason"] == "Inneholder personopplysninger."
    assert event.is_internal  # never on the public timeline, even once shown again
    # Only the author hears about it, with the reason; followers are not told about
    # an idea they can no longer see.
    [message] = mailoutbox
    assert message.to == [idea.author.email]
    assert "Inneholder personopplysninger." in message.body
    assert idea.reference in message.subject
    assert f"http://testserver{idea.get_absolute_url()}" in message.body


@pytest.mark.django_db
def test_unhiding_brings_the_idea_back_everywhere_and_tells_the_author(
    unit, staff, mailoutbox, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(owning_unit=unit, title="Gatekunst på brannstasjonen")
    with django_capture_on_commit_callbacks(execute=True):
        idea_hide(idea=idea, by=staff, reason="Inneholder personopplysninger.")
    assert _search_titles("brannstasjonen") == []
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        idea_unhide(idea=idea, by=staff, reason="Personopplysningene er fjernet.")

    idea.refresh_from_db()
    assert not idea.is_hidden
    assert idea.hidden_reason == ""
    assert "Gatekunst på brannstasjonen" in _public_titles()
    assert _search_titles("brannstasjonen") == ["Gatekunst på brannstasjonen"]
    event = IdeaEvent.objects.get(idea=idea, kind=IdeaEvent.Kind.SHOWN)
    assert (event.actor, event.data["reason"], event.is_internal) == (
        staff,
        "Personopplysningene er fjernet.",
        True,
    )
    [message] = mailoutbox
    assert message.to == [idea.author.email]
    assert "Personopplysningene er fjernet." in message.body


@pytest.mark.django_db
def test_hiding_needs_a_reason_and_a_shown_idea(unit, staff, mailoutbox):
    idea = IdeaFactory(owning_unit=unit)
    with pytest.raises(WorkflowError, match="Skriv en begrunnelse"):
        idea_hide(idea=idea, by=staff, reason="   ")
    idea.refresh_from_db()
    assert not idea.is_hidden
    with pytest.raises(WorkflowError, match="er ikke skjult"):
        idea_unhide(idea=idea, by=staff)

    idea_hide(idea=idea, by=staff, reason="Spam.")
    with pytest.raises(WorkflowError, match="er allerede skjult"):
        idea_hide(idea=idea, by=staff, reason="Igjen.")
    assert IdeaEvent.objects.filter(idea=idea, kind=IdeaEvent.Kind.HIDDEN).count() == 1


@pytest.mark.django_db
def test_the_author_is_not_mailed_about_hiding_their_own_idea_as_staff(
    unit, mailoutbox, django_capture_on_commit_callbacks
):
    author = staff_of(unit)
    idea = IdeaFactory(owning_unit=unit, author=author)
    with django_capture_on_commit_callbacks(execute=True):
        idea_hide(idea=idea, by=author, reason="Feil publisert.")
    assert mailoutbox == []


@pytest.mark.django_db
def test_later_e_mails_about_a_hidden_idea_reach_only_its_author(
    unit, staff, mailoutbox, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(owning_unit=unit)
    add_followers(idea, [UserFactory()])
    idea_hide(idea=idea, by=staff, reason="Spam.")
    with django_capture_on_commit_callbacks(execute=True):
        idea_transition(idea=idea, to=S.REJECTED, by=staff, public_reason="Ikke aktuelt.")
        idea_answer(idea=idea, by=staff, text="Svar.")
    assert [m.to for m in mailoutbox] == [[idea.author.email], [idea.author.email]]


@pytest.mark.django_db
def test_bulk_hide_reports_each_idea(unit, staff):
    shown, already = IdeaFactory(owning_unit=unit), IdeaFactory(owning_unit=unit)
    idea_hide(idea=already, by=staff, reason="Spam.")
    report = ideas_bulk_apply(ideas=[shown, already], action="hide", by=staff, reason="Reklame.")
    assert [r.ok for r in report.results] == [True, False]
    assert "er allerede skjult" in report.failed[0].message
    shown.refresh_from_db()
    assert shown.is_hidden and shown.hidden_reason == "Reklame."
