import os
from types import SimpleNamespace

import pytest
from django.test import Client

from mshtgov.roles import sync_role_permissions
from tests.factories import make_role_users

# Fixtures for real-worker tests (celery_config, redis_required), shared by every app's worker tests.
pytest_plugins = ["tests.celery_support", "tests.page_cache_support"]

ROLES = ("leader", "pcc", "analyst", "coordinator", "secretary", "partner", "admin")


@pytest.fixture
def users(db):
    sync_role_permissions()
    return make_role_users()


@pytest.fixture
def client_for(users):
    """client_for("analyst") -> a test client signed in as that role's user."""

    def make(role: str) -> Client:
        client = Client()
        if role != "anon":
            client.force_login(users[role])
        return client

    return make


@pytest.fixture
def world(users):
    """Everything the role matrix needs: the users, and whatever each app's `build(world)` adds."""
    return SimpleNamespace(users=users)


# CI reruns the tests marked `date_sensitive` with the clock set to each of the days that break date
# arithmetic (`.ci/run`: the 1st of a month, 31 December, 29 February, the clock changes, a financial
# year's last week). MSHT_TEST_DATE=YYYY-MM-DD sets that day; the clock starts at 09:30 London time there
# and ticks, so sessions and "as of" times behave as on any working morning.
@pytest.fixture(autouse=True)
def _test_date(request):
    day = os.environ.get("MSHT_TEST_DATE")
    if not day or request.node.get_closest_marker("date_sensitive") is None:
        yield
        return
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    import time_machine

    moment = datetime.combine(datetime.strptime(day, "%Y-%m-%d").date(), time(9, 30), ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Summaries are cached per process; a rolled-back test must not leave figures for the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_collection_modifyitems(config, items):
    # Browser tests share one Chromium per worker: keep them on one xdist worker.
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
        if item.get_closest_marker("worker"):
            item.add_marker(pytest.mark.xdist_group("worker"))


_skipped_required: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        required = {
            "browser": os.environ.get("REQUIRE_BROWSER_TESTS"),
            "worker": os.environ.get("REQUIRE_WORKER_TESTS"),
        }
        for marker, needed in required.items():
            if needed and marker in report.keywords:
                _skipped_required.append(f"{report.nodeid} ({marker})")


def pytest_sessionfinish(session, exitstatus):
    # CI must run browser and worker tests: a skip there is a failure, not a pass.
    if _skipped_required and exitstatus == 0:
        print("\nRequired tests were skipped:\n  " + "\n  ".join(_skipped_required))
        session.exitstatus = 1
