"""The Content-Security-Policy in a real browser: no public page trips it, and htmx still
works under it (voting in place, filters updating the results and the URL).

The policy is on in the test settings exactly as in production.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ideas import services
from search.backends import get_database_backend
from tests.browser.test_ideas import intake, log_in  # noqa: F401 - fixture
from tests.factories import UserFactory, challenge_index, create_challenge

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def watch(page: Page) -> list[str]:
    """Record violations in the page (event) and in the console (Chromium's report)."""
    page.add_init_script(WATCH_VIOLATIONS)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return console


def violations(page: Page, console: list[str]) -> list[str]:
    return page.evaluate("window.__cspViolations") + console


def visit(page: Page, url: str, console: list[str]) -> None:
    response = page.goto(url)
    assert response.ok, url
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy + ";" and "'unsafe-inline'" not in policy, url
    page.wait_for_load_state("networkidle")
    assert violations(page, console) == [], url


def test_public_pages_and_htmx_work_under_the_policy(page: Page, base: str, intake):  # noqa: F811
    console = watch(page)
    challenge = create_challenge(title="Ensomhet blant eldre")
    idea = services.idea_submit(
        author=UserFactory(),
        title="Møteplass på biblioteket",
        summary="Et fast sted å møtes.",
        description="Kaffe og aviser hver tirsdag.",
        challenge=challenge,
        tags=["eldre"],
    )
    services.idea_submit(
        author=UserFactory(), title="Benker i parken", summary="S", description="D", tags=["park"]
    )
    get_database_backend().rebuild()

    for path in (
        "/",
        challenge_index().url,
        challenge.url,
        "/ideas/",
        idea.get_absolute_url(),
        "/search/?q=møteplass",
        "/accounts/login/",
        "/en/",
    ):
        visit(page, base + path, console)

    # Filters on the idea list: htmx swaps the list and pushes the URL, no page load.
    page.goto(f"{base}/ideas/")
    page.evaluate("window.__samePage = true")
    page.get_by_label("Sorter etter").select_option("supported")
    expect(page).to_have_url(re.compile(r"sort=supported"))
    assert page.evaluate("window.__samePage === true")

    citizen = UserFactory()
    log_in(page, base, citizen)
    visit(page, f"{base}/ideas/new/", console)

    # Voting: htmx swaps the button and the count in place.
    visit(page, base + idea.get_absolute_url(), console)
    page.evaluate("window.__samePage = true")
    page.get_by_role("button", name="Støtt denne ideen").click()
    expect(page.get_by_role("button", name="Du støtter denne ideen")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(f"#vote-count-{idea.pk}")).to_contain_text("1")
    assert page.evaluate("window.__samePage === true")

    # Search: changing the sort order refreshes the results in place and in the URL.
    visit(page, f"{base}/search/?q=møteplass", console)
    page.evaluate("window.__samePage = true")
    page.get_by_label("Sorter etter").select_option("newest")
    expect(page).to_have_url(re.compile(r"sort=newest"))
    assert page.evaluate("window.__samePage === true")

    assert violations(page, console) == []

    # The watch itself works: inline code is refused and reported.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.append(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran === undefined")
