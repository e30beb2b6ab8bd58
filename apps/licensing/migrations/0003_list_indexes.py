"""The queue and the licence lists on 200,000 applications: indexes that give each sort its
order, and the catalogue entries of an application's lines on its own row (filled here for
existing applications), with a GIN index on PostgreSQL for the element filter. SQLite has no
such index; there the filter joins the lines (apps/licensing/selectors.py)."""

from collections import defaultdict

from django.conf import settings
from django.db import migrations, models

GIN = "lic_app_entries_gin"


def fill_catalogue_entry_ids(apps, schema_editor):
    Application = apps.get_model("licensing", "Application")
    ApplicationLine = apps.get_model("licensing", "ApplicationLine")
    entries = defaultdict(set)
    lines = ApplicationLine.objects.exclude(catalogue_entry=None).values_list(
        "application_id", "catalogue_entry_id"
    )
    for application_id, entry_id in lines.iterator(chunk_size=5000):
        entries[application_id].add(entry_id)
    Application.objects.bulk_update(
        [Application(pk=pk, catalogue_entry_ids=sorted(ids)) for pk, ids in entries.items()],
        ["catalogue_entry_ids"],
        batch_size=1000,
    )


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN} ON licensing_application "
            "USING gin (catalogue_entry_ids jsonb_path_ops)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_organisation_name_index"),
        ("licensing", "0002_queue_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="application",
            name="licensing_a_status_35679a_idx",
        ),
        migrations.AddField(
            model_name="application",
            name="catalogue_entry_ids",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(fill_catalogue_entry_ids, migrations.RunPython.noop),
        migrations.RunPython(create_gin_index, drop_gin_index),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["status", "review_deadline", "id"], name="lic_app_status_deadline"
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["status", "-review_deadline", "id"], name="lic_app_status_deadline_desc"
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    (
                        "status__in",
                        ["information_requested", "reviewed", "submitted", "under_review"],
                    )
                ),
                fields=["review_deadline", "id"],
                name="lic_app_open_deadline",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    (
                        "status__in",
                        ["information_requested", "reviewed", "submitted", "under_review"],
                    )
                ),
                fields=["-review_deadline", "id"],
                name="lic_app_open_deadline_desc",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    (
                        "status__in",
                        ["information_requested", "reviewed", "submitted", "under_review"],
                    )
                ),
                fields=["submitted_at", "id"],
                name="lic_app_open_submitted",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    (
                        "status__in",
                        ["information_requested", "reviewed", "submitted", "under_review"],
                    )
                ),
                fields=["status", "id"],
                name="lic_app_open_status",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    (
                        "status__in",
                        ["information_requested", "reviewed", "submitted", "under_review"],
                    )
                ),
                fields=["-status", "id"],
                name="lic_app_open_status_desc",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("fast_track", True)),
                fields=["status"],
                name="lic_app_fast_track",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["organisation", "updated_at"], name="lic_app_org_updated"),
        ),
        migrations.AddIndex(
            model_name="licence",
            index=models.Index(fields=["-issued_on", "id"], name="lic_licence_issued"),
        ),
        migrations.AddIndex(
            model_name="licence",
            index=models.Index(fields=["status", "issued_on"], name="lic_licence_status_issued"),
        ),
        migrations.AddIndex(
            model_name="licence",
            index=models.Index(fields=["valid_until", "id"], name="lic_licence_valid_until"),
        ),
        migrations.AddIndex(
            model_name="licence",
            index=models.Index(fields=["status", "id"], name="lic_licence_status"),
        ),
        migrations.AddIndex(
            model_name="licence",
            index=models.Index(fields=["-status", "id"], name="lic_licence_status_desc"),
        ),
    ]
