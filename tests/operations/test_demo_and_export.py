"""The demo register is consistent (every record passes the rules users meet) and its figures are the
measures; the export is marked, formula-safe and logged."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Action
from mshtgov import demo, measure_sources
from mshtgov.models import AccessLog
from operations import demo as operations_demo
from operations.models import Debrief, Disruption, Operation, ReviewStatus
from tests.operations.factories import make_operation

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def _ctx(users, scale=1):
    return demo.DemoContext(scale=scale, users=users, today=date(2026, 11, 20), log=lambda *a: None)


def test_demo_register_is_consistent_and_idempotent(users):
    operations_demo.seed(_ctx(users))
    assert Operation.objects.count() == 40
    for operation in Operation.objects.select_related("outcome"):
        operation.full_clean(validate_unique=False)
        operation.outcome.full_clean()
    statuses = set(Disruption.objects.values_list("review_status", flat=True))
    assert {ReviewStatus.ACCEPTED, ReviewStatus.CHALLENGED, ReviewStatus.REGRADED} <= statuses
    assert not Disruption.objects.filter(reviewed_by=models_f("assessed_by")).exists()
    overdue = Operation.objects.debrief_overdue(timezone.localdate())
    assert overdue.exists() and Debrief.objects.exists()
    assert Action.objects.filter(title__startswith="Hold and").count() >= 1
    operations_demo.seed(_ctx(users))
    assert Operation.objects.count() == 40


def models_f(name):
    from django.db.models import F

    return F(name)


def test_demo_measures_are_computed_from_the_demo_rows(users):
    operations_demo.seed(_ctx(users))
    start, end = date(2025, 4, 1), date(2026, 3, 31)
    live = measure_sources.get("live-operations").compute(start, end)
    assert live.value == Operation.objects.live_on(end).count()
    major = measure_sources.get("nca-disruptions-major").compute(start, end)
    assert major.value == Disruption.objects.at_level("major").filter(disrupted_on__range=(start, end)).count()


def test_export_is_marked_formula_safe_and_logged(client_for, users):
    make_operation(users["analyst"], title="=HYPERLINK(1) car wash")
    response = client_for("analyst").get(reverse("operations:operation-export", args=["csv"]) + "?status=live")
    assert response.status_code == 200
    assert "OFFICIAL-SENSITIVE" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0].startswith("OFFICIAL-SENSITIVE")
    titles = [row[1] for row in rows[2:]]
    assert titles == ["'=HYPERLINK(1) car wash"]
    log = AccessLog.objects.filter(object_type="operations.operation", action="disclose").get()
    assert log.detail["filters"]["status"] == "live"
