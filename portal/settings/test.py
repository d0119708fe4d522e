"""The test suite. Only overrides; everything else is as in base."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
# ".localhost": a municipality's own site in tests (fjordvik.localhost; browsers resolve
# every *.localhost name to this machine).
ALLOWED_HOSTS = ["testserver", "localhost", ".localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploaded files from tests stay out of the project's own media folder.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "mulighetsportalen-test-media"
PORTAL_PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / "mulighetsportalen-test-private-media"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PORTAL_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
ELASTICSEARCH_URL = ""
# Tests post many times from one client within seconds; the rate limiter's own tests set
# small limits with override_settings.
PORTAL_RATE_LIMITS = {
    scope: {"user": (10_000, 60), "ip": (10_000, 60)}
    for scope in (
        "comment",
        "comment_flag",
        "idea_submit",
        "idea_submit_attempt",
        "vote",
        "meeting_registration",
        "cocreation_input",
    )
}
