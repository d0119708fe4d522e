"""Admin screens of the cms app: the English names of Wagtail's workflows and tasks.

Wagtail's own workflow and task forms edit the Norwegian name and cannot take more
fields, so the English name has its screen here, reached from Wagtail's edit screens
(the overridden `wagtailadmin/workflows/edit.html` and `edit_task.html`) and from
*Settings*. How the names are then shown: cms.workflow_names.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Task, Workflow
from wagtail.permission_policies.base import BasePermissionPolicy, ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.models import TaskEnglishName, WorkflowEnglishName
from cms.workflow_names import TASK_NAMES_IN_ENGLISH, WORKFLOW_NAMES_IN_ENGLISH
from portal.ids import IdChoicesMixin


class AsWagtailsChangePermission(BasePermissionPolicy):
    """Whoever may change a workflow (or task) may write its English name, and only they:
    the name is part of the workflow, which Wagtail's permissions guard."""

    def __init__(self, model: type[Model], named_model: type[Model]) -> None:
        super().__init__(model)
        self.named = ModelPermissionPolicy(named_model)

    def user_has_permission(self, user, action: str) -> bool:
        return self.named.user_has_permission(user, "change")

    def users_with_any_permission(self, actions) -> QuerySet:
        return self.named.users_with_permission("change")


register_permission_policy(
    WorkflowEnglishName, AsWagtailsChangePermission(WorkflowEnglishName, Workflow)
)
register_permission_policy(TaskEnglishName, AsWagtailsChangePermission(TaskEnglishName, Task))


class NamedFromQueryCreateView(CreateView):
    """The add form with the workflow (task) chosen when the link from Wagtail's edit
    screen names it (`?workflow=<pk>`, `?task=<pk>`)."""

    named_field: str

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        value = self.request.GET.get(self.named_field, "")
        if value.isdigit():
            initial[self.named_field] = int(value)
        return initial


class WorkflowNameCreateView(NamedFromQueryCreateView):
    named_field = "workflow"


class TaskNameCreateView(NamedFromQueryCreateView):
    named_field = "task"


class WorkflowEnglishNameViewSet(IdChoicesMixin, ModelViewSet):
    model = WorkflowEnglishName
    icon = "tasks"
    menu_label = _("Workflow names in English")
    add_to_settings_menu = True
    add_view_class = WorkflowNameCreateView
    list_display = ["workflow", "name_en"]
    ordering = ["workflow__name"]
    inspect_view_enabled = False
    copy_view_enabled = False


class TaskEnglishNameViewSet(IdChoicesMixin, ModelViewSet):
    model = TaskEnglishName
    icon = "thumbtack"
    menu_label = _("Task names in English")
    add_to_settings_menu = True
    add_view_class = TaskNameCreateView
    list_display = ["task", "name_en"]
    ordering = ["task__name"]
    inspect_view_enabled = False
    copy_view_enabled = False


# Their URL namespaces show names as stored (cms.workflow_names).
workflow_english_names = WorkflowEnglishNameViewSet(WORKFLOW_NAMES_IN_ENGLISH)
task_english_names = TaskEnglishNameViewSet(TASK_NAMES_IN_ENGLISH)


@hooks.register("register_admin_viewset")
def register_english_name_viewsets() -> list[ModelViewSet]:
    return [workflow_english_names, task_english_names]
