"""Every page, every role: who is let in, who is refused, and that no page is left out."""

import importlib
import pkgutil

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.matrix import ALL_ROLES, Row


def _row_modules():
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                yield importlib.import_module(f"tests.{info.name}.matrix_rows")
            except ModuleNotFoundError as exc:
                if exc.name != f"tests.{info.name}.matrix_rows":
                    raise


MODULES = list(_row_modules())
ROWS: list[tuple[object, Row]] = [(module, row) for module in MODULES for row in module.ROWS]

# Named URLs that need no row: Django's admin has its own staff-only gate, tested in test_foundation_auth.
NOT_IN_MATRIX_PREFIXES = ("admin:",)


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_matrix_covers_every_named_url():
    covered = {row.url_name for _, row in ROWS}
    missing = sorted(
        name for name in set(_named_patterns()) if name not in covered and not name.startswith(NOT_IN_MATRIX_PREFIXES)
    )
    assert not missing, f"URLs with no row in any tests/<app>/matrix_rows.py: {missing}"


def test_matrix_rows_name_every_role():
    for _, row in ROWS:
        assert set(row.expected) == {*ALL_ROLES, "anon"}, row.test_id
        assert set(row.expected.values()) <= {200, 201, 204, 302, 400, 403, 404, 405, 409, 429}, row.test_id


@pytest.mark.parametrize(("module", "row"), ROWS, ids=[row.test_id for _, row in ROWS])
def test_role_matrix(module, row, world):
    build = getattr(module, "build", None)
    if build:
        build(world)
    url = reverse(row.url_name, kwargs=row.kwargs(world) if row.kwargs else None)
    if row.query:
        url = f"{url}?{row.query}"
    data = row.data(world) if row.data else {}
    mismatches = []
    for role, expected in row.expected.items():
        client = Client()
        if role != "anon":
            client.force_login(world.users[role])
        with transaction.atomic():
            response = getattr(client, row.method)(url, data) if row.method == "post" else client.get(url)
            transaction.set_rollback(True)
        if response.status_code != expected:
            mismatches.append(f"{role}: expected {expected}, got {response.status_code}")
        if role == "anon" and expected == 302:
            assert "/accounts/login/" in response["Location"], f"anon sent to {response['Location']}"
    assert not mismatches, f"{row.method.upper()} {url}: " + "; ".join(mismatches)
