"""The data protection officer's overview: redactions, disposals, records due; who may open it; its queries."""

import itertools

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from learning.models import Lesson
from mshtgov.audit import log_access
from mshtgov.models import AccessAction
from mshtgov.personal_data.models import DisposalTombstone
from tests.learning.factories import make_lesson
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db
URL = reverse("data-protection")
_ids = itertools.count(10_000)


def _add(users, n):
    for i in range(n):
        lesson = make_lesson(users["analyst"], title=f"Lesson {i}")
        Lesson.objects.filter(pk=lesson.pk).update(created_at=timezone.now() - relativedelta(months=80))
        log_access(
            None,
            AccessAction.REDACT,
            lesson,
            user=users["admin"],
            detail={"field": "title", "scope": "words", "reason": "name", "versions_rewritten": 2, "documents": []},
        )
        DisposalTombstone.objects.create(
            kind="learning.lesson",
            kind_label="Lesson",
            object_id=next(_ids),
            disposed_by_name="admin",
            reason="Past review",
            also_disposed={"Lesson transitions": 2},
        )


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("leader", 403), ("analyst", 403), ("partner", 403)])
def test_only_the_dpo_opens_the_overview(client_for, role, status):
    assert client_for(role).get(URL).status_code == status


def test_overview_lists_redactions_disposals_and_due_counts(client_for, users):
    _add(users, 2)
    page = client_for("admin").get(URL).content.decode()
    assert page.count("Past review") == 2
    assert "title (words)" in page and "2 versions" in page
    assert "with 2 × lesson transitions" in page
    row = page.split("Lessons learned")[1] if "Lessons learned" in page else page.split("Lessons")[1]
    assert ">2<" in row.split("</tr>")[0]


def test_overview_queries_do_not_grow_with_the_data(client_for, users):
    _add(users, 1)
    assert_constant_queries(client_for("admin"), URL, lambda: _add(users, 6))


def test_review_list_queries_do_not_grow_with_the_records_due(client_for, users):
    from governance.models import Meeting
    from tests.governance.factories import DecisionFactory, MeetingFactory

    def grow():
        _add(users, 3)
        for _ in range(3):
            meeting = MeetingFactory()
            DecisionFactory(meeting=meeting)
        old = timezone.now() - relativedelta(months=100)
        Meeting.objects.update(created_at=old)
        from governance.models import Decision

        Decision.objects.update(created_at=old)

    grow()
    client = client_for("leader")
    assert_constant_queries(client, reverse("retention-reviews"), grow)
    page = client.get(reverse("retention-reviews")).content.decode()
    assert page.count("Review Meeting") == 6 and page.count("Review Decision") == 6
