"""Cached figures for the dashboard and lists, invalidated when the data behind them changes.

Aggregating raw tables on every request is too slow for the dashboard, so panels compute their figures
through `cached_summary`, naming the models the figures depend on. Any save or delete of one of those
models bumps its version and the next request recomputes. Code that writes without signals
(`bulk_create`, `bulk_create_with_history`, `QuerySet.update`) must call `bump(Model)` itself.
The page shows the figures' "as of" time, so a reader knows how fresh they are.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

_PREFIX = "summary-version:"
_IGNORED_APPS = {"sessions", "admin", "axes", "contenttypes"}


def _version_key(model) -> str:
    return f"{_PREFIX}{model._meta.label_lower}"


def bump(*models) -> None:
    for model in models:
        key = _version_key(model)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 2, None)


def cached_summary(
    key: str, compute: Callable, *, models: Iterable, timeout: int = 6 * 3600
) -> tuple[object, datetime]:
    """(value, as_of): `compute()` is called only when a model in `models` changed since last time."""
    keys = [_version_key(m) for m in models]
    versions = cache.get_many(keys)
    stamp = ":".join(str(versions.get(k, 1)) for k in keys)
    full_key = f"summary:{key}:{stamp}"
    hit = cache.get(full_key)
    if hit is None:
        hit = (compute(), timezone.now())
        cache.set(full_key, hit, timeout)
    return hit


def _on_change(sender, **kwargs):
    if sender._meta.app_label in _IGNORED_APPS or sender.__name__.startswith("Historical"):
        return
    bump(sender)


def connect_invalidation() -> None:
    post_save.connect(_on_change, dispatch_uid="summaries-post-save")
    post_delete.connect(_on_change, dispatch_uid="summaries-post-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="summaries-m2m")


def _m2m_changed(sender, instance, action, model, **kwargs):
    if action.startswith("post_"):
        bump(type(instance), model)
