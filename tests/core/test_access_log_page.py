"""The access log page draws its rows and its filter form in one pass (issue 15): it must read exactly as the
templates drew them, every value escaped, for rows with and without recipients, addresses and markings."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse

from mshtgov.access_log_filters import AccessLogFilterForm
from mshtgov.models import AccessAction, AccessLog
from mshtgov.views import _log_rows_html

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
            marking="official_sensitive",
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
    ]
    assert str(_log_rows_html(rows)) == Template(TEMPLATE_ROWS).render(Context({"page": rows}))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"username": "amy", "action": "search", "record": 'x"<y>', "date_from-day": "1", "date_from-month": "2"},
        {"action": "nonsense", "date_from": "2026-03-04", "date_to": "2026-03-01", "searched_for": "a & b"},
    ],
    ids=["unfiltered", "filtered", "errors"],
)
def test_filter_form_reads_as_the_field_templates_draw_it(data):
    form = AccessLogFilterForm(data)
    form.is_valid()
    assert str(form) == form.render(template_name=form.template_name)
    assert 'name="action"' in str(form)


def test_the_page_shows_rows_and_an_empty_search(client_for, users):
    client = client_for("leader")
    client.get(reverse("access-log"))  # logs itself: the next page shows that search
    page = client.get(reverse("access-log")).content.decode()
    assert "Access log search" in page and "No entries match." not in page
    empty = client.get(reverse("access-log"), {"username": "nobody-at-all"}).content.decode()
    assert "No entries match." in empty
