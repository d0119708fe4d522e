# ruff: noqa: F811 - pytest fixtures imported from test_services
"""Idea attachments: what is kept of an uploaded image, and who may download a file."""

from __future__ import annotations

import importlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import translation
from PIL import ExifTags, Image, PngImagePlugin

from ideas import services
from ideas.models import Idea, IdeaAttachment, IdeaStatus
from tests.factories import IdeaFactory, UnitFactory, UserFactory
from tests.ideas.test_services import (  # noqa: F401 - fixtures
    intake_unit,
    media_root,
    pdf_file,
    png_file,
    private_media_root,
    stored_files,
)
from tests.ideas.test_views import form_data
from tests.ideas.triage_helpers import admin_staff_of, staff_of

pytestmark = pytest.mark.django_db

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="59,54.5N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
GPS_OSLO = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (59.0, 54.0, 30.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (10.0, 45.0, 0.0),
}


def photo_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Fjordfon"
    exif[ExifTags.IFD.GPSInfo] = GPS_OSLO
    return exif


def sideways_photo(name: str = "foto.jpg") -> SimpleUploadedFile:
    """A phone photo stored sideways: 40×20 pixels, red left half, blue right half, with
    EXIF orientation 6 (turn 90° clockwise to show), a GPS position, XMP and a comment."""
    image = Image.new("RGB", (40, 20), "blue")
    image.paste("red", (0, 0, 20, 20))
    buffer = io.BytesIO()
    image.save(
        buffer, "JPEG", quality=95, exif=photo_exif(orientation=6), xmp=XMP, comment=b"Hjemme"
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def png_with_metadata(name: str = "kart.png") -> SimpleUploadedFile:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    info.add_text("Comment", "Tatt hjemme")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG", pnginfo=info, exif=photo_exif())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def webp_with_metadata(name: str = "skisse.webp") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "WEBP", exif=photo_exif(), xmp=XMP)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/webp")


