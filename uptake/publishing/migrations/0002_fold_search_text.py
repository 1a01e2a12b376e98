"""Fold the public search text of existing publications the way `uptake.core.search` folds
it now: case and accents removed, so that "sante" finds "SANTÉ" on every database.

The text was lower-cased before; folding the lower-cased text gives what folding the
original would. A publication row is otherwise never edited: only this derived copy changes.
"""

import unicodedata

from django.db import migrations


def _fold(text):
    # A frozen copy of uptake.core.search.fold as it is today.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_search_text(apps, schema_editor):
    Publication = apps.get_model("publishing", "Publication")
    rows = Publication.objects.only("pk", "search_text").order_by("pk")
    changed = []
    for publication in rows.iterator(chunk_size=500):
        folded = _fold(publication.search_text)
        if folded != publication.search_text:
            publication.search_text = folded
            changed.append(publication)
        if len(changed) >= 500:
            Publication.objects.bulk_update(changed, ["search_text"])
            changed = []
    Publication.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fold_search_text, migrations.RunPython.noop),
    ]
