from django.db import migrations


def seed_calendar(apps, schema_editor):
    """Load the official arrangements (and estimates for later years) from the holidays library.

    Idempotent: years already present are left as they are.
    """
    from apps.workcalendar.seed import INITIAL_YEARS, load_years

    load_years(
        apps.get_model("workcalendar", "CalendarYear"),
        apps.get_model("workcalendar", "CalendarDay"),
        INITIAL_YEARS,
    )


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(seed_calendar, migrations.RunPython.noop)]
