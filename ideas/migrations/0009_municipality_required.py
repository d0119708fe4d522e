# Required once portal.0005_first_municipality has given every idea and rule one; the
# index comes after the data, cheaper to build than to keep up during the UPDATE.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ideas', '0008_idea_and_rule_municipality'),
        ('portal', '0006_unit_municipality_required'),
    ]

    operations = [
        migrations.AlterField(
            model_name='idea',
            name='municipality',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ideas', to='portal.municipality', verbose_name='municipality'),
        ),
        migrations.AlterField(
            model_name='routingrule',
            name='municipality',
            field=models.ForeignKey(help_text="The rule applies only to ideas in this municipality. Left empty: the target unit's.", on_delete=django.db.models.deletion.PROTECT, related_name='routing_rules', to='portal.municipality', verbose_name='municipality'),
        ),
        migrations.AddIndex(
            model_name='idea',
            index=models.Index(fields=['municipality', 'status'], name='ideas_municipality_status'),
        ),
    ]
