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
