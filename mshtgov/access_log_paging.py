"""The access log page's paging: the number of entries and the page's rows, cheaply on a log that only grows.

Counting the log is the one cost on its page that grows for ever: every logged view adds a row, and an exact
COUNT(*) reads the whole table (issue 15: 3 ms at ten thousand entries, and a force keeps years of them). The
log is append-only (database triggers refuse any change or deletion), so the entries up to a given id, once no
writer can still add one below it, are a settled number: `settled_count` keeps that number in the cache, and a
page counts only the entries written since, from the primary key's index. The figure shown is still exact: the
settled part never changes, the rest is counted on every view, in the same statement as the page's rows.

When is a part settled? Ids are handed out before their rows commit, so a writer that took id 90 may commit after
the writer of id 91. Every writer holds a ROW EXCLUSIVE lock on the table from before it takes an id until its
transaction ends; `_settle` takes a SHARE lock, which it only gets (without waiting: NOWAIT) while no writer is
in the middle of a write. At that moment every id below the highest committed one is committed or abandoned for
good, so the entries up to it are counted and kept. Getting the lock fails while anyone writes; the next page view
tries again, and until then the unsettled part is simply counted.

The settled figure is kept per action (viewed, searched, exported...), so a view of one action's entries, the
filter a reader picks most, is counted the same way. It names its last entry (id and time) and is used only while
that entry is there: a database restored or reset under a cache that kept the figure would otherwise be
miscounted. On SQLite (development), every count is a plain COUNT(*)."""

import threading
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Func, IntegerField, Subquery

from mshtgov import audit
from mshtgov.models import AccessLog
from mshtgov.paging import TwoEndedPaginator

SETTLED_KEY = "access-log:settled"
SETTLE_AFTER = 500  # unsettled entries counted on each view before settling is tried again
SETTLE_AT_MOST = 200_000  # entries counted under the lock at once (writers wait for it: keep it short)
# Pages near the start are read with the count in one statement; further in, the count decides which end to
# read from (`page`).
FORWARD_PAGES = 20


def settled_count() -> tuple[int, dict[str, int], object]:
    """(last id, {action: entries up to and including it}, that entry's time): (0, {}, None) when nothing is
    settled."""
    found = cache.get(SETTLED_KEY)
    return found if found and isinstance(found[1], dict) else (0, {}, None)


_LARGEST_ID = 2**63 - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_COUNT = Func(template="COUNT(*)", output_field=IntegerField())


