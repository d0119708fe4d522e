"""A challenge's entry keeps its dates and the editor's override instead of a status.

The status a challenge had on the day it was indexed went stale as its dates passed;
searches now derive it for the day they run. Existing challenge entries get their dates
from their pages (one UPDATE), and lose the stored status and its facet row, so nothing
needs a rebuild.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill_challenge_dates(apps, schema_editor):
    alias = schema_editor.connection.alias
    IndexEntry = apps.get_model("portal_search", "IndexEntry")
    IndexFacet = apps.get_model("portal_search", "IndexFacet")
    ChallengePage = apps.get_model("challenges", "ChallengePage")
    page = ChallengePage.objects.using(alias).filter(pk=OuterRef("object_id"))
    IndexEntry.objects.using(alias).filter(object_type="challenge").update(
        opens_on=Subquery(page.values("opens_on")[:1]),
        closes_on=Subquery(page.values("closes_on")[:1]),
        status_override=Coalesce(Subquery(page.values("status_override")[:1]), Value("")),
        status="",
    )
    IndexFacet.objects.using(alias).filter(
        facet="status", entry__object_type="challenge"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal_search", "0004_ranked_fulltext"),
        ("challenges", "0003_theme_english_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="indexentry",
            name="opens_on",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="indexentry",
            name="closes_on",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="indexentry",
            name="status_override",
            field=models.CharField(blank=True, max_length=20),
        ),
        # Backwards, the columns go; a rebuild stores the statuses again.
        migrations.RunPython(fill_challenge_dates, migrations.RunPython.noop),
    ]
