"""A copy of the unit's path on each assessment (see ``Assessment.unit_path``), filled from
the units, and the dashboard's covering index on it instead of the one by unit id."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_unit_paths(apps, schema_editor):  # type: ignore[no-untyped-def]
    Assessment = apps.get_model("assess", "Assessment")
    Unit = apps.get_model("orgs", "Unit")
    Assessment.objects.update(
        unit_path=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("path")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ("assess", "0002_dashboard_index"),
        ("orgs", "0004_dashboard_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        migrations.RunPython(fill_unit_paths, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="assessment",
            name="assessment_round_status",
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                fields=["round", "status", "unit_path", "passed"], name="assessment_round_path"
            ),
        ),
    ]
