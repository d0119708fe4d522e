"""Versions of cached data (portal.versions): what a request sees, and when."""

import pytest
from django.core.cache import cache

from portal import versions

pytestmark = pytest.mark.django_db  # bumps register an on-commit callback


def test_a_request_reads_each_version_once_but_sees_its_own_writes():
    before = versions.current(versions.IDEAS)
    with versions.request_scope():
        assert versions.current(versions.IDEAS) == before
        # Another process bumps: this request keeps the version it started with...
        cache.set("version:" + versions.IDEAS, "from-another-process")
        assert versions.current(versions.IDEAS) == before
        # ...but its own write is seen at once.
        versions.bump(versions.IDEAS)
        mine = versions.current(versions.IDEAS)
        assert mine not in (before, "from-another-process")
    assert versions.current(versions.IDEAS) == mine  # the next request reads afresh


def test_cached_values_last_until_their_version_changes():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert versions.cached(versions.LABELS, "figure", compute) == 1
    assert versions.cached(versions.LABELS, "figure", compute) == 1
    versions.bump(versions.LABELS)
    assert versions.cached(versions.LABELS, "figure", compute) == 2


def test_a_refused_value_is_not_kept():
    assert versions.cached(versions.SEARCH, "k", lambda: "down", keep=lambda v: False) == "down"
    assert versions.cached(versions.SEARCH, "k", lambda: "up") == "up"
