"""Remove the metadata from images attached before uploads were cleaned. Run it once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from ideas.models import AttachmentKind, IdeaAttachment
from ideas.services import attachment_strip_metadata


class Command(BaseCommand):
    help = (
        "Store every attached image again without EXIF (GPS position, camera), XMP and "
        "comments, turned upright. Images already without metadata are left as they are."
    )

    def handle(self, *args, **options) -> None:
        cleaned = unreadable = 0
        attachments = IdeaAttachment.objects.filter(kind=AttachmentKind.IMAGE).order_by("pk")
        for attachment in attachments.iterator():
            try:
                changed = attachment_strip_metadata(attachment=attachment)
            except ValidationError:
                unreadable += 1
                self.stderr.write(
                    f"Attachment {attachment.pk} ({attachment.file.name}) could not be decoded."
                )
                continue
            cleaned += changed
        self.stdout.write(f"Images stored again without metadata: {cleaned}.")
        if unreadable:
            self.stderr.write(f"Images that could not be decoded: {unreadable} (see above).")
