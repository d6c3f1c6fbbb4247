"""Health endpoint, demo data, shared validators, navigation per role, error pages."""

import socket

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import RequestFactory

from mshtgov.roles import Role
from mshtgov.validators import validate_pseudonymous_reference
from mshtgov.views import server_error


def test_healthz_names_the_database_and_is_public(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_healthz_says_503_and_which_part_failed_when_the_database_is_down(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("error")


def test_healthz_reports_an_unreachable_broker(client, db, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    from mshtgov.celery import app

    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = None
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error")


def test_server_error_page_is_friendly_and_leaks_nothing():
    response = server_error(RequestFactory().get("/boom"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body and "Traceback" not in body


def test_unknown_url_shows_the_apps_own_404(client_for):
    response = client_for("analyst").get("/definitely/not/here/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_migrations_create_groups_but_no_users(db):
    assert get_user_model().objects.count() == 0
    assert set(Group.objects.values_list("name", flat=True)) >= {role.label for role in Role}


def test_seed_demo_creates_one_user_per_role_and_is_idempotent(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", password="a-demo-password-2026")
    counts = {model: model.objects.count() for model in _seeded_models()}
    call_command("seed_demo", password="a-demo-password-2026")
    assert {model: model.objects.count() for model in _seeded_models()} == counts
    User = get_user_model()
    assert set(User.objects.values_list("username", flat=True)) >= {
        "leader",
        "pcc",
        "analyst",
        "coordinator",
        "secretary",
        "partner",
        "admin",
    }
    assert User.objects.get(username="partner").groups.filter(name="External partner").exists()
    assert User.objects.get(username="admin").is_staff
    assert User.objects.get(username="leader").check_password("a-demo-password-2026")


def _seeded_models():
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"strategy", "governance", "partnerships", "learning", "operations"}
        and not m.__name__.startswith("Historical")
    ]


def test_seed_demo_refuses_a_random_password_when_debug_is_off(db, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo")


@pytest.mark.parametrize("reference", ["OP-2026-0142", "MSHT/24/0077", "CASE_991"])
def test_pseudonymous_references_are_accepted(reference):
    validate_pseudonymous_reference(reference)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("Maria Popescu", "name"),
        ("john smith", "name"),
        ("12/04/1999", "date of birth"),
        ("1999-04-12", "date of birth"),
        ("abc", "reference"),
        ("<script>", "reference"),
    ],
)
def test_names_and_dates_of_birth_are_refused_as_references(value, reason):
    with pytest.raises(ValidationError) as error:
        validate_pseudonymous_reference(value)
    assert reason in str(error.value)


def test_navigation_offers_each_role_only_what_it_may_use(client_for):
    leader = client_for("leader").get("/").content.decode()
    analyst = client_for("analyst").get("/").content.decode()
    assert 'href="/audit/access-log/"' in leader
    assert 'href="/audit/access-log/"' not in analyst
