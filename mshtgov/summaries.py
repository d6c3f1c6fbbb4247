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
import re
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import datetime
from functools import cache as memoize

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from mshtgov import dashboard_warming

_PREFIX = "summary-version:"
_IGNORED_APPS = {"sessions", "admin", "axes", "contenttypes"}
# Models read live by every page that shows them, never by a cached one, and written on nearly every page view:
# the access log. A save of one bumps nothing (issue 15: a cache round trip on every logged view, a third of
# what writing the row cost). Should a watched build ever read one, its entry is never served (`NEVER_SERVED`):
# nothing would void it when the next row is written.
_LIVE_ONLY = frozenset({"mshtgov.accesslog"})
NEVER_SERVED = f"{_PREFIX}never-served"


def _version_key(model) -> str:
    if model._meta.label_lower in _LIVE_ONLY:
        raise ValueError(f"{model._meta.label} is read live only: no cached figure may depend on it")
    return f"{_PREFIX}{model._meta.label_lower}"


def _fresh_version() -> int:
    return time.time_ns()


def bump(*models) -> None:
    """Move the models' versions on now, and again when the current transaction commits (at once when
    there is none)."""
    _bump_now(models)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(models))
    dashboard_warming.after_change(models)  # after the commit hook above: the job finds the versions moved


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
    if len(key) > 120:  # a name listing many models and dates: its start kept readable, the rest as a digest
        key = f"{key[:56]}~{hashlib.sha256(key.encode()).hexdigest()}"
    return f"summary:{key}:{stamp}"


def cached_summary(
    key: str, compute: Callable, *, models: Iterable, timeout: int = 6 * 3600
) -> tuple[object, datetime]:
    """(value, as_of): `compute()` is called only when a model in `models` changed since last time."""
    keys = [_version_key(m) for m in models]
    _note(keys)
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
    if not items:
        return []
    model_keys = [[_version_key(m) for m in models] for _key, _compute, models in items]
    for keys in model_keys:
        _note(keys)
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


def cached_batch(
    items: list[tuple[str, Iterable]], compute_missing: Callable[[list[int]], list], *, timeout: int = 6 * 3600
) -> list[tuple]:
    """`cached_summaries` where the values missing from the cache are computed together:
    [(key, models), ...] -> [(value, as_of), ...] in order; `compute_missing(indexes)` returns the values
    of the items at those indexes, in order, in one go (one query for many figures rather than one each).
    Same keys and versions rule: versions read before anything is computed, values stored under them."""
    if not items:
        return []
    model_keys = [[_version_key(m) for m in models] for _key, models in items]
    for keys in model_keys:
        _note(keys)
    versions = _versions(list(dict.fromkeys(k for keys in model_keys for k in keys)))
    full_keys = [_full_key(key, keys, versions) for (key, _models), keys in zip(items, model_keys, strict=True)]
    found = cache.get_many(list(dict.fromkeys(full_keys)))
    missing = [i for i, full_key in enumerate(full_keys) if full_key not in found]
    if missing:
        values = compute_missing(missing)
        now = timezone.now()
        computed = {full_keys[i]: (value, now) for i, value in zip(missing, values, strict=True)}
        cache.set_many(computed, timeout)
        found.update(computed)
    return [found[full_key] for full_key in full_keys]


# Entries whose models are found by watching what building them read -------------------------------------
#
# A dashboard card is built by code in every app (gather, attention lines, headlines, its template), and
# a list of models written by hand beside it would drift from what that code reads. So a card is built
# while its reads are watched: every SQL statement run (its tables, history and many-to-many tables
# counted as the models whose saves bump) and every `cached_summary` consulted, hit or miss (a hit runs
# no SQL but depends on its models all the same). The entry keeps the versions those models had BEFORE
# it was built (the same rule as above: a change committed during the build moves a version past the
# entry), and a reader serves it only while every one of them is unchanged. A lost counter is recreated
# from the clock, so it never equals a version an entry was stored with.

_recording: ContextVar[set | None] = ContextVar("summaries_recording", default=None)
# The snapshot of versions the build under way was started after (`build_watched`): a build nested in it
# (`watched_summary`) starts later, so that snapshot is only more cautious for it, and saves a round trip.
_snapshot: ContextVar[dict | None] = ContextVar("summaries_snapshot", default=None)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _note(version_keys) -> None:
    recording = _recording.get()
    if recording is not None:
        recording.update(version_keys)


def _bumped_by_save(model) -> bool:
    return (
        model._meta.app_label not in _IGNORED_APPS
        and not model.__name__.startswith("Historical")
        and model._meta.label_lower not in _LIVE_ONLY
    )


@memoize
def _tables() -> dict[str, tuple[str, ...]]:
    """{table name: version keys a change to its rows bumps}. A history table counts as its record's model
    (it is written with it); a many-to-many table as both ends (`m2m_changed` bumps those)."""
    from django.apps import apps

    tables: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        owners = [model]
        if model.__name__.startswith("Historical") and getattr(model, "instance_type", None) is not None:
            owners = [model.instance_type]
        elif model._meta.auto_created:
            owners = [f.related_model for f in model._meta.fields if f.related_model is not None]
        keys = {_version_key(m) for m in owners if _bumped_by_save(m)}
        if model._meta.label_lower in _LIVE_ONLY:
            keys = {NEVER_SERVED}
        if keys:
            tables.setdefault(model._meta.db_table, set()).update(keys)
    return {table: tuple(sorted(keys)) for table, keys in tables.items()}


def _every_version() -> dict:
    """The current version of every model a save bumps (created from the clock where missing)."""
    return _versions(sorted({key for keys in _tables().values() for key in keys} - {NEVER_SERVED}))


