"""The rate limiter: per user and per IP, a clear message, 429 pages and fragments, and
counters that stay exact when many processes count at once."""

from __future__ import annotations

import contextlib
import io
import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import OperationalError, close_old_connections, connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from portal.models import RateLimitCounter
from portal.ratelimit import RateLimited, check_rate_limit, counted_if_accepted, hit, rate_limit
from tests.factories import IdeaFactory, UserFactory

# The counters are rows in the database, so limits hold across hosts whatever the cache;
# every test also runs with the default cache in Redis (tests/portal/conftest.py) to
# show that nothing here leans on a per-process cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_cache")]

SMALL = {"comment": {"user": (2, 60), "ip": (3, 60)}, "vote": {"user": (2, 60), "ip": (3, 60)}}


def make_request(user=None, ip="10.0.0.1", htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    request = RequestFactory().post("/", REMOTE_ADDR=ip, **headers)
    request.user = user or AnonymousUser()
    request.htmx = htmx
    return request


@override_settings(PORTAL_RATE_LIMITS=SMALL)
def test_user_limit_applies_across_addresses():
    user = UserFactory()
    check_rate_limit(make_request(user, ip="10.0.0.1"), "comment")
    check_rate_limit(make_request(user, ip="10.0.0.2"), "comment")
    with pytest.raises(RateLimited) as caught:
        check_rate_limit(make_request(user, ip="10.0.0.3"), "comment")
    assert 0 < caught.value.retry_after <= 60
    # Another person is not affected.
    check_rate_limit(make_request(UserFactory(), ip="10.0.0.4"), "comment")


@override_settings(PORTAL_RATE_LIMITS=SMALL)
def test_ip_limit_applies_across_users_and_to_anonymous():
    for _ in range(3):
        check_rate_limit(make_request(UserFactory(), ip="10.9.9.9"), "comment")
    with pytest.raises(RateLimited):
        check_rate_limit(make_request(None, ip="10.9.9.9"), "comment")
    check_rate_limit(make_request(None, ip="10.9.9.8"), "comment")


@override_settings(PORTAL_RATE_LIMITS=SMALL)
def test_scopes_count_separately():
    user = UserFactory()
    for _ in range(2):
        check_rate_limit(make_request(user), "comment")
    check_rate_limit(make_request(user), "vote")


@override_settings(PORTAL_RATE_LIMITS={"comment": {"user": (1, 1)}})
def test_the_window_ends():
    user = UserFactory()
    check_rate_limit(make_request(user), "comment")
    with pytest.raises(RateLimited):
        check_rate_limit(make_request(user), "comment")
    time.sleep(1.05)
    check_rate_limit(make_request(user), "comment")


def test_message_is_translated_and_says_how_long_to_wait():
    error = RateLimited(scope="comment", retry_after=150)
    assert error.message == (
        "Du har gjort dette mange ganger på kort tid. Vent 3 minutter og prøv igjen."
    )
    assert "1 minutt " in RateLimited(scope="comment", retry_after=20).message


def test_unknown_scope_is_a_programming_error():
    with pytest.raises(KeyError):
        check_rate_limit(make_request(), "no-such-scope")


@override_settings(PORTAL_RATE_LIMITS=SMALL)
def test_decorator_gives_429_page_in_the_site_layout_and_a_fragment_for_htmx():
    @rate_limit("vote")
    def view(request):
        return HttpResponse("ok")

    user = UserFactory()
    assert view(make_request(user)).status_code == 200
    assert view(make_request(user)).status_code == 200
    page = view(make_request(user))
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    html = page.content.decode()
    assert "<html" in html and "Vent litt" in html and "mange ganger på kort tid" in html
    fragment = view(make_request(user, htmx=True))
    assert fragment.status_code == 429
    assert "<html" not in fragment.content.decode()
    assert "mange ganger på kort tid" in fragment.content.decode()


@override_settings(PORTAL_RATE_LIMITS=SMALL)
def test_decorator_does_not_count_get_requests():
    @rate_limit("vote")
    def view(request):
        return HttpResponse("ok")

    for _ in range(5):
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        assert view(request).status_code == 200


@override_settings(PORTAL_RATE_LIMITS=SMALL)
def test_commenting_too_often_gives_429_with_the_message_and_keeps_the_text(client):
    idea = IdeaFactory()
    client.force_login(UserFactory())
    url = reverse("ideas:comment_post", kwargs={"reference": idea.reference})
    for n in range(2):
        assert client.post(url, {"comment": f"Kommentar {n}"}).status_code == 302
    response = client.post(url, {"comment": "Én for mye"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "mange ganger på kort tid" in html
    assert "Én for mye" in html
    assert "<html" in html
    assert XtdComment.objects.count() == 2

    htmx = client.post(url, {"comment": "Via htmx"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 429
    assert "mange ganger på kort tid" in htmx.content.decode()
    assert "<html" not in htmx.content.decode()


@override_settings(PORTAL_RATE_LIMITS={"idea_submit": {"user": (1, 60)}})
def test_counted_if_accepted_counts_only_what_completes():
    user = UserFactory()
    with pytest.raises(ValueError), counted_if_accepted(make_request(user), "idea_submit"):
        raise ValueError("the submission was rejected")
    with counted_if_accepted(make_request(user), "idea_submit"):
        pass
    ran = False
    with pytest.raises(RateLimited), counted_if_accepted(make_request(user), "idea_submit"):
        ran = True
    assert not ran


# --- Exact counters (the production cache's incr is not atomic) -------------------------


@override_settings(PORTAL_RATE_LIMITS=SMALL)
def test_one_attempt_is_one_statement_that_counts_user_and_address_at_once():
    user = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        check_rate_limit(make_request(user, ip="10.1.1.1"), "vote")
    (statement,) = queries.captured_queries
    # An upsert that increments in the database and reads the result back: no window
    # between reading and writing in which another process's hit could be lost.
    assert "ON CONFLICT" in statement["sql"] and "RETURNING" in statement["sql"]
    for _ in range(9):
        with contextlib.suppress(RateLimited):
            check_rate_limit(make_request(user, ip="10.1.1.1"), "vote")
    assert sorted(RateLimitCounter.objects.values_list("hits", flat=True)) == [10, 10]


def _hammer(scope: str, identities: dict, *, threads: int, each: int) -> list[str]:
    """Hit from several threads, each with its own database connection, at once."""
    barrier = threading.Barrier(threads)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait()
            for _ in range(each):
                # SQLite's shared in-memory test database reports a busy table at once
                # instead of waiting like a database file does; the statement did not
                # run, so it is sent again.
                for _attempt in range(500):
                    try:
                        hit(scope, identities)
                        outcome = "passed"
                        break
                    except RateLimited:
                        outcome = "limited"
                        break
                    except OperationalError as busy:
                        if "locked" not in str(busy):
                            raise
                        time.sleep(0.005)
                else:
                    outcome = "gave up"
                with lock:
                    outcomes.append(outcome)
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
@override_settings(
    PORTAL_RATE_LIMITS={"vote": {"user": (60, 60)}},
    # Production's default cache, whose incr reads and writes a file without a lock.
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": "/tmp/mulighetsportalen-test-ratelimit-cache",
        },
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    },
)
def test_concurrent_votes_pass_a_limit_of_60_exactly_60_times():
    outcomes = _hammer("vote", {"user": "4242"}, threads=8, each=10)

    assert len(outcomes) == 80
    assert outcomes.count("passed") == 60
    assert outcomes.count("limited") == 20
    assert RateLimitCounter.objects.get(scope="vote").hits == 80


@override_settings(PORTAL_RATE_LIMITS={"vote": {"user": (1, 1)}, "comment": {"user": (1, 600)}})
def test_the_cron_command_deletes_only_counters_whose_window_has_ended():
    user = UserFactory()
    check_rate_limit(make_request(user), "vote")
    check_rate_limit(make_request(user), "comment")
    time.sleep(1.05)
    out = io.StringIO()

    call_command("clear_rate_limits", stdout=out)

    assert "Deleted 1 " in out.getvalue()
    assert list(RateLimitCounter.objects.values_list("scope", flat=True)) == ["comment"]
    # The comment limit still holds: nothing that counts was forgotten.
    with pytest.raises(RateLimited):
        check_rate_limit(make_request(user), "comment")
