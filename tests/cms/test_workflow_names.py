"""Workflow and task names in the editor's admin language (cms.workflow_names).

Wagtail's default workflow and its task are named "Godkjenning av moderator" (cms.0005)
and "Moderator approval" in English (cms.0006).
"""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import PageLogEntry, Task, Workflow
from wagtail.users.models import UserProfile

from cms.models import TaskEnglishName, WorkflowEnglishName
from tests.factories import UserFactory, create_challenge

pytestmark = pytest.mark.django_db

NORWEGIAN = "Godkjenning av moderator"
ENGLISH = "Moderator approval"


def editor(language: str, **fields):
    """An administrator whose admin language (Wagtail's account setting) is `language`."""
    user = UserFactory(is_superuser=True, is_staff=True, **fields)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def default_workflow() -> Workflow:
    return Workflow.objects.get(name=NORWEGIAN)


def default_task() -> Task:
    return Task.objects.get(name=NORWEGIAN)


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def page_in_moderation(submitter):
    """A challenge whose draft `submitter` has submitted to the default workflow."""
    page = create_challenge(title="Trygg skolevei", live=False)
    page.save_revision(user=submitter)
    page.get_workflow().start(page, submitter)
    return page


def test_the_default_workflow_and_task_have_an_english_name():
    assert WorkflowEnglishName.objects.get(workflow=default_workflow()).name_en == ENGLISH
    assert TaskEnglishName.objects.get(task=default_task()).name_en == ENGLISH


