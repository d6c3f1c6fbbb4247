"""Issue 13, item 6: every list that can grow past 50 rows is paged.

Each case below grows one list past a page and checks what a reader sees: at most 50 rows, a "Pages" nav,
the rest on the next page, and the same number of queries however many rows there are.

Pages audited for issue 13 (walking the URL conf), and how each is bounded:
- paged before this change: access log (50), data-protection redactions and disposals (25), reminders (50),
  action log and my actions (50), strategy versions, threats, measures, self-assessments (25), partnerships
  (25), organisations, notifications, support services, ICTG referrals (50), agreements (25), lessons (25),
  training imports (25), operations and disruptions (25), findings (25);
- paged here: the history page of every record (it read the newest 200 versions and dropped the rest), a
  board's meetings on its page, an assessment's evidence bundles;
- bounded by what they show: a measure's values (the trend window), a meeting's agenda, a partnership's
  last six meetings and last 20 changes, the operations import page's ten recent imports, the glossary and
  the reference lists (boards, national strategies, training products, establishment by unit and role).
"""

import re

import pytest
from django.urls import reverse

from inspection.models import BundleStatus, EvidenceBundle
from mshtgov.paging import PAGE_SIZE
from tests.governance.factories import ActionFactory, BoardFactory, MeetingFactory
from tests.learning.factories import make_lesson
from tests.querycount import assert_constant_queries
from tests.strategy.factories import start_assessment

NAV = '<nav class="govuk-pagination" aria-label="Pages">'


def _action_history(users):
    action = ActionFactory(owner=users["leader"])

    def grow(n):
        for i in range(n):
            action.title = f"Update {i}"
            action.save()

    return reverse("governance:action-history", args=[action.pk]), grow, r'class="app-history-entry"'


def _lesson_history(users):
    lesson = make_lesson(users["analyst"])

    def grow(n):
        for i in range(n):
            lesson.title = f"Interpreter known to the suspects ({i})"
            lesson.save()

    return reverse("learning:lesson-history", args=[lesson.pk]), grow, r'class="app-history-entry"'


def _board_meetings(users):
    board = BoardFactory(name="MSHT strategic board")
    board.members.add(users["leader"])

    def grow(n):
        MeetingFactory.create_batch(n, board=board)

    return reverse("governance:board-detail", args=[board.pk]), grow, r'href="/governance/meetings/\d+/"'


def _assessment_bundles(users):
    assessment = start_assessment(users["leader"])

    def grow(n):
        for _ in range(n):
            EvidenceBundle.objects.create(
                assessment=assessment, requested_by=users["leader"], status=BundleStatus.FAILED, failure_reason="x"
            )

    return (
        reverse("inspection:assessment-bundles", args=[assessment.pk]),
        grow,
        r'href="/inspection/bundles/\d+/"',
    )


def _action_log(users):
    def grow(n):
        ActionFactory.create_batch(n, owner=users["leader"])

    return reverse("governance:action-list"), grow, r'href="/governance/actions/\d+/"'


def _lessons(users):
    def grow(n):
        start = len(grown)
        for i in range(start, start + n):
            make_lesson(users["analyst"], title=f"Lesson {i}", operation=f"OP-2025-{i:04d}")
            grown.append(i)

    grown = []
    return reverse("learning:lesson-list"), grow, r'href="/learning/lessons/\d+/"'


CASES = {
    "action history": _action_history,
    "lesson history": _lesson_history,
    "board meetings": _board_meetings,
    "assessment bundles": _assessment_bundles,
    "action log": _action_log,
    "lessons": _lessons,
}


def _rows(page: str, pattern: str) -> int:
    return len(re.findall(pattern, page))


@pytest.mark.parametrize("case", CASES)
def test_a_list_longer_than_a_page_is_paged(case, client_for, users):
    url, grow, row = CASES[case](users)
    client = client_for("leader")
    grow(3)

    def more():
        grow(PAGE_SIZE + 5 - 3)

    # The same queries for a few rows as for more than a page.
    assert_constant_queries(client, url, more)

    first = client.get(url).content.decode()
    shown = _rows(first, row)
    assert 0 < shown <= PAGE_SIZE, f"{case}: {shown} rows on one page"
    assert NAV in first and 'rel="next"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert _rows(second, row) > 0 and 'rel="prev"' in second


def test_history_pages_compare_the_oldest_version_shown_with_the_one_before_it(client_for, users):
    """The last entry on page 1 reads as a change (from the version on page 2), not as a creation."""
    action = ActionFactory(owner=users["leader"], title="Start")
    for i in range(PAGE_SIZE):
        action.title = f"Update {i}"
        action.save()
    client = client_for("leader")
    url = reverse("governance:action-history", args=[action.pk])
    first = client.get(url).content.decode()
    assert first.count("Created by") == 0 and first.count("Changed by") == PAGE_SIZE
    assert ">Update 0<" in first and ">Start<" in first  # the oldest change shown names what it replaced
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("Created by") == 1 and second.count("Changed by") == 0


@pytest.mark.django_db
@pytest.mark.parametrize("number", [None, "1", "2", "3", "9", "0", "-1", "x", "1.5"])
def test_counted_page_answers_what_get_page_does_in_one_query(number, users, django_assert_num_queries):
    """Issue 12: the operations register and disruption lists read a page and the list's count together.
    Whatever page is asked for (past the end, malformed, negative), the reader gets the page `get_page`
    gives, with the same rows and count; a page within the list costs one query, not two."""
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator

    from mshtgov.paging import counted_page

    people = get_user_model().objects.order_by("username", "id")
    total = people.count()
    size = 2
    expected = Paginator(people, size).get_page(number)
    expected_rows = [person.pk for person in expected]
    within = number in (None, "1", "2") or (number == "3" and total > 2 * size)
    if within:
        with django_assert_num_queries(1):
            page = counted_page(people, number, size=size)
            rows = [person.pk for person in page]
    else:
        page = counted_page(people, number, size=size)
        rows = [person.pk for person in page]
    assert rows == expected_rows
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        expected.number,
        total,
        expected.paginator.num_pages,
    )


@pytest.mark.django_db
def test_counted_page_of_an_empty_list_is_one_empty_page(django_assert_num_queries):
    from django.contrib.auth import get_user_model

    from mshtgov.paging import counted_page

    with django_assert_num_queries(1):
        page = counted_page(get_user_model().objects.filter(username="nobody at all").order_by("id"), None, size=5)
        assert (list(page), page.number, page.paginator.count, page.paginator.num_pages) == ([], 1, 0, 1)
