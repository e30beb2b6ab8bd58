"""The audit table refuses UPDATE, DELETE and TRUNCATE at the database (PostgreSQL only)."""

from django.db import migrations

from apps.audit.sql import INSTALL_TRIGGER, REMOVE_TRIGGER


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(INSTALL_TRIGGER)  # no parameters: the % in the message stay as they are


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(REMOVE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_checkpoints_and_exports")]

    operations = [migrations.RunPython(install, remove)]
