"""Demo calendar: the library's years around today (confirmed and estimated). Safe to run twice.

Existing years are never overwritten, so an administrator's arrangement survives re-seeding.
"""

from django.utils import timezone

from apps.workcalendar.seed import INITIAL_YEARS
from apps.workcalendar.services import calendar_seed_from_library


def seed() -> dict[str, int]:
    this_year = timezone.localdate().year
    years = sorted({*INITIAL_YEARS, *range(this_year - 1, this_year + 4)})
    return {"calendar years added": len(calendar_seed_from_library(years=years))}