def every_version() -> dict:
    """A snapshot to pass to `build_watched` (one for several builds in a row: an earlier snapshot is only
    more cautious)."""
    return _every_version()


def build_watched(build: Callable, before: dict | None = None) -> tuple[object, dict]:
    """(build(), {version key: version before the build}) for every model the build read. `before`: a
    snapshot from `every_version()` taken before this build started."""
    if before is None:
        before = _every_version()
    noted: set[str] = set()
    statements: list[str] = []

    def watch(execute, sql, params, many, context):
        # A statement of a build nested in this one is that build's to read: it notes its tables for this one
        # when it ends (`_note` below), so reading it here too would only parse it twice.
        if _recording.get() is noted:
            statements.append(sql)
        return execute(sql, params, many, context)

    token, snapshot = _recording.set(noted), _snapshot.set(before)
    try:
        with connection.execute_wrapper(watch):
            value = build()
    finally:
        _snapshot.reset(snapshot)
        _recording.reset(token)
    tables = _tables()
    for sql in statements:
        for word in set(_IDENTIFIER.findall(sql)):
            noted.update(tables.get(word, ()))
    # A build inside another (a dashboard card built while the dashboard's page is) is part of what the outer
    # one read: the outer sees its SQL, but not the cached figures it consulted without any.
    _note(noted)
    versions = {key: before[key] for key in sorted(noted) if key in before}
    if NEVER_SERVED in noted:
        versions[NEVER_SERVED] = 0  # a counter no save creates: `read_watched` never finds it equal
    return value, versions


def store_watched(entries: dict[str, tuple[object, dict]], *, timeout: int = 6 * 3600) -> None:
    """Store {key: (value, versions)} as `build_watched` returned them."""
    cache.set_many({key: {"value": value, "versions": versions} for key, (value, versions) in entries.items()}, timeout)
    for key, (_value, versions) in entries.items():
        _remember_version_keys(key, versions)


# {entry key: the version keys its entry was stored under when this process last read it}, bounded: a guess only
# (a wrong or stale one costs the second round trip it saves, never a wrong answer).
_seen_version_keys: dict[str, tuple[str, ...]] = {}
_SEEN_MOST = 5000


def _remember_version_keys(key: str, version_keys) -> None:
    if len(_seen_version_keys) >= _SEEN_MOST and key not in _seen_version_keys:
        _seen_version_keys.clear()  # rebuilt by the next reads: cheaper than keeping an order
    _seen_version_keys[key] = tuple(version_keys)


def read_watched(keys: list[str]) -> dict[str, object]:
    """{key: value} of the entries still current, for any number of entries: the entries and the versions they
    were built under, read in one cache round trip once this process knows which versions those are (two the
    first time). A missing version counter invalidates."""
    # The version keys these entries were last seen to need are read with them (issue 15: one cache round trip
    # for a page served from the cache, not two); only keys not guessed are read after.
    guessed = sorted({k for key in keys for k in _seen_version_keys.get(key, ())})
    found = cache.get_many([*keys, *guessed])
    now = {k: found.pop(k) for k in guessed if k in found}
    for key, entry in found.items():
        _remember_version_keys(key, entry["versions"])
    wanted = sorted({k for entry in found.values() for k in entry["versions"]} - set(guessed))
    if wanted:
        now.update(cache.get_many(wanted))
    served = {
        key: entry
        for key, entry in found.items()
        if all(now.get(k) == version for k, version in entry["versions"].items())
    }
    # A build watching this one (a page built watched that includes a cached part) depends on what the
    # served entries were built from, though serving them ran no SQL.
    _note({k for entry in served.values() for k in entry["versions"]})
    return {key: entry["value"] for key, entry in served.items()}


def watched_summary(key: str, compute: Callable, *, timeout: int = 6 * 3600) -> tuple[object, datetime]:
    """(value, as_of) like `cached_summary`, but with no list of models: `compute()` is built watched
    (`build_watched`), so the entry depends on exactly the tables its queries read for this caller. A figure
    cached against a list written for every reader voided on changes its reader's queries never read: the
    leader's action counts read no lesson or finding (they may see every one), yet a lesson's save rebuilt
    them. Same rule: the versions are taken before the build, and a change to anything read voids it. Inside
    another watched build, the models this entry read are noted for it (hit or miss), and the versions it is
    stored under are those the enclosing build started after (earlier, so only more cautious)."""
    entry = read_watched([f"watched-summary:{key}"]).get(f"watched-summary:{key}")
    if entry is not None:
        return entry
    value, versions = build_watched(lambda: (compute(), timezone.now()), _snapshot.get() or _every_version())
    store_watched({f"watched-summary:{key}": (value, versions)}, timeout=timeout)
    _note(versions)  # the enclosing build (if any) depends on what this one read, as on a hit
    return value


# Saves that change nothing any figure or page reads: signing in stamps the user's last_login (no page shows
# it), and bumping the user model for it voided every cached page that names a person at every sign-in.
_UNREAD_FIELDS = {"auth.user": frozenset({"last_login"})}


def _on_change(sender, **kwargs):
    if not _bumped_by_save(sender):
        return
    fields = kwargs.get("update_fields")
    if fields and frozenset(fields) <= _UNREAD_FIELDS.get(sender._meta.label_lower, frozenset()):
        return
    bump(sender)


def connect_invalidation() -> None:
    post_save.connect(_on_change, dispatch_uid="summaries-post-save")
    post_delete.connect(_on_change, dispatch_uid="summaries-post-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="summaries-m2m")


def _m2m_changed(sender, instance, action, model, **kwargs):
    if action.startswith("post_"):
        bump(type(instance), model)
