"""Load the change-idea library into a new database (mhsip/improvement/data/change_ideas.toml).

It reads the file as it is when the migration runs; `mhsip load_change_ideas` brings an existing
database up to date after the file changes.
"""

from django.db import migrations


def load(apps, schema_editor):
    from mhsip.improvement.library import load_library

    load_library(apps.get_model("improvement", "ChangeIdea"))


class Migration(migrations.Migration):
    dependencies = [("improvement", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
