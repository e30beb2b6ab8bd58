"""Real Redis, a real Celery worker (a subprocess, prefork pool) and a throwaway Redis server."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

from apps.notifications import outbox
from config.celery import app

ROOT = Path(__file__).resolve().parents[2]
OWN_REDIS_PORT = 6390


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message or predicate}")


def queued_tasks(broker_url: str, queue: str = "celery") -> list[str]:
    """Task names waiting in a Redis queue (kombu keeps the messages as JSON in a list)."""
    client = redis.Redis.from_url(broker_url, socket_timeout=2)
    return [json.loads(raw)["headers"]["task"] for raw in client.lrange(queue, 0, -1)]


def purge(broker_url: str) -> None:
    redis.Redis.from_url(broker_url, socket_timeout=2).flushdb()


@contextmanager
def broker(url: str):
    """Point this process's Celery app at another broker for the duration of a test.

    Celery reads $CELERY_BROKER_URL before its configuration, so the write URL is what we set.
    """
    previous = app.conf.broker_write_url
    _forget_connections()
    app.conf.broker_write_url = url
    try:
        yield url
    finally:
        _forget_connections()
        app.conf.broker_write_url = previous


def _forget_connections() -> None:
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    outbox.reset_broker_backoff()


class OwnRedis:
    """A redis-server on port 6390 that the test may stop and start (never the shared one)."""

    def __init__(self, port: int = OWN_REDIS_PORT):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        subprocess.run(  # noqa: S603 - fixed arguments
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, message="redis-server to start")

    def stop(self) -> None:
        with suppress(redis.ConnectionError):
            redis.Redis(port=self.port, socket_timeout=2).shutdown(nosave=True)
        wait_for(lambda: not self._listening(), timeout=10, message="redis-server to stop")

    def _answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_timeout=1).ping()
        except redis.ConnectionError:
            return False

    def _listening(self) -> bool:
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.port)) == 0


@pytest.fixture
def own_redis():
    server = OwnRedis()
    if server._listening():
        server.stop()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def email_log(tmp_path):
    path = tmp_path / "emails.jsonl"
    path.touch()

    def read() -> list[dict]:
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    read.path = path
    return read


@pytest.fixture
def start_worker(transactional_db, email_log, tmp_path):
    """Start a real `celery worker` (prefork, one child) on the test database; stopped after."""
    started = []

    def start(broker_url: str, *, kill_once: bool = False) -> subprocess.Popen:
        marker = tmp_path / "kill-once"
        if kill_once:
            marker.touch()
        db_url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "DATABASE_URL": db_url,
            "CELERY_BROKER_URL": broker_url,
            "RECORD_EMAIL_FILE": str(email_log.path),
            "KILL_ONCE_MARKER": str(marker),
        }
        log = (tmp_path / f"worker{len(started)}.log").open("w")
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                f"--hostname=test-{os.getpid()}-{len(started)}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((process, log))
        wait_for(
            lambda: (
                "ready." in (tmp_path / f"worker{len(started) - 1}.log").read_text()
                or process.poll() is not None
            ),
            timeout=30,
            message="the Celery worker to be ready",
        )
        assert process.poll() is None, (tmp_path / f"worker{len(started) - 1}.log").read_text()
        return process

    yield start
    for process, log in started:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture
def test_broker():
    """The suite's own Redis db (CELERY_BROKER_URL), emptied before and after the test."""
    url = settings.CELERY_BROKER_URL
    purge(url)
    with broker(url):
        yield url
    purge(url)
