"""Stop early, with one line saying what to do, when PostgreSQL or Redis is not reachable."""

import sys

import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand

PG_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
REDIS_START = (
    "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no"
)


class Command(BaseCommand):
    help = "Check that the database and the Redis broker answer; create the database if missing."

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        if db["ENGINE"] == "django.db.backends.postgresql":
            self._check_postgres(db)
        broker = settings.CELERY_BROKER_URL
        if broker.startswith("redis://"):
            try:
                redis.Redis.from_url(broker, socket_connect_timeout=3, socket_timeout=3).ping()
            except redis.RedisError as exc:
                self._fail(
                    f"Redis at {broker} is not reachable ({exc.__class__.__name__}); "
                    f"start it with: {REDIS_START}"
                )
        self.stdout.write("Services OK: database and broker answer.")

    def _check_postgres(self, db: dict) -> None:
        params = {
            "host": db.get("HOST") or "127.0.0.1",
            "port": db.get("PORT") or 5432,
            "user": db.get("USER") or "postgres",
            "password": db.get("PASSWORD") or None,
            "connect_timeout": 3,
        }
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
                ).fetchone()
                if not exists:
                    conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
        except psycopg.OperationalError as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            self._fail(
                f"PostgreSQL at {params['host']}:{params['port']} is not reachable "
                f"({first_line}); start it with: {PG_START}"
            )

    def _fail(self, line: str) -> None:
        self.stderr.write(line)
        sys.exit(1)
