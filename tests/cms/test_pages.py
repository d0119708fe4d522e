"""The home page, standard pages and the editable menus."""

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from challenges.models import ChallengeStatus
from cms.blocks import LinkBlock
from cms.models import HomePage, NavigationSettings, StandardPage
from ideas.models import IdeaStatus
from tests.factories import IdeaFactory, challenge_index, create_challenge

pytestmark = pytest.mark.django_db


def test_home_page_figures_come_from_the_database(client):
    for status, count in [
        (IdeaStatus.SUBMITTED, 2),
        (IdeaStatus.IN_REVIEW, 1),
        (IdeaStatus.ACCEPTED, 2),
        (IdeaStatus.IMPLEMENTED, 3),
        (IdeaStatus.REJECTED, 1),
        (IdeaStatus.WITHDRAWN, 4),
    ]:
        IdeaFactory.create_batch(count, status=status)
    IdeaFactory(status=IdeaStatus.IMPLEMENTED, is_hidden=True)
    response = client.get("/")
    assert response.context["figures"] == {"submitted": 9, "in_progress": 3, "implemented": 3}


def test_home_page_shows_newest_and_most_supported_public_ideas(client):
    old = IdeaFactory(title="Gammel men populær", support_count=40)
    IdeaFactory(title="Litt støttet", support_count=2)
    IdeaFactory(title="Skjult og populær", support_count=99, is_hidden=True)
    new = IdeaFactory(title="Helt ny idé")
    response = client.get("/")
    assert response.context["newest_ideas"][0] == new
    assert [idea.title for idea in response.context["popular_ideas"]] == [
        "Gammel men populær",
        "Litt støttet",
    ]
    html = response.content.decode()
    assert f'href="{old.get_absolute_url()}"' in html
    assert "Skjult og populær" not in html


def test_featured_challenges_are_the_editors_choice_else_closing_soonest(client):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    later = create_challenge(title="Stenger sent", closes_on=today + datetime.timedelta(days=90))
    soon = create_challenge(title="Stenger snart", closes_on=today + datetime.timedelta(days=2))
    closed = create_challenge(title="Avsluttet", status_override=ChallengeStatus.CONCLUDED)
    assert list(client.get("/").context["featured_challenges"]) == [soon, later]

    home = HomePage.objects.get()
    home.featured_challenges.create(challenge=later, sort_order=0)
    home.featured_challenges.create(challenge=closed, sort_order=1)
    home.save_revision().publish()
    assert list(client.get("/").context["featured_challenges"]) == [later]


@pytest.mark.parametrize("count", [4, 40])
def test_home_page_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    for n in range(count):
        IdeaFactory(support_count=n)
    for n in range(min(count, 6)):
        create_challenge(title=f"Utfordring {n}")
    # 22: the cold cache asks once whether several municipalities take part (then the
    # home page is the regional front page, docs/regional.md); cached after that. One
    # more reads the support counts written into the page (portal.figures).
    with django_assert_max_num_queries(22):
        assert client.get("/").status_code == 200


def test_standard_page_renders_every_block(client, settings, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(title="Rådhuset", file=get_test_image_file())
    document = Document.objects.create(
        title="Innovasjonsstrategi", file=ContentFile(b"%PDF-1.4", name="strategi.pdf")
    )
    index = challenge_index()
    body = [
        {"type": "heading", "value": {"text": "Hvorfor", "level": "h2"}},
        {"type": "rich_text", "value": "<p>Fordi vi trenger <b>deg</b>.</p>"},
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "Rådhuset i sol", "caption": ""},
        },
        {"type": "quote", "value": {"quote": "Tenk nytt.", "attribution": "Ordføreren"}},
        {
            "type": "call_to_action",
            "value": {
                "heading": "Bli med",
                "text": "Se hva vi jobber med.",
                "link": {
                    "label": "Til utfordringene",
                    "page": index.pk,
                    "destination": "",
                    "url": "",
                },
            },
        },
        {
            "type": "video",
            "value": {
                "url": "https://video.example.no/1",
                "title": "Slik gjør du",
                "description": "Tekstet på norsk.",
            },
        },
        {"type": "document", "value": {"document": document.pk, "label": ""}},
    ]
    page = StandardPage(title="Om portalen", slug="om-portalen", body=body)
    HomePage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert '<h2 class="ds-heading" data-size="md">Hvorfor</h2>' in html
    assert "<b>deg</b>" in html
    assert 'alt="Rådhuset i sol"' in html
    assert "Tenk nytt." in html and "Ordføreren" in html
    assert f'href="{index.url}">Til utfordringene</a>' in html
    assert 'href="https://video.example.no/1"' in html and "Slik gjør du" in html
    assert "Innovasjonsstrategi" in html and document.url in html


