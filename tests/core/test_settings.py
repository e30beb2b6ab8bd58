"""Settings start-up behaviour, checked in fresh interpreters so each sees its own environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "k3Yq-8vNw_ZpLr2TgXh7JmBcQe5FsUaDyWo9RtIiKlPnMbVcXz0"
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": GOOD_SECRET,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/raretrack",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "raretrack.example.gov",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in PRODUCTION and not k.startswith("DJANGO")
    }
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be a random value" in result.stderr


def test_production_refuses_to_fall_back_to_sqlite():
    env = {k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"}
    result = manage("check", env=env)
    assert "DATABASE_URL is required" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("EMAIL_PORT", "twenty-five"),
        ("DATABASE_URL", "nosuchdb://x"),
        ("LOG_FORMAT", "xml"),
        ("CELERY_VISIBILITY_TIMEOUT", "5"),
    ],
)
def test_a_malformed_environment_value_names_the_variable(variable, value):
    result = manage(
        "check", env={"DJANGO_SETTINGS_MODULE": "config.settings.local", variable: value}
    )
    assert result.returncode != 0
    assert f"Environment variable {variable}=" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_check_services_names_an_unreachable_database_and_how_to_start_it():
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/raretrack",
    }
    result = manage("check_services", env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "PostgreSQL at 127.0.0.1:1 is not reachable" in lines[0]
    assert "pg_ctlcluster" in lines[0]


def test_check_services_names_an_unreachable_redis_and_how_to_start_it():
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    }
    result = manage("check_services", env=env)
    assert result.returncode == 1
    assert "Redis at redis://127.0.0.1:1/0 is not reachable" in result.stderr
    assert "redis-server" in result.stderr
