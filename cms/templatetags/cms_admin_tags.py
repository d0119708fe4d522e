"""Tags for the cms app's additions to Wagtail's admin screens."""

from __future__ import annotations

from django import template
from django.urls import reverse
from wagtail.models import Task, Workflow

from cms.models import TaskEnglishName, WorkflowEnglishName
from cms.wagtail_hooks import task_english_names, workflow_english_names

register = template.Library()


@register.inclusion_tag("cms/admin/english_name.html")
def english_name(named: Workflow | Task) -> dict[str, str]:
    """The English name of a workflow or task, and where to write it."""
    if isinstance(named, Workflow):
        kind, model, viewset = "workflow", WorkflowEnglishName, workflow_english_names
    else:
        kind, model, viewset = "task", TaskEnglishName, task_english_names
    row = model.objects.filter(**{kind: named.pk}).first()
    if row is None:
        url = f"{reverse(viewset.get_url_name('add'))}?{kind}={named.pk}"
        return {"name_en": "", "url": url}
    return {"name_en": row.name_en, "url": reverse(viewset.get_url_name("edit"), args=[row.pk])}
