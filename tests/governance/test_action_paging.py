"""Issue 15: the action log reads a page in the later half of the list from its far end (so the last page
costs what the first does). Every page must hold exactly the rows, in the order, that plain paging gives."""

from datetime import date, timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Action
from mshtgov.paging import TwoEndedPaginator
from tests.governance.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_every_page_read_from_either_end_matches_plain_paging(users):
    # Ties on the due date (three actions a day): the order's last key, the id, settles them.
    for i in range(23):
        ActionFactory(owner=users["analyst"], due_date=date(2026, 3, 1) + timedelta(days=i // 3))
    ordered = Action.objects.order_by("due_date", "id")
    for per_page, orphans in ((5, 0), (4, 2), (50, 0)):
        plain, two_ended = Paginator(ordered, per_page, orphans), TwoEndedPaginator(ordered, per_page, orphans)
        assert two_ended.num_pages == plain.num_pages
        for number in plain.page_range:
            assert [a.pk for a in two_ended.page(number)] == [a.pk for a in plain.page(number)], (per_page, number)


def test_the_last_page_is_read_backwards(users):
    for i in range(12):
        ActionFactory(owner=users["analyst"], due_date=date(2026, 3, 1) + timedelta(days=i))
    paginator = TwoEndedPaginator(Action.objects.order_by("due_date", "id"), 5)
    paginator.count  # noqa: B018 - counted first, as the page does
    with CaptureQueriesContext(connection) as ctx:
        rows = list(paginator.page(3))
    assert [a.due_date.day for a in rows] == [11, 12]
    assert "DESC" in ctx.captured_queries[-1]["sql"]
