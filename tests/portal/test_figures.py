"""Live figures (portal.figures): written as they are now into every HTML response."""

from __future__ import annotations

import pytest
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory

from portal import figures
from portal.middleware import LiveFiguresMiddleware

CURRENT = {1: 7, 2: 1}


@pytest.fixture
def kind():
    figures.register(
        "test-count",
        lookup=lambda pks: {pk: CURRENT[pk] for pk in pks if pk in CURRENT},
        forms={"plain": lambda value: f"{value} stk."},
    )
    return "test-count"


def respond(response_class, **kwargs):
    middleware = LiveFiguresMiddleware(lambda request: response_class(**kwargs))
    return middleware(RequestFactory().get("/"))


def test_an_html_response_shows_current_values_and_no_marks(kind):
    html = f"<p>{figures.figure(kind, 'plain', 1, 3)} og {figures.figure(kind, 'plain', 2, 0)}</p>"
    # (CommonMiddleware, outside this one, has set the length of what was rendered.)
    response = respond(HttpResponse, content=html, headers={"Content-Length": str(len(html))})
    assert response.content.decode() == "<p>7 stk. og 1 stk.</p>"
    assert response["Content-Length"] == str(len(response.content))


def test_an_object_the_lookup_no_longer_knows_keeps_the_value_it_was_rendered_with(kind):
    response = respond(HttpResponse, content=f"<p>{figures.figure(kind, 'plain', 99, 4)}</p>")
    assert response.content.decode() == "<p>4 stk.</p>"


def test_other_responses_are_left_as_they_are(kind):
    marked = str(figures.figure(kind, "plain", 1, 3))
    response = respond(JsonResponse, data={"html": marked})
    assert figures.MARK_BYTES in response.content
