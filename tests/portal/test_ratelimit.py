"""The rate limiter: per user and per IP, a clear message, 429 pages and fragments."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from portal.ratelimit import RateLimited, check_rate_limit, rate_limit
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

SMALL = {"comment": {"user": (2, 60), "ip": (3, 60)}, "vote": {"user": (2, 60), "ip": (3, 60)}}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


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
