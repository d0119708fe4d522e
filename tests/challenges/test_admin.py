"""Editors publish challenges with Wagtail's own moderation workflow."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from challenges.models import ChallengePage
from tests.factories import ThemeFactory, UnitFactory, UserFactory, challenge_index

pytestmark = pytest.mark.django_db


def challenge_form(unit, theme, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "title": "Ensomhet blant eldre som bor hjemme",
        "slug": "ensomhet-blant-eldre",
        "summary": "Hvordan kan flere eldre som bor hjemme få en hverdag med fellesskap?",
        "problem": streamfield(
            [("background", rich_text("<p>Mange eldre sier de sjelden snakker med noen.</p>"))]
        ),
        "hero_image": "",
        "hero_image_alt": "",
        "owning_unit": unit.pk,
        "contact_person": "",
        "theme": theme.pk,
        "tags": "eldre, ensomhet",
        "audience": "both",
        "opens_on": str(today - datetime.timedelta(days=1)),
        "closes_on": str(today + datetime.timedelta(days=30)),
        "status_override": "",
        "outcome": rich_text(""),
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.fixture
def editor(db):
    user = UserFactory(email="redaktor@example.no")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def moderator(db):
    user = UserFactory(email="moderator@example.no")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_editor_submits_a_challenge_for_moderation_and_a_moderator_publishes_it(
    client, editor, moderator
):
    index = challenge_index()
    unit, theme = UnitFactory(), ThemeFactory()
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=("challenges", "challengepage", index.pk))
    assert client.get(add_url).status_code == 200

    response = client.post(add_url, {**challenge_form(unit, theme), "action-submit": "Submit"})
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    page = ChallengePage.objects.get(slug="ensomhet-blant-eldre")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    # Nothing public yet.
    assert client.get("/utfordringer/ensomhet-blant-eldre/").status_code == 404

    # The editor may not publish by themselves.
    client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        {**challenge_form(unit, theme), "action-publish": "Publish"},
    )
    page.refresh_from_db()
    assert not page.live

    client.force_login(moderator)
    task_state = state.current_task_state
    preview = client.get(
        reverse("wagtailadmin_pages:workflow_preview", args=(page.pk, task_state.task_id))
    )
    assert preview.status_code == 200
    assert b"Mange eldre sier de sjelden snakker med noen." in preview.content
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
        {"comment": "Ser bra ut"},
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED

    client.logout()
    public = client.get(page.url)
    assert public.status_code == 200
    assert "Ensomhet blant eldre som bor hjemme" in public.content.decode()


def test_editor_saves_a_draft_that_is_not_public(client, editor):
    index = challenge_index()
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=("challenges", "challengepage", index.pk))
    response = client.post(add_url, challenge_form(UnitFactory(), ThemeFactory()))
    assert response.status_code == 302
    page = ChallengePage.objects.get(slug="ensomhet-blant-eldre")
    assert not page.live and page.has_unpublished_changes
    client.logout()
    assert client.get(index.url).content.decode().count("Ensomhet blant eldre") == 0


def test_scheduled_publishing_waits_for_the_go_live_time(client, moderator):
    from django.core.management import call_command

    index = challenge_index()
    client.force_login(moderator)
    add_url = reverse("wagtailadmin_pages:add", args=("challenges", "challengepage", index.pk))
    go_live = timezone.localtime() + datetime.timedelta(hours=1)
    response = client.post(
        add_url,
        {
            **challenge_form(UnitFactory(), ThemeFactory()),
            "go_live_at": go_live.strftime("%Y-%m-%d %H:%M"),
            "action-publish": "Publish",
        },
    )
    assert response.status_code == 302
    page = ChallengePage.objects.get(slug="ensomhet-blant-eldre")
    assert not page.live
    assert page.latest_revision.approved_go_live_at is not None
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live
    # Once the time has come, Wagtail's scheduler publishes it.
    revision = page.latest_revision
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live


def test_alt_text_is_required_for_a_hero_image_in_the_admin(client, moderator, settings, tmp_path):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(title="Eldre på benk", file=get_test_image_file())
    index = challenge_index()
    client.force_login(moderator)
    add_url = reverse("wagtailadmin_pages:add", args=("challenges", "challengepage", index.pk))
    response = client.post(
        add_url,
        {
            **challenge_form(UnitFactory(), ThemeFactory(), hero_image=image.pk),
            "action-publish": "Publish",
        },
    )
    assert response.status_code == 200
    assert "hero_image_alt" in response.context["form"].errors
    assert not Page.objects.filter(slug="ensomhet-blant-eldre").exists()


def test_a_tag_renamed_in_the_admin_shows_on_the_challenge_page_at_once(
    client, site_settings, django_capture_on_commit_callbacks
):
    """Issue #11, item 12: a renamed tag (then in taggit's Django admin) left challenge
    pages showing the old name. Tags are now edited in the Wagtail admin, and whatever
    writes them reaches the cached pages and search through portal.invalidation."""
    from taggit.models import Tag

    from search.backends import get_database_backend
    from tests.factories import create_challenge

    challenge = create_challenge(title="Trygg skolevei")
    challenge.tags.add("skolevei")
    challenge.save_revision().publish()
    get_database_backend().rebuild()
    assert "skolevei" in client.get(challenge.url).content.decode()
    tag = Tag.objects.get(name="skolevei")

    with django_capture_on_commit_callbacks(execute=True):
        tag.name = "gangvei"  # what taggit's Django admin did
        tag.save()
    page = client.get(challenge.url).content.decode()
    assert ">gangvei<" in page and ">skolevei<" not in page

    admin = type(client)()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("page_tags:edit", args=[tag.pk]), {"name": "trafikksikkerhet", "slug": "ts"}
        )
    assert response.status_code == 302

    page = client.get(challenge.url).content.decode()
    assert ">trafikksikkerhet<" in page and ">gangvei<" not in page
    assert get_database_backend().search("trafikksikkerhet").total == 1
