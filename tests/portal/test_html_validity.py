"""Valid HTML: the Nu Html Checker finds no error on any page type, in both languages.

Every page type is rendered once, with content that exercises its parts (comments, an
answer, attachments, form errors, search results and none), written to files and checked
in one run of vnu.jar: one Java start for the whole module. The checker is npm's
`vnu-jar` (pinned in package.json) run by Debian's Java (`make test` installs it).
"""

from __future__ import annotations

import datetime
import io
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template import Context, Template
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import translation
from PIL import Image

from challenges.models import ChallengePage
from cms.models import HomePage, HomePageFeaturedChallenge, StandardPage
from cms.site import ensure_site
from ideas import actions, comment_services, services
from ideas.models import IdeaStatus
from tests.factories import (
    ThemeFactory,
    UnitFactory,
    UserFactory,
    challenge_index,
    create_challenge,
)
from tests.ideas.triage_helpers import admin_staff_of

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# One short run: the JIT's first tier alone halves the CPU time, and needs a larger stack
# than the default for the checker's schema (it says so and stops otherwise).
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-Xss8m"]

# A page the checker must find fault with; if it does not, the checker did not run.
CANARY = "canary-invalid"
CANARY_HTML = "<!DOCTYPE html><html lang=nb><title>x</title><p><div></span></html>"

PUBLIC_PAGES = [
    "home",
    "standard-page",
    "challenge-index",
    "challenge-index-filtered",
    "challenge-page",
    "idea-list",
    "idea-list-filtered",
    "idea-page",
    "idea-page-logged-in",
    "idea-page-implemented",
    "idea-edit",
    "comment-reply",
    "comment-with-errors",
    "submit-form",
    "submit-form-with-errors",
    "search-with-results",
    "search-without-results",
    "my-page",
    "profile",
    "login",
    "login-with-errors",
    "signup",
    "signup-with-errors",
    "password-reset",
    "error-403",
    "error-404",
    "error-500",
]
STAFF_PAGES = ["triage-queue", "triage-idea", "triage-rule-test"]
PAGES = [*PUBLIC_PAGES, *[f"en-{name}" for name in PUBLIC_PAGES], *STAFF_PAGES]


@dataclass(frozen=True)
class HtmlError:
    line: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        extract = " ".join(self.extract.split())
        return f"  line {self.line}: {self.message}\n      {extract[:160]}"


