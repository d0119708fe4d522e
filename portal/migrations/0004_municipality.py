# Unit.municipality nullable first: 0005_first_municipality fills it, 0006 requires it.

import django.db.models.deletion
import portal.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0003_unit_english_name'),
        ('wagtailimages', '0027_image_description'),
    ]

    operations = [
        migrations.CreateModel(
            name='Municipality',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('slug', models.SlugField(help_text='Used in web addresses, e.g. “fjordvik”.', max_length=60, unique=True, verbose_name='slug')),
                ('number', models.CharField(help_text='The four-digit kommunenummer from Statistics Norway, e.g. 4601.', max_length=4, unique=True, validators=[portal.validators.validate_municipality_number], verbose_name='municipality number')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='contact e-mail')),
                ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name='contact phone')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('inhabitants', models.PositiveIntegerField(blank=True, help_text='Used to compare solutions between municipalities of similar size.', null=True, verbose_name='inhabitants')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('coat_of_arms', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='coat of arms')),
                ('intake_unit', models.ForeignKey(blank=True, help_text='Receives the ideas that no routing rule or challenge claims.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.unit', verbose_name='intake unit')),
            ],
            options={
                'verbose_name': 'municipality',
                'verbose_name_plural': 'municipalities',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='unit',
            name='municipality',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='units', to='portal.municipality', verbose_name='municipality'),
        ),
        migrations.AddConstraint(
            model_name='municipality',
            constraint=models.CheckConstraint(condition=models.Q(('number__regex', '^[0-9]{4}$')), name='portal_municipality_number_four_digits'),
        ),
    ]
