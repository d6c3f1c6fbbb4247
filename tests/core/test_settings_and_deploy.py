"""Settings come from the environment, fail loudly when unsafe, and pass Django's deploy check."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

from mshtgov.env import SETTINGS_ENV_NAMES

ROOT = Path(__file__).resolve().parents[2]
# Set by the test run itself (browser tests allow sync ORM calls beside Playwright's loop): not production.
_TEST_ONLY_ENV = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "HTTPS_ONLY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
PRODUCTION_ENV = {
    "SECRET_KEY": "p" * 20 + "-production-like-secret-key-with-entropy-8f3k2",
    "ALLOWED_HOSTS": "msht.force.example",
    "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
    "SITE_URL": "https://msht.force.example",
    "CACHE_URL": "redis://127.0.0.1:6379/9",
}


def _manage(*args, env_overrides=None):
    env = {k: v for k, v in os.environ.items() if k not in _TEST_ONLY_ENV}
    env.update(env_overrides or {})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_emailed_links_would_not_reach_the_app():
    env = {**PRODUCTION_ENV}
    del env["SITE_URL"]
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    assert result.returncode != 0
    assert "mshtgov.W001" in result.stderr + result.stdout
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={**PRODUCTION_ENV, "SITE_URL": "http://msht.force.example"},
    )
    assert "mshtgov.W002" in result.stderr + result.stdout


def test_check_deploy_fails_without_a_shared_cache():
    """Per-process caches cannot see each other's invalidations: production needs CACHE_URL (issue 10)."""
    env = {**PRODUCTION_ENV}
    del env["CACHE_URL"]
    result = _manage("check", "--deploy", env_overrides=env)
    assert result.returncode != 0
    assert "mshtgov.E001" in result.stderr + result.stdout and "CACHE_URL is not set" in result.stderr + result.stdout


def test_missing_secret_key_refuses_to_start_when_debug_is_off():
    env = {**PRODUCTION_ENV}
    del env["SECRET_KEY"]
    result = _manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_cookies_are_host_prefixed_and_secure():
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.DEBUG)"
    )
    env = {k: v for k, v in os.environ.items() if k not in _TEST_ONLY_ENV}
    env.update({**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "mshtgov.settings"})
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "True", "31536000", "False"], result.stderr


def test_locale_session_and_embedded_defaults():
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # Activity renews the session at most once a minute (tests/core/test_auth.py: the idle timeout)
    # Without a shared cache, sessions are read from the database: a per-process cache would keep a
    # signed-out session alive in the other web workers.
    assert (
        "mshtgov.session_store" if settings.CACHE_URL else "django.contrib.sessions.backends.db"
    ) == settings.SESSION_ENGINE
    assert 0 < settings.SESSION_RENEW_SECONDS <= 60
    assert settings.SESSION_ABSOLUTE_SECONDS <= 12 * 3600
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]


def test_celery_time_limits_sit_below_the_visibility_timeout():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT * 2
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] <= 5
    assert settings.CELERY_TASK_PUBLISH_RETRY_POLICY["max_retries"] <= 2


def _settings_source_names() -> set[str]:
    text = (ROOT / "mshtgov" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', text))


def test_every_documented_environment_name_is_read_by_settings():
    read = _settings_source_names() | {"DEMO_PASSWORD"}  # DEMO_PASSWORD is read by seed_demo
    assert read == SETTINGS_ENV_NAMES


def test_docker_compose_services_pass_only_names_settings_read():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("web", "worker", "beat"):
        service = services[name]
        passed = set(service["environment"])
        unknown = passed - SETTINGS_ENV_NAMES
        assert not unknown, f"{name} passes names settings never read: {unknown}"
        assert {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "ALLOWED_HOSTS"} <= passed
        assert "healthcheck" in service
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("postgres", "redis"):
        assert "healthcheck" in services[name]
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"] and "pdf" in " ".join(services["worker"]["command"])
    assert "beat" in services["beat"]["command"]
    # The broker and database hosts are the compose services themselves.
    assert "@postgres:5432/" in services["web"]["environment"]["DATABASE_URL"]
    assert services["web"]["environment"]["CELERY_BROKER_URL"].startswith("redis://redis:6379")
