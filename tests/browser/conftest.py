"""Browser tests: Playwright drives Debian's Chromium against a live server.

Playwright cannot download its own browser here, so we launch /usr/bin/chromium.
"""

import importlib
import shutil
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from playwright.sync_api import expect

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# How long an expectation waits for the page to get there (Playwright's default is 5 s).
# A request that writes and re-renders can take longer than that on a loaded CI machine;
# a page that never gets there still fails, only later.
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # The live server sees only committed data, so browser tests commit and the
            # tables are emptied after each one; `base` rebuilds the page tree.
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail(
            "Browser tests need Debian's Chromium at /usr/bin/chromium "
            "(`make test` installs it when run as root; else `apt-get install chromium`)."
        )
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_FLAGS}


@pytest.fixture
def base(live_server, transactional_db) -> str:
    """The live server's URL, with the page tree in place.

    pytest-django starts one live server for the whole session. Emptying the tables
    after each browser test also removes what migrations created (the page tree, the
    home page, the default site), so it is rebuilt here. Django's serialized rollback
    would do the same, but loses its snapshot when Playwright's greenlets switch the
    context that holds the database connection.
    """
    from cms.site import ensure_site

    ensure_site()
    # Rows that data migrations made, which emptying the tables removed as well.
    for module, function in REPLAYED_DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(django_apps, None)
    return live_server.url


# (module, function) of the data migrations whose rows the browser tests rely on: the
# function takes (apps, schema_editor) and fills only what is missing.
REPLAYED_DATA_MIGRATIONS = [
    ("projects.migrations.0002_seed_ks_roadmap_phases", "seed"),  # KS' project phases
]


class AxeViolations(AssertionError):
    pass


# Colours are measured as drawn: a message still fading in would fail the contrast rule
# for a moment no reader sees. Wagtail's admin messages start their fade a little after
# the page loads; they, and every other finite animation, are let finish first.
# Bounded: an animation that never runs (a paused one, a page the browser stopped
# rendering) must not hold the test forever; after five seconds axe runs anyway.
AWAIT_ANIMATIONS = """async () => {
    const settle = async () => {
        const shown = () => [...document.querySelectorAll('[data-w-messages-show-class]')]
            .every((el) => el.classList.contains(el.dataset.wMessagesShowClass));
        for (let frame = 0; frame < 600 && !shown(); frame++) {
            await new Promise((resolve) => requestAnimationFrame(resolve));
        }
        await Promise.all(document.getAnimations()
            .filter((a) => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
            .map((a) => a.finished.catch(() => null)));
    };
    await Promise.race([settle(), new Promise((resolve) => setTimeout(resolve, 5000))]);
}"""


def assert_no_serious_axe_violations(page) -> None:
    """Run axe-core in the page and fail on any serious or critical violation."""
    page.evaluate(AWAIT_ANIMATIONS)
    # Evaluated, not added as a <script> tag: our Content-Security-Policy (on in tests as
    # in production) blocks inline scripts, and DevTools evaluation is not subject to it.
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag',
                      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
        })"""
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    if serious:
        lines = [
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
            for v in serious
        ]
        raise AxeViolations(f"axe found problems on {page.url}:\n" + "\n".join(lines))
