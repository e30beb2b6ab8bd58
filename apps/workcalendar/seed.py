"""Load library arrangements into the tables. Shared by the data migration (historical models) and
the services (real models), so it only uses plain manager calls."""

from collections.abc import Iterable

from apps.workcalendar.library import arrangement_from_library

# The years the data migration loads: the confirmed years the portal's cases can touch, and
# estimates for the following years so deadlines there are computed (provisionally) from the
# statutory holidays rather than from weekends alone.
INITIAL_YEARS = range(2020, 2031)


def load_years(year_model, day_model, years: Iterable[int]) -> list[int]:
    """Create each year missing from the table from the library; never touch an existing year
    (an administrator may have edited it). Returns the years created."""
    existing = set(year_model.objects.filter(year__in=list(years)).values_list("year", flat=True))
    created = []
    for year in years:
        if year in existing:
            continue
        arrangement = arrangement_from_library(year)
        row = year_model.objects.create(
            year=year, confirmed=arrangement.confirmed, source=arrangement.source
        )
        day_model.objects.bulk_create(
            day_model(calendar_year=row, date=day, kind=kind, name=name[:120])
            for day, (kind, name) in arrangement.days.items()
        )
        created.append(year)
    return created
