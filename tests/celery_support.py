"""Celery in tests: a real worker on Redis, and a broker that is down.

Worker tests take the `celery_config` and `redis_required` fixtures from here (import them into the test
module); CI sets REQUIRE_WORKER_TESTS, so a skip for want of Redis fails the run.
"""

import os
import socket
import time
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest
from django.db import OperationalError

BROKER = os.environ.get("CELERY_TEST_BROKER", "redis://127.0.0.1:6379/15")


def _redis_reachable() -> bool:
    url = urlparse(BROKER)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def celery_config():
    from django.conf import settings

    return {
        "broker_url": BROKER,
        "result_backend": "cache+memory://",
        "task_always_eager": False,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_routes": settings.CELERY_TASK_ROUTES,
        "task_serializer": "json",
        "accept_content": ["json"],
        "broker_connection_timeout": 3,
        "task_publish_retry_policy": settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
    }


@pytest.fixture
def redis_required():
    if not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {BROKER}: start redis-server or set CELERY_TEST_BROKER")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: connections are refused


@contextmanager
def broker_at(url):
    """Point the Celery app at `url` with eager mode off, as production runs, then put it back."""
    from mshtgov.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=url, task_always_eager=False)
    _reset_pools(app)
    try:
        yield app
    finally:
        app.conf.update(**saved)
        _reset_pools(app)


def _reset_pools(app):
    # Connection pools remember the broker URL they were made for.
    app._pool = None
    app.amqp._producer_pool = None


def wait_for_worker(record, finished: tuple, *, seconds: int = 120):
    """Re-read `record` until its status is one of `finished` or time runs out; return its last status."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.5)  # rarely: each read can make the worker's write meet a locked table and retry
        try:
            record.refresh_from_db()
        except OperationalError:
            continue  # SQLite's shared in-memory test database locks tables while the worker writes
        if record.status in finished:
            break
    return record.status
