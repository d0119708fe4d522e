"""The headers every response carries: Content-Security-Policy and Permissions-Policy.

They are on in every settings module, so these tests (and the browser tests) see what
production sends.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from cms.models import HomePage, StandardPage
from portal.views import server_error
from tests.factories import IdeaFactory, UserFactory, challenge_index, create_challenge
from tests.portal.test_settings import print_setting

pytestmark = pytest.mark.django_db

PERMISSIONS = {"camera", "microphone", "geolocation", "payment", "usb"}


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def public_pages(citizen_client) -> dict[str, object]:
    client = Client()  # anonymous; `citizen_client` is logged in
    challenge = create_challenge(title="Ensomhet blant eldre")
    idea = IdeaFactory(title="Møteplass på biblioteket", challenge=challenge)
    about = StandardPage(
        title="Om portalen",
        slug="om-portalen",
        body=[
            {"type": "heading", "value": {"text": "Hvorfor", "level": "h2"}},
            {"type": "rich_text", "value": "<p>Fordi vi trenger <b>deg</b>.</p>"},
            {"type": "quote", "value": {"quote": "Tenk nytt.", "attribution": "Ordføreren"}},
            {
                "type": "video",
                "value": {"url": "https://video.example.no/1", "title": "Slik", "description": ""},
            },
        ],
    )
    HomePage.objects.get().add_child(instance=about)
    about.save_revision().publish()
    return {
        "home": client.get("/"),
        "challenge index": client.get(challenge_index().url),
        "challenge page": client.get(challenge.url),
        "standard page": client.get(about.url),
        "idea list": client.get(reverse("ideas:list")),
        "idea page": client.get(idea.get_absolute_url()),
        "submit form": citizen_client.get(reverse("ideas:submit")),
        "search": client.get(reverse("search:search"), {"q": "møteplass"}),
        "login": client.get(reverse("accounts:login")),
    }


def test_public_pages_allow_only_our_own_scripts_and_styles(client, citizen_client):
    for name, response in public_pages(citizen_client).items():
        assert response.status_code == 200, name
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], name
        assert policy["script-src"] == ["'self'"], name
        assert policy["style-src"] == ["'self'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        assert policy["object-src"] == ["'none'"], name
        assert policy["form-action"] == ["'self'"], name


INLINE_CODE = [
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I),
    re.compile(r"<style\b", re.I),
    re.compile(r"\s(on[a-z]+|(?:data-)?hx-on[:\w-]*)=", re.I),
    re.compile(r"\sstyle=", re.I),
    re.compile(r"javascript:", re.I),
]


def test_public_pages_carry_no_inline_code_the_policy_would_block(client, citizen_client, rf):
    pages = dict(public_pages(citizen_client), error=server_error(rf.get("/")))
    for name, response in pages.items():
        html = response.content.decode()
        for pattern in INLINE_CODE:
            assert not pattern.search(html), f"{name}: {pattern.search(html).group(0)}"
    # htmx is told not to inject its own <style> for request indicators.
    home = client.get("/").content.decode()
    assert '"includeIndicatorStyles": false' in home


def test_the_admin_gets_its_allowances_and_nothing_more(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    policy = directives(response)
    # Wagtail's admin renders inline scripts and styles (see settings).
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]  # the page editor's preview panel
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_every_response_denies_powerful_browser_features(client, citizen_client):
    responses = dict(public_pages(citizen_client), admin=client.get("/admin/login/"))
    for name, response in responses.items():
        features = dict(
            part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
        )
        assert set(features) >= PERMISSIONS, name
        assert all(features[feature] == "()" for feature in PERMISSIONS), name


def test_production_sends_the_same_headers_and_nothing_is_report_only(settings):
    expression = (
        "repr((settings.CONTENT_SECURITY_POLICY, settings.PERMISSIONS_POLICY,"
        " [m for m in settings.MIDDLEWARE if 'Policy' in m],"
        " getattr(settings, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None)))"
    )
    production = print_setting(
        "portal.settings.production",
        expression,
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="ideer.kommune.example.no",
    )
    middleware = [
        "portal.middleware.ContentSecurityPolicyMiddleware",
        "django_permissions_policy.PermissionsPolicyMiddleware",
    ]
    assert production == repr(
        (settings.CONTENT_SECURITY_POLICY, settings.PERMISSIONS_POLICY, middleware, None)
    )


def test_the_editors_preview_of_a_page_may_be_framed_by_the_admin(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    home = Site.objects.get(is_default_site=True).root_page
    response = client.get(f"/admin/pages/{home.pk}/view_draft/")
    assert response.status_code == 200
    # Wagtail renders the page through the middleware again for the preview; the
    # public policy ("frame-ancestors 'none'") would blank the editor's preview panel.
    assert directives(response)["frame-ancestors"] == ["'self'"]
