from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0003_verbose_names"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="unit",
            index=models.Index(fields=["kind", "path"], name="unit_kind_path"),
        ),
        migrations.AddIndex(
            model_name="unit",
            index=models.Index(fields=["status", "path"], name="unit_status_path"),
        ),
    ]
