"""Submitting and editing ideas: references, tags, attachments, routing.

Status changes (withdrawing included) go through `ideas.actions.idea_transition`.
Every function here is keyword-only, runs in one transaction and queues its side
effects (search index, e-mail) on commit.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from functools import reduce

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.models import ChallengePage, Theme
from challenges.selectors import can_see_challenge
from ideas import permissions
from ideas.events import record_event
from ideas.models import (
    Idea,
    IdeaAttachment,
    IdeaEvent,
    IdeaKind,
    IdeaStatus,
    IdeaTag,
    ReferenceCounter,
    TaggedIdea,
)
from ideas.routing import idea_municipality_id, resolve_unit
from ideas.services.attachments import AttachmentUpload, validate_attachments
from ideas.tags import normalise_tags
from ideas.tasks import queue_new_idea_notifications
from portal import invalidation
from portal.models import Municipality, Organisation, User


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


def _reference_sql(number: str) -> str:
    """SQL formatting the number column `number` as a reference's digits: at least five,
    zero-padded (as f"{n:05d}" does)."""
    if connection.vendor == "postgresql":
        # lpad cuts longer strings: a six-digit number must not lose its last digit.
        return (
            f"CASE WHEN {number} < 100000 THEN lpad({number}::text, 5, '0') ELSE {number}::text END"
        )
    return f"printf('%%05d', {number})"


def _draw_reference(year: int) -> tuple[str, bool]:
    """The year's next `<year>-<5 digits>` and whether an idea already has it; call
    inside a transaction.

    One statement counts up (creating the year's counter if needed), leaves the counter
    row locked until the transaction ends, so two submissions can never draw the same
    number (on SQLite the write lock serialises them anyway), and says whether an idea
    made outside `idea_submit` (an import, a test factory) holds the number already.
    """
    counter = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    ideas = connection.ops.quote_name(Idea._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {counter} (year, last_number) VALUES (%s, 1) "
            f"ON CONFLICT (year) DO UPDATE SET last_number = {counter}.last_number + 1 "
            f"RETURNING last_number, EXISTS (SELECT 1 FROM {ideas} "
            f"WHERE reference = %s || {_reference_sql('last_number')})",
            [year, f"{year}-"],
        )
        number, taken = cursor.fetchone()
    return f"{year}-{number:05d}", bool(taken)


def _insert_with_reference(idea: Idea) -> None:
    """Save a new idea under a fresh reference, skipping numbers already taken.

    Each draw checks that its number is free in the same statement, so the insert
    cannot collide with an earlier idea and needs no savepoint to recover from: a
    submission costs one statement for its reference.
    """
    year = timezone.localdate().year
    for _attempt in range(50):
        idea.reference, taken = _draw_reference(year)
        if not taken:
            idea.save(force_insert=True)
            return
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
    municipality: Municipality | None = None,
) -> Idea:
    """Create an idea or proposal, route it, record it, and tell those who need to know.

    Preconditions: the author is active; a proposal names one of the author's
    organisations; a challenge, if given, accepts ideas today; attachments pass
    `validate_attachments`; a free idea names its (active) municipality when several
    take part (`ideas.routing.idea_municipality`; an idea answering a challenge
    belongs to the challenge's). Raises ValidationError otherwise, with nothing saved.
    On commit: the idea is indexed for search, the owning unit is e-mailed, and so is
    everyone who follows the challenge.
    """
    if not author.is_active:
        raise PermissionDenied(_("Your account is not active."))
    organisation = _submitting_organisation(author, kind, organisation)
    if challenge is not None:
        _check_challenge_open_to(author, challenge)
        theme = theme or challenge.theme
    municipality_id = idea_municipality_id(challenge=challenge, chosen=municipality)
    prepared = validate_attachments(attachments)
    tag_names = normalise_tags(tags)

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
            "municipality_id": municipality_id,
        },
        tag_names=tag_names,
        attachments=list(zip(attachments, prepared, strict=True)),
    )


def _submitting_organisation(
    author: User, kind: str, organisation: Organisation | None
) -> Organisation | None:
    """The organisation a proposal is from (one of the author's); None for an idea."""
    if kind != IdeaKind.PROPOSAL:
        return None  # an idea from a person is never on an organisation's behalf
    if organisation is None:
        raise ValidationError({"organisation": _("Choose the organisation the proposal is from.")})
    if not organisation.members.filter(pk=author.pk).exists():
        raise ValidationError(
            {"organisation": _("You can only submit proposals for your own organisations.")}
        )
    return organisation


def _check_challenge_open_to(author: User, challenge: ChallengePage) -> None:
    """A challenge accepts this author's idea: it is live, open today, and one they may
    see (a restricted challenge is answered only by those let in)."""
    if (
        not challenge.live
        or not challenge.accepts_ideas
        or not can_see_challenge(author, challenge)
    ):
        raise ValidationError(
            {"challenge": _("“%(title)s” does not accept ideas now.") % {"title": challenge.title}}
        )


def _create_idea(
    *,
    author: User,
    fields: dict,
    tag_names: list[str],
    attachments: list[tuple[AttachmentUpload, tuple[str, File]]],
) -> Idea:
    """The writes of `idea_submit`, in one transaction (see `_insert_with_reference`).

    Files are written to storage as their rows are created; a rolled-back transaction
    does not take them back, so they are deleted here if it fails.
    """
    stored: list[IdeaAttachment] = []
    try:
        return _create_idea_rows(
            author=author,
            fields=fields,
            tag_names=tag_names,
            attachments=attachments,
            stored=stored,
        )
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise


def _create_idea_rows(
    *,
    author: User,
    fields: dict,
    tag_names: list[str],
    attachments: list[tuple[AttachmentUpload, tuple[str, File]]],
    stored: list[IdeaAttachment],
) -> Idea:
    # Inside a caller's transaction (the view's rate limit counts the idea in the same
    # one), no savepoint: nothing here is retried after an error, so a failure may
    # as well fail the caller's transaction, which then rolls back as a whole. Two
    # statements fewer on every submission.
    with transaction.atomic(savepoint=False):
        idea = Idea(author=author, status=IdeaStatus.SUBMITTED, **fields)
        tag_objects = _tags_for(tag_names)
        idea.owning_unit = resolve_unit(idea, tag_ids=[tag.pk for tag in tag_objects])
        _insert_with_reference(idea)
        # A new idea has no tags yet: nothing to compare with or remove.
        TaggedIdea.objects.bulk_create(
            [TaggedIdea(content_object=idea, tag=tag) for tag in tag_objects]
        )
        for attachment, (attachment_kind_, content) in attachments:
            row = IdeaAttachment(
                idea=idea,
                kind=attachment_kind_,
                original_name=(attachment.file.name or "")[:200],
                alt_text=attachment.alt_text.strip() if attachment_kind_ == "image" else "",
                size=content.size or 0,
            )
            row.file.save(content.name, content, save=False)
            stored.append(row)
            row.save()
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
