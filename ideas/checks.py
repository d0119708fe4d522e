"""System checks for what an operator configures about idea attachments."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register

from ideas.attachments import SENDFILE_HEADERS


@register()
def check_attachment_settings(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    private = Path(settings.PORTAL_PRIVATE_MEDIA_ROOT).resolve()
    public = Path(settings.MEDIA_ROOT).resolve()
    if private == public or public in private.parents:
        errors.append(
            Error(
                "PORTAL_PRIVATE_MEDIA_ROOT is inside MEDIA_ROOT, which the web server "
                "serves to anyone: attachments of withdrawn and hidden ideas would stay "
                "downloadable.",
                hint="Choose a folder outside MEDIA_ROOT, e.g. var/private-media.",
                id="ideas.E001",
            )
        )
    header = settings.PORTAL_SENDFILE_HEADER
    if header is not None and header not in SENDFILE_HEADERS:
        errors.append(
            Error(
                f"PORTAL_SENDFILE_HEADER is {header!r}.",
                hint=f"Use one of {', '.join(SENDFILE_HEADERS)}, or leave it unset.",
                id="ideas.E002",
            )
        )
    return errors
