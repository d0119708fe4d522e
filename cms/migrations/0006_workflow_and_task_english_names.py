"""English names beside the Norwegian names of Wagtail's workflows and tasks.

Wagtail's default workflow and its task (named in Norwegian by cms.0005) get the English
name Wagtail gave them, so English-speaking editors see English from the start.
"""

import django.db.models.deletion
from django.db import migrations, models

NORWEGIAN_NAME = "Godkjenning av moderator"
ENGLISH_NAME = "Moderator approval"


def name_the_default_workflow_in_english(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore.Workflow")
    Task = apps.get_model("wagtailcore.Task")
    WorkflowEnglishName = apps.get_model("cms.WorkflowEnglishName")
    TaskEnglishName = apps.get_model("cms.TaskEnglishName")
    for workflow in Workflow.objects.filter(name=NORWEGIAN_NAME):
        WorkflowEnglishName.objects.get_or_create(
            workflow=workflow, defaults={"name_en": ENGLISH_NAME}
        )
    for task in Task.objects.filter(name=NORWEGIAN_NAME):
        TaskEnglishName.objects.get_or_create(task=task, defaults={"name_en": ENGLISH_NAME})


class Migration(migrations.Migration):

    dependencies = [
        ('cms', '0005_english_locale_and_norwegian_workflow_names'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='TaskEnglishName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_en', models.CharField(blank=True, help_text='Shown to editors whose admin language is English. Leave empty to show the Norwegian name there.', max_length=255, verbose_name='name in English')),
                ('task', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='english_name', to='wagtailcore.task', verbose_name='workflow task')),
            ],
            options={
                'verbose_name': 'task name in English',
                'verbose_name_plural': 'task names in English',
            },
        ),
        migrations.CreateModel(
            name='WorkflowEnglishName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_en', models.CharField(blank=True, help_text='Shown to editors whose admin language is English. Leave empty to show the Norwegian name there.', max_length=255, verbose_name='name in English')),
                ('workflow', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='english_name', to='wagtailcore.workflow', verbose_name='workflow')),
            ],
            options={
                'verbose_name': 'workflow name in English',
                'verbose_name_plural': 'workflow names in English',
            },
        ),
        migrations.RunPython(name_the_default_workflow_in_english, migrations.RunPython.noop),
    ]