def _settle() -> None:
    """Moves the settled figure on to the highest committed entry, if no writer is writing (see the module)."""
    last_id, settled, at = settled_count()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            table = connection.ops.quote_name(AccessLog._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE NOWAIT")
            if last_id:
                cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s AND at = %s", [last_id, at])  # noqa: S608
                if cursor.fetchone() is None:  # settled on another database: settle afresh
                    last_id, settled = 0, {}
            entries = AccessLog.objects.filter(id__gt=last_id, id__lte=last_id + SETTLE_AT_MOST)
            top = entries.order_by("-id").values_list("id", "at").first()
            if top is None:
                return
            more = entries.filter(id__lte=top[0]).order_by().values_list("action").annotate(n=Count("id"))
            counts = dict(settled)
            for action, n in more:
                counts[action] = counts.get(action, 0) + n
    except DatabaseError:  # a writer holds the table (or the role may not lock it): counted again next time
        return
    cache.set(SETTLED_KEY, (top[0], counts, top[1]), None)


_settling = threading.Lock()


def _settle_aside() -> None:
    """Settles on the access log's writer thread when there is one (`mshtgov.audit.aside`): the page that asked
    does not wait for it, and its queries are not the page's. One at a time per process; a page that asks
    while one is under way leaves it to that one."""
    if not _settling.acquire(blocking=False):
        return

    started = []

    def settle_then_release():
        started.append(True)
        try:
            _settle()
        finally:
            _settling.release()

    try:
        audit.aside(settle_then_release)
    except BaseException:
        if not started:  # never handed over (no writer to take it): the next page may ask again
            _settling.release()
        raise


class LogPaginator(TwoEndedPaginator):
    """`TwoEndedPaginator` over the access log's rows (value tuples, the id first: a page in the later half is read
    from the end of the log), with two shortcuts:

    - with `settled` (the whole log, or one action's entries), the count is the settled figure plus the entries
      since, and the rows are read by one plain statement (`_slice`);
    - otherwise, a page near the start reads its rows and the count in one statement (one round trip, one
      snapshot)."""

    def __init__(self, object_list, per_page, *, settled: bool = False, action: str | None = None):
        super().__init__(object_list, per_page)  # no orphans: a page holds `per_page` rows, the last one fewer
        self.settled = settled and connection.vendor == "postgresql"
        self.action = action  # with `settled`: the log filtered on this action alone

    @property
    def count(self):
        if "_count" not in self.__dict__:
            self._count = self._count_entries()
        return self._count

    @count.setter
    def count(self, value):
        self._count = value

    def _count_entries(self) -> int:
        if not self.settled:
            return self.object_list.count()
        last_id, settled, at = settled_count()
        table = connection.ops.quote_name(AccessLog._meta.db_table)
        with connection.cursor() as cursor:
            # "id < the largest id" as well: a range on the primary key, which PostgreSQL reads from its index even
            # before it has statistics for the table (a bare "id > n" of a table never analysed is read whole).
            cursor.execute(
                f"SELECT COUNT(*), COUNT(*) FILTER (WHERE action = %s), "  # noqa: S608 - the model's own table
                f"EXISTS(SELECT 1 FROM {table} WHERE id = %s AND at = %s) FROM {table} WHERE id > %s AND id < %s",
                [self.action or "", last_id, at, last_id, _LARGEST_ID],
            )
            since, since_of_action, there = cursor.fetchone()
        if not (there or not last_id):  # the database is not the one the figure was settled on: count it all
            cache.delete(SETTLED_KEY)
            _settle_aside()
            return self.object_list.count()
        if since >= SETTLE_AFTER:
            _settle_aside()
        if self.action:
            return settled.get(self.action, 0) + since_of_action
        return sum(settled.values()) + since

    def get_page(self, number):
        near = None if self.settled else self._near_start(number)
        if near:
            found = self._read_with_count(near)
            if found is not None:
                return found
        return super().get_page(number)

    def _slice(self, start: int, stop: int, *, backwards: bool = False):
        """The rows from `start` to `stop` in the log's order (newest first; `backwards`: oldest first). With
        `settled`, read by one plain statement (issue 15: building the query and reading each entry's time through
        Django's time-zone loader were half of reading fifty rows); the same columns, rows and order as the
        queryset's."""
        if not self.settled:
            return super()._slice(start, stop, backwards=backwards)
        columns = self.object_list.query.values_select
        at = columns.index("at")
        table = connection.ops.quote_name(AccessLog._meta.db_table)
        # The time as whole microseconds since the epoch: an integer read without Django's loader for times.
        selected = ", ".join(
            "(EXTRACT(EPOCH FROM at) * 1000000)::bigint"
            if name == "at"
            else connection.ops.quote_name(AccessLog._meta.get_field(name).column)
            for name in columns
        )
        where, params = ("WHERE action = %s", [self.action]) if self.action else ("", [])
        order = "at, id" if backwards else "at DESC, id DESC"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {selected} FROM {table} {where} ORDER BY {order} LIMIT %s OFFSET %s",  # noqa: S608
                [*params, stop - start, start],
            )
            rows = cursor.fetchall()
        return [(*row[:at], _EPOCH + timedelta(microseconds=row[at]), *row[at + 1 :]) for row in rows]

    def validate_number(self, number):
        try:
            if int(number) == 1:  # always a page (Django allows an empty first page); no count needed to say so
                return 1
        except (TypeError, ValueError):
            pass
        return super().validate_number(number)

    def _near_start(self, number) -> int | None:
        try:
            number = int(number)
        except (TypeError, ValueError):
            return 1  # no page or not a number: the first page, as `get_page` answers
        return number if 1 <= number <= FORWARD_PAGES else None

    def _read_with_count(self, number: int):
        """The page's rows and the number of entries matching in one statement (a filtered view: its count is
        read from the filter's index); None when the page is past the end (the caller then answers the last
        page, as `get_page` does). The whole log is counted apart instead (`_count_entries`, a cheap statement
        of its own): put in one statement with the rows, its two subqueries cost more to build than the round
        trip they saved."""
        bottom = (number - 1) * self.per_page
        entries = Subquery(self.object_list.order_by().annotate(n=_COUNT).values("n"))
        columns = self.object_list.query.values_select
        rows = list(
            self.object_list.annotate(_entries=entries).values_list(*columns, "_entries")[
                bottom : bottom + self.per_page
            ]
        )
        if not rows:
            if number == 1:  # nothing matches (the count came with the rows, from the same snapshot)
                self.count = 0
                return self._get_page([], 1, self)
            return None
        self.count = rows[0][-1]
        return self._get_page([row[:-1] for row in rows], number, self)
