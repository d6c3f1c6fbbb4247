"""Writing the access log. Views call these after they have authorised the request.

The log is append-only, so nothing that could be personal data may go into it: a record is named by
its kind and id (never its title, which a redaction could not reach), the path is kept without its
query string, and a search's free-text terms are kept only as a salted hash and a length
(`loggable_filters`). Choices, dates, numbers and record ids chosen in filters are kept as they are.
"""

import functools
import logging
import os
import re
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.db import DatabaseError, connection, connections, models
from django.utils.crypto import salted_hmac
from django.utils.text import capfirst

from mshtgov.models import AccessAction, AccessLog

logger = logging.getLogger(__name__)

_HASH_SALT = "mshtgov.access-log.search-terms"
_STRUCTURED = re.compile(r"^(?:\d{1,12}|\d{4}-\d{2}-\d{2}|true|false|on|off)$", re.IGNORECASE)
# Filters whose values are fixed choices (not typed), so they are logged as they are.
_CHOICE_FIELDS = (forms.ChoiceField, forms.BooleanField, forms.NullBooleanField, forms.DateField, forms.DateTimeField)
_NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)


class LoggedFilters(dict):
    """Filters already made safe for the log (so `log_access` does not process them twice)."""


def _normalised(term: str) -> str:
    return " ".join(str(term).split()).casefold()


def search_term_hash(term: str) -> str:
    """The salted hash a free-text search term is logged as: the same words give the same hash, so an
    auditor can ask "did anyone search for X?" without the log holding X."""
    secret = getattr(settings, "ACCESS_LOG_SEARCH_SALT", "") or None
    return salted_hmac(_HASH_SALT, _normalised(term), secret=secret, algorithm="sha256").hexdigest()[:32]


def hashed_term(term: str) -> dict:
    return {"hash": search_term_hash(term), "length": len(_normalised(term))}


def _is_hashed(value) -> bool:
    return isinstance(value, Mapping) and set(value) == {"hash", "length"}


def _plain(value):
    """A value that is not typed text, as the log keeps it; None for typed text."""
    if isinstance(value, bool | int | Decimal):
        return value if not isinstance(value, Decimal) else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str) and _STRUCTURED.match(value.strip()):
        return value.strip()
    return None


def _safe(value):
    if _is_hashed(value):
        return dict(value)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [_safe(v) for v in value]
    plain = _plain(value)
    return plain if plain is not None else hashed_term(str(value))


def _from_form(form) -> dict:
    cleaned = getattr(form, "cleaned_data", None) or {}
    data = {}
    for name, field in form.fields.items():
        if name not in cleaned:
            # Through the widget: a date sent as day, month and year boxes is one value.
            raw = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
            if raw not in (None, ""):
                data[name] = _safe(raw)  # not cleaned (invalid): whatever was sent counts as typed
            continue
        value = cleaned[name]
        if value is None or value is False or value in ("", [], ()):
            continue
        if isinstance(field, (forms.ModelChoiceField, forms.ModelMultipleChoiceField, *_NUMBER_FIELDS)):
            data[name] = _safe(value)
        elif isinstance(field, _CHOICE_FIELDS):
            data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else _plain(value) or str(value)
        else:
            data[name] = hashed_term(value) if isinstance(value, str) else _safe(value)
    known = {form.add_prefix(name) for name in form.fields}
    for name, field in form.fields.items():  # a date input's boxes (<name>-day...) are the field, not extra
        known.update(getattr(field.widget, "subwidget_names", lambda _: ())(form.add_prefix(name)))
    for name in getattr(form.data, "keys", dict().keys)():
        if name not in known and name != "page" and form.data.get(name) not in (None, ""):
            data[name] = _safe(form.data.get(name))  # a parameter the form does not know: typed, so hashed
    return data


