"""Pages every role shares: the dashboard frame, health, the accessibility statement, the access log."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.context_processors import PermWrapper
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mshtgov import attention, dashboard, dashboard_warming, page_cache, panels, sessions
from mshtgov.access import require, safe_next
from mshtgov.access_log_paging import LogPaginator
from mshtgov.audit import log_access, loggable_filters
from mshtgov.marking import Marking, mark_page
from mshtgov.models import AccessAction, AccessLog
from mshtgov.periods import parse_period, period_choices
from mshtgov.roles import Role


@require()
def home(request):
    """The dashboard: what needs the reader's attention, the headline figures against the previous period,
    then a summary card of every panel the user may see, each opening the panel in full."""
    today = timezone.localdate()
    period = parse_period(request.GET.get("period"), today)
    entry = dashboard_entry(request, period, today, noted=True)
    mark_page(request, *entry["markings"])
    cards = SimpleLazyObject(lambda: dashboard.cards(request.user, period, today))
    return render(
        request,
        "mshtgov/drawn_page.html",
        {
            "title": "Dashboard",
            "body_html": mark_safe(entry["body"]),  # noqa: S308 - drawn by the template, every value escaped
            # What the page was drawn from, for tests that check a figure's data rather than its HTML: worked
            # out only when read (the template never reads them), from the cards' and panels' own caches.
            "cards": cards,
            "attention": SimpleLazyObject(lambda: attention.in_order([a for card in cards for a in card.attention])),
            "headlines": SimpleLazyObject(lambda: [h for card in cards for h in card.headlines]),
            "panels": SimpleLazyObject(
                lambda: [(panel, panel.gather(request.user, period)) for panel in panels.panels_for(request.user)]
            ),
            "period": period,
            "wide_page": True,
        },
    )


def dashboard_entry(request, period, today, *, noted: bool = False) -> dict:
    """The dashboard's body for the request's reader, `period` and `today`.

    It comes from the cache, drawn for this reader, period and day from the cards (each cached on its own,
    `mshtgov.dashboard`), until anything a card read changes: a warm dashboard then costs one entry rather than
    every card's and the drawing of its attention list and headlines (issue 15). After a change only the cards
    that read it are rebuilt, and the body drawn again from them: by a background job as soon as the change
    commits (`mshtgov.dashboard_warming`, for the readers it notes here, `noted`), or by the reader's request
    if it comes first."""

    def build():
        if noted:
            dashboard_warming.note_reader(request.user.pk, period.key)
        return _home_body(request, period, today)

    return page_cache.record_page(request, f"dashboard:{period.key}:{period.start}:{period.end}", build)


def _home_body(request, period, today) -> dict:
    """The dashboard's body as the reader sees it, with the markings of its cards: plain values for the cache
    (it has no form that posts, so no CSRF token to leave out)."""
    cards = dashboard.cards(request.user, period, today)
    context = {
        "cards": cards,
        "attention": attention.in_order([line for card in cards for line in card.attention]),
        "headlines": [h for card in cards for h in card.headlines],
        "period": period,
        "periods": period_choices(today),
    }
    body = page_cache.drawn_blocks("mshtgov/home.html", context, request, names=("content",))["content"]
    return {"body": body, "markings": [card.marking for card in cards if card.marking]}


@require()
def dashboard_panel(request, key):
    """One dashboard panel in full (its charts, tables and lists), for the chosen period. A panel the
    reader may not see answers 404, as if it did not exist."""
    panel = panels.get(key)
    if panel is None or not panel.visible(request.user):
        raise Http404("No such panel")
    today = timezone.localdate()
    period = parse_period(request.GET.get("period"), today)
    # Drawn for this reader, period and day and served from the cache until anything it read changes, as the
    # dashboard is: its charts and tables cost several times the page around them (issue 15).
    entry = page_cache.record_page(
        request,
        f"dashboard-panel:{panel.key}:{period.key}:{period.start}:{period.end}",
        lambda: _panel_body(request, panel, period, today),
    )
    mark_page(request, entry["marking"])
    return render(
        request,
        "mshtgov/drawn_page.html",
        {
            "title": panel.title,
            "body_html": mark_safe(entry["body"]),  # noqa: S308 - drawn by the template, every value escaped
            # What the panel gathered, for tests that check its data rather than its HTML: read only when asked.
            "data": SimpleLazyObject(lambda: panel.gather(request.user, period)),
            "panel": panel,
            "period": period,
            "breadcrumbs": [(panel.title, "")],
        },
    )


def _panel_body(request, panel, period, today) -> dict:
    data = panel.gather(request.user, period)
    context = {
        "panel": panel,
        "data": data,
        "period": period,
        "periods": period_choices(today),
        "perms": PermWrapper(request.user),  # a panel may offer a link its reader's permissions allow
    }
    body = page_cache.drawn_blocks("mshtgov/dashboard_panel.html", context, request, names=("content",))["content"]
    return {"body": body, "marking": data.get("marking")}


@login_not_required
@never_cache
def healthz(request):
    """200 when every dependency answers; 503 naming the one that does not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means the database is unusable
        checks["database"] = f"error: {type(exc).__name__}"
    if settings.CELERY_BROKER_URL:
        from mshtgov.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )


