# Nullable first: portal.0005_first_municipality fills them, 0009 makes them required.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ideas', '0007_comment_revisions'),
        ('portal', '0004_municipality'),
    ]

    operations = [
        migrations.AddField(
            model_name='idea',
            name='municipality',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ideas', to='portal.municipality', verbose_name='municipality'),
        ),
        migrations.AddField(
            model_name='routingrule',
            name='municipality',
            field=models.ForeignKey(help_text="The rule applies only to ideas in this municipality. Left empty: the target unit's.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='routing_rules', to='portal.municipality', verbose_name='municipality'),
        ),
    ]
