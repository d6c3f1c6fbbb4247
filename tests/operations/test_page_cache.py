"""Issue 12: the register, the disruption log and the review queue are served from the cache once built, per
reader (their user, roles and permissions), query string and day (operations.views.cached). A page must never
show an older truth than the last change, never one reader's page to another, and every view is logged,
served from the cache or not. A search is never kept (the typed words would be)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from mshtgov.roles import Role
from operations.models import OperationStatus, ReviewStatus
from operations.services.debriefs import debrief_record
from operations.services.disruptions import disruption_review
from tests.operations.factories import OPENED, make_disruption, make_operation

pytestmark = pytest.mark.django_db

REGISTER = reverse("operations:operation-list")
LOG = reverse("operations:disruption-list")
QUEUE = reverse("operations:review-queue")


def _references(response) -> list:
    assert response.status_code == 200
    return [shown.reference for shown in response.context["page"]]


def test_a_change_shows_on_the_next_view(client_for, users, settings):
    settings.OPERATIONS_DEBRIEF_DUE_DAYS = 1
    analyst = users["analyst"]
    client = client_for("analyst")
    first = make_operation(analyst, reference="OP-2025-0001")
    assert _references(client.get(REGISTER)) == ["OP-2025-0001"]
    assert _references(client.get(REGISTER)) == ["OP-2025-0001"]  # served from the cache

    make_operation(analyst, reference="OP-2025-0002", opened_on=OPENED + timedelta(days=1))
    assert _references(client.get(REGISTER)) == ["OP-2025-0002", "OP-2025-0001"]

    overdue = {"debrief_overdue": "yes"}
    assert _references(client.get(REGISTER, overdue)) == []
    first.status, first.closed_on = OperationStatus.CONCLUDED, OPENED + timedelta(days=2)
    first.save()
    assert _references(client.get(REGISTER, overdue)) == ["OP-2025-0001"]
    debrief_record(
        operation=first, by=analyst, held_on=OPENED + timedelta(days=3), no_new_learning=True, no_learning_reason="None"
    )
    assert _references(client.get(REGISTER, overdue)) == []

    first.title = "Renamed title"
    first.save()
    assert "Renamed title" in client.get(REGISTER).content.decode()

    # The disruption log and the queue: a new disruption shows at once, a reviewed one leaves the queue.
    assert _references(client.get(LOG)) == []
    disruption = make_disruption(first, analyst, on=OPENED + timedelta(days=1))
    assert _references(client.get(LOG)) == ["OP-2025-0001"]
    leader = client_for("leader")
    assert _references(leader.get(QUEUE)) == ["OP-2025-0001"]
    assert _references(leader.get(QUEUE)) == ["OP-2025-0001"]
    disruption_review(disruption=disruption, decision=ReviewStatus.ACCEPTED, by=users["leader"])
    assert _references(leader.get(QUEUE)) == []
    assert "Accepted" in client.get(LOG).content.decode()


def test_readers_never_share_an_entry(client_for, users):
    """The queue offers a review to anyone but the assessor: the same query string, built for one reviewer,
    is never served to the other."""
    leader, admin = users["leader"], users["admin"]
    operation = make_operation(users["analyst"])
    make_disruption(operation, leader, assessed_by=leader)
    for _ in range(2):
        own = client_for("leader").get(QUEUE).content.decode()
        assert "You assessed it" in own and "Review<span" not in own
        other = client_for("admin").get(QUEUE).content.decode()
        assert "Review<span" in other and "You assessed it" not in other
    assert admin.pk != leader.pk


def test_a_role_taken_away_is_not_served_the_old_page(client_for, users):
    make_operation(users["analyst"])
    client = client_for("analyst")
    for url in (REGISTER, LOG):
        assert client.get(url).status_code == 200
    users["analyst"].groups.remove(Group.objects.get(name=Role.ANALYST.label))
    for url in (REGISTER, LOG):
        assert client.get(url).status_code == 403


def test_every_view_is_logged_with_what_it_showed_hit_or_miss(client_for, users):
    operation = make_operation(users["analyst"], marking=Marking.OFFICIAL_SENSITIVE)
    make_disruption(operation, users["analyst"], marking=Marking.OFFICIAL_SENSITIVE)
    client = client_for("analyst")
    for url, kind in ((REGISTER, "operations.operation"), (LOG, "operations.disruption")):
        before = AccessLog.objects.filter(object_type=kind).count()
        for _ in range(3):
            page = client.get(url, {"sort": "-priority"} if kind == "operations.operation" else {})
            assert "OFFICIAL-SENSITIVE" in page.content.decode()  # the page's marking, from the cache too
        rows = list(AccessLog.objects.filter(object_type=kind).order_by("-id")[:3])
        assert AccessLog.objects.filter(object_type=kind).count() == before + 3
        for row in rows:
            assert row.username == "analyst" and row.marking == Marking.OFFICIAL_SENSITIVE
            assert len(row.detail["ids"]) == 1 and "found" in row.object_repr
        if kind == "operations.operation":
            assert all(row.detail["filters"] == {"sort": "-priority"} for row in rows)


def test_a_search_is_never_kept(client_for, users, monkeypatch):
    from mshtgov import summaries

    stored = []
    original = summaries.store_watched
    monkeypatch.setattr(summaries, "store_watched", lambda entries, **kw: stored.extend(entries) or original(entries))
    make_operation(users["analyst"], reference="OP-2025-0077", title="Nail bar")
    client = client_for("analyst")
    for _ in range(2):
        page = client.get(REGISTER, {"q": "nail bar"})
        assert _references(page) == ["OP-2025-0077"] and 'value="nail bar"' in page.content.decode()
    assert stored == []
    assert AccessLog.objects.filter(object_type="operations.operation", action="search").count() == 2
    client.get(REGISTER, {"q": "", "status": "live"})  # an empty search box: nothing typed, kept
    assert len(stored) == 1


def test_refused_filters_are_shown_and_not_kept(client_for, users):
    make_operation(users["analyst"])
    client = client_for("analyst")
    for url, field in ((REGISTER, "opened_to"), (LOG, "date_to")):
        for _ in range(2):
            page = client.get(url, {f"{field}-day": "31", f"{field}-month": "2", f"{field}-year": "2025"})
            html = page.content.decode()
            assert "There is a problem" in html and "govuk-form-group--error" in html


def test_an_operation_page_shows_each_change_on_the_next_view(client_for, users):
    from governance.services.actions import action_create
    from tests.learning.factories import make_lesson

    analyst = users["analyst"]
    operation = make_operation(analyst, reference="OP-2025-0009", marking=Marking.OFFICIAL)
    url = reverse("operations:operation-detail", args=[operation.pk])
    leader = client_for("leader")
    for _ in range(2):
        page = leader.get(url).content.decode()
        assert "No disruption logged." in page and "No action raised from this operation." in page
    disruption = make_disruption(operation, analyst)
    page = leader.get(url).content.decode()
    assert "Awaiting review" in page and reverse("operations:disruption-review", args=[disruption.pk]) in page
    assert (
        reverse("operations:disruption-review", args=[disruption.pk])
        not in client_for("analyst").get(url).content.decode()
    )
    disruption_review(disruption=disruption, decision=ReviewStatus.ACCEPTED, by=users["leader"])
    page = leader.get(url).content.decode()
    assert "Accepted by" in page and reverse("operations:disruption-review", args=[disruption.pk]) not in page
    action_create(title="Brief the partners", owner=analyst, due_date=OPENED, by=analyst, source=operation)
    assert "Brief the partners" in leader.get(url).content.decode()
    make_lesson(analyst, operation="OP-2025-0009", title="Interpreters need vetting")
    assert "Interpreters need vetting" in leader.get(url).content.decode()
    operation.title = "Renamed operation"
    operation.save()
    assert "Renamed operation" in leader.get(url).content.decode()


def test_an_operation_page_is_logged_and_marked_on_every_view(client_for, users):
    operation = make_operation(users["analyst"], marking=Marking.OFFICIAL)
    make_disruption(operation, users["analyst"], marking=Marking.OFFICIAL_SENSITIVE)
    url = reverse("operations:operation-detail", args=[operation.pk])
    client = client_for("analyst")
    for view in range(1, 4):
        page = client.get(url).content.decode()
        assert "OFFICIAL-SENSITIVE" in page  # its disruption raises the page's marking, from the cache too
        logged = AccessLog.objects.filter(object_type="operations.operation", object_id=str(operation.pk))
        assert logged.count() == view and logged.latest("id").username == "analyst"
    assert client.get(reverse("operations:operation-detail", args=[operation.pk + 999])).status_code == 404
    users["analyst"].groups.remove(Group.objects.get(name=Role.ANALYST.label))
    assert client.get(url).status_code == 403


def test_an_action_the_reader_may_not_open_is_counted_never_named(client_for, users):
    from django.contrib.contenttypes.models import ContentType

    from tests.governance.factories import ActionFactory, BoardFactory

    operation = make_operation(users["analyst"], marking=Marking.OFFICIAL)
    url = reverse("operations:operation-detail", args=[operation.pk])
    assert "No action raised from this operation." in client_for("analyst").get(url).content.decode()
    ActionFactory(
        title="Covert tasking of the Northside team",
        owner=users["leader"],
        board=BoardFactory(name="Board the analyst does not sit on"),
        source_content_type=ContentType.objects.get_for_model(operation),
        source_object_id=operation.pk,
    )
    for _ in range(2):
        page = client_for("analyst").get(url).content.decode()
        assert "Covert tasking" not in page and "1 record you cannot see" in page
        page = client_for("leader").get(url).content.decode()
        assert "Covert tasking" in page and "you cannot see" not in page
