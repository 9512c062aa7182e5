"""The starting list of circumstances (the banner edits it in the admin)."""

from django.db import migrations

CIRCUMSTANCES = [
    ("left_behind", "留守儿童"),
    ("single_parent", "单亲家庭"),
    ("orphan", "孤儿"),
    ("disability", "残疾"),
    ("hardship", "家庭困难"),
    ("dropout_risk", "有辍学风险"),
    ("law", "涉法涉诉"),
]


def add(apps, schema_editor):
    Circumstance = apps.get_model("youth", "Circumstance")
    for order, (code, name) in enumerate(CIRCUMSTANCES):
        Circumstance.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("youth", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
