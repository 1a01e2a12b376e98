# Written by hand on 2026-11-29: the backfill before 0010 makes the column required.
# Two migrations, not one: on PostgreSQL the UPDATE leaves the deferred foreign-key checks
# pending, and ALTER TABLE refuses to run in the same transaction.

from django.db import migrations
from django.db.models import OuterRef, Subquery


def give_each_action_a_unit(apps, schema_editor):
    """An action without a responsibility centre answered for by its response's unit, as the
    lists read it before this migration: that unit becomes its own."""
    Action = apps.get_model("evaluations", "Action")
    Response = apps.get_model("evaluations", "Response")
    Action.objects.filter(unit__isnull=True).update(
        unit_id=Subquery(Response.objects.filter(pk=OuterRef("response_id")).values("unit_id")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0008_program_fr'),
    ]

    operations = [
        migrations.RunPython(give_each_action_a_unit, migrations.RunPython.noop),
    ]
