"""Dashboards drawn again as soon as a change commits, before their readers come back (issue 15).

A change to a record voids every dashboard entry that read its model (`mshtgov.summaries`): the next reader
then waits while the cards that read it are built again, five to nine times the page around them after one
edit, forty times after a change to everything. Instead, once the change has committed, a background job
(`mshtgov.tasks.warm_dashboards`) draws the dashboard again for each reader who opened it lately, exactly as
their own request would (`mshtgov.views.dashboard_entry`: the same watched build, kept under the same key). The
reader's next view is then served from the cache, and is as fresh: an entry is built only from what was
committed, after the change, and is void again the moment anything it read changes.

Nothing here can make a dashboard older. A job that fails, arrives late or is never sent only leaves the reader
to build the page themselves, as before. The job draws a reader's page only while their account is active, under
their roles and permissions as they are now (the key names them: `mshtgov.dashboard.audience`).

Who to warm: the readers whose dashboard was drawn for them in the last `KEEP_SECONDS` (noted on a miss, not on
every view), at most `MOST_READERS` of the latest, each with the period they asked for."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

READERS_KEY = "dashboard-warm:readers"
QUEUED_KEY = "dashboard-warm:queued"
KEEP_SECONDS = 12 * 3600  # a working day: a reader gone longer builds their own page when they come back
MOST_READERS = 50
# The apps whose records dashboards read. A save elsewhere (an access-log row, a job's bookkeeping) sends no job.
WARMED_APPS = frozenset({"governance", "strategy", "partnerships", "learning", "operations", "inspection", "auth"})


def note_reader(user_id: int, period: str) -> None:
    """The dashboard was just drawn for this reader and period (`?period=`, "" for the default)."""
    now = time.time()
    readers = {reader: seen for reader, seen in (cache.get(READERS_KEY) or {}).items() if now - seen < KEEP_SECONDS}
    readers[(user_id, period)] = now
    if len(readers) > MOST_READERS:
        readers = dict(sorted(readers.items(), key=lambda item: item[1])[-MOST_READERS:])
    cache.set(READERS_KEY, readers, KEEP_SECONDS)


def recent_readers() -> list[tuple[int, str]]:
    """(user id, period) of the readers to warm, the latest first."""
    now = time.time()
    readers = cache.get(READERS_KEY) or {}
    recent = [(seen, reader) for reader, seen in readers.items() if now - seen < KEEP_SECONDS]
    return [reader for _, reader in sorted(recent, reverse=True)]


def after_change(models) -> None:
    """A change to `models` was made (`mshtgov.summaries.bump`): once it commits, ask for the dashboards.

    Inside a transaction, one job for the whole transaction, sent after its last change's versions moved: each
    change hands the job on to its own commit hook and only the latest hook sends it (hooks run in order, so it
    runs after every version was bumped). Should that hook be dropped with a savepoint rolled back, no job goes:
    readers build their own pages, as without warming."""
    if not getattr(settings, "DASHBOARD_WARMING", True):
        return
    if not any(model._meta.app_label in WARMED_APPS for model in models):
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _send()
        return
    token = object()
    connection.dashboard_warm_token = token
    transaction.on_commit(lambda: getattr(connection, "dashboard_warm_token", None) is token and _send())


def _send() -> None:
    # One job queued at a time: changes made while it waits are covered by it, since it reads the versions
    # when it runs. The job clears the flag as it starts.
    if not cache.add(QUEUED_KEY, 1, 60):
        return
    from mshtgov.tasks import warm_dashboards

    try:
        warm_dashboards.delay()
    except Exception:  # noqa: BLE001 - a broker or job failure must never fail the change that asked for it
        cache.delete(QUEUED_KEY)
        log.warning("Dashboards not warmed after a change", exc_info=True)
