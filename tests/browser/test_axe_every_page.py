"""axe finds no serious or critical problem on any page, in Bokmål and English, staff too.

One live server and one set of content for the whole module: the pages are visited and
checked once, in a module fixture (browser tests empty the tables after each test, so
the content could not outlive a test), and each page type is then its own test that
names the page and the rules. Every <details> is opened first so that what sits behind
a disclosure (filters, reply and edit forms, the triage actions) is checked as well.
Bokmål pages are seen on a 390 px phone, English ones on a desktop.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError
from wagtail.users.models import UserProfile

from search.backends import get_database_backend
from tests import pages
from tests.browser.conftest import AWAIT_ANIMATIONS, AXE_SCRIPT

PUBLIC = [
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
STAFF = [
    "admin-dashboard",
    "triage-queue",
    "triage-queue-filtered",
    "triage-idea",
    "triage-rule-test",
    "routing-rules",
    "routing-rule-new",
    "idea-tags",
    "page-tags",
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
    "project-phases",
    "gain-plan",
    "gain-staff-page",
    "solution-list",
    "solution-create",
    "solution-staff-page",
    "solution-adopt",
]
LANGUAGES = {"nb": "", "en": "/en"}
# Each layout is seen once without doubling the visits: Bokmål on a phone, English on a
# desktop (the narrow layout hides the filters behind a disclosure and stacks columns).
VIEWPORTS = {"nb": {"width": 390, "height": 844}, "en": {"width": 1280, "height": 800}}
PAGES = [f"{lang}:{name}" for lang in LANGUAGES for name in [*PUBLIC, *STAFF]]

# Wagtail's own markup that we cannot change: (rule, selector) pairs axe may report on
# the admin screens. Each names where in Wagtail it comes from.
WAGTAIL_EXCEPTIONS: set[tuple[str, str]] = set()

# Post a form as the browser would, without the browser's own checks of required fields:
# the server's error messages are what is being looked at.
POST_FORM = """(fields) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = location.pathname;
    const add = (name, value) => {
        const input = document.createElement('input');
        input.type = 'hidden'; input.name = name; input.value = value;
        form.append(input);
    };
    add('csrfmiddlewaretoken', document.querySelector('[name=csrfmiddlewaretoken]').value);
    for (const [name, value] of Object.entries(fields)) add(name, value);
    document.body.append(form);
    form.submit();
}"""

RUN_AXE = """async () => {
    document.querySelectorAll('details').forEach((d) => { d.open = true; });
    const result = await axe.run(document, {
        runOnly: {type: 'tag',
                  values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
    });
    return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                      targets: v.nodes.map((n) => n.target.join(' '))}));
}"""


def session_cookie(user, base: str) -> dict:
    """Log in as Django's test client does, and hand the session to the browser."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base,
    }


def problems_on(page, base: str, visit: pages.Visit, lang: str) -> list[str]:
    """The serious and critical problems axe finds on one page, one line per rule."""
    if visit.post is None:
        response = page.goto(base + visit.path)
    else:
        page.goto(base + visit.path)
        with page.expect_navigation() as navigation:
            page.evaluate(POST_FORM, visit.post)
        response = navigation.value
    assert response is not None and response.status == visit.status, (
        f"{visit.path} answered {response and response.status}, not {visit.status}"
    )
    html = page.content()
    if visit.shows:
        assert visit.shows in html, f"{visit.path} lacks {visit.shows!r}"
    page_lang = page.locator("html").get_attribute("lang") or ""
    assert page_lang.startswith(lang), f"{visit.path} is in {page_lang!r}, not {lang!r}"
    page.evaluate(AWAIT_ANIMATIONS)
    page.evaluate(AXE_SCRIPT.read_text())
    lines = []
    for violation in page.evaluate(RUN_AXE):
        targets = [
            t for t in violation["targets"] if (violation["id"], t) not in WAGTAIL_EXCEPTIONS
        ]
        if targets:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
                + "; ".join(targets[:5])
            )
    return lines


@pytest.fixture(scope="module")
def axe_problems(browser, live_server, django_db_setup, django_db_blocker) -> dict:
    """Build the content, visit every page as its reader, and keep what axe says."""
    base = live_server.url
    results: dict[str, list[str] | str] = {}
    with (
        tempfile.TemporaryDirectory(prefix="axe-media-") as media,
        django_db_blocker.unblock(),
        override_settings(
            PORTAL_PRIVATE_MEDIA_ROOT=Path(media) / "private",
            MEDIA_ROOT=Path(media) / "public",
        ),
    ):
        for alias in ("default", "local"):
            caches[alias].clear()
        try:
            site = pages.build_site()
            get_database_backend().rebuild()
            visits = {**pages.public_visits(site), **pages.staff_visits(site)}
            contexts = {}
            for role in (pages.ANONYMOUS, *site.users):
                contexts[role] = browser.new_context()
                if role != pages.ANONYMOUS:
                    contexts[role].add_cookies([session_cookie(site.users[role], base)])
            tabs = {role: context.new_page() for role, context in contexts.items()}
            for lang, prefix in LANGUAGES.items():
                for tab in tabs.values():
                    tab.set_viewport_size(VIEWPORTS[lang])
                # The admin is not language-prefixed: staff choose its language.
                for role in (pages.STAFF, pages.ADMIN):
                    profile = UserProfile.get_for_user(site.users[role])
                    profile.preferred_language = lang
                    profile.save()
                for name in [*PUBLIC, *STAFF]:
                    visit = visits[name]
                    if name in PUBLIC:
                        visit = replace(visit, path=prefix + visit.path)
                    try:
                        results[f"{lang}:{name}"] = problems_on(tabs[visit.role], base, visit, lang)
                    except (AssertionError, PlaywrightError) as error:
                        results[f"{lang}:{name}"] = f"could not check the page: {error}"
            for context in contexts.values():
                context.close()
        finally:
            # What the tests after this module expect: empty tables, as after any test.
            call_command("flush", verbosity=0, interactive=False)
            for alias in ("default", "local"):
                caches[alias].clear()
            translation.activate(settings.LANGUAGE_CODE)
    return results


@pytest.mark.parametrize("page_name", PAGES)
def test_axe_finds_no_serious_problem(axe_problems, page_name):
    problems = axe_problems[page_name]
    if isinstance(problems, str):
        pytest.fail(f"{page_name}: {problems}", pytrace=False)
    if problems:
        pytest.fail(
            f"axe found serious or critical problems on {page_name}:\n" + "\n".join(problems),
            pytrace=False,
        )


def test_the_check_reports_what_axe_finds(page):
    """The check must be able to fail, or its passes mean nothing."""
    page.set_content('<html lang="nb"><body><main><img src="x.png"></main></body></html>')
    page.evaluate(AXE_SCRIPT.read_text())
    assert "image-alt" in [violation["id"] for violation in page.evaluate(RUN_AXE)]
