from django.db import migrations


def seed_catalogue(apps, schema_editor):
    """The published catalogue (DOMAIN.md). Idempotent: existing entries are left as they are."""
    from apps.catalogue.seed import load_entries

    load_entries(apps.get_model("catalogue", "CatalogueEntry"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(seed_catalogue, migrations.RunPython.noop)]
