"""Files attached to ideas: what is kept of an uploaded image, and how a file is sent.

An image is decoded, turned the way its EXIF orientation says, and encoded again with
none of its metadata (EXIF with the GPS position and camera, XMP, comments): a photo
taken at home must not tell everyone where home is. Only the ICC colour profile is
kept; it describes colours, not people or places. PDFs are stored as they came.
"""

from __future__ import annotations

import io
import os
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from ideas.models import AttachmentKind, IdeaAttachment

# Large enough for any phone or camera photo people attach to an idea (a 12 megapixel
# phone photo is 4032 × 3024), small enough that decoding one stays well inside a
# server process's memory (40 megapixels are 120 MB as RGB).
MAX_IMAGE_SIDE = 8000
MAX_IMAGE_PIXELS = 40_000_000

SENDFILE_HEADERS = ("X-Accel-Redirect", "X-Sendfile")

# What Pillow raises on a file it cannot decode, whatever its header promised.
_UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(name)s” has too many pixels. Images can be at most %(side)d pixels wide "
            "and high, and %(megapixels)d megapixels in all. Make the image smaller "
            "and choose it again."
        ),
        code="too_many_pixels",
        params={"name": name, "side": MAX_IMAGE_SIDE, "megapixels": MAX_IMAGE_PIXELS // 10**6},
    )


def _unreadable(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” could not be read as an image. Is the file damaged?"),
        code="broken_image",
        params={"name": name},
    )


def _check_dimensions(image: Image.Image, name: str) -> None:
    width, height = image.size
    if max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels(name)


def check_image(upload: UploadedFile, *, name: str) -> None:
    """Read an image's structure and size without decoding its pixels.

    Raises ValidationError if Pillow cannot read it, or if it has more pixels than we
    decode (Pillow reads the size from the header, so a tiny file announcing a huge
    image is refused before anything is decoded).
    """
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            _check_dimensions(image, name)
            image.verify()
    except Image.DecompressionBombError as bomb:
        raise _too_many_pixels(name) from bomb
    except _UNREADABLE as broken:
        raise _unreadable(name) from broken
    finally:
        upload.seek(0)


def image_without_metadata(upload: UploadedFile, *, name: str) -> ContentFile:
    """The image turned upright and encoded again without its metadata.

    The format stays what it was (JPEG, PNG or WebP); only the first frame of an
    animation is kept. A JPEG that needs no turning keeps its own quantisation tables,
    so it loses no quality. Raises ValidationError if the pixels cannot be decoded or
    there are too many of them.
    """
    upload.seek(0)
    try:
        with Image.open(upload) as source:
            _check_dimensions(source, name)
            image_format = source.format
            orientation = source.getexif().get(ExifTags.Base.Orientation, 1)
            options: dict = {}
            if image_format == "JPEG" and orientation in (0, 1):
                source.load()
                image = source
                options = {"quality": "keep", "subsampling": "keep"}
            else:
                image = ImageOps.exif_transpose(source)
                image.load()
            icc_profile = source.info.get("icc_profile")
            transparency = source.info.get("transparency")
            # Pillow copies some metadata from `info` when saving; nothing is to go.
            image.info = {}
            if icc_profile:
                options["icc_profile"] = icc_profile
            if image_format == "JPEG":
                options.setdefault("quality", 90)
            elif image_format == "PNG":
                if transparency is not None:
                    options["transparency"] = transparency
            elif image_format == "WEBP":
                options.update(quality=90, exif=b"", xmp=b"")
            buffer = io.BytesIO()
            image.save(buffer, format=image_format, **options)
    except Image.DecompressionBombError as bomb:
        raise _too_many_pixels(name) from bomb
    except _UNREADABLE as broken:
        raise _unreadable(name) from broken
    finally:
        upload.seek(0)
    return ContentFile(buffer.getvalue(), name=name)


def has_metadata(file) -> bool:
    """Whether a stored image still carries EXIF, XMP, a comment or PNG text."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            return bool(
                image.getexif()
                or {"exif", "xmp", "comment"} & image.info.keys()
                or getattr(image, "text", None)  # PNG tEXt/iTXt/zTXt chunks
            )
    except _UNREADABLE:
        return False
    finally:
        file.seek(0)


# --- Sending a file ----------------------------------------------------------------------


def file_response(attachment: IdeaAttachment, *, cache_control: str) -> HttpResponse:
    """The attachment's file, sent by Django or (PORTAL_SENDFILE_HEADER) the web server.

    Images are shown in the browser, PDFs are downloaded; the content type is fixed by
    what the upload was checked to be, and `nosniff` stops browsers from guessing
    another. Raises Http404 if the file is gone.
    """
    storage = attachment.file.storage
    name = attachment.file.name
    if not storage.exists(name):
        raise Http404
    as_attachment = attachment.kind != AttachmentKind.IMAGE
    header = settings.PORTAL_SENDFILE_HEADER
    if header is None:
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=as_attachment,
            filename=attachment.download_name,
            content_type=attachment.content_type,
        )
    else:
        response = HttpResponse(content_type=attachment.content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment, attachment.download_name
        )
        if header == "X-Accel-Redirect":
            # An internal nginx location that maps this prefix to the private folder.
            response[header] = settings.PORTAL_SENDFILE_PREFIX + quote(name)
        elif header == "X-Sendfile":
            response[header] = os.fsdecode(storage.path(name))
        else:
            raise ImproperlyConfigured(
                f"PORTAL_SENDFILE_HEADER must be one of {SENDFILE_HEADERS} or unset."
            )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response
