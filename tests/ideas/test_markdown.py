"""Safe Markdown, and user text staying inert on every idea page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ideas import services
from ideas.markdown import render_markdown
from ideas.models import Vote
from tests.factories import UserFactory
from tests.ideas.test_services import intake_unit  # noqa: F401 - fixture

SCRIPT = "<script>alert('x')</script>"


def test_markdown_formats_simple_text():
    html = render_markdown("Hei **du**\n\n- en\n- to\n\n> sitat")
    assert "<strong>du</strong>" in html
    assert "<ul>" in html and "<li>en</li>" in html
    assert "<blockquote>" in html


@pytest.mark.parametrize(
    "source",
    [
        SCRIPT,
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">klikk</a>',
        "<iframe src='https://evil.example.com'></iframe>",
        "<b onclick='alert(1)'>fet</b>",
        "<style>body{display:none}</style>",
    ],
)
def test_raw_html_never_becomes_markup(source):
    html = render_markdown(source)
    for dangerous in ("<script", "<img", "<iframe", "<style", "<b ", "<a "):
        assert dangerous not in html
    assert "&lt;" in html  # shown as text


def test_markdown_links_are_marked_and_dangerous_schemes_dropped():
    html = render_markdown("[kommunen](https://fjordvik.example.no) og [js](javascript:alert(1))")
    assert 'href="https://fjordvik.example.no"' in html
    assert 'rel="nofollow ugc noopener"' in html
    assert "javascript:" not in html


def test_headings_are_demoted_below_the_page_heading():
    html = render_markdown("# Stor\n\n## Mindre")
    assert "<h1>" not in html and "<h2>" not in html
    assert "<h3>Stor</h3>" in html


def test_markdown_image_syntax_is_not_rendered_as_an_image():
    assert "<img" not in render_markdown("![sporing](https://tracker.example.com/p.gif)")


@pytest.mark.django_db
def test_a_script_in_any_field_is_inert_on_list_detail_and_my_page(client, intake_unit):  # noqa: F811
    author = UserFactory(display_name=f"Navn {SCRIPT}")
    idea = services.idea_submit(
        author=author,
        title=f"Tittel {SCRIPT}",
        summary=f"Sammendrag {SCRIPT}",
        description=f"Beskrivelse {SCRIPT}\n\n<img src=x onerror=alert(2)>",
        tags=["tagg"],  # a tag cannot hold markup at all (tests/ideas/test_tags.py)
        location=f"Sted {SCRIPT}",
    )
    Vote.objects.create(idea=idea, voter=author)
    client.force_login(author)

    pages = {
        "list": reverse("ideas:list"),
        "detail": idea.get_absolute_url(),
        "mine": reverse("ideas:mine"),
        "edit": reverse("ideas:edit", args=[idea.reference]),
    }
    for name, url in pages.items():
        content = client.get(url).content.decode()
        assert "<script>alert" not in content, name
        assert "<img src=x" not in content, name
        assert "&lt;script&gt;" in content, name
