"""Images and PDFs attached to ideas, kept in private storage."""

from __future__ import annotations

import uuid

from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from ideas.models.ideas import Idea
from ideas.storage import private_attachment_storage


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF document")


ATTACHMENT_CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


def attachment_upload_to(instance: IdeaAttachment, filename: str) -> str:
    # The stored name is not the uploader's: it avoids collisions and leaks nothing.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"ideas/attachments/{uuid.uuid4().hex}.{extension}"


class IdeaAttachment(models.Model):
    """An image or PDF attached to an idea when it was submitted. Checked by content."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    # Not under MEDIA_ROOT: served only by ideas.views.detail.attachment_download (see storage).
    file = models.FileField(
        _("file"),
        upload_to=attachment_upload_to,
        storage=private_attachment_storage,
        max_length=200,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind)
    original_name = models.CharField(_("file name"), max_length=200)
    alt_text = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=AttachmentKind.IMAGE) | ~Q(alt_text=""),
                name="ideas_image_attachment_has_alt",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse(
            "ideas:attachment",
            kwargs={
                "reference": self.idea.reference,
                "attachment_id": self.pk,
                "filename": self.download_name,
            },
        )

    @property
    def download_name(self) -> str:
        """The uploader's file name, made safe for a URL and a Content-Disposition."""
        extension = self.file.name.rsplit(".", 1)[-1].lower()
        try:
            name = get_valid_filename(self.original_name)
        except SuspiciousFileOperation:  # nothing usable left of the name
            name = ""
        return name if name.lower().endswith(f".{extension}") else f"{name or 'file'}.{extension}"

    @property
    def content_type(self) -> str:
        # Decided by the stored name's extension, which the upload's content decided.
        extension = self.file.name.rsplit(".", 1)[-1].lower()
        return ATTACHMENT_CONTENT_TYPES.get(extension, "application/octet-stream")
