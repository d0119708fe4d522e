"""Checking and storing the files attached to an idea."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy

from ideas.attachments import check_image, has_metadata, image_without_metadata
from ideas.models import (
    AttachmentKind,
    IdeaAttachment,
)

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
IMAGE_EXTENSIONS = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "webp": "webp"}


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
