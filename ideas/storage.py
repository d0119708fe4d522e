"""Where files attached to ideas are kept: a folder no web server serves directly.

Everything under MEDIA_ROOT is public (the web server serves MEDIA_URL to anyone). An
idea's files must disappear with the idea when it is withdrawn or hidden, so they live
under PORTAL_PRIVATE_MEDIA_ROOT and are only sent by `ideas.views.detail.attachment_download`,
which checks first that the idea may be seen.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="ideas.storage.PrivateAttachmentStorage")
class PrivateAttachmentStorage(FileSystemStorage):
    """FileSystemStorage rooted at PORTAL_PRIVATE_MEDIA_ROOT, with no public URL."""

    def __init__(self) -> None:
        # The folder is read from settings when first used (and again when a test
        # changes it), so the migration that names this storage holds no path.
        super().__init__()

    @cached_property
    def base_location(self):
        return settings.PORTAL_PRIVATE_MEDIA_ROOT

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PORTAL_PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        # A URL here would point into MEDIA_URL, where these files are not (and must
        # not be); the download view's address is IdeaAttachment.get_absolute_url().
        raise NotImplementedError("Idea attachments have no public URL; use get_absolute_url().")


private_attachment_storage = PrivateAttachmentStorage()
