"""Writes for the citizen and business side of ideas: submit, edit, vote, follow.

Status changes (withdrawing included) go through `ideas.workflow.idea_transition`.
Every function here is keyword-only, runs in one transaction and queues its side
effects (search index, e-mail) on commit.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from challenges.models import ChallengePage, Theme
from ideas import counts, permissions
from ideas.actions import idea_transition  # noqa: F401  (the lifecycle's one entry point)
from ideas.attachments import check_image, has_metadata, image_without_metadata
from ideas.events import record_event
from ideas.models import (
    AttachmentKind,
    Follow,
    Idea,
    IdeaAttachment,
    IdeaEvent,
    IdeaKind,
    IdeaStatus,
    IdeaTag,
    ReferenceCounter,
    TaggedIdea,
    Vote,
)
from ideas.notifications import queue_new_idea_notifications
from ideas.tags import normalise_tags
from portal import invalidation
from portal.models import Organisation, User

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
IMAGE_EXTENSIONS = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "webp": "webp"}


class VotingClosed(Exception):
    """Raised when someone tries to support (or stop supporting) a closed idea."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("This idea no longer accepts support."))
        self.message = str(self.args[0])


class OwnIdea(VotingClosed):
    """Raised when authors try to support their own idea (no peer platform lets them)."""

    def __init__(self) -> None:
        super().__init__(_("You cannot support your own idea; others can."))


@dataclass(frozen=True)
class AttachmentUpload:
    """One file chosen in the submit form, with its description if it is an image."""

    file: UploadedFile
    alt_text: str = ""


# --- Attachments -------------------------------------------------------------------------


