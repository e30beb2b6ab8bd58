"""Demo reference data: the published catalogue. Safe to run twice.

The data migration loads it too; seeding again only fills what is missing (e.g. a database flushed
by tests) and never overwrites an administrator's edit.
"""

from apps.catalogue.services import catalogue_seed


def seed() -> dict[str, int]:
    return {"catalogue entries added": catalogue_seed()}
