# Required once 0005_first_municipality has given every unit one.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0005_first_municipality'),
    ]

    operations = [
        migrations.AlterField(
            model_name='unit',
            name='municipality',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='units', to='portal.municipality', verbose_name='municipality'),
        ),
    ]