# --- What editors see ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("en", ENGLISH, NORWEGIAN), ("nb", NORWEGIAN, ENGLISH)]
)
def test_workflow_and_task_lists_show_names_in_the_editors_language(
    client, django_assert_max_num_queries, language, shown, hidden
):
    client.force_login(editor(language))
    for n in range(5):  # more rows cost no more queries
        WorkflowEnglishName.objects.create(
            workflow=Workflow.objects.create(name=f"Flyt {n}"), name_en=f"Flow {n}"
        )
    html(client, reverse("wagtailadmin_workflows:index"))  # the names are cached after this
    for url in (
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailadmin_workflows:task_index"),
    ):
        with django_assert_max_num_queries(14):
            page = html(client, url)
        assert shown in page
        assert hidden not in page


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("en", ENGLISH, NORWEGIAN), ("nb", NORWEGIAN, ENGLISH)]
)
def test_a_pages_moderation_status_shows_names_in_the_editors_language(
    client, language, shown, hidden
):
    reader = editor(language)
    page = page_in_moderation(UserFactory(is_staff=True))
    client.force_login(reader)

    edit = html(client, reverse("wagtailadmin_pages:edit", args=[page.pk]))
    # The status side panel: the workflow's dialog, its tasks, the current task.
    assert shown in edit and hidden not in edit
    history = html(client, reverse("wagtailadmin_pages:workflow_history", args=[page.pk]))
    assert shown in history and hidden not in history
    dashboard = html(client, reverse("wagtailadmin_home"))
    assert shown in dashboard and hidden not in dashboard
    # The page's history reads the names the audit log recorded: Norwegian, as stored.
    page_history = html(client, reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert shown in page_history and hidden not in page_history
    logged = PageLogEntry.objects.filter(action="wagtail.workflow.start").values_list(
        "data", flat=True
    )
    assert logged.get()["workflow"]["title"] == NORWEGIAN


def test_the_submit_button_names_the_workflow_in_the_editors_language(client):
    page = create_challenge(title="Trygg skolevei")
    for language, shown, hidden in (("en", ENGLISH, NORWEGIAN), ("nb", NORWEGIAN, ENGLISH)):
        client.force_login(editor(language))
        edit = html(client, reverse("wagtailadmin_pages:edit", args=[page.pk]))
        label = "Submit to " if language == "en" else "Send inn til "
        assert label + shown in edit
        assert hidden not in edit


def test_moderators_are_emailed_the_names_in_their_language(client):
    english_moderator = editor("en", email="moderator@example.no")
    norwegian_moderator = editor("nb", email="moderator2@example.no")
    mail.outbox.clear()

    page_in_moderation(UserFactory(is_staff=True))

    by_recipient = {message.to[0]: message for message in mail.outbox}
    english = by_recipient[english_moderator.email]
    norwegian = by_recipient[norwegian_moderator.email]
    assert ENGLISH in english.subject + english.body
    assert NORWEGIAN not in english.subject + english.body
    assert NORWEGIAN in norwegian.subject + norwegian.body
    assert ENGLISH not in norwegian.subject + norwegian.body


def test_a_name_without_an_english_version_is_shown_in_norwegian(client):
    Workflow.objects.create(name="Fagkontroll")
    client.force_login(editor("en"))

    listing = html(client, reverse("wagtailadmin_workflows:index"))

    assert "Fagkontroll" in listing
    assert ENGLISH in listing  # the default workflow still has its English name


def test_an_empty_english_name_falls_back_to_norwegian(client):
    row = WorkflowEnglishName.objects.get(workflow=default_workflow())
    row.name_en = ""
    row.save()
    client.force_login(editor("en"))

    listing = html(client, reverse("wagtailadmin_workflows:index"))

    assert NORWEGIAN in listing  # the workflow's name
    assert ENGLISH in listing  # its task's


# --- Editing the names -----------------------------------------------------------------


def test_wagtails_edit_screens_keep_the_norwegian_name_in_its_field(client):
    """An English-speaking editor edits the Norwegian name, and saving keeps it."""
    workflow, task = default_workflow(), default_task()
    client.force_login(editor("en"))

    edit = html(client, reverse("wagtailadmin_workflows:edit", args=[workflow.pk]))
    assert f'value="{NORWEGIAN}"' in edit
    assert f'Name in English: <strong lang="en">{ENGLISH}</strong>' in edit
    edit_task = html(client, reverse("wagtailadmin_workflows:edit_task", args=[task.pk]))
    assert f'value="{NORWEGIAN}"' in edit_task
    assert f'Name in English: <strong lang="en">{ENGLISH}</strong>' in edit_task

    response = client.post(
        reverse("wagtailadmin_workflows:edit", args=[workflow.pk]),
        {
            "name": NORWEGIAN,
            "workflow_tasks-TOTAL_FORMS": "1",
            "workflow_tasks-INITIAL_FORMS": "1",
            "workflow_tasks-MIN_NUM_FORMS": "0",
            "workflow_tasks-MAX_NUM_FORMS": "1000",
            "workflow_tasks-0-id": str(workflow.workflow_tasks.get().pk),
            "workflow_tasks-0-task": str(task.pk),
            "workflow_tasks-0-ORDER": "1",
            "workflow_tasks-0-DELETE": "",
            "pages-TOTAL_FORMS": "0",
            "pages-INITIAL_FORMS": "0",
            "pages-MIN_NUM_FORMS": "0",
            "pages-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Workflow.objects.get(pk=workflow.pk).name == NORWEGIAN
    groups = [str(pk) for pk in task.specific.groups.values_list("pk", flat=True)]
    response = client.post(
        reverse("wagtailadmin_workflows:edit_task", args=[task.pk]), {"groups": groups}
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).name == NORWEGIAN


def test_disabling_a_workflow_in_english_keeps_its_norwegian_name(client):
    """Wagtail saves the workflow it loaded, name and all, while the English admin shows."""
    workflow = default_workflow()
    client.force_login(editor("en"))

    response = client.post(reverse("wagtailadmin_workflows:disable", args=[workflow.pk]))

    assert response.status_code == 302
    stored = Workflow.objects.filter(pk=workflow.pk).values("name", "active").get()
    assert stored == {"name": NORWEGIAN, "active": False}


def test_editing_the_english_name_shows_it_everywhere(client):
    workflow = default_workflow()
    client.force_login(editor("en"))
    row = WorkflowEnglishName.objects.get(workflow=workflow)
    url = reverse("workflow-names-en:edit", args=[row.pk])
    dashboard = html(client, reverse("wagtailadmin_home"))
    assert reverse("workflow-names-en:index") in dashboard  # under Settings
    assert ENGLISH in html(client, reverse("wagtailadmin_workflows:index"))  # now cached
    assert ENGLISH in html(client, url)

    response = client.post(url, {"workflow": workflow.pk, "name_en": "Approval by a moderator"})

    assert response.status_code == 302
    assert WorkflowEnglishName.objects.get(pk=row.pk).name_en == "Approval by a moderator"
    assert "Approval by a moderator" in html(client, reverse("wagtailadmin_workflows:index"))


def test_a_rejected_english_name_keeps_what_was_typed(client):
    workflow = default_workflow()
    client.force_login(editor("en"))
    row = WorkflowEnglishName.objects.get(workflow=workflow)
    typed = "Approval " + "x" * 260

    response = client.post(
        reverse("workflow-names-en:edit", args=[row.pk]),
        {"workflow": workflow.pk, "name_en": typed},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value has at most 255 characters" in page
    assert typed in page
    assert WorkflowEnglishName.objects.get(pk=row.pk).name_en == ENGLISH


def test_a_new_workflow_gets_its_english_name_from_its_edit_screen(client):
    workflow = Workflow.objects.create(name="Fagkontroll")
    client.force_login(editor("nb"))

    edit = html(client, reverse("wagtailadmin_workflows:edit", args=[workflow.pk]))
    add_url = f"{reverse('workflow-names-en:add')}?workflow={workflow.pk}"
    assert "Ikke noe navn på engelsk ennå" in edit
    assert f'<a href="{add_url}">Endre navnet på engelsk</a>' in edit
    form = html(client, add_url)
    assert f'<option value="{workflow.pk}" selected>Fagkontroll</option>' in form

    response = client.post(
        reverse("workflow-names-en:add"), {"workflow": workflow.pk, "name_en": "Review"}
    )
    assert response.status_code == 302
    assert WorkflowEnglishName.objects.get(workflow=workflow).name_en == "Review"


def test_english_task_names_are_edited_the_same_way(client):
    task = default_task()
    client.force_login(editor("en"))
    row = TaskEnglishName.objects.get(task=task)

    response = client.post(
        reverse("task-names-en:edit", args=[row.pk]), {"task": task.pk, "name_en": "Moderation"}
    )

    assert response.status_code == 302
    assert "Moderation" in html(client, reverse("wagtailadmin_workflows:task_index"))


def test_the_english_names_list_costs_the_same_for_more_rows(client, django_assert_max_num_queries):
    client.force_login(editor("en"))
    for n in range(5):
        WorkflowEnglishName.objects.create(
            workflow=Workflow.objects.create(name=f"Flyt {n}"), name_en=f"Flow {n}"
        )
    url = reverse("workflow-names-en:index")
    html(client, url)
    with django_assert_max_num_queries(14):
        listing = html(client, url)
    # Each English name beside the Norwegian one it translates.
    assert "Flyt 4" in listing and "Flow 4" in listing
    assert NORWEGIAN in listing and ENGLISH in listing


def test_only_those_who_may_change_workflows_write_their_english_names(client):
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))  # Wagtail's: no workflows
    client.force_login(moderator)
    row = WorkflowEnglishName.objects.get(workflow=default_workflow())

    listing = client.get(reverse("workflow-names-en:index"))
    edit = client.post(
        reverse("workflow-names-en:edit", args=[row.pk]),
        {"workflow": row.workflow_id, "name_en": "Changed"},
    )

    assert listing.status_code == edit.status_code == 302
    assert listing["Location"] == reverse("wagtailadmin_home")
    assert WorkflowEnglishName.objects.get(pk=row.pk).name_en == ENGLISH
    dashboard = html(client, reverse("wagtailadmin_home"))
    assert reverse("workflow-names-en:index") not in dashboard
