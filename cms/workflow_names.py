"""Workflow and task names in the admin user's language.

Wagtail's `Workflow` and `Task` have one `name`. It holds the Norwegian name (Bokmål is
the portal's default language; migration cms.0005 names Wagtail's default workflow so);
the English name is a `cms.models.WorkflowEnglishName` or `TaskEnglishName` beside it.

Wagtail's admin shows these names in some forty places: the workflow and task lists, the
page's status side panel and its "Submit to …" button, the workflow history, the
dashboard's moderation panels, the reports, the messages after an action and the
notification e-mails (which Wagtail renders in each recipient's language). All of them
read `workflow.name`, `task.name` or `str(workflow)` and make text of it with `str()`:
`{{ }}`, string filters such as `|safe`, `%`-formatting, `format_html`. So rather than
copy those templates, every workflow and task loaded from the database gets its `name`
as a `DisplayName`: a `str` whose *value* is the stored Norwegian name, so that saving,
comparing, searching, sorting, JSON and Wagtail's audit log see exactly what is stored,
and whose `str()` is the name in the interface language (Norwegian when no English name
is written).

Wagtail's audit log keeps the names a workflow action had (`data["workflow"]`), and the
page history makes its messages of them; those logged names read the same way.

The screens that edit the Norwegian name (Wagtail's workflow and task edit screens) must
put the stored name in their `name` field, or an English-speaking editor would find the
English name there and save it as the Norwegian one; the screens for the English names
show each beside the stored one. `StoredWorkflowNamesMiddleware` (cms.middleware) shows
stored names for those screens' requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import SimpleNamespace
from typing import Any, Literal

from django.db import models
from wagtail.models import Task, Workflow

from portal import versions
from portal.i18n import default_language, interface_language, label

# The version the cached English names carry (registered in cms.apps).
VERSION = "workflow-names"

# Wagtail's screens whose form edits the stored (Norwegian) name of a workflow or task.
NAME_EDITING_VIEWS = frozenset({"wagtailadmin_workflows:edit", "wagtailadmin_workflows:edit_task"})
# The URL namespaces of the English names' screens (cms.wagtail_hooks).
WORKFLOW_NAMES_IN_ENGLISH = "workflow-names-en"
TASK_NAMES_IN_ENGLISH = "task-names-en"
ENGLISH_NAME_SCREENS = frozenset({WORKFLOW_NAMES_IN_ENGLISH, TASK_NAMES_IN_ENGLISH})

Kind = Literal["workflow", "task"]

_showing_stored: ContextVar[bool] = ContextVar("cms_showing_stored_names", default=False)


@contextmanager
def showing_stored_names(stored: bool = True) -> Iterator[None]:
    """Within the block, workflow and task names read as stored (or, with
    `stored=False`, in the interface language)."""
    token = _showing_stored.set(stored)
    try:
        yield
    finally:
        _showing_stored.reset(token)


def show_stored_names() -> None:
    """Show stored names until the enclosing `showing_stored_names` block ends."""
    _showing_stored.set(True)


def english_names() -> dict[tuple[Kind, int], str]:
    """Every written English name, by ("workflow" | "task", pk); cached (two queries
    when a name changed)."""

    def compute() -> dict[tuple[Kind, int], str]:
        from cms.models import TaskEnglishName, WorkflowEnglishName

        names: dict[tuple[Kind, int], str] = {}
        for pk, name in WorkflowEnglishName.objects.values_list("workflow_id", "name_en"):
            names["workflow", pk] = name
        for pk, name in TaskEnglishName.objects.values_list("task_id", "name_en"):
            names["task", pk] = name
        return names

    return versions.cached(VERSION, "english", compute)


class DisplayName(str):
    """The stored (Norwegian) name of a workflow or task, shown as text in the
    interface language.

    Its value, as Python compares, hashes, concatenates and stores it, is the stored
    name; `str()` and `format()` give the name to show.
    """

    kind: Kind
    pk: int

    def __new__(cls, stored: str, kind: Kind, pk: int) -> DisplayName:
        name = super().__new__(cls, stored)
        name.kind, name.pk = kind, pk
        return name

    @property
    def stored(self) -> str:
        return str.__str__(self)

    def __str__(self) -> str:
        stored = self.stored
        if _showing_stored.get() or interface_language() == default_language():
            return stored
        english = english_names().get((self.kind, self.pk), "")
        return str(label(SimpleNamespace(name=stored, name_en=english), "name"))

    def __format__(self, format_spec: str) -> str:
        return format(str(self), format_spec)

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (cached) with what it names
        return (DisplayName, (self.stored, self.kind, self.pk))


def shows_stored_names(view_name: str, namespace: str) -> bool:
    """Whether the admin screen of this URL shows workflow and task names as stored."""
    return view_name in NAME_EDITING_VIEWS or namespace in ENGLISH_NAME_SCREENS


def kind_of(model: type[models.Model]) -> Kind | None:
    if issubclass(model, Workflow):
        return "workflow"
    if issubclass(model, Task):
        return "task"
    return None


def show_in_interface_language(
    sender: type[models.Model], instance: models.Model, **kwargs
) -> None:
    """post_init receiver for Workflow, Task and every Task model: a loaded object's
    name becomes a DisplayName. New, unsaved objects keep the name they are given."""
    stored = instance.__dict__.get("name")  # absent when deferred
    kind = kind_of(sender)
    if kind is None or instance.pk is None or type(stored) is not str:
        return
    instance.name = DisplayName(stored, kind, instance.pk)


def show_logged_names_in_interface_language(
    sender: type[models.Model], instance: models.Model, **kwargs
) -> None:
    """post_init receiver for Wagtail's log entries: the names a workflow action logged
    (`data["workflow"]`: the workflow, its task and the next task, each with its id
    and "title") read like the live ones. Their stored value stays what was logged."""
    data = instance.__dict__.get("data")
    logged = data.get("workflow") if isinstance(data, dict) else None
    if not isinstance(logged, dict):
        return
    _show_logged(logged, "workflow")
    for key in ("task", "next"):
        if isinstance(logged.get(key), dict):
            _show_logged(logged[key], "task")


def _show_logged(entry: dict[str, Any], kind: Kind) -> None:
    title, pk = entry.get("title"), entry.get("id")
    if type(title) is str and isinstance(pk, int):
        entry["title"] = DisplayName(title, kind, pk)


def name_municipality_workflow(municipality) -> None:
    """Store the English names of a municipality's page workflow and its task (made by
    `portal.services.municipality_groups_update`), which follow the municipality's name
    in both languages, as the stored Norwegian names do."""
    from cms.models import TaskEnglishName, WorkflowEnglishName
    from portal.services import workflow_names

    workflow = municipality.workflow
    if workflow is None:
        return
    name, task_name = workflow_names(municipality, "en")
    WorkflowEnglishName.objects.update_or_create(workflow=workflow, defaults={"name_en": name})
    for task in workflow.tasks.all():
        TaskEnglishName.objects.update_or_create(task=task, defaults={"name_en": task_name})