def loggable_filters(source, *, chosen: Mapping | None = None) -> LoggedFilters:
    """The filters of a search or export as the access log may keep them: {name: value}, where typed
    text is {"hash": ..., "length": n} and choices, dates, numbers and record ids are kept as they are.

    `source` is the bound filter form (best: each field's type says whether it is typed text) or a
    mapping of filter names to values (typed text is then anything that is not a number, date or flag;
    `chosen` names the filters whose values come from a fixed list, kept as they are when in that list)."""
    if isinstance(source, LoggedFilters):
        return source
    if isinstance(source, forms.BaseForm):
        return LoggedFilters(_from_form(source))
    allowed = {name: {str(v) for v in values} for name, values in (chosen or {}).items()}
    return LoggedFilters(
        {
            str(k): (str(v) if str(v) in allowed.get(k, ()) else _safe(v))
            for k, v in (source or {}).items()
            if k != "page" and v not in (None, "", [], ())
        }
    )


def _client_ip(request) -> str | None:
    # REMOTE_ADDR only: a client-supplied X-Forwarded-For must not be able to forge the log.
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record_label(obj: models.Model) -> str:
    """How the log names a record: its kind and id ("Lesson 42"), never its title."""
    return f"{capfirst(obj._meta.verbose_name)} {obj.pk}"


def log_access(
    request,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    recipients: str = "",
    detail: dict | None = None,
    user=None,
    marking: str = "",
) -> AccessLog:
    """Append one row to the access log for what `user` (or the request's user) did.

    `object_repr` must be text the code wrote ("Lessons export: 12 lessons"), never a record's title:
    with `obj`, the record is named by kind and id. `detail["filters"]` goes through `loggable_filters`."""
    user = user if user is not None else getattr(request, "user", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or record_label(obj)
    detail = dict(detail or {})
    if "filters" in detail:
        detail["filters"] = loggable_filters(detail["filters"])
    row = AccessLog(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "",
        action=AccessAction(action),
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        marking=marking or getattr(obj, "marking", "") or "",
        # The path without its query string: filters are logged through `loggable_filters` instead.
        path=(request.path[:500] if request is not None else ""),
        ip_address=_client_ip(request),
        recipients=recipients,
        detail=detail,
    )
    pending = getattr(request, "_access_log_pending", None) if request is not None else None
    if pending is not None and _may_overlap():
        started = threading.Event()
        pending.append((row, _writer().submit(_start_and_write, row, started)))
        # Until the writer has taken the row, this thread gives up the interpreter (issue 15): otherwise the
        # writer, woken while the page renders (pure Python, no I/O), waits for the interpreter's lock for up to
        # its switch interval (5 ms) at each step, the INSERT goes out only when the page is done, and the page
        # then waits for the whole write (the access log page: 4 ms of waiting under load, slower than writing
        # the row in line). Once taken, the writer builds the INSERT and sends it, and the page renders while
        # the database commits.
        started.wait(_PICKUP_WAIT)
    else:
        insert_row(row)
    return row


def insert_row(row: AccessLog) -> None:
    """Writes `row` (its id set from the database) on the current thread's connection.

    On PostgreSQL, one INSERT ... RETURNING with its values sent apart from the statement (issue 15): Django's
    client-side binding turns thirteen values, the JSON detail among them, into SQL text in Python, and a save
    sends its signals; together twice the database's own time for a row written on nearly every logged page
    view. The statement still goes through the connection's cursor wrapper, so query counts, watched builds and
    DEBUG's query log see it. No signal is lost: nothing listens for an access-log row (the cached figures read
    none, `mshtgov.summaries._LIVE_ONLY`). Elsewhere (SQLite), a plain save."""
    db = connections[AccessLog.objects.db]
    if db.vendor != "postgresql":
        row.save(force_insert=True)
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    fields = _insert_fields()
    values = [field.get_db_prep_save(field.pre_save(row, add=True), db) for field in fields]
    db.ensure_connection()
    # Django's own wrapping of a cursor (private, stable since 1.x), so the statement is counted and watched.
    with db.wrap_database_errors, db._prepare_cursor(ServerBindingCursor(db.connection)) as cursor:
        cursor.execute(_insert_sql(), values)
        row.pk = cursor.fetchone()[0]
    row._state.adding = False
    row._state.db = db.alias


@functools.cache
def _insert_fields() -> tuple:
    return tuple(field for field in AccessLog._meta.concrete_fields if not field.primary_key)


@functools.cache
def _insert_sql() -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _insert_fields())
    places = ", ".join(["%s"] * len(_insert_fields()))
    # Names from the model itself, never from input.
    table, pk = quote(AccessLog._meta.db_table), quote(AccessLog._meta.pk.column)
    return f"INSERT INTO {table} ({columns}) VALUES ({places}) RETURNING {pk}"  # noqa: S608


