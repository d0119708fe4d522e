"""A municipality's own page workflow: its editors' pages go to its administrators.

Without it every draft in the region went to the platform's one default workflow, whose
moderators approve every municipality's pages (docs/regional.md, "People").
"""

from __future__ import annotations

import pytest
from django.utils import translation
from wagtail.models import Page, Workflow, WorkflowPage

from portal.services import municipality_groups_update
from tests.factories import MunicipalityFactory, UserFactory, default_municipality

pytestmark = pytest.mark.django_db


def _page(parent: Page, slug: str) -> Page:
    return parent.add_child(instance=Page(title=slug, slug=slug))


def _member(group):
    user = UserFactory()
    user.groups.add(group)
    return user


@pytest.fixture
def region():
    """Fjordvik and Havbygd, each with a home page (a stand-in page), groups and members."""
    root = Page.get_first_root_node()
    homes, people = {}, {}
    for municipality in (
        default_municipality(),
        MunicipalityFactory(name="Havbygd kommune", slug="havbygd"),
    ):
        home = _page(root, municipality.slug + "-hjem")
        administrators, editors = municipality_groups_update(
            municipality=municipality, root_page=home
        )
        municipality.refresh_from_db()
        homes[municipality.slug] = (municipality, home)
        people[municipality.slug] = (_member(administrators), _member(editors))
    return homes, people


def test_pages_below_a_municipalitys_home_go_to_its_own_workflow(region):
    homes, _people = region
    (fjordvik, fjordvik_home), (havbygd, havbygd_home) = homes.values()

    assert fjordvik.workflow != havbygd.workflow
    assert _page(fjordvik_home, "nyhet").get_workflow() == fjordvik.workflow
    assert _page(havbygd_home, "nyhet").get_workflow() == havbygd.workflow
    # The rest of the site keeps the workflow it had (Wagtail's default, on the root).
    elsewhere = _page(Page.get_first_root_node(), "om-portalen")
    assert elsewhere.get_workflow() not in (fjordvik.workflow, havbygd.workflow)
    assert fjordvik.workflow.name == "Fjordvik kommune: godkjenning av sider"
    task = fjordvik.workflow.tasks.get().specific
    assert task.name == "Fjordvik kommune: administratorene godkjenner"
    assert list(task.groups.all()) == [fjordvik.administrators_group]


def test_only_the_municipalitys_own_administrators_may_approve_its_editors_pages(region):
    homes, people = region
    (_fjordvik, _fjordvik_home), (havbygd, havbygd_home) = homes.values()
    fjordvik_admin, fjordvik_editor = people["fjordvik"]
    havbygd_admin, havbygd_editor = people["havbygd"]

    page = _page(havbygd_home, "apen-dag")
    page.save_revision(user=havbygd_editor)
    page.get_workflow().start(page, havbygd_editor)
    task = page.current_workflow_task

    def may_approve(user) -> bool:
        return any(name == "approve" for name, *_rest in task.specific.get_actions(page, user))

    assert may_approve(havbygd_admin)
    for user in (havbygd_editor, fjordvik_admin, fjordvik_editor, UserFactory(is_staff=True)):
        assert not may_approve(user), user


def test_running_again_keeps_one_workflow_following_the_municipality_and_its_home():
    fjordvik = default_municipality()
    root = Page.get_first_root_node()
    first_home, new_home = _page(root, "hjem-1"), _page(root, "hjem-2")
    municipality_groups_update(municipality=fjordvik, root_page=first_home)
    workflow = Workflow.objects.get(municipality=fjordvik)

    fjordvik.name = "Nye Fjordvik kommune"
    fjordvik.save()
    municipality_groups_update(municipality=fjordvik, root_page=new_home)

    workflow.refresh_from_db()
    assert Workflow.objects.filter(name__contains="Fjordvik").count() == 1
    assert workflow.name == "Nye Fjordvik kommune: godkjenning av sider"
    assert workflow.tasks.count() == 1
    assert list(WorkflowPage.objects.filter(workflow=workflow).values_list("page", flat=True)) == [
        new_home.pk
    ]


def test_without_a_home_page_the_workflow_is_on_no_page():
    fjordvik = default_municipality()
    municipality_groups_update(municipality=fjordvik)
    fjordvik.refresh_from_db()
    assert fjordvik.workflow is not None
    assert not WorkflowPage.objects.filter(workflow=fjordvik.workflow).exists()


def test_ensure_home_names_the_workflow_in_english_too():
    from challenges.municipal_sites import ensure_home

    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd")
    ensure_home(havbygd)
    havbygd.refresh_from_db()
    workflow = Workflow.objects.get(pk=havbygd.workflow_id)
    task = workflow.tasks.get()
    with translation.override("en"):
        assert str(workflow.name) == "Havbygd kommune: page approval"
        assert str(task.name) == "Havbygd kommune: administrators approve"
    with translation.override("nb"):
        assert str(workflow.name) == "Havbygd kommune: godkjenning av sider"