def test_link_block_needs_exactly_one_target():
    block = LinkBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(
            block.to_python({"label": "Ingenting", "page": None, "destination": "", "url": ""})
        )
    with pytest.raises(StructBlockValidationError):
        block.clean(
            block.to_python(
                {"label": "To ting", "page": None, "destination": "ideas:list", "url": "/ideas/"}
            )
        )
    with pytest.raises(StructBlockValidationError):
        block.clean(
            block.to_python(
                {"label": "Feil", "page": None, "destination": "", "url": "javascript:alert(1)"}
            )
        )
    value = block.clean(
        block.to_python({"label": "", "page": None, "destination": "ideas:list", "url": ""})
    )
    assert value.href == "/ideas/"


def test_menus_default_to_challenges_ideas_and_search(client):
    index = challenge_index()
    html = client.get("/").content.decode()
    nav = html.split('aria-label="Hovedmeny"')[1].split("</nav>")[0]
    assert f'href="{index.url}">Utfordringer</a>' in nav
    assert 'href="/ideas/">Ideer</a>' in nav
    assert 'href="/search/">Søk</a>' in nav
    footer = html.split('aria-label="Bunnmeny"')[1].split("</nav>")[0]
    assert 'href="/ideas/">Ideer</a>' in footer


def test_menus_come_from_the_editable_settings(client):
    from wagtail.models import Site

    about = StandardPage(title="Om portalen", slug="om-portalen")
    HomePage.objects.get().add_child(instance=about)
    about.save_revision().publish()
    draft = StandardPage(title="Hemmelig kladd", slug="kladd", live=False)
    HomePage.objects.get().add_child(instance=draft)
    navigation = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    link = {"label": "", "page": None, "destination": "", "url": ""}
    navigation.main_menu = [
        {"type": "link", "value": {**link, "page": about.pk}},
        {"type": "link", "value": {**link, "page": draft.pk}},
        {"type": "link", "value": {**link, "destination": "ideas:submit"}},
        {
            "type": "link",
            "value": {**link, "label": "Kommunen", "url": "https://fjordvik.example.no"},
        },
    ]
    navigation.footer_text = "Drevet av Strategi og utvikling."
    navigation.footer_contact = "post@fjordvik.example.no"
    navigation.save()
    html = client.get("/").content.decode()
    nav = html.split('aria-label="Hovedmeny"')[1].split("</nav>")[0]
    assert 'href="/om-portalen/">Om portalen</a>' in nav
    assert 'href="/ideas/new/">Send inn en idé</a>' in nav
    assert 'href="https://fjordvik.example.no">Kommunen</a>' in nav
    assert "Hemmelig kladd" not in nav
    assert "/search/" not in nav
    assert "Drevet av Strategi og utvikling." in html
    assert 'href="mailto:post@fjordvik.example.no"' in html
    # In English the destination's own label follows the language; the page's
    # Norwegian title is marked as Norwegian (WCAG 3.1.2).
    english = client.get("/en/").content.decode()
    assert 'href="/en/ideas/new/">Submit an idea</a>' in english
    assert 'href="/en/om-portalen/" lang="nb">Om portalen</a>' in english


def test_editors_reach_the_home_page_and_menu_settings_in_the_admin(client, admin_user):
    from django.urls import reverse
    from wagtail.models import Site

    client.force_login(admin_user)
    home = HomePage.objects.get()
    assert client.get(reverse("wagtailadmin_pages:edit", args=(home.pk,))).status_code == 200
    site = Site.objects.get(is_default_site=True)
    settings_url = reverse("wagtailsettings:edit", args=("cms", "navigationsettings", site.pk))
    assert client.get(settings_url).status_code == 200
    add_standard = reverse("wagtailadmin_pages:add", args=("cms", "standardpage", home.pk))
    assert client.get(add_standard).status_code == 200