def _sniff_kind(head: bytes) -> str | None:
    """The real type of a file from its first bytes, whatever its name says."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def attachment_kind(upload: UploadedFile) -> str:
    """Check one uploaded file and return its AttachmentKind.

    Accepts JPEG, PNG and WebP images and PDF documents of at most 5 MB. The type is
    decided by the file's content; the name's extension must agree with it. Raises
    ValidationError with a message that names the file.
    """
    name = upload.name or ""
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            gettext_lazy("“%(name)s” is larger than 5 MB. Choose a smaller file."),
            code="too_large",
            params={"name": name},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    sniffed = _sniff_kind(head)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    wrong_type = ValidationError(
        gettext_lazy(
            "“%(name)s” is not a JPEG, PNG or WebP image or a PDF document. "
            "Only those file types can be attached."
        ),
        code="wrong_type",
        params={"name": name},
    )
    if sniffed is None:
        raise wrong_type
    if sniffed == "pdf":
        if extension != "pdf":
            raise wrong_type
        return AttachmentKind.PDF
    if IMAGE_EXTENSIONS.get(extension) != sniffed:
        raise wrong_type
    # The magic bytes can be faked; Pillow reading the image structure cannot. It also
    # refuses images with more pixels than we are willing to decode.
    check_image(upload, name=name)
    return AttachmentKind.IMAGE


def validate_attachments(attachments: Sequence[AttachmentUpload]) -> list[tuple[str, File]]:
    """Check every attachment; return (kind, file to store) in order, or raise
    ValidationError.

    Images are stored without their metadata (see `ideas.attachments`), so this decodes
    them: call it before opening a transaction.
    """
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(
            gettext_lazy("You can attach at most %(max)d files."),
            code="too_many",
            params={"max": MAX_ATTACHMENTS},
        )
    prepared = []
    errors = []
    for attachment in attachments:
        try:
            kind = attachment_kind(attachment.file)
        except ValidationError as error:
            errors.append(error)
            continue
        if kind == AttachmentKind.IMAGE and not attachment.alt_text.strip():
            errors.append(
                ValidationError(
                    gettext_lazy(
                        "Describe what the image “%(name)s” shows, for people who cannot see it."
                    ),
                    code="alt_missing",
                    params={"name": attachment.file.name},
                )
            )
            continue
        if kind == AttachmentKind.IMAGE:
            try:
                stored = image_without_metadata(attachment.file, name=attachment.file.name)
            except ValidationError as error:
                errors.append(error)
                continue
        else:
            stored = attachment.file
        prepared.append((kind, stored))
    if errors:
        raise ValidationError(errors)
    return prepared


def attachment_strip_metadata(*, attachment: IdeaAttachment) -> bool:
    """Store an image attached before uploads were cleaned again, without its metadata.

    Returns whether the file changed: PDFs, images without metadata and missing files
    are left alone, so running it again changes nothing. The cleaned image is stored
    under a new name and the row is switched to it under a row lock; the old file is
    deleted after commit. The download address (id and name) stays the same, and no
    page shows what changes, so no cached page needs a new version. Raises
    ValidationError if the stored image cannot be decoded.
    """
    if attachment.kind != AttachmentKind.IMAGE:
        return False
    storage = attachment.file.storage
    old_name = attachment.file.name
    if not storage.exists(old_name):
        return False
    with storage.open(old_name, "rb") as stored:
        if not has_metadata(stored):
            return False
        cleaned = image_without_metadata(stored, name=old_name.rsplit("/", 1)[-1])
    with transaction.atomic():
        locked = IdeaAttachment.objects.select_for_update().get(pk=attachment.pk)
        if locked.file.name != old_name:  # cleaned meanwhile by another run
            return False
        locked.file.save(cleaned.name, cleaned, save=False)
        locked.size = cleaned.size
        locked.save(update_fields=["file", "size"])
        transaction.on_commit(lambda: storage.delete(old_name))
    attachment.file, attachment.size = locked.file, locked.size
    return True


# --- Tags --------------------------------------------------------------------------------


def _tags_for(names: Iterable[str]) -> list[IdeaTag]:
    """Existing tags matched case-insensitively, new ones created (taggit makes the slug).

    The existing ones are read in one query; only tags nobody used before cost more.
    """
    names = list(names)
    if not names:
        return []
    known = list(
        IdeaTag.objects.filter(
            reduce(operator.or_, (Q(name__iexact=name) for name in names))
        ).order_by("pk")
    )
    tags = []
    for name in names:
        folded = name.casefold()
        tag = next((tag for tag in known if tag.name.casefold() == folded), None)
        if tag is None:  # new, or told apart differently by the database than by Python
            tag = IdeaTag.objects.filter(name__iexact=name).order_by("pk").first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = IdeaTag.objects.create(name=name)
            except IntegrityError:
                # Someone created the same tag at the same moment.
                tag = IdeaTag.objects.filter(name__iexact=name).order_by("pk").first()
        tags.append(tag)
    return tags


def _set_tags(idea: Idea, tags: Sequence[IdeaTag]) -> None:
    wanted = {tag.pk for tag in tags}
    TaggedIdea.objects.filter(content_object=idea).exclude(tag_id__in=wanted).delete()
    existing = set(TaggedIdea.objects.filter(content_object=idea).values_list("tag_id", flat=True))
    TaggedIdea.objects.bulk_create(
        [TaggedIdea(content_object=idea, tag=tag) for tag in tags if tag.pk not in existing]
    )


# --- Submit --------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    """The year's next `<year>-<5 digits>`; call inside a transaction.

    One statement counts up (creating the year's counter if needed) and leaves the
    counter row locked until the transaction ends, so two submissions can never draw
    the same number (on SQLite the write lock serialises them anyway).
    """
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [year],
        )
        (number,) = cursor.fetchone()
    return f"{year}-{number:05d}"


class _ReferenceTaken(Exception):
    """The drawn reference was already used by an idea made outside `idea_submit`."""


def _insert_with_reference(idea: Idea, *, check_first: bool) -> None:
    """Save a new idea under a fresh reference.

    References made outside this service (imports, test factories) may hold the
    counter's next number. With `check_first` such numbers are skipped. Without, the
    insert is tried at once, one statement fewer for every submission; if it fails the
    transaction is lost, so _ReferenceTaken tells the caller to start again with
    `check_first` (which raises any other integrity error for real).
    """
    year = timezone.localdate().year
    if not check_first:
        idea.reference = _next_reference(year)
        try:
            idea.save(force_insert=True)
        except IntegrityError as error:
            raise _ReferenceTaken from error
        return
    for _attempt in range(50):
        idea.reference = _next_reference(year)
        if Idea.objects.filter(reference=idea.reference).exists():
            continue
        try:
            with transaction.atomic():
                idea.save(force_insert=True)
            return
        except IntegrityError:
            if Idea.objects.filter(reference=idea.reference).exists():
                idea.pk = None
                continue
            raise
    raise RuntimeError("Could not find a free idea reference.")


def idea_submit(
    *,
    author: User,
    title: str,
    summary: str,
    description: str,
    kind: str = IdeaKind.IDEA,
    organisation: Organisation | None = None,
    challenge: ChallengePage | None = None,
    theme: Theme | None = None,
    tags: Iterable[str] = (),
    location: str = "",
    attachments: Sequence[AttachmentUpload] = (),
) -> Idea:
    """Create an idea or proposal, route it, record it, and tell those who need to know.

    Preconditions: the author is active; a proposal names one of the author's
    organisations; a challenge, if given, accepts ideas today; attachments pass
    `validate_attachments`. Raises ValidationError otherwise, with nothing saved.
    On commit: the idea is indexed for search, the owning unit is e-mailed, and so is
    everyone who follows the challenge.
    """
    if not author.is_active:
        raise PermissionDenied(_("Your account is not active."))
    if kind == IdeaKind.PROPOSAL:
        if organisation is None:
            raise ValidationError(
                {"organisation": _("Choose the organisation the proposal is from.")}
            )
        if not organisation.members.filter(pk=author.pk).exists():
            raise ValidationError(
                {"organisation": _("You can only submit proposals for your own organisations.")}
            )
    elif organisation is not None:
        organisation = None  # an idea from a person is never on an organisation's behalf
    if challenge is not None:
        if not challenge.live or not challenge.accepts_ideas:
            raise ValidationError(
                {
                    "challenge": _("“%(title)s” does not accept ideas now.")
                    % {"title": challenge.title}
                }
            )
        theme = theme or challenge.theme
    prepared = validate_attachments(attachments)
    tag_names = normalise_tags(tags)

    for check_first in (False, True):
        try:
            return _create_idea(
                author=author,
                fields={
                    "title": title.strip(),
                    "summary": summary.strip(),
                    "description": description.strip(),
                    "kind": kind,
                    "organisation": organisation,
                    "challenge": challenge,
                    "theme": theme,
                    "location": location.strip(),
                },
                tag_names=tag_names,
                attachments=list(zip(attachments, prepared, strict=True)),
                check_first=check_first,
            )
        except _ReferenceTaken:
            continue  # an imported idea holds the number: again, skipping taken numbers
    raise AssertionError("unreachable: the second attempt checks references first")


def _create_idea(
    *,
    author: User,
    fields: dict,
    tag_names: list[str],
    attachments: list[tuple[AttachmentUpload, tuple[str, File]]],
    check_first: bool,
) -> Idea:
    """The writes of `idea_submit`, in one transaction (see `_insert_with_reference`)."""
    from ideas.routing import resolve_unit

    with transaction.atomic():
        idea = Idea(author=author, status=IdeaStatus.SUBMITTED, **fields)
        tag_objects = _tags_for(tag_names)
        idea.owning_unit = resolve_unit(idea, tag_ids=[tag.pk for tag in tag_objects])
        _insert_with_reference(idea, check_first=check_first)
        # A new idea has no tags yet: nothing to compare with or remove.
        TaggedIdea.objects.bulk_create(
            [TaggedIdea(content_object=idea, tag=tag) for tag in tag_objects]
        )
        for attachment, (attachment_kind_, stored) in attachments:
            IdeaAttachment.objects.create(
                idea=idea,
                file=stored,
                kind=attachment_kind_,
                original_name=(attachment.file.name or "")[:200],
                alt_text=attachment.alt_text.strip() if attachment_kind_ == "image" else "",
                size=stored.size or 0,
            )
        record_event(
            idea=idea,
            actor=author,
            kind=IdeaEvent.Kind.SUBMITTED,
            to_status=IdeaStatus.SUBMITTED,
        )
        invalidation.reindex(idea)
        queue_new_idea_notifications(idea)
    return idea


# --- Edit ---------------------------------------------------------------------------------


def idea_edit(
    *,
    idea: Idea,
    by: User,
    title: str,
    summary: str,
    description: str,
    tags: Iterable[str] = (),
    location: str = "",
    theme: Theme | None = None,
) -> Idea:
    """Change what the author wrote, while the idea is still only submitted.

    Locks the idea row; refuses (PermissionDenied) anyone but the author, and any
    status other than submitted (staff may have started reading it). Records an
    EDITED event with the fields that changed; reindexes on commit. The owning unit
    is not re-routed: staff may already have it in their queue.
    """
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        if not permissions.can_edit(by, idea):
            raise PermissionDenied(_("You can no longer edit this idea."))
        new_values = {
            "title": title.strip(),
            "summary": summary.strip(),
            "description": description.strip(),
            "location": location.strip(),
        }
        if idea.challenge_id is None:
            new_values["theme"] = theme
        changed = [field for field, value in new_values.items() if getattr(idea, field) != value]
        for field, value in new_values.items():
            setattr(idea, field, value)
        old_tags = sorted(idea.tags.values_list("name", flat=True))
        tag_objects = _tags_for(normalise_tags(tags))
        _set_tags(idea, tag_objects)
        if sorted(tag.name for tag in tag_objects) != old_tags:
            changed.append("tags")
        idea.save()
        record_event(idea=idea, actor=by, kind=IdeaEvent.Kind.EDITED, data={"changed": changed})
        invalidation.reindex(idea)
    return idea


# --- Votes --------------------------------------------------------------------------------


def _lock_for_voting(idea: Idea) -> Idea:
    # Only what `accepts_votes` reads: the lock is the point, not the data.
    return Idea.objects.select_for_update().only("pk", "status", "is_hidden").get(pk=idea.pk)


def vote_cast(*, idea: Idea, voter: User) -> bool:
    """Support an idea. Returns True if a vote was added, False if it already existed.

    Locks the idea row so concurrent votes recount one after another; the unique
    constraint (idea, voter) decides whether this is a new vote, and support_count is
    recounted from the rows in the same transaction (by `ideas.counts.support_changed`,
    which portal.invalidation runs for every Vote row written, whoever writes it).
    Raises VotingClosed when the idea does not accept votes, OwnIdea when `voter` wrote
    it. Reindexes on commit.
    """
    with transaction.atomic():
        locked = _lock_for_voting(idea)
        if not locked.accepts_votes:
            raise VotingClosed()
        if locked.author_id == voter.pk:
            raise OwnIdea()
        try:
            with transaction.atomic():
                Vote.objects.create(idea=locked, voter=voter)  # recounts into `locked`
            created = True
        except IntegrityError:
            created = False  # already supported: the constraint is the truth
            locked.support_count = counts.recount_support(locked.pk)
        idea.support_count = locked.support_count
        invalidation.reindex(locked)
    return created


def vote_withdraw(*, idea: Idea, voter: User) -> bool:
    """Take back one's support. Returns True if a vote was removed.

    Same locking and recount as `vote_cast`; refused (VotingClosed) when the idea no
    longer accepts votes, so a concluded idea's count stays as it was.
    """
    with transaction.atomic():
        locked = _lock_for_voting(idea)
        if not locked.accepts_votes:
            raise VotingClosed()
        vote = Vote.objects.filter(idea=locked, voter=voter).first()
        if vote is not None:
            vote.idea = locked  # the recount on delete writes the new figure into it
            vote.delete()
        else:
            locked.support_count = counts.recount_support(locked.pk)
        idea.support_count = locked.support_count
        invalidation.reindex(locked)
    return vote is not None


# --- Follow -------------------------------------------------------------------------------


def follow_idea(*, user: User, idea: Idea) -> bool:
    """Follow an idea; True if this created the follow (idempotent)."""
    _follow, created = _get_or_create_follow(user=user, idea=idea)
    return created


def unfollow_idea(*, user: User, idea: Idea) -> bool:
    deleted, _details = Follow.objects.filter(user=user, idea=idea).delete()
    return bool(deleted)


def follow_challenge(*, user: User, challenge: ChallengePage) -> bool:
    """Follow a challenge: be told about new ideas answering it. True if new."""
    _follow, created = _get_or_create_follow(user=user, challenge=challenge)
    return created


def unfollow_challenge(*, user: User, challenge: ChallengePage) -> bool:
    deleted, _details = Follow.objects.filter(user=user, challenge=challenge).delete()
    return bool(deleted)


def _get_or_create_follow(**lookup) -> tuple[Follow, bool]:
    # get_or_create retries the read inside a savepoint when a concurrent insert wins
    # the partial unique constraint, so double clicks never show an error.
    with transaction.atomic():
        return Follow.objects.get_or_create(**lookup)
