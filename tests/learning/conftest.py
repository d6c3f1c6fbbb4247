import importlib

import pytest
from django.apps import apps


def load_reference_data():
    """The learning reference data (role groups, national products, themes) as the migration loads it.

    Transactional tests (the browser ones) flush the database, data migrations included, so tests that
    need it ask for it; a second call adds nothing.
    """
    importlib.import_module("learning.migrations.0002_reference_data").load(apps, None)


@pytest.fixture(autouse=True)
def reference_data(request):
    if (
        "db" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or request.node.get_closest_marker("django_db")
    ):
        request.getfixturevalue("db")
        load_reference_data()


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run a call (a service, or a client's post) the way a request does: its on-commit callbacks
    (sending the import job, which runs eagerly here) fire when it returns, as they would outside the
    test's wrapping transaction. after_commit(client.post, url) confirms an import and applies it."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = call(*args, **kwargs)
        return result

    return run