@require()
def accessibility(request):
    # Signed-in only, like every page but sign-in and /healthz (issue 2): the statement describes a
    # service only force staff and invited partners can use.
    return render(request, "mshtgov/accessibility.html")


@require()
def glossary(request):
    """Every abbreviation the service uses, in words (linked from every page's footer)."""
    from mshtgov.glossary import terms

    return render(request, "mshtgov/glossary.html", {"terms": terms(), "breadcrumbs": [("Glossary", "")]})


@require_POST
def session_extend(request):
    """The "stay signed in" button: renews the idle timeout now, whenever it was last renewed."""
    sessions.renew(request.session)
    if request.headers.get("HX-Request") or request.headers.get("Accept") == "application/json":
        return JsonResponse({"expires_in": settings.SESSION_COOKIE_AGE})
    messages.success(request, "You are still signed in.")
    return HttpResponseRedirect(safe_next(request, request.POST.get("next")))


@require(roles=(Role.SENIOR_LEADER,))
def access_log(request):
    """Search the access log. Only senior leaders and admins; each search is itself logged."""
    from mshtgov.access_log_filters import AccessLogFilterForm

    form = AccessLogFilterForm(request.GET or None)
    rows = AccessLog.objects.all()
    chosen = {name: value for name, value in form.cleaned_data.items() if value} if form.is_valid() else {}
    if chosen:
        rows = form.apply(rows)
    # The columns the rows show as plain tuples (issue 15): not each entry's `detail` (a search's ids, decoded
    # from JSON for fifty rows), justification or path, and no model instance per row. The whole log, or one
    # action's entries, is counted from its settled figure (mshtgov.access_log_paging).
    settled = set(chosen) <= {"action"}
    paginator = LogPaginator(rows.values_list(*_LOG_COLUMNS), 50, settled=settled, action=chosen.get("action"))
    page = paginator.get_page(request.GET.get("page"))
    log_access(
        request,
        AccessAction.SEARCH,
        object_type="mshtgov.accesslog",
        object_repr="Access log search",
        detail={"filters": loggable_filters(form), "ids": [row[0] for row in page.object_list]},
    )
    return render(
        request,
        "mshtgov/access_log.html",
        {"form": form, "page": page, "rows_html": _log_rows_html(page.object_list)},
    )


# The order of the tuples the page reads (`_log_rows_html`): the id first, for the log of the view itself.
_LOG_COLUMNS = (
    *("id", "at", "username", "action", "recipients", "object_repr", "object_type", "object_id", "marking"),
    "ip_address",
)


def _log_rows_html(rows) -> str:
    """The access log's rows (tuples of `_LOG_COLUMNS`) written out in one pass (issue 15: fifty rows through
    the template, a date filter each, were most of the page): the markup mshtgov/access_log.html drew row by
    row, every value escaped as the template escaped it (`html.escape`, which Django's `escape` is, without its
    lazy-string wrapper per value: fifty rows of nine values)."""
    from django.utils.safestring import mark_safe

    zone = timezone.get_current_timezone()
    return mark_safe("".join([_log_row_html(row, zone) for row in rows]))  # noqa: S308 - escaped in _log_row_html


@functools.lru_cache(maxsize=1024)
def _log_row_html(row: tuple, zone) -> str:
    """One row's markup, kept per process for its values (issue 15): an entry never changes, and the next page
    view shows the same entries again, one place further down. A pure function of its arguments."""
    from html import escape

    from mshtgov.templatetags.govuk import short_date

    _pk, at, username, action, recipients, object_repr, object_type, object_id, marking, address = row
    at = timezone.localtime(at, zone)
    actions, markings = _log_labels()
    action = actions[action] if action in actions else escape(str(action))
    if recipients:
        action += f" to {escape(str(recipients))}"
    return (
        '\n    <tr class="govuk-table__row">\n'
        f'      <td class="govuk-table__cell">{short_date(at)} {at:%H:%M:%S}</td>\n'
        f'      <td class="govuk-table__cell">{escape(str(username))}</td>\n'
        f'      <td class="govuk-table__cell">{action}</td>\n'
        f'      <td class="govuk-table__cell">{escape(str(object_repr))}<br>'
        f'<span class="govuk-hint govuk-!-font-size-16">{escape(str(object_type))} '
        f"{escape(str(object_id))}</span></td>\n"
        f'      <td class="govuk-table__cell">{markings.get(marking, "")}</td>\n'
        f'      <td class="govuk-table__cell">{escape(str(address or ""))}</td>\n    </tr>\n  '
    )


@functools.cache
def _log_labels() -> tuple[dict, dict]:
    """Each action's and marking's label, escaped; a value no longer among the choices is shown as before (an
    action: itself; a marking: nothing, as marking_label gives)."""
    from html import escape

    actions = {value: escape(str(label)) for value, label in AccessAction.choices}
    return actions, {marking.value: escape(str(marking.label)) for marking in Marking}


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be the thing that is down.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({"service_name": settings.SERVICE_NAME}))
