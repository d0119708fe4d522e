"""Several app servers sharing one Redis: a write on one host shows on the next request
to another.

The "other host" is a second Python process with its own Django, its own process-local
cache and the same Redis (CACHE_URL, as production sets it), so nothing is shared with
this one but Redis. It does what a write does to the cache: bump a version
(portal.versions). This process plays the host that serves the next request.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from ideas.models import Idea
from portal import versions
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def on_other_host(redis_cache: dict, tmp_path, code: str) -> str:
    """Run `code` in a separate process configured like a second app server."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CACHE_BACKEND", "CACHE_LOCATION", "CACHE_URL", "DATABASE_URL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        CACHE_URL=redis_cache["url"],
        CACHE_KEY_PREFIX=redis_cache["prefix"],
        # Its own (empty) database: only the cache is shared in these tests.
        DATABASE_URL=f"sqlite:///{tmp_path / 'other-host.sqlite3'}",
    )
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_other_host_uses_the_same_redis(redis_cache, tmp_path):
    cache.set("greeting", "hei")
    backend = on_other_host(
        redis_cache,
        tmp_path,
        """
        from django.core.cache import cache
        print(type(cache._cache).__module__, cache.get("greeting"))
        """,
    )
    assert backend == "django.core.cache.backends.redis hei"


def test_a_version_bumped_on_another_host_refreshes_figures_cached_here(redis_cache, tmp_path):
    computed = []

    def count_ideas() -> int:
        computed.append(1)
        return len(computed)

    assert versions.cached(versions.IDEAS, "figure", count_ideas) == 1
    assert versions.cached(versions.IDEAS, "figure", count_ideas) == 1  # from this process

    on_other_host(
        redis_cache,
        tmp_path,
        """
        from portal import versions
        versions.bump(versions.IDEAS)
        """,
    )

    assert versions.cached(versions.IDEAS, "figure", count_ideas) == 2


def test_a_write_on_one_host_shows_on_the_next_request_to_another(
    redis_cache, tmp_path, client, site_settings
):
    idea = IdeaFactory(title="Lys i undergangen", summary="Mørkt om kvelden.")
    assert "Lys i undergangen" in client.get("/ideas/").content.decode()

    # The row changes in the shared database, as another host's write does: nothing in
    # this process hears of it (raw SQL, no ORM signal), so it keeps its cached page...
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Idea._meta.db_table} SET title = %s WHERE id = %s",
            ["Bedre lys i undergangen", idea.pk],
        )
    assert "Bedre lys i undergangen" not in client.get("/ideas/").content.decode()

    # ...until the host that wrote it bumps the version in Redis, as every write does.
    on_other_host(
        redis_cache,
        tmp_path,
        """
        from portal import versions
        versions.bump(versions.IDEAS, versions.PUBLIC_IDEAS)
        """,
    )
    assert "Bedre lys i undergangen" in client.get("/ideas/").content.decode()


def test_two_hosts_adding_the_same_version_at_once_agree_on_it(redis_cache, tmp_path):
    """`versions.current` creates a missing version with `add`, which Redis does
    atomically: whichever host is first, both then read the same one."""
    theirs = on_other_host(
        redis_cache,
        tmp_path,
        """
        from portal import versions
        print(versions.current(versions.LABELS))
        """,
    )
    assert versions.current(versions.LABELS) == theirs
