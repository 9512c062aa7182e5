"""A column's list reads one index alone (issue 17): the accepted placements only, with
``via`` (``Placement.Meta``; ``selectors/rows.py``). The index it replaces held every
placement and no ``via``: a column's statement was no covering read of it, and tested
``accepted`` on every entry it skipped to a deep page or counted."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0006_subtree_tally"),
        ("unitsites", "0005_placement_list_keys"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="placement",
            name="placement_column",
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                condition=models.Q(("accepted", True)),
                fields=["unit", "column_key", "pinned", "shown_from", "article", "via", "accepted"],
                name="placement_column_shown",
            ),
        ),
    ]