# Writing a row costs a commit, and a commit waits for the disk (fsync: 10-15 ms on a busy machine, as long as
# the whole page). A page view's row is therefore written on a second connection, by a thread, while the page is
# rendered, and `AccessLogMiddleware` waits for that commit before the page leaves the server: a page is never
# shown unless its view is in the log, as before; only the wait overlaps with the rendering. Anything written
# inside a transaction (a service's log row must roll back with it), outside a request or with the setting off
# (tests) is written as before, on the request's own connection.
_writer_lock = threading.Lock()
_writer_pool: tuple[int, ThreadPoolExecutor] | None = None


def _may_overlap() -> bool:
    return (
        getattr(settings, "ACCESS_LOG_OVERLAP", False)
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )


def _writer() -> ThreadPoolExecutor:
    """One writer thread per process (made again after a fork: threads do not survive one)."""
    global _writer_pool
    with _writer_lock:
        if _writer_pool is None or _writer_pool[0] != os.getpid():
            _writer_pool = (os.getpid(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="access-log"))
        return _writer_pool[1]


def aside(job) -> None:
    """Runs `job()` on the writer thread, after the rows already handed to it, while the page goes on (access log
    housekeeping that no page waits for: `mshtgov.access_log_paging`); where there is no writer thread (SQLite,
    inside a transaction, tests), at once."""
    if _may_overlap():
        _writer().submit(_logged_failure, job)
    else:
        job()


def _logged_failure(job) -> None:
    try:
        job()
    except Exception:  # noqa: BLE001 - housekeeping: the next page asks again
        logger.exception("Access log housekeeping failed")


_PICKUP_WAIT = 0.02  # seconds: a writer still busy with an earlier row is not waited for longer


def _start_and_write(row: AccessLog, started: threading.Event) -> None:
    started.set()
    _write_on_own_connection(row)


def _write_on_own_connection(row: AccessLog) -> None:
    """In the writer thread, on its own connection (autocommit: the INSERT is committed when it returns)."""
    try:
        insert_row(row)
    except DatabaseError:
        connections["default"].close()  # a connection the server dropped: once more on a new one
        row.pk = None
        insert_row(row)


def wait_for_pending(pending: list[tuple[AccessLog, Future]]) -> None:
    """Returns once every row in `pending` is committed. A row the writer could not write is written here, on the
    request's connection; if that fails too, the error goes up and the page is not shown."""
    while pending:
        row, future = pending.pop(0)
        try:
            future.result()
        except Exception:  # noqa: BLE001 - whatever went wrong, the row is written again below or the page fails
            logger.exception("The access log writer failed; writing the row on the request's connection")
            row.pk = None
            insert_row(row)


class AccessLogMiddleware:
    """Lets the views of this request write their access-log rows while the page renders, and holds the page
    back until they are committed (`log_access`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._access_log_pending = pending = []
        try:
            response = self.get_response(request)
        finally:
            request._access_log_pending = None  # anything logged from here on is written at once
            wait_for_pending(pending)
        return response


def log_consult_if_sensitive(request, obj) -> None:
    """Viewing an OFFICIAL-SENSITIVE record is logged; viewing an OFFICIAL one is not (volume)."""
    if getattr(obj, "is_sensitive", False):
        log_access(request, AccessAction.CONSULT, obj)


def consult_to_log(obj, *, always: bool = False, detail: dict | None = None) -> dict | None:
    """What `log_consult_if_sensitive` would log of `obj`, as plain values a page kept in the cache holds
    (`mshtgov.page_cache`), so the view is logged on every view without the record: None for one that is not
    sensitive, unless the page logs `always` (with its `detail`, as `log_access` takes it)."""
    if not always and not getattr(obj, "is_sensitive", False):
        return None
    consulted = {
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "object_repr": record_label(obj),
        "marking": getattr(obj, "marking", "") or "",
    }
    return {**consulted, "detail": detail} if detail else consulted


def log_consult(request, consulted: dict | None) -> None:
    """Logs the view that `consult_to_log` described (nothing for None)."""
    if consulted:
        log_access(request, AccessAction.CONSULT, **consulted)
