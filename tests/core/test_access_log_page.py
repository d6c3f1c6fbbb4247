"""The access log page draws its rows and its filter form in one pass (issue 15): it must read exactly as the
templates drew them, every value escaped, for rows with and without recipients, addresses and markings."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template import Context, Template
from django.urls import reverse

from mshtgov.access_log_filters import _ACTIONS as ACTIONS
from mshtgov.access_log_filters import AccessLogFilterForm
from mshtgov.audit import log_access
from mshtgov.models import AccessAction, AccessLog
from mshtgov.views import _LOG_COLUMNS, _log_rows_html
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

# The loop mshtgov/access_log.html ran before the rows were written out in Python.
TEMPLATE_ROWS = """{% load govuk %}{% for row in page %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell">{{ row.at|date:"j M Y H:i:s" }}</td>
      <td class="govuk-table__cell">{{ row.username }}</td>
      <td class="govuk-table__cell">{{ row.get_action_display }}{% if row.recipients %} to {{ row.recipients }}{% endif %}</td>
      <td class="govuk-table__cell">{{ row.object_repr }}<br><span class="govuk-hint govuk-!-font-size-16">{{ row.object_type }} {{ row.object_id }}</span></td>
      <td class="govuk-table__cell">{{ row.marking|marking_label }}</td>
      <td class="govuk-table__cell">{{ row.ip_address|default:"" }}</td>
    </tr>
  {% endfor %}"""  # noqa: E501 - the template's lines as they were


def test_rows_read_as_the_template_drew_them():
    london = ZoneInfo("Europe/London")
    rows = [
        AccessLog(
            at=datetime(2026, 7, 4, 23, 30, 5, tzinfo=ZoneInfo("UTC")),  # summer time: the next day in London
            username="o'neil <b>",
            action=AccessAction.DISCLOSE,
            object_type="learning.lesson",
            object_id="12",
            object_repr='Lesson "A" & <B>',
            marking="official-sensitive",
            ip_address="10.0.0.1",
            recipients="Partner <agency> & co",
        ),
        AccessLog(
            at=datetime(2026, 1, 9, 8, 3, 0, tzinfo=london),
            username="leader",
            action=AccessAction.SEARCH,
            object_repr="Access log search",
            object_type="mshtgov.accesslog",
            marking="",
            ip_address=None,
        ),
        AccessLog(at=datetime(2026, 9, 30, 12, 0, 0, tzinfo=london), username="x", action="not-a-choice"),
        AccessLog(at=datetime(2026, 9, 30, 12, 0, 0, tzinfo=london), username="y", marking="not-a-marking"),
        AccessLog(at=datetime(2026, 3, 1, 9, 0, 0, tzinfo=london), username="z", marking="official"),
    ]
    # The page reads its rows as tuples of _LOG_COLUMNS (no model instance per row).
    tuples = [tuple(getattr(row, column) for column in _LOG_COLUMNS) for row in rows]
    assert str(_log_rows_html(tuples)) == Template(TEMPLATE_ROWS).render(Context({"page": rows}))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"page": "2"},
        {"action": "search", "page": "99999"},
        {"action": ""},
        {"action": "not-a-choice"},
        {"username": "amy", "action": "search", "record": 'x"<y>', "date_from-day": "1", "date_from-month": "2"},
        {"action": "nonsense", "date_from": "2026-03-04", "date_to": "2026-03-01", "searched_for": "a & b"},
    ],
    ids=["unfiltered", "paged", "action-chosen", "any-action", "bad-action", "filtered", "errors"],
)
def test_filter_form_reads_as_the_field_templates_draw_it(data):
    for _ in range(2):  # drawn, then (nothing typed) from the process's copy: the same either way
        form = AccessLogFilterForm(data)
        form.is_valid()
        assert str(form) == form.render(template_name=form.template_name)
        assert 'name="action"' in str(form)


def test_a_filter_form_with_typed_words_is_never_kept():
    from mshtgov import access_log_filters

    for data in ({"username": "amy"}, {"record": "Jane Smith"}, {"action": "search", "searched_for": "x"}):
        str(AccessLogFilterForm(data))
    assert all("amy" not in drawn and "Jane" not in drawn for drawn in access_log_filters._DRAWN.values())
    assert {key[1:] for key in access_log_filters._DRAWN} <= {
        (bound, sent, action) for bound in (True, False) for sent in (True, False) for action in ("", *ACTIONS)
    }


def test_the_kept_filter_form_follows_the_day(settings):
    """A date's hint gives an example from the dates allowed, which move with the day: the form kept for one day
    is not shown the next."""
    from unittest import mock

    from django.utils import timezone

    today = timezone.localdate()
    drawn = [str(AccessLogFilterForm({"page": "2"}))]
    with mock.patch("django.utils.timezone.localdate", return_value=today + timedelta(days=800)):
        later = AccessLogFilterForm({"page": "2"})
        drawn.append(str(later))
        assert drawn[1] == later.render(template_name=later.template_name) != drawn[0]
    assert drawn[0] == str(AccessLogFilterForm({"page": "2"}))


# Paging: what a reader checks on the first, second and last pages.

UTC = ZoneInfo("UTC")


def _make_entries(n, username="analyst"):
    """n entries by `username`, object ids 0..n-1, two at a time sharing a timestamp (so the sort's tie-break,
    by id, counts)."""
    from unittest import mock

    for i in range(n):
        at = datetime(2026, 5, 1, 8, 0, tzinfo=UTC) + timedelta(minutes=i // 2)
        with mock.patch("django.utils.timezone.now", return_value=at):
            AccessLog.objects.create(
                username=username, action=AccessAction.CONSULT, object_type="learning.lesson", object_id=str(i)
            )


def _shown(body):
    return [int(i) for i in re.findall(r"learning\.lesson (\d+)</span>", body)]


def _expected(page, per_page=50, **filters):
    ids = list(AccessLog.objects.filter(**filters).order_by("-at", "-id").values_list("object_id", flat=True))
    return [int(i) for i in ids[(page - 1) * per_page : page * per_page]]


@pytest.mark.parametrize("n", [120, 149, 150, 151])
def test_first_second_and_last_pages_show_the_right_entries(client_for, users, n):
    _make_entries(n)
    client = client_for("leader")
    url = reverse("access-log")
    pages = -(-n // 50)
    for asked, page in [("1", 1), ("2", 2), ("99999", pages), (str(pages), pages), ("0", pages), ("x", 1)]:
        response = client.get(url, {"username": "analyst", "page": asked})
        body = response.content.decode()
        shown = _shown(body)
        assert shown == _expected(page, username="analyst"), (asked, page)
        assert f"{n} entries" in body and f"Page {page} of {pages}" in body
        # The view is logged, with the entries it showed.
        logged = AccessLog.objects.filter(username="leader").latest("id")
        assert logged.action == AccessAction.SEARCH and set(logged.detail["filters"]) == {"username"}
        shown_pks = list(
            AccessLog.objects.filter(pk__in=logged.detail["ids"])
            .order_by("-at", "-id")
            .values_list("object_id", flat=True)
        )
        assert [int(i) for i in shown_pks] == shown
    # Every entry on exactly one page, newest first.
    every = [
        i
        for p in range(1, pages + 1)
        for i in _shown(client.get(url, {"username": "analyst", "page": p}).content.decode())
    ]
    assert every == _expected(1, per_page=n, username="analyst")


def test_the_last_page_unfiltered_agrees_with_the_count_shown(client_for, users):
    _make_entries(75)
    client = client_for("leader")
    before = AccessLog.objects.count()  # the view's own entry is written after its rows are read
    pages = -(-before // 50)
    oldest = list(AccessLog.objects.order_by("-at", "-id")[(pages - 1) * 50 :])
    body = client.get(reverse("access-log"), {"page": "99999"}).content.decode()
    assert f"{before} entries" in body and f"Page {pages} of {pages}" in body
    assert _shown(body) == [int(row.object_id) for row in oldest if row.object_type == "learning.lesson"]
    assert len(oldest) == before - (pages - 1) * 50 == len(AccessLog.objects.latest("id").detail["ids"])


def test_an_action_filter_pages_through_that_action_only(client_for, users):
    _make_entries(60)
    log_access(None, AccessAction.DISCLOSE, users["leader"], user=users["analyst"])
    client = client_for("leader")
    body = client.get(reverse("access-log"), {"action": "disclose"}).content.decode()
    assert "1 entry" in body and body.count('<tr class="govuk-table__row">') == 2  # the header and one row
    consults = client.get(reverse("access-log"), {"action": "consult", "page": "99999"}).content.decode()
    assert "60 entries" in consults and _shown(consults) == _expected(2, action="consult")


def test_a_date_filter_takes_whole_days_in_london(client_for, users):
    """From and To are days in the service's time zone: an entry just after midnight in summer (still the day
    before in UTC) counts for its London day."""
    from unittest import mock

    london = ZoneInfo("Europe/London")
    for i, at in enumerate(
        [
            datetime(2026, 6, 30, 23, 59, 59, tzinfo=london),
            datetime(2026, 7, 1, 0, 0, 0, tzinfo=london),  # 30 June 23:00 UTC
            datetime(2026, 7, 1, 23, 59, 59, tzinfo=london),
            datetime(2026, 7, 2, 0, 0, 0, tzinfo=london),
        ]
    ):
        with mock.patch("django.utils.timezone.now", return_value=at):
            AccessLog.objects.create(
                username="analyst", action=AccessAction.CONSULT, object_type="learning.lesson", object_id=str(i)
            )
    client = client_for("leader")
    one_day = client.get(reverse("access-log"), {"date_from": "2026-07-01", "date_to": "2026-07-01"})
    assert _shown(one_day.content.decode()) == [2, 1]
    since = client.get(reverse("access-log"), {"date_from": "2026-07-01", "username": "analyst"})
    assert _shown(since.content.decode()) == [3, 2, 1]
    until = client.get(reverse("access-log"), {"date_to": "2026-06-30"})
    assert _shown(until.content.decode()) == [0]


@pytest.mark.parametrize(
    "query", ["", "?page=2", "?page=99999", "?action=consult&page=99999", "?username=analyst&page=2"]
)
def test_access_log_pages_cost_the_same_queries_whatever_the_log_holds(client_for, users, query):
    _make_entries(110)
    assert assert_constant_queries(
        client_for("leader"), reverse("access-log") + query, lambda: _make_entries(200), max_queries=12
    )


def test_only_senior_leaders_and_admins_see_the_log(client_for, users):
    for name in ("analyst", "secretary", "coordinator", "pcc", "partner"):
        assert client_for(name).get(reverse("access-log"), {"page": "99999"}).status_code in (403, 404), name
    assert client_for("leader").get(reverse("access-log"), {"page": "99999"}).status_code == 200


# The indexes behind the page (PostgreSQL only; migration mshtgov 0008): no page or count of the log, with or
# without a filter a reader picks from a list or types as a name or a day, reads the whole table.


def _plan_nodes(plan, found):
    found.append((plan["Node Type"], plan.get("Relation Name"), plan.get("Index Name")))
    for child in plan.get("Plans", []):
        _plan_nodes(child, found)
    return found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's")
@pytest.mark.parametrize(
    "query, index",
    [
        ({}, None),
        ({"page": "2"}, None),
        ({"page": "99999"}, None),
        # One action's entries are counted from the settled figure, plus the entries since, on the primary key.
        ({"action": "consult"}, "mshtgov_accesslog_pkey"),
        ({"action": "consult", "page": "99999"}, "mshtgov_accesslog_pkey"),
        ({"action": "consult", "username": "analyst"}, "mshtgov_accesslog_uuser_idx"),
        ({"username": "ANALYST"}, "mshtgov_accesslog_uuser_idx"),
        ({"username": "analyst", "page": "2"}, "mshtgov_accesslog_uuser_idx"),
        ({"date_from": "2026-05-01", "date_to": "2026-05-01"}, "mshtgov_accesslog_at_8357eaa8"),
    ],
)
def test_no_query_of_the_page_scans_the_whole_log(client_for, users, query, index):
    import json

    from django.test.utils import CaptureQueriesContext

    _make_entries(160)
    AccessLog.objects.bulk_create(  # most of the log by others, as a filter on one person or action finds
        AccessLog(username=f"user{i}", action=AccessAction.SEARCH, object_type="mshtgov.accesslog") for i in range(800)
    )
    client = client_for("leader")
    client.get(reverse("access-log"), query)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("access-log"), query).status_code == 200
    selects = [q["sql"] for q in ctx.captured_queries if "mshtgov_accesslog" in q["sql"] and "SELECT" in q["sql"]]
    assert selects
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE mshtgov_accesslog")
        cursor.execute("SET enable_seqscan = off")  # a table this small is otherwise scanned whatever the index
        try:
            for sql in selects:
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                nodes = _plan_nodes(plan[0]["Plan"], [])
                assert ("Seq Scan", "mshtgov_accesslog", None) not in nodes, (sql, nodes)
                if "COUNT(*)" in sql and set(query) - {"page"}:  # a filtered count: from the filter's index
                    assert index in {name for _node, _table, name in nodes}, (sql, nodes)
        finally:
            cursor.execute("SET enable_seqscan = on")
