"""Lighthouse's SEO and Best Practices scores are 100 on the pages it is usually run on.

The real Lighthouse (npm `lighthouse`, pinned in package.json) drives Debian's Chromium
against the test suite's live server, once for each of the five pages: home, the idea
list, an idea page, a challenge page and search. Every public page shares the head,
header and footer these pages use, so a regression there shows up here.

The live server is on plain HTTP at localhost, which Lighthouse treats as a secure
origin, as browsers do: the HTTPS audits pass here as they do behind the production
proxy's TLS.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from cms.models import HomePage, HomePageFeaturedChallenge
from ideas import comment_services, services
from tests.browser.test_ideas import intake  # noqa: F401 - fixture
from tests.factories import UserFactory, create_challenge

# `make install` (npm ci) puts it here; LIGHTHOUSE_BIN points elsewhere (a local copy).
LIGHTHOUSE_BIN = Path(
    os.environ.get("LIGHTHOUSE_BIN")
    or Path(settings.BASE_DIR) / "node_modules" / ".bin" / "lighthouse"
)
CATEGORIES = ("seo", "best-practices")


def chromium() -> str:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Lighthouse drives Debian's Chromium (`make test` installs it when run as root; "
            "else `apt-get install chromium`)."
        )
    return executable


def lighthouse_command() -> list[str]:
    """How to run Lighthouse, or a failure that says what is missing."""
    if not LIGHTHOUSE_BIN.exists():
        pytest.fail(f"No Lighthouse at {LIGHTHOUSE_BIN}: run `make install` (npm ci).")
    return [
        str(LIGHTHOUSE_BIN),
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        # Only the HTML report shows the screenshot; it costs seconds a page.
        "--disable-full-page-screenshot",
        # As the Playwright tests launch it (tests/browser/conftest.py): no sandbox in a
        # container, no GPU, no shared memory, and no calls home.
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
        " --disable-background-networking --disable-component-update --disable-sync"
        " --no-first-run",
    ]


def lighthouse_report(command: list[str], url: str) -> dict:
    """Lighthouse's report on one page (a fresh Chromium each time: nothing carries over)."""
    try:
        result = subprocess.run(
            [*command, url],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "CHROME_PATH": chromium()},
            # Not a time limit on the page: a guard against a browser that never returns.
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"Lighthouse did not finish on {url}")
    if result.returncode != 0:
        pytest.fail(f"Lighthouse failed on {url} (exit {result.returncode}):\n{result.stderr}")
    report = json.loads(result.stdout)
    if report.get("runtimeError"):
        pytest.fail(f"Lighthouse could not audit {url}: {report['runtimeError']}")
    # Audited where it was sent, not on a page it was redirected to (a log-in form).
    assert report["finalDisplayedUrl"] == url
    return report


def failing_audits(report: dict) -> list[str]:
    """The audits that keep a category under 100: "category: id (title): what was found"."""
    lines = []
    for name in CATEGORIES:
        category = report["categories"][name]
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                details = audit.get("details", {}).get("items", [])
                lines.append(
                    f"{name}: {audit['id']} ({audit['title']})"
                    + (f": {json.dumps(details, ensure_ascii=False)[:400]}" if details else "")
                )
    return lines


def photo(name: str, size: tuple[int, int]) -> SimpleUploadedFile:
    """A camera-sized picture: Lighthouse checks images are sharp enough for the screen."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, "teal").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_seo_and_best_practices_score_100_on_the_audited_pages(
    base: str,
    settings,
    tmp_path,
    intake,  # noqa: F811
):
    from wagtail.images.models import Image

    command = lighthouse_command()
    # As in production: the public address is where the pages are served, so the
    # canonical links point at the page Lighthouse is looking at.
    settings.PORTAL_BASE_URL = base
    settings.MEDIA_ROOT = tmp_path / "public"
    settings.PORTAL_PRIVATE_MEDIA_ROOT = tmp_path / "private"

    hero = Image.objects.create(title="Eldre på benk", file=photo("benk.jpg", (1600, 900)))
    challenge = create_challenge(
        title="Ensomhet blant eldre", hero_image=hero, hero_image_alt="To eldre på en benk"
    )
    author, reader = UserFactory(display_name="Kari"), UserFactory(display_name="Ola")
    idea = services.idea_submit(
        author=author,
        title="Møteplass på biblioteket",
        summary="Et fast sted å møtes.",
        description="Kaffe og **aviser** hver tirsdag.\n\n- tirsdager\n- klokka 12",
        challenge=challenge,
        tags=["kaffe", "eldre"],
        attachments=[
            services.AttachmentUpload(
                photo("bibliotek.jpg", (1600, 1200)), alt_text="Lesesalen på biblioteket"
            )
        ],
    )
    comment_services.comment_post(idea=idea, author=reader, text="Godt forslag!")
    services.vote_cast(idea=idea, voter=reader)

    HomePageFeaturedChallenge.objects.create(home=HomePage.objects.get(), challenge=challenge)

    pages = {
        "/": "home",
        "/ideas/": "idea list",
        idea.get_absolute_url(): "idea page",
        challenge.url: "challenge page",
        # Without a query: robots.txt keeps crawlers out of every search with one, and
        # Lighthouse would rightly say such a page cannot be indexed.
        "/search/": "search",
    }
    failures = []
    for path, name in pages.items():
        report = lighthouse_report(command, base + path)
        scores = {category: report["categories"][category]["score"] for category in CATEGORIES}
        if scores != dict.fromkeys(CATEGORIES, 1):
            failures.append(f"{name} ({path}): {scores}\n  " + "\n  ".join(failing_audits(report)))
        if path in (idea.get_absolute_url(), challenge.url):
            # The picture audits looked at a picture, not at a page without one.
            assert report["audits"]["image-alt"]["scoreDisplayMode"] == "binary", name

    if failures:
        pytest.fail("Lighthouse scores under 100:\n" + "\n".join(failures), pytrace=False)
