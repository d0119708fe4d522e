"""ideas.services: submit, edit, votes, follows (withdrawing goes through the workflow)."""

from __future__ import annotations

import datetime
import io
import re
import threading

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from PIL import Image
from wagtail.models import PageViewRestriction

from ideas import services
from ideas.models import (
    Follow,
    Idea,
    IdeaAttachment,
    IdeaEvent,
    IdeaKind,
    IdeaStatus,
    IdeaTag,
    RoutingRule,
    Vote,
)
from ideas.services import submission
from tests.factories import (
    IdeaFactory,
    OrganisationFactory,
    UnitFactory,
    UserFactory,
    create_challenge,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Service messages are asserted in English (the msgids); pages are tested in nb."""
    with translation.override("en"):
        yield


# --- Helpers shared with the other idea tests (fixtures and builders, no tests) ------------


@pytest.fixture
def intake_unit(settings):
    return UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG, name="Strategi og utvikling")


@pytest.fixture
def media_root(settings, tmp_path):
    """The public media folder; attachments go to the private one beside it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT


@pytest.fixture
def private_media_root(settings, media_root):
    return settings.PORTAL_PRIVATE_MEDIA_ROOT


def stored_files(folder) -> list:
    """Every file under a folder (none if it does not exist)."""
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def submit(author, **fields) -> Idea:
    fields.setdefault("title", "Benker langs turstien")
    fields.setdefault("summary", "Flere benker gjør at eldre kan gå lenger.")
    fields.setdefault("description", "Langs stien ved fjorden er det langt mellom benkene.")
    return services.idea_submit(author=author, **fields)


def png_file(name: str = "bilde.png", size: tuple[int, int] = (4, 4)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_file(name: str = "skisse.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def retry_while_sqlite_is_locked(action):
    """Run `action`, retrying only SQLite's "table is locked".

    The in-memory test database shares one cache between threads and answers a
    concurrent writer with SQLITE_LOCKED at once instead of waiting (a file database
    waits, PostgreSQL blocks on the row lock). Retrying here keeps the test about the
    service's outcome; on PostgreSQL nothing is retried.
    """
    import time

    from django.db import OperationalError

    for _attempt in range(200):
        try:
            return action()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("SQLite stayed locked")


# --- Submit -----------------------------------------------------------------------------------


def test_submit_creates_a_routed_idea_with_a_reference_tags_and_an_event(intake_unit):
    author = UserFactory()
    challenge = create_challenge(title="Ensomhet blant eldre")

    idea = submit(author, challenge=challenge, tags=["Eldre", "møteplass", "eldre "])

    assert re.fullmatch(rf"{timezone.localdate().year}-\d{{5}}", idea.reference)
    assert idea.status == IdeaStatus.SUBMITTED
    # No routing rule matches, so the challenge's owner gets it.
    assert idea.owning_unit == challenge.owning_unit
    assert idea.theme == challenge.theme
    # One form per tag: lower case, repeats dropped.
    assert sorted(idea.tags.values_list("name", flat=True)) == ["eldre", "møteplass"]
    event = IdeaEvent.objects.get(idea=idea)
    assert (event.kind, event.to_status, event.actor) == (
        IdeaEvent.Kind.SUBMITTED,
        IdeaStatus.SUBMITTED,
        author,
    )


def test_submit_routes_by_tag_rule_before_the_challenge_owner(intake_unit):
    tag = IdeaTag.objects.create(name="overvann")
    culture = UnitFactory(name="Teknisk drift")
    RoutingRule.objects.create(name="Overvann", priority=1, tag=tag, target_unit=culture)

    idea = submit(UserFactory(), challenge=create_challenge(), tags=["Overvann"])

    assert idea.owning_unit == culture
    assert list(idea.tags.all()) == [tag]  # matched case-insensitively, not duplicated


def test_a_free_idea_without_rules_goes_to_the_intake_unit(intake_unit):
    assert submit(UserFactory()).owning_unit == intake_unit


def test_references_are_consecutive_and_skip_numbers_already_taken(intake_unit):
    year = timezone.localdate().year
    IdeaFactory(reference=f"{year}-00002")

    first = submit(UserFactory())
    second = submit(UserFactory())

    assert first.reference == f"{year}-00001"
    assert second.reference == f"{year}-00003"


def test_references_past_99999_grow_a_digit_and_still_skip_taken_numbers(intake_unit):
    from ideas.models import ReferenceCounter

    year = timezone.localdate().year
    ReferenceCounter.objects.create(year=year, last_number=99_998)
    IdeaFactory(reference=f"{year}-100000")

    assert submit(UserFactory()).reference == f"{year}-99999"
    assert submit(UserFactory()).reference == f"{year}-100001"


def test_proposal_requires_one_of_the_authors_organisations(intake_unit):
    member = UserFactory()
    own = OrganisationFactory()
    own.members.add(member)
    other = OrganisationFactory()

    with pytest.raises(ValidationError) as missing:
        submit(member, kind=IdeaKind.PROPOSAL)
    assert "organisation" in missing.value.message_dict
    with pytest.raises(ValidationError):
        submit(member, kind=IdeaKind.PROPOSAL, organisation=other)
    assert not Idea.objects.exists()

    proposal = submit(member, kind=IdeaKind.PROPOSAL, organisation=own)
    assert proposal.organisation == own


def test_an_idea_from_a_person_never_carries_an_organisation(intake_unit):
    member = UserFactory()
    organisation = OrganisationFactory()
    organisation.members.add(member)

    idea = submit(member, kind=IdeaKind.IDEA, organisation=organisation)

    assert idea.organisation is None


def test_a_challenge_that_is_not_open_refuses_ideas(intake_unit):
    today = timezone.localdate()
    closed = create_challenge(
        opens_on=today - datetime.timedelta(days=30), closes_on=today - datetime.timedelta(days=1)
    )

    with pytest.raises(ValidationError) as refused:
        submit(UserFactory(), challenge=closed)

    assert "does not accept ideas" in str(refused.value.message_dict["challenge"])
    assert not Idea.objects.exists()


def test_a_challenge_the_author_may_not_see_refuses_their_idea(intake_unit):
    staff_only = create_challenge(title="Bare for ansatte")
    insiders = Group.objects.create(name="Ansatte i helse")
    restriction = PageViewRestriction.objects.create(
        page=staff_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(insiders)
    insider = UserFactory()
    insider.groups.add(insiders)

    with pytest.raises(ValidationError) as refused:
        submit(UserFactory(), challenge=staff_only)

    assert "does not accept ideas" in str(refused.value.message_dict["challenge"])
    assert not Idea.objects.exists()
    assert submit(insider, challenge=staff_only).challenge == staff_only


def test_submit_emails_the_unit_and_the_challenge_followers_on_commit(
    intake_unit, django_capture_on_commit_callbacks, mailoutbox
):
    challenge = create_challenge(title="Klimatilpasning")
    unit_staff = UserFactory(email="saksbehandler@kommune.example.no")
    challenge.owning_unit.staff.add(unit_staff)
    follower = UserFactory(email="folger@example.no")
    Follow.objects.create(user=follower, challenge=challenge)
    author = UserFactory(email="forfatter@example.no")
    Follow.objects.create(user=author, challenge=challenge)

    with django_capture_on_commit_callbacks(execute=True):
        idea = submit(author, challenge=challenge)
        assert mailoutbox == []  # nothing is sent before the transaction commits

    to_unit = [mail for mail in mailoutbox if unit_staff.email in mail.to]
    assert len(to_unit) == 1
    assert idea.reference in to_unit[0].subject
    assert challenge.owning_unit.contact_email in to_unit[0].to
    # Rendered in the language of the person acting (English in this module).
    assert f"http://testserver/en/ideas/{idea.reference}/" in to_unit[0].body
    to_follower = [mail for mail in mailoutbox if mail.to == ["folger@example.no"]]
    assert len(to_follower) == 1
    assert "Klimatilpasning" in to_follower[0].subject
    # The author does not get told about their own idea.
    assert not [mail for mail in mailoutbox if author.email in mail.to]


# --- Attachments ----------------------------------------------------------------------------


def test_attachments_are_stored_with_kind_name_and_alt_text(intake_unit, private_media_root):
    idea = submit(
        UserFactory(),
        attachments=[
            services.AttachmentUpload(png_file(), alt_text="Kart over stien"),
            services.AttachmentUpload(pdf_file()),
        ],
    )

    image, document = idea.attachments.order_by("pk")
    assert (image.kind, image.original_name, image.alt_text) == (
        "image",
        "bilde.png",
        "Kart over stien",
    )
    assert (document.kind, document.original_name) == ("pdf", "skisse.pdf")
    assert (private_media_root / image.file.name).exists()


def test_a_submission_that_fails_after_storing_files_leaves_no_files_behind(
    intake_unit, private_media_root, monkeypatch
):
    """The database rolls back; the files it stored on the way must go too."""

    def broken_queue(idea):
        raise RuntimeError("the task queue is down")

    monkeypatch.setattr(submission, "queue_new_idea_notifications", broken_queue)
    # In a caller's transaction (as the view's rate limit holds one): it rolls back whole.
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(
            UserFactory(),
            attachments=[
                services.AttachmentUpload(png_file(), alt_text="Kart over stien"),
                services.AttachmentUpload(pdf_file()),
            ],
        )

    assert not Idea.objects.exists()
    assert not IdeaAttachment.objects.exists()
    assert not stored_files(private_media_root)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00binary"), "is not a JPEG, PNG or WebP"),
        # Named like a PDF, but the content is an HTML page.
        (SimpleUploadedFile("fake.pdf", b"<html><script>x</script>"), "is not a JPEG, PNG"),
        # A real PNG pretending to be a PDF.
        (png_file("bilde.pdf"), "is not a JPEG, PNG"),
        (
            SimpleUploadedFile("stor.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)),
            "larger than 5 MB",
        ),
        (SimpleUploadedFile("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage"), "could not be read"),
    ],
)
def test_bad_attachments_are_refused_with_a_clear_message_and_nothing_saved(
    intake_unit, media_root, upload, message
):
    with pytest.raises(ValidationError) as refused:
        submit(UserFactory(), attachments=[services.AttachmentUpload(upload, alt_text="x")])

    assert message in " ".join(refused.value.messages)
    assert upload.name in " ".join(refused.value.messages)
    assert not Idea.objects.exists()
    assert not IdeaAttachment.objects.exists()
    assert not stored_files(media_root.parent)


def test_images_need_a_description_and_at_most_three_files(intake_unit, media_root):
    with pytest.raises(ValidationError, match="Describe what the image"):
        submit(UserFactory(), attachments=[services.AttachmentUpload(png_file(), alt_text=" ")])
    with pytest.raises(ValidationError, match="at most 3 files"):
        submit(UserFactory(), attachments=[services.AttachmentUpload(pdf_file())] * 4)
    assert not Idea.objects.exists()


# --- Edit -------------------------------------------------------------------------------------


def test_the_author_may_edit_while_submitted_and_it_is_recorded(intake_unit):
    author = UserFactory()
    idea = submit(author, tags=["benk"])

    services.idea_edit(
        idea=idea,
        by=author,
        title="Flere benker langs fjordstien",
        summary=idea.summary,
        description=idea.description,
        tags=["benk", "eldre"],
        location="Fjordstien",
    )

    idea.refresh_from_db()
    assert idea.title == "Flere benker langs fjordstien"
    assert idea.location == "Fjordstien"
    assert sorted(idea.tags.values_list("name", flat=True)) == ["benk", "eldre"]
    edited = IdeaEvent.objects.get(idea=idea, kind=IdeaEvent.Kind.EDITED)
    assert edited.actor == author
    assert set(edited.data["changed"]) == {"title", "location", "tags"}


@pytest.mark.parametrize(
    "status", [IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.WITHDRAWN]
)
def test_editing_closes_once_staff_start_reviewing(intake_unit, status):
    author = UserFactory()
    idea = submit(author)
    Idea.objects.filter(pk=idea.pk).update(status=status)

    with pytest.raises(PermissionDenied):
        services.idea_edit(
            idea=idea, by=author, title="Ny", summary="Ny", description="Ny", tags=[]
        )
    idea.refresh_from_db()
    assert idea.title == "Benker langs turstien"


def test_only_the_author_may_edit(intake_unit):
    idea = submit(UserFactory())
    with pytest.raises(PermissionDenied):
        services.idea_edit(
            idea=idea, by=UserFactory(), title="Kapret", summary="x", description="x"
        )


# --- Withdraw (through the workflow) -----------------------------------------------------------


def test_the_author_withdraws_with_a_reason_and_the_idea_leaves_public_view(intake_unit):
    from ideas.actions import idea_transition

    author = UserFactory()
    idea = submit(author)

    idea_transition(idea=idea, to=IdeaStatus.WITHDRAWN, by=author, public_reason="Løst av naboen")

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.WITHDRAWN
    assert not Idea.objects.public().filter(pk=idea.pk).exists()
    event = idea.events.get(to_status=IdeaStatus.WITHDRAWN)
    assert event.public_text == "Løst av naboen"
    assert not idea.accepts_votes


# --- Votes ------------------------------------------------------------------------------------


def test_the_same_voter_twice_is_still_one_vote():
    idea = IdeaFactory()
    voter = UserFactory()

    assert services.vote_cast(idea=idea, voter=voter) is True
    assert services.vote_cast(idea=idea, voter=voter) is False

    idea.refresh_from_db()
    assert Vote.objects.filter(idea=idea).count() == 1
    assert idea.support_count == 1


def test_withdrawing_support_recounts_from_the_rows():
    idea = IdeaFactory()
    voters = UserFactory.create_batch(3)
    for voter in voters:
        services.vote_cast(idea=idea, voter=voter)
    # A drifted stored count is corrected by the next vote action.
    Idea.objects.filter(pk=idea.pk).update(support_count=99)

    assert services.vote_withdraw(idea=idea, voter=voters[0]) is True
    assert services.vote_withdraw(idea=idea, voter=voters[0]) is False

    idea.refresh_from_db()
    assert idea.support_count == 2 == Vote.objects.filter(idea=idea).count()


CONCLUDED = [IdeaStatus.IMPLEMENTED, IdeaStatus.REJECTED, IdeaStatus.MERGED, IdeaStatus.WITHDRAWN]


def _concluded(status: str) -> Idea:
    merged_into = IdeaFactory() if status == IdeaStatus.MERGED else None
    return IdeaFactory(status=status, merged_into=merged_into)


@pytest.mark.parametrize("status", CONCLUDED)
def test_voting_is_refused_when_the_idea_is_closed(status):
    idea = _concluded(status)
    with pytest.raises(services.VotingClosed, match="no longer accepts support"):
        services.vote_cast(idea=idea, voter=UserFactory())
    assert not Vote.objects.filter(idea=idea).exists()


@pytest.mark.parametrize("status", CONCLUDED)
def test_support_cannot_be_withdrawn_once_the_idea_is_closed(status):
    voter = UserFactory()
    idea = IdeaFactory()
    services.vote_cast(idea=idea, voter=voter)
    merged_into = IdeaFactory() if status == IdeaStatus.MERGED else None
    Idea.objects.filter(pk=idea.pk).update(status=status, merged_into=merged_into)

    with pytest.raises(services.VotingClosed, match="no longer accepts support"):
        services.vote_withdraw(idea=idea, voter=voter)

    assert Vote.objects.filter(idea=idea, voter=voter).exists()
    idea.refresh_from_db()
    assert idea.support_count == 1


def test_voting_is_refused_on_hidden_ideas():
    idea = IdeaFactory(is_hidden=True)
    with pytest.raises(services.VotingClosed):
        services.vote_cast(idea=idea, voter=UserFactory())


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_leave_the_count_equal_to_the_rows():
    """Many voters (and one of them twice) at the same moment: one row each, exact count.

    On PostgreSQL the idea row lock serialises the recounts; on SQLite the database
    write lock does. Either way the stored count must equal the number of rows.
    """
    idea = IdeaFactory()
    voters = UserFactory.create_batch(6)
    attempts = [*voters, voters[0]]
    barrier = threading.Barrier(len(attempts))
    errors: list[BaseException] = []

    def cast(voter) -> None:
        try:
            barrier.wait(timeout=10)
            retry_while_sqlite_is_locked(lambda: services.vote_cast(idea=idea, voter=voter))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(voter,)) for voter in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    idea.refresh_from_db()
    assert Vote.objects.filter(idea=idea).count() == len(voters)
    assert idea.support_count == len(voters)


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_references():
    UnitFactory(slug="strategi-og-utvikling")
    authors = UserFactory.create_batch(5)
    barrier = threading.Barrier(len(authors))
    references: list[str] = []

    def run(author) -> None:
        try:
            barrier.wait(timeout=10)
            references.append(retry_while_sqlite_is_locked(lambda: submit(author)).reference)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(author,)) for author in authors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(set(references)) == len(authors)


# --- Follow -----------------------------------------------------------------------------------


def test_follow_and_unfollow_are_idempotent():
    idea = IdeaFactory()
    challenge = create_challenge()
    user = UserFactory()

    assert services.follow_idea(user=user, idea=idea) is True
    assert services.follow_idea(user=user, idea=idea) is False
    assert services.follow_challenge(user=user, challenge=challenge) is True
    assert services.follow_challenge(user=user, challenge=challenge) is False
    assert Follow.objects.filter(user=user).count() == 2

    assert services.unfollow_idea(user=user, idea=idea) is True
    assert services.unfollow_idea(user=user, idea=idea) is False
    assert services.unfollow_challenge(user=user, challenge=challenge) is True
    assert not Follow.objects.filter(user=user).exists()


# --- Demo data --------------------------------------------------------------------------------


def test_the_demo_ideas_are_many_varied_and_seeded_only_once():
    from challenges import demo as challenges_demo
    from cms.site import ensure_site
    from ideas import demo as ideas_demo
    from portal import demo as portal_demo

    ensure_site()
    units = portal_demo.seed_units()
    challenges_demo.seed_themes()
    portal_demo.seed_people(units)

    created = ideas_demo.seed(reindex=False)

    assert len(created) >= 150
    assert Idea.objects.count() == len(created)
    assert Idea.objects.filter(kind=IdeaKind.PROPOSAL, organisation__name="Fjordtech AS").exists()
    assert IdeaTag.objects.count() > 20
    for idea in Idea.objects.all():
        assert idea.support_count == idea.votes.count()
    assert Vote.objects.count() > 150
    assert ideas_demo.seed(reindex=False) == []
    assert Idea.objects.count() == len(created)


def test_authors_cannot_support_their_own_idea(intake_unit):
    author = UserFactory()
    idea = services.idea_submit(author=author, title="T", summary="S", description="D")
    with pytest.raises(services.OwnIdea):
        services.vote_cast(idea=idea, voter=author)
    idea.refresh_from_db()
    assert idea.support_count == 0 and not idea.votes.exists()
