"""A chase sweep over 100,000 and 1,000,000 cases of which 1,000 are due: time and query count.

Licensing does not exist yet, so the cases are a stand-in table (`bench_chase_case`: status,
deadline, assignee) created by this script; the chase registered here is what licensing's
"review deadline overdue" chase will look like. The sweep is the real one: claims in
notifications.Reminder (INSERT ... ON CONFLICT), inbox rows, e-mail deliveries and outbox rows,
batch by batch. Runs in its own database (rt_bench_chasing, dropped rows at the end).

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/bench_sweep.py
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rt_bench_chasing"
)
os.environ["DATABASE_URL"] = BENCH_DB
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/5")

import django  # noqa: E402
import psycopg  # noqa: E402


def ensure_database() -> None:
    base, name = BENCH_DB.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


ensure_database()
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.notifications import chasing  # noqa: E402
from apps.notifications.chasing import Due, chase  # noqa: E402

DUE = 1_000
SIZES = [100_000, 1_000_000]


class Case(models.Model):
    """Stand-in for licensing's application: the review deadline is a stored, indexed date."""

    status = models.CharField(max_length=20)
    deadline = models.DateTimeField(null=True)  # set while under review, cleared on decision
    assignee_id = models.BigIntegerField()
    reference = models.CharField(max_length=30)

    class Meta:
        app_label = "notifications"
        db_table = "bench_chase_case"
        managed = False
        indexes = [
            models.Index(
                fields=["deadline"],
                condition=models.Q(status="under_review"),
                name="bench_case_open_deadline",
            )
        ]

    def __str__(self) -> str:
        return self.reference


@chase("bench.review_overdue")
def review_overdue(ctx):
    due = ctx.unclaimed(
        Case.objects.filter(status="under_review", deadline__lt=ctx.now).order_by("pk"),
        threshold="overdue",
    )
    for case in due.iterator(chunk_size=ctx.batch_size):
        yield Due(
            obj=case,
            threshold="overdue",
            recipients=[case.assignee_id],
            title="%(ref)s is overdue",
            params={"ref": case.reference},
            link=f"/licensing/cases/{case.pk}/",
        )


def setup_schema(reviewers: list[int]) -> None:
    with connection.schema_editor() as editor:
        editor.execute("DROP TABLE IF EXISTS bench_chase_case")
        editor.create_model(Case)


def fill(total: int, reviewers: list[int]) -> None:
    """`total` cases: 1,000 overdue, 2 % under review with a later deadline, the rest decided
    (a decided case has no running deadline)."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_chase_case")
        cursor.execute(
            """
            INSERT INTO bench_chase_case (status, deadline, assignee_id, reference)
            SELECT CASE WHEN g <= %(due)s THEN 'under_review'
                        WHEN g %% 50 = 0 THEN 'under_review' ELSE 'approved' END,
                   CASE WHEN g <= %(due)s THEN now() - interval '1 day'
                        WHEN g %% 50 = 0 THEN now() + interval '10 days'
                        END,
                   (%(reviewers)s::bigint[])[1 + g %% %(n)s],
                   'RT-' || g
            FROM generate_series(1, %(total)s) AS g
            """,
            {"due": DUE, "total": total, "reviewers": reviewers, "n": len(reviewers)},
        )
        cursor.execute("ANALYZE bench_chase_case")


def reset_chasing_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE notifications_reminder, notifications_notification, "
            "notifications_emaildelivery, notifications_outboxmessage CASCADE"
        )


def warm_up() -> None:
    """Load templates, translations and the chase code once, so the first size is not penalised."""
    fill(2_000, reviewers=_reviewers())
    reset_chasing_tables()
    chasing.run_chase("bench.review_overdue")


def _reviewers() -> list[int]:
    return list(
        get_user_model()
        .objects.filter(email__startswith="bench-reviewer")
        .values_list("pk", flat=True)
    )


def sweep() -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = chasing.run_chase("bench.review_overdue")
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), result.claimed


def main() -> None:
    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    reviewers = [
        user_model.objects.get_or_create(
            email=f"bench-reviewer{n}@authority.test", defaults={"full_name": f"Reviewer {n}"}
        )[0].pk
        for n in range(20)
    ]
    setup_schema(reviewers)
    figures = {}
    try:
        warm_up()
        for total in SIZES:
            fill(total, reviewers)
            reset_chasing_tables()
            elapsed, queries, claimed = sweep()
            again_elapsed, again_queries, again_claimed = sweep()
            figures[total] = (elapsed, queries)
            print(
                f"{total:>9,} cases, {DUE:,} due: sweep {elapsed * 1000:7.1f} ms, "
                f"{queries} queries, {claimed} reminders claimed | "
                f"next sweep (nothing new): {again_elapsed * 1000:6.1f} ms, "
                f"{again_queries} queries, {again_claimed} claimed"
            )
            assert claimed == DUE
            assert again_claimed == 0
        (t_small, q_small), (t_big, q_big) = figures[SIZES[0]], figures[SIZES[-1]]
        print(
            f"1M vs 100k: time x{t_big / t_small:.2f}, queries {q_big} vs {q_small} "
            f"({'same' if q_big == q_small else 'DIFFERENT'}); "
            f"1M sweep {'under' if t_big < 2 else 'OVER'} the 2 s target"
        )
    finally:
        reset_chasing_tables()
        with connection.schema_editor() as editor:
            editor.execute("DROP TABLE IF EXISTS bench_chase_case")
        user_model.objects.filter(email__startswith="bench-reviewer").delete()
        _purge_broker()


def _purge_broker() -> None:
    """The sweep's after-commit relay kicks (one per batch) would wait for a worker; drop them."""
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")


if __name__ == "__main__":
    main()
