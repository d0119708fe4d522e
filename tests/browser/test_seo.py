"""What Lighthouse's SEO and Best Practices audits look at in a real browser, on the five
pages they are run on: no error in the console and no failed request (a missing
favicon is one), the icon shown, and a head search engines can use."""

from __future__ import annotations

from playwright.sync_api import Page

from ideas import services
from tests.browser.test_ideas import intake  # noqa: F401 - fixture
from tests.factories import UserFactory, create_challenge


def test_the_audited_pages_load_cleanly_and_describe_themselves(
    page: Page,
    base: str,
    settings,
    intake,  # noqa: F811
):
    # As in production: the public address is where the pages are served.
    settings.PORTAL_BASE_URL = base
    challenge = create_challenge(title="Ensomhet blant eldre")
    idea = services.idea_submit(
        author=UserFactory(),
        title="Møteplass på biblioteket",
        summary="Et fast sted å møtes.",
        description="Kaffe og aviser hver tirsdag.",
        challenge=challenge,
    )
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.on("requestfailed", lambda request: failed.append(request.url))

    for path, description in (
        ("/", None),
        ("/ideas/", None),
        (idea.get_absolute_url(), "Et fast sted å møtes."),
        (challenge.url, challenge.summary),
        ("/search/", None),
    ):
        response = page.goto(base + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")

        assert page.locator('link[rel="canonical"]').get_attribute("href") == base + path
        found = page.locator('meta[name="description"]').get_attribute("content")
        assert found, path
        if description:
            assert found == description
        icon = page.locator('link[rel="icon"]').get_attribute("href")
        assert page.request.get(base + icon).headers["content-type"] == "image/svg+xml"

    assert errors == []
    assert failed == []
    assert page.request.get(f"{base}/favicon.ico").ok
