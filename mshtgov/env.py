"""Typed reads of environment variables, so settings fail loudly instead of guessing."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


# Every name settings read, so the docker-compose test can check the two agree.
SETTINGS_ENV_NAMES = frozenset(
    {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "DATABASE_URL",
        "CACHE_URL",
        "CACHE_KEY_PREFIX",
        "DB_CONN_MAX_AGE",
        "TRUSTED_PROXY_COUNT",
        "CELERY_BROKER_URL",
        "CELERY_RESULT_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "DEFAULT_FROM_EMAIL",
        "SITE_URL",
        "CLAMD_ADDRESS",
        "SITE_DEFAULT_MARKING",
        "HTTPS_ONLY",
        "BEHIND_TLS_PROXY",
        "PRIVATE_STORAGE_ROOT",
        "STATIC_ROOT",
        "DEMO_PASSWORD",
        "LOG_LEVEL",
        "ACCESS_LOG_JUSTIFICATION_REQUIRED",
        "MFA_REQUIRED",
        "PERSONAL_DATA_ALLOW_LIST",
        "ACCESS_LOG_SEARCH_SALT",
        "FORCE_NAME",
        "FORCE_LOGO",
        "MFA_ENROLMENT_CODE_HOURS",
        "JOB_LEASE_SECONDS",
        "DASHBOARD_WARMING",
    }
)