def vnu_command() -> list[str]:
    """How to run the checker, or a failure that says what is missing."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "The HTML validity tests need Java: `make test` installs Debian's "
            "default-jre-headless when run as root; else `apt-get install default-jre-headless`."
        )
    if not VNU_JAR.exists():
        pytest.fail(f"No Nu Html Checker at {VNU_JAR}: run `make install` (npm ci).")
    return [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


def run_vnu(command: list[str], pages: dict[str, str]) -> dict[str, list[HtmlError]]:
    """Check every page in one run of the Nu Html Checker; errors by page name."""
    with tempfile.TemporaryDirectory(prefix="vnu-") as tmp:
        files = []
        for name, html in {**pages, CANARY: CANARY_HTML}.items():
            path = Path(tmp) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
        result = subprocess.run(
            command + files,
            capture_output=True,
            text=True,
            check=False,
        )
    # The checker writes its report to stderr and exits 1 when it found errors.
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"The Nu Html Checker failed (exit {result.returncode}):\n{result.stderr}")
    errors: dict[str, list[HtmlError]] = {name: [] for name in [*pages, CANARY]}
    for message in report["messages"]:
        if message["type"] == "non-document-error":  # e.g. a file it could not read
            pytest.fail(f"The Nu Html Checker could not check the pages: {message}")
        if message["type"] != "error":
            continue
        # "url" is the file's address, e.g. "file:/tmp/vnu-x/idea-page.html".
        name = PurePosixPath(urlparse(message.get("url", "")).path).stem
        errors.setdefault(name, []).append(
            HtmlError(message.get("lastLine"), message["message"], message.get("extract", ""))
        )
    assert errors[CANARY], f"The checker found nothing wrong with {CANARY_HTML!r}: {report}"
    return errors


def png_image() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("kart.png", buffer.getvalue(), content_type="image/png")


def render_pages() -> dict[str, str]:
    """Every page type, with content in it, as the server sends it."""
    # Browser tests empty the tables; the page tree is needed here.
    ensure_site()
    with TestCase.captureOnCommitCallbacks(execute=True):
        UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG, name="Strategi og utvikling")
        unit = UnitFactory(name="Helse og omsorg", slug="helse-og-omsorg")
        theme = ThemeFactory(name="God kvalitet", slug="god-kvalitet")
        staff = admin_staff_of(unit, display_name="Siri Aasen")
        author = UserFactory(display_name="Kari Nordmann")
        reader = UserFactory(display_name="Ola Hansen")
        challenge = create_challenge(
            title="Ensomhet blant eldre", owning_unit=unit, theme=theme, contact_person=staff
        )
        home = HomePage.objects.get()
        HomePageFeaturedChallenge.objects.create(home=home, challenge=challenge)
        standard = StandardPage(title="Slik fungerer det", slug="slik-fungerer-det")
        home.add_child(instance=standard)
        standard.save_revision().publish()

        idea = services.idea_submit(
            author=author,
            title="Nabolagskaffe på frivilligsentralen",
            summary="Kaffe og prat hver torsdag for eldre som bor alene.",
            description="Vi inviterer til **kaffe**.\n\n- torsdager\n- klokka 12",
            challenge=challenge,
            theme=theme,
            tags=["kaffe", "eldre"],
            location="Frivilligsentralen",
            attachments=[services.AttachmentUpload(png_image(), alt_text="Kart over sentralen")],
        )
        actions.idea_transition(idea=idea, to=IdeaStatus.IN_REVIEW, by=staff)
        actions.idea_answer(idea=idea, by=staff, text="Takk! Vi ser på det.")
        first = comment_services.comment_post(idea=idea, author=reader, text="Godt forslag!")
        comment_services.comment_post(idea=idea, author=staff, text="Enig.", parent=first)
        services.vote_cast(idea=idea, voter=reader)

        implemented = services.idea_submit(
            author=author,
            title="Kaffebuss",
            summary="En buss som kjører eldre til kaffen.",
            description="Bussen henter og bringer.",
            challenge=challenge,
        )
        actions.idea_transition(idea=implemented, to=IdeaStatus.IN_REVIEW, by=staff)
        actions.idea_transition(idea=implemented, to=IdeaStatus.ACCEPTED, by=staff)
        actions.idea_transition(
            idea=implemented, to=IdeaStatus.IMPLEMENTED, by=staff, public_reason="Bussen går."
        )
        editable = services.idea_submit(
            author=author, title="Benk ved fjorden", summary="En benk.", description="Benk."
        )
        assert ChallengePage.objects.live().count() == 1

    anonymous, as_author, as_reader, as_staff = Client(), Client(), Client(), Client()
    as_author.force_login(author)
    as_reader.force_login(reader)
    as_staff.force_login(staff)
    failing = Client(raise_request_exception=False)
    idea_url = idea.get_absolute_url()
    index_url = challenge_index().url
    reply_url = reverse("ideas:comment_reply", kwargs={"comment_id": first.pk})
    comment_url = reverse("ideas:comment_post", kwargs={"reference": idea.reference})

    # name: (client, path, POST data or None for a GET, expected status)
    public: dict[str, tuple[Client, str, dict | None, int]] = {
        "home": (anonymous, "/", None, 200),
        "standard-page": (anonymous, standard.url, None, 200),
        "challenge-index": (anonymous, index_url, None, 200),
        "challenge-index-filtered": (
            anonymous,
            f"{index_url}?status=open&theme=god-kvalitet&theme=finnes-ikke",
            None,
            200,
        ),
        "challenge-page": (as_reader, challenge.url, None, 200),
        "idea-list": (anonymous, "/ideas/", None, 200),
        "idea-list-filtered": (
            anonymous,
            "/ideas/?status=in_review&theme=god-kvalitet&tag=kaffe&unit=finnes-ikke",
            None,
            200,
        ),
        "idea-page": (anonymous, idea_url, None, 200),
        "idea-page-logged-in": (as_reader, idea_url, None, 200),
        "idea-page-implemented": (as_author, implemented.get_absolute_url(), None, 200),
        "idea-edit": (as_author, f"{editable.get_absolute_url()}edit/", None, 200),
        "comment-reply": (as_reader, reply_url, None, 200),
        "comment-with-errors": (as_reader, comment_url, {"comment": ""}, 400),
        "submit-form": (as_author, "/ideas/new/", None, 200),
        "submit-form-with-errors": (as_author, "/ideas/new/", {"title": "x"}, 200),
        "search-with-results": (anonymous, "/search/?q=kaffe", None, 200),
        "search-without-results": (anonymous, "/search/?q=xylofon", None, 200),
        "my-page": (as_author, "/ideas/mine/", None, 200),
        "profile": (as_author, "/accounts/profile/", None, 200),
        "login": (anonymous, "/accounts/login/", None, 200),
        "login-with-errors": (anonymous, "/accounts/login/", {"username": "x"}, 200),
        "signup": (anonymous, "/accounts/signup/", None, 200),
        "signup-with-errors": (anonymous, "/accounts/signup/", {"email": "x"}, 200),
        "password-reset": (anonymous, "/accounts/password/reset/", None, 200),
        "error-403": (as_reader, f"{idea_url}edit/", None, 403),
        "error-404": (anonymous, "/finnes-ikke/", None, 404),
        "error-500": (failing, "/feil-til-test/", None, 500),
    }
    requests = {
        **public,
        **{f"en-{name}": (c, f"/en{path}", data, s) for name, (c, path, data, s) in public.items()},
        "triage-queue": (as_staff, reverse("ideas_triage:queue"), None, 200),
        "triage-idea": (as_staff, reverse("ideas_triage:idea", args=[idea.pk]), None, 200),
        "triage-rule-test": (
            as_staff,
            reverse("ideas_triage:rule_test") + f"?challenge={challenge.pk}&theme={theme.pk}",
            None,
            200,
        ),
    }
    pages = {}
    for name, (client, path, data, status) in requests.items():
        response = client.get(path) if data is None else client.post(path, data)
        assert response.status_code == status, (name, path, response.status_code)
        pages[name] = response.content.decode()
    # The parts worth checking are there: comments, results, the error summary.
    for name, part in {
        "home": challenge.title,
        "idea-page": "Godt forslag!",
        "idea-page-logged-in": 'name="comment"',
        "idea-page-implemented": "Bussen går.",
        "search-with-results": idea.title,
        "submit-form-with-errors": 'id="error-summary"',
        "login-with-errors": 'id="error-summary"',
        "signup-with-errors": 'id="error-summary"',
        "triage-queue": idea.title,
        "triage-idea": "Kart over sentralen",
    }.items():
        assert part in pages[name] and part in pages.get(f"en-{name}", part), (name, part)
    return pages


@pytest.fixture(scope="module")
def html_errors(django_db_setup, django_db_blocker) -> dict[str, list[HtmlError]]:
    """Render every page in a transaction that is rolled back, then check them all at once."""
    command = vnu_command()
    with (
        tempfile.TemporaryDirectory(prefix="vnu-media-") as media,
        django_db_blocker.unblock(),
        override_settings(
            ROOT_URLCONF="tests.portal.error_urls",
            PORTAL_PRIVATE_MEDIA_ROOT=Path(media) / "private",
            MEDIA_ROOT=Path(media) / "public",
        ),
        transaction.atomic(),
    ):
        for alias in ("default", "local"):
            caches[alias].clear()
        try:
            pages = render_pages()
        finally:
            transaction.set_rollback(True)
            for alias in ("default", "local"):
                caches[alias].clear()
            translation.activate(settings.LANGUAGE_CODE)
    return run_vnu(command, pages)


# The marker makes pytest-django create the test database the module fixture uses.
@pytest.mark.django_db
@pytest.mark.parametrize("page_name", PAGES)
def test_page_is_valid_html(html_errors, page_name):
    assert page_name in html_errors, f"{page_name} was not rendered"
    errors = html_errors[page_name]
    if errors:
        pytest.fail(
            f"The Nu Html Checker found {len(errors)} error(s) on {page_name}:\n"
            + "\n".join(str(error) for error in errors),
            pytrace=False,
        )


def test_datetime_attributes_are_in_local_time_to_the_second():
    """`|date:"c"` gave microseconds, which HTML does not allow in a `datetime` value."""
    template = Template("{% load portal_tags %}{{ when|iso_datetime }} {{ day|iso_datetime }}")
    when = datetime.datetime(2026, 11, 8, 13, 5, 9, 310754, tzinfo=datetime.UTC)

    rendered = template.render(Context({"when": when, "day": datetime.date(2026, 11, 8)}))

    assert rendered == "2026-11-08T14:05:09+01:00 2026-11-08"  # Europe/Oslo in November
