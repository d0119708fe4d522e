"""The benchmark's server settings: production settings with test secrets, on 127.0.0.1.

Only what a local, plain-HTTP benchmark cannot do like production differs: no TLS
redirect, fixed throwaway secrets, no e-mail leaving the process, and the floor view's
URL. Everything else (DEBUG off, whitenoise with the manifest, middleware, templates,
CONN_MAX_AGE and TASKS_BACKEND from the environment) is production's.
"""

import os

# production.py refuses to load without these; set before importing it.
os.environ.setdefault("SECRET_KEY", "bench-only-insecure-key-never-use-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from portal.settings.production import *  # noqa: F403
from portal.settings.production import BASE_DIR

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False  # plain HTTP on the loopback
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", str(BASE_DIR / "staticfiles"))
# The load generator sends thousands of votes and ideas from one address in a minute;
# the limiter still runs on every request, its limits are just out of reach.
PORTAL_RATE_LIMITS = {
    scope: {"user": (10**9, 60), "ip": (10**9, 60)}
    for scope in ("comment", "comment_flag", "idea_submit", "idea_submit_attempt", "vote")
}
