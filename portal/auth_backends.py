"""Who is logged in, without a database query on every page.

Django's `ModelBackend` reads the person's row on every request that carries a session:
one round trip to PostgreSQL before a page does anything, and on a busy machine the
biggest part of what a logged-in page costs beyond an anonymous one (README,
"Benchmarks"). The row changes rarely, so it is cached per process under the person's
version (`portal.versions.person`), which every write to the row bumps: saves and
deletes through the ORM's signals, queryset updates (the admin's bulk "set active
state") through `InvalidatingQuerySet` (see `portal.apps`).

What Django checks with the row is unchanged: `django.contrib.auth.get_user` still
compares the session's hash with the row's password hash, so a new password ends every
other session at once, and an inactive person is still refused.
"""

from __future__ import annotations

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches
from django.http import HttpRequest

from portal import versions

# Per process (versions.PERSONAL_CACHE), so a cached row is only a dictionary lookup
# away; the version, shared by every process, says whether it is still the row. Bounded
# in time as well, so a write that bypasses the ORM altogether (raw SQL) is seen within
# minutes.
ROW_TTL_SECONDS = 5 * 60

CACHED_BACKEND = "portal.auth_backends.CachedModelBackend"
# What sessions begun before the cached backend name as theirs.
_PREVIOUS_BACKEND = "django.contrib.auth.backends.ModelBackend"


class CachedModelBackend(ModelBackend):
    """`ModelBackend`, reading the logged-in person's row from a cache."""

    def get_user(self, user_id):
        key = f"user:{user_id}:{versions.current(versions.person(user_id))}"
        people = caches[versions.PERSONAL_CACHE]
        user = people.get(key)
        if user is None:
            user = super().get_user(user_id)  # None for a deleted or inactive person
            if user is not None:
                people.set(key, user, ROW_TTL_SECONDS)
        return user


def adopt_previous_session(request: HttpRequest) -> None:
    """Move a session begun under Django's own backend to the cached one.

    Django logs out a session whose backend is no longer configured; this keeps the
    people logged in on the day the cached backend is deployed (one session write each).
    Can go once sessions that old have expired (SESSION_COOKIE_AGE, two weeks).
    """
    session = request.session
    if session.get(BACKEND_SESSION_KEY) == _PREVIOUS_BACKEND:
        session[BACKEND_SESSION_KEY] = CACHED_BACKEND
