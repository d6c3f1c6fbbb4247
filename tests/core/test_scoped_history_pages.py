"""Issue 15: the history pages of an operation, a disruption and a lesson find their record inside the cached
build (`mshtgov.history.render_scoped_history`), so a view served from the cache pays for no access check. What
a user would check: the history shows a change at once, every view of an operation's history is in the access
log (hit or miss, once), and a reader who may not see the record is refused every time with nothing kept."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from mshtgov.models import AccessAction, AccessLog
from mshtgov.roles import Role
from operations.services.operations import operation_update
from tests.learning.factories import make_lesson
from tests.operations.factories import make_disruption, make_operation
from tests.page_cache_support import page_text as _page
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db


def _kept_histories(stored) -> list:
    return [key for key in stored if key.startswith("page:history:")]


def test_an_operations_history_is_logged_on_every_view_and_shows_a_change(client_for, users, stored):
    operation = make_operation(users["analyst"], reference="OP-2025-0042")
    url = reverse("operations:operation-history", args=[operation.pk])
    client = client_for("leader")
    first, second = _page(client.get(url)), _page(client.get(url))
    assert same_page(first) == same_page(second) and "OP-2025-0042" in first
    assert len(_kept_histories(stored)) == 1

    views = AccessLog.objects.filter(
        action=AccessAction.CONSULT, object_type="operations.operation", object_id=str(operation.pk)
    )
    assert views.count() == 2  # the miss and the hit, one row each
    assert all(row.detail == {"page": "history"} and row.username == "leader" for row in views)

    operation.title = "Nail bar labour exploitation"
    operation_update(operation=operation, by=users["analyst"], reason="Scope widened")
    assert "Scope widened" in _page(client.get(url))


def test_a_disruptions_history_shows_a_change_and_refuses_a_role_without_access(client_for, users, stored):
    operation = make_operation(users["analyst"])
    disruption = make_disruption(operation, users["analyst"])
    url = reverse("operations:disruption-history", args=[disruption.pk])
    client = client_for("leader")
    assert operation.reference in _page(client.get(url))
    disruption.lead_agency = "Border Force"
    disruption.save()
    assert "Border Force" in _page(client.get(url))
    stored.clear()
    partner = client_for("partner")
    for _ in range(2):
        assert partner.get(url).status_code in (403, 404)
    assert _kept_histories(stored) == []


def test_a_lesson_history_follows_the_readers_access(client_for, users, stored):
    lesson = make_lesson(users["analyst"])
    url = reverse("learning:lesson-history", args=[lesson.pk])
    analyst = client_for("analyst")
    assert lesson.reference in _page(analyst.get(url))
    assert lesson.reference in _page(analyst.get(url))
    stored.clear()
    users["analyst"].groups.remove(Group.objects.get(name=Role.ANALYST.label))
    for _ in range(2):
        assert analyst.get(url).status_code in (403, 404)
    assert _kept_histories(stored) == []


def test_an_unknown_id_is_404_every_time_and_nothing_is_kept(client_for, stored):
    client = client_for("leader")
    for url in (
        reverse("operations:operation-history", args=[987654]),
        reverse("operations:disruption-history", args=[987654]),
        reverse("learning:lesson-history", args=[987654]),
        reverse("partnerships:ictg-history", args=[987654]),
    ):
        for _ in range(2):
            assert client.get(url).status_code == 404
    assert _kept_histories(stored) == []
