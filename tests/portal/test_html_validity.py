"""Valid HTML: the Nu Html Checker finds no error on any page type, in both languages.

Every page type is rendered once, with content that exercises its parts (comments, an
answer, attachments, form errors, search results and none; built in tests/pages.py, which
the axe test shares), written to files and checked in one run of vnu.jar: one Java start
for the whole module. The checker is npm's `vnu-jar` (pinned in package.json) run by
Debian's Java (`make test` installs it).
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.template import Context, Template
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from tests import pages

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
    "challenge-page-concluded",
    "idea-list",
    "idea-list-filtered",
    "idea-list-page-2",
    "idea-page",
    "idea-page-logged-in",
    "idea-page-own",
    "idea-page-implemented",
    "idea-page-in-project",
    "project-page",
    "gains-page",
    "showcase-page",
    "solution-library",
    "solution-library-filtered",
    "solution-page",
    "idea-edit",
    "comment-reply",
    "comment-with-errors",
    "submit-form",
    "submit-form-with-errors",
    "search-with-results",
    "search-without-results",
    "search-did-you-mean",
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
    "cocreation-process",
    "cocreation-meeting",
    "cocreation-meeting-with-errors",
    "cocreation-input",
    "cocreation-input-with-errors",
    "cocreation-registration-cancel",
    "cocreation-receipt",
    "cocreation-receipt-idea",
    "cocreation-receipt-hidden",
]
STAFF_PAGES = [
    "triage-queue",
    "triage-idea",
    "triage-rule-test",
    "cocreation-index",
    "cocreation-process-screen",
    "cocreation-meeting-screen",
    "cocreation-fast-input",
    "cocreation-import",
    "cocreation-inputs-screen",
    "cocreation-idea-from-inputs",
    "cocreation-input-answer",
    "cocreation-summaries",
    "cocreation-moderate",
    "project-list",
    "project-start",
    "project-staff-page",
    "gain-plan",
    "gain-staff-page",
    "solution-list",
    "solution-create",
    "solution-staff-page",
    "solution-adopt",
]
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


def render_pages() -> dict[str, str]:
    """Every page type, with content in it, as the server sends it."""
    site = pages.build_site()
    clients = {pages.ANONYMOUS: Client()}
    for role, user in site.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    comment_url = reverse("ideas:comment_post", kwargs={"reference": site.idea.reference})
    public = {
        **pages.public_visits(site),
        # Only here: a fragment htmx swaps in, and the error page (tests.portal.error_urls).
        "comment-with-errors": pages.Visit(
            comment_url, pages.READER, post={"comment": ""}, status=400
        ),
        "error-500": pages.Visit("/feil-til-test/", status=500),
    }
    visits = {
        **public,
        **{f"en-{name}": replace(visit, path=f"/en{visit.path}") for name, visit in public.items()},
        **{name: pages.staff_visits(site)[name] for name in STAFF_PAGES},
    }
    failing = Client(raise_request_exception=False)
    rendered = {}
    for name, visit in visits.items():
        client = failing if name.endswith("error-500") else clients[visit.role]
        if visit.post is None:
            response = client.get(visit.path)
        else:
            response = client.post(visit.path, visit.post)
        assert response.status_code == visit.status, (name, visit.path, response.status_code)
        rendered[name] = response.content.decode()
        # The parts worth checking are there: comments, results, the error summary.
        assert visit.shows in rendered[name], (name, visit.shows)
    return rendered


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
            rendered = render_pages()
        finally:
            transaction.set_rollback(True)
            for alias in ("default", "local"):
                caches[alias].clear()
            translation.activate(settings.LANGUAGE_CODE)
    return run_vnu(command, rendered)


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