def png_header_only(name: str, width: int, height: int) -> SimpleUploadedFile:
    """A well-formed PNG of a few dozen bytes that announces width × height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    content = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile(name, content, content_type="image/png")


def submit_with(*uploads: SimpleUploadedFile, **fields) -> Idea:
    return services.idea_submit(
        author=fields.pop("author", None) or UserFactory(),
        title="Benk ved fjorden",
        summary="Benk",
        description="Benk",
        attachments=[services.AttachmentUpload(upload, alt_text="Bilde") for upload in uploads],
        **fields,
    )


def download_url(attachment: IdeaAttachment) -> str:
    return attachment.get_absolute_url()


def downloaded_image(client, attachment: IdeaAttachment) -> tuple[Image.Image, bytes]:
    response = client.get(download_url(attachment))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return Image.open(io.BytesIO(content)), content


# --- What is kept of an image ------------------------------------------------------------


def test_a_photo_loses_its_location_and_is_turned_the_right_way_up(
    client, intake_unit, private_media_root
):
    idea = submit_with(sideways_photo())
    attachment = idea.attachments.get()

    image, content = downloaded_image(client, attachment)

    assert image.format == "JPEG"
    # Turned as the camera said: what was the left half is now on top.
    assert image.size == (20, 40)
    assert image.getpixel((10, 5))[0] > 200 and image.getpixel((10, 5))[2] < 60  # red
    assert image.getpixel((10, 35))[2] > 200 and image.getpixel((10, 35))[0] < 60  # blue
    # Nothing about where, with what or by whom it was taken is left.
    assert not image.getexif()
    assert "xmp" not in image.info and "comment" not in image.info
    assert b"xmpmeta" not in content and b"Fjordfon" not in content and b"Hjemme" not in content
    assert attachment.size == len(content)
    assert (private_media_root / attachment.file.name).read_bytes() == content


@pytest.mark.parametrize("upload", [png_with_metadata, webp_with_metadata])
def test_png_and_webp_images_lose_their_metadata(client, intake_unit, private_media_root, upload):
    idea = submit_with(upload())

    image, content = downloaded_image(client, idea.attachments.get())

    assert image.size == (8, 8)
    assert not image.getexif()
    assert "xmp" not in image.info
    assert b"xmpmeta" not in content and b"Fjordfon" not in content
    assert b"Tatt hjemme" not in content


def test_a_jpeg_without_rotation_keeps_its_quality(client, intake_unit, private_media_root):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "yellow").save(
        buffer, "JPEG", quality=60, exif=photo_exif(orientation=1)
    )
    original = Image.open(io.BytesIO(buffer.getvalue()))
    idea = submit_with(SimpleUploadedFile("gul.jpg", buffer.getvalue()))

    image, _content = downloaded_image(client, idea.attachments.get())

    # Re-encoded with the photo's own quantisation tables: no loss of quality, no growth.
    assert image.quantization == original.quantization
    assert not image.getexif()


# --- Images too large in pixels ----------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (20_000, 20_000),  # Pillow's own decompression-bomb limit: was a server error
        (13_000, 13_000),  # under Pillow's limit: was accepted and shown
        (9_000, 100),  # wider than any screen, though few pixels
    ],
)
def test_images_too_large_in_pixels_get_a_clear_form_error_and_keep_what_was_typed(
    citizen_client, intake_unit, media_root, width, height
):
    upload = png_header_only("kjempestor.png", width, height)
    assert upload.size < 100

    response = citizen_client.post(
        reverse("ideas:submit"), form_data(attachment_1=upload, alt_text_1="Et stort kart")
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "«kjempestor.png» har for mange piksler" in content
    assert "8000 piksler" in content and "40 megapiksler" in content
    assert "Mørk skolevei om vinteren." in content
    assert 'value="Et stort kart"' in content
    assert response.context["files_to_choose_again"] == ["kjempestor.png"]
    assert not Idea.objects.exists()
    assert not stored_files(media_root.parent)


def test_the_service_refuses_them_too(intake_unit, media_root):
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="“kart.png” has too many pixels"),
    ):
        submit_with(png_header_only("kart.png", 20_000, 20_000))
    assert not Idea.objects.exists()


def test_an_image_whose_pixels_cannot_be_read_is_refused_on_the_form(
    citizen_client, intake_unit, media_root
):
    # Its header is fine (so it passes the first look), its pixel data is missing.
    response = citizen_client.post(
        reverse("ideas:submit"),
        form_data(attachment_1=png_header_only("tom.png", 50, 50), alt_text_1="Tomt"),
    )

    assert response.status_code == 200
    assert "«tom.png» kunne ikke leses som et bilde" in response.content.decode()
    assert not Idea.objects.exists()
    assert not stored_files(media_root.parent)


# --- Who may download --------------------------------------------------------------------


def test_files_are_not_stored_where_the_web_server_serves_media(
    client, intake_unit, media_root, private_media_root
):
    idea = submit_with(png_file("kart.png"), pdf_file("plan.pdf"))
    page = client.get(idea.get_absolute_url()).content.decode()

    for attachment in idea.attachments.all():
        assert not stored_files(media_root)
        assert (private_media_root / attachment.file.name).exists()
        assert f'"{download_url(attachment)}"' in page
    assert "/media/" not in page


def test_a_public_idea_s_files_are_served_with_safe_headers(
    client, intake_unit, private_media_root
):
    idea = submit_with(png_file("kart over stien.png"), pdf_file("plan.pdf"))
    image, document = idea.attachments.order_by("pk")

    image_response = client.get(download_url(image))
    document_response = client.get(download_url(document))

    assert image_response.status_code == 200
    assert image_response["Content-Type"] == "image/png"
    assert image_response["Content-Disposition"].startswith("inline;")
    assert "kart_over_stien.png" in download_url(image)
    assert document_response["Content-Type"] == "application/pdf"
    assert document_response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    for response in (image_response, document_response):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]
    assert client.head(download_url(image)).status_code == 200  # download managers ask first
    # A PDF is served as it came.
    assert b"".join(document_response.streaming_content) == pdf_file().read()


def test_a_file_keeps_its_name_when_saved(client, intake_unit, private_media_root):
    attachment = submit_with(pdf_file("Plan for Sjøvegen.pdf")).attachments.get()

    response = client.get(download_url(attachment))

    assert download_url(attachment).endswith("/Plan_for_Sj%C3%B8vegen.pdf")
    assert response.status_code == 200
    assert "filename*=utf-8''Plan_for_Sj%C3%B8vegen.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("state", "who", "allowed"),
    [
        ("withdrawn", "anonymous", False),
        ("withdrawn", "citizen", False),
        ("withdrawn", "author", True),
        ("withdrawn", "unit_staff", True),
        ("withdrawn", "other_unit_staff", False),
        ("hidden", "anonymous", False),
        ("hidden", "citizen", False),
        ("hidden", "author", True),  # the author sees their hidden idea, and why it was hidden
        ("hidden", "unit_staff", True),
        ("hidden", "admin", True),
        ("merged", "anonymous", False),
        ("merged", "author", True),
    ],
)
def test_files_of_ideas_not_public_are_only_for_those_who_may_see_the_idea(
    client, intake_unit, private_media_root, state, who, allowed
):
    author = UserFactory()
    idea = submit_with(png_file(), author=author)
    attachment = idea.attachments.get()
    url = download_url(attachment)
    assert client.get(url).status_code == 200  # public for now

    if state == "withdrawn":
        Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.WITHDRAWN)
    elif state == "hidden":
        Idea.objects.filter(pk=idea.pk).update(is_hidden=True)
    else:
        Idea.objects.filter(pk=idea.pk).update(
            status=IdeaStatus.MERGED,
            merged_into=IdeaFactory(owning_unit=intake_unit, reference="2025-00001"),
        )
    viewer = {
        "anonymous": None,
        "citizen": UserFactory(),
        "author": author,
        "unit_staff": staff_of(intake_unit),
        "other_unit_staff": staff_of(UnitFactory()),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }[who]
    if viewer is not None:
        client.force_login(viewer)

    response = client.get(url)

    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert response["Cache-Control"] == "private, no-store"


def test_a_file_is_only_found_under_its_own_idea(client, intake_unit, private_media_root):
    first = submit_with(png_file())
    second = submit_with(png_file())
    attachment = first.attachments.get()

    response = client.get(
        reverse(
            "ideas:attachment",
            kwargs={
                "reference": second.reference,
                "attachment_id": attachment.pk,
                "filename": "bilde.png",
            },
        )
    )

    assert response.status_code == 404


def test_a_missing_file_is_not_found_not_an_error(client, intake_unit, private_media_root):
    attachment = submit_with(png_file()).attachments.get()
    (private_media_root / attachment.file.name).unlink()

    assert client.get(download_url(attachment)).status_code == 404


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_download_costs_few_queries(
    client, intake_unit, private_media_root, django_assert_max_num_queries, logged_in
):
    attachment = submit_with(png_file()).attachments.get()
    if logged_in:
        client.force_login(UserFactory())
    client.get(download_url(attachment))  # the site and its pages are cached on first use

    # The session and the user, then the idea and the file.
    with django_assert_max_num_queries(4 if logged_in else 2):
        response = client.get(download_url(attachment))

    assert response.status_code == 200


# --- Serving through the web server ------------------------------------------------------


def test_nginx_is_told_where_the_file_is(client, settings, intake_unit, private_media_root):
    settings.PORTAL_SENDFILE_HEADER = "X-Accel-Redirect"
    settings.PORTAL_SENDFILE_PREFIX = "/protected-media/"
    attachment = submit_with(png_file()).attachments.get()

    response = client.get(download_url(attachment))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{attachment.file.name}"
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b""


def test_apache_is_told_the_file_s_path(client, settings, intake_unit, private_media_root):
    settings.PORTAL_SENDFILE_HEADER = "X-Sendfile"
    attachment = submit_with(png_file()).attachments.get()

    response = client.get(download_url(attachment))

    assert response["X-Sendfile"] == str(private_media_root / attachment.file.name)
    assert response.content == b""


def test_the_checks_catch_a_private_folder_the_web_server_serves(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"

    with pytest.raises(SystemCheckError, match="ideas.E001"):
        call_command("check")


def test_the_checks_catch_an_unknown_sendfile_header(settings, tmp_path):
    settings.PORTAL_SENDFILE_HEADER = "X-Lighttpd-Send-File"

    with pytest.raises(SystemCheckError, match="ideas.E002"):
        call_command("check")


# --- Files uploaded before -----------------------------------------------------------------


def test_files_uploaded_before_are_moved_out_of_public_media(
    client, intake_unit, media_root, private_media_root
):
    idea = IdeaFactory(owning_unit=intake_unit)
    old_name = "ideas/attachments/0123456789abcdef.png"
    old_path = Path(media_root) / old_name
    old_path.parent.mkdir(parents=True)
    old_path.write_bytes(png_file().read())
    attachment = IdeaAttachment.objects.create(
        idea=idea, file=old_name, kind="image", original_name="kart.png", alt_text="Kart", size=1
    )
    migration = importlib.import_module("ideas.migrations.0004_attachments_private_storage")

    migration.move_to_private_storage(django_apps, schema_editor=None)
    migration.move_to_private_storage(django_apps, schema_editor=None)  # idempotent

    assert not old_path.exists()
    assert (private_media_root / old_name).read_bytes() == png_file().read()
    assert client.get(download_url(attachment)).status_code == 200


def test_images_uploaded_before_lose_their_metadata_once(
    client, intake_unit, private_media_root, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(owning_unit=intake_unit)
    photo = sideways_photo()
    attachment = IdeaAttachment.objects.create(
        idea=idea, file=photo, kind="image", original_name="foto.jpg", alt_text="Foto", size=1
    )
    document = IdeaAttachment.objects.create(
        idea=idea, file=pdf_file(), kind="pdf", original_name="skisse.pdf", size=1
    )
    old_path = private_media_root / attachment.file.name
    assert b"Fjordfon" in old_path.read_bytes()
    output = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("strip_attachment_metadata", stdout=output)
        call_command("strip_attachment_metadata", stdout=output)

    assert output.getvalue().splitlines() == [
        "Images stored again without metadata: 1.",
        "Images stored again without metadata: 0.",
    ]
    assert not old_path.exists()
    attachment.refresh_from_db()
    image, content = downloaded_image(client, attachment)
    assert image.size == (20, 40) and not image.getexif() and "xmp" not in image.info
    assert attachment.size == len(content)
    assert (private_media_root / document.file.name).read_bytes() == pdf_file().read()


def test_staff_see_the_files_on_the_triage_page_as_the_download_view_serves_them(
    client, intake_unit, private_media_root, django_assert_max_num_queries
):
    from django.urls import reverse

    idea = submit_with(png_file(), pdf_file())
    own_unit_staff = admin_staff_of(intake_unit)
    other_unit_staff = admin_staff_of(UnitFactory(name="Teknisk drift", slug="teknisk-drift"))
    page = reverse("ideas_triage:idea", args=[idea.pk])

    client.force_login(own_unit_staff)
    with django_assert_max_num_queries(40):
        html = client.get(page).content.decode()
    attachments = list(idea.attachments.order_by("pk"))
    assert 'alt="Bilde"' in html and "skisse.pdf" in html
    for attachment in attachments:
        assert download_url(attachment) in html
        assert client.get(download_url(attachment)).status_code == 200

    # A hidden idea's files are for its unit only: staff of other units may read the idea
    # in triage, but get no links the download view would refuse them.
    Idea.objects.filter(pk=idea.pk).update(is_hidden=True)
    client.force_login(other_unit_staff)
    html = client.get(page).content.decode()
    for attachment in attachments:
        assert download_url(attachment) not in html
        assert client.get(download_url(attachment)).status_code == 404
