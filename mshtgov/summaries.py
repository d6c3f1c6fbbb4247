"""Cached figures for the dashboard and lists, invalidated when the data behind them changes.

Aggregating raw tables on every request is too slow for the dashboard, so panels compute their figures
through `cached_summary`, naming the models the figures depend on. Any save or delete of one of those
models bumps its version and the next request recomputes. Code that writes without signals
(`bulk_create`, `bulk_create_with_history`, `QuerySet.update`) must call `bump(Model)` itself.
The page shows the figures' "as of" time, so a reader knows how fresh they are.

A figure is never older than the last committed change (issue 10):
- A bump happens at the write AND again when its transaction commits. A reader in another process that
  recomputes between the write and the commit sees the old rows and stores them under the bumped
  version; the bump at commit moves past that entry, so it is never served after the commit.
- A version counter the cache has lost (evicted, or the cache restarted while entries survived
  elsewhere) is recreated from the clock in nanoseconds, never from 1, so it cannot line up again with
  an entry stored under an earlier counter and revive it. Bumps add 1: far below a nanosecond's worth.
- The deploy check refuses production without a shared cache (`CACHE_URL`, mshtgov.checks): per-process
  caches cannot see each other's bumps.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

_PREFIX = "summary-version:"
_IGNORED_APPS = {"sessions", "admin", "axes", "contenttypes"}


def _version_key(model) -> str:
    return f"{_PREFIX}{model._meta.label_lower}"


def _fresh_version() -> int:
    return time.time_ns()


def bump(*models) -> None:
    """Move the models' versions on now, and again when the current transaction commits (at once when
    there is none)."""
    _bump_now(models)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(models))


def _bump_now(models) -> None:
    for model in models:
        key = _version_key(model)
        try:
            cache.incr(key)
        except ValueError:
            # Lost or never set: start from the clock, past any counter an old entry was stored under.
            cache.set(key, _fresh_version(), None)


def _versions(keys: list[str]) -> dict:
    """The current versions; a missing one is created from the clock (`add`, so two processes agree)."""
    versions = cache.get_many(keys)
    for key in keys:
        if key not in versions:
            cache.add(key, _fresh_version(), None)
            versions[key] = cache.get(key)
    return versions


def _full_key(key: str, version_keys: list[str], versions: dict) -> str:
    """The entry's key: its name and the versions of its models. Versions are clock-sized numbers, so a figure
    built from many models would pass the 250 characters a cache key may portably have: a long stamp is
    replaced by its digest (it still changes whenever any version does)."""
    stamp = ":".join(str(versions.get(k)) for k in version_keys)
    if len(stamp) > 100:
        stamp = hashlib.sha256(stamp.encode()).hexdigest()
    return f"summary:{key}:{stamp}"


def cached_summary(
    key: str, compute: Callable, *, models: Iterable, timeout: int = 6 * 3600
) -> tuple[object, datetime]:
    """(value, as_of): `compute()` is called only when a model in `models` changed since last time."""
    keys = [_version_key(m) for m in models]
    versions = _versions(keys)
    full_key = _full_key(key, keys, versions)
    hit = cache.get(full_key)
    if hit is None:
        hit = (compute(), timezone.now())
        cache.set(full_key, hit, timeout)
    return hit


def cached_summaries(items: list[tuple[str, Callable, Iterable]], *, timeout: int = 6 * 3600) -> list[tuple]:
    """`cached_summary` for many figures at once: [(key, compute, models), ...] -> [(value, as_of), ...]
    in the same order, with three cache round trips in all (versions, entries, new entries) instead of
    two or three per figure. A page showing a year of monthly values of every derived measure read
    hundreds of entries one by one. Same keys, same versions rule: the versions are read before any
    value is computed, and a value is stored under the versions it was computed after."""
    model_keys = [[_version_key(m) for m in models] for _key, _compute, models in items]
    versions = _versions(list(dict.fromkeys(k for keys in model_keys for k in keys)))
    full_keys = [
        _full_key(key, keys, versions) for (key, _compute, _models), keys in zip(items, model_keys, strict=True)
    ]
    found = cache.get_many(list(dict.fromkeys(full_keys)))
    computed: dict[str, tuple] = {}
    out = []
    for full_key, (_key, compute, _models) in zip(full_keys, items, strict=True):
        hit = found.get(full_key) or computed.get(full_key)
        if hit is None:
            hit = computed[full_key] = (compute(), timezone.now())
        out.append(hit)
    if computed:
        cache.set_many(computed, timeout)
    return out


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
