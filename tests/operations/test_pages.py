"""The register's pages as users meet them: bad input refused beside the field with nothing saved, the
review queue never offering a reviewer their own assessment, lost updates refused, access logged, and the
same number of queries whatever the volume."""

from datetime import timedelta

import pytest
from django.urls import reverse

from governance.services.actions import action_create
from mshtgov.models import AccessLog
from operations.models import Disruption, Operation, OperationStatus, ReviewStatus
from operations.services.debriefs import debrief_record
from operations.services.disruptions import disruption_review
from tests.learning.factories import make_lesson
from tests.operations.factories import OPENED, make_disruption, make_operation
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _form(user, **changes):
    data = {
        "reference": "OP-2025-0300",
        "title": "Nail bar labour exploitation",
        "opened_on": "2025-02-03",
        "status": "live",
        "lead_unit": "Major Crime",
        "officer_in_charge": user.pk,
        "oic_pip_level": "2",
        "exploitation_types": ["labour"],
        "geography": "local",
        "marking": "official-sensitive",
    }
    data.update(changes)
    return data


def test_adding_an_operation_shows_it_on_its_page(client_for, users):
    client = client_for("analyst")
    response = client.post(reverse("operations:operation-create"), _form(users["analyst"]))
    operation = Operation.objects.get(reference="OP-2025-0300")
    assert response.status_code == 302 and response["Location"] == reverse(
        "operations:operation-detail", args=[operation.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "Nail bar labour exploitation" in page and "OFFICIAL-SENSITIVE" in page
    assert AccessLog.objects.filter(object_type="operations.operation", object_id=str(operation.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reference": "Jane Smith"}, "reference", "looks like a name"),
        ({"status": "concluded", "closed_on": "2025-01-01"}, "closed_on", "on or after the opened date"),
        ({"exploitation_types": ["labour"], "county_lines": "on"}, "county_lines", "criminal"),
        ({"geography": "international"}, "countries", "countries"),
        ({"harm": "5"}, "likelihood", "leave all five scores blank"),
        ({"title": "Victim Jane Smith at the car wash"}, "title", ""),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_saved(client_for, users, changes, field, message):
    response = client_for("analyst").post(reverse("operations:operation-create"), _form(users["analyst"], **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert "govuk-error-summary" in response.content.decode()
    assert not Operation.objects.exists()


def test_contradictory_outcomes_refused_on_the_page(client_for, users):
    operation = make_operation(users["analyst"])
    url = reverse("operations:outcome-edit", args=[operation.pk])
    client = client_for("analyst")
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and value is not False}
    data.update(
        {"suspects_arrested": "1", "suspects_charged": "2", "charged_s1": "2", "first_charged_on": "2025-03-01"}
    )
    data["change_reason"] = "Charged"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "More suspects charged (2) than arrested (1)." in response.context["form"].errors["suspects_charged"]
    operation.outcome.refresh_from_db()
    assert operation.outcome.suspects_charged == 0


def test_edit_refuses_a_lost_update(client_for, users):
    operation = make_operation(users["analyst"])
    url = reverse("operations:operation-edit", args=[operation.pk])
    client = client_for("analyst")
    initial = client.get(url).context["form"]
    data = _form(users["analyst"], reference=operation.reference, opened_on="2025-01-06", title="Renamed")
    data["seen_version"] = initial["seen_version"].value()
    data["change_reason"] = "Renamed"
    Operation.objects.filter(pk=operation.pk).update(updated_at=operation.updated_at + timedelta(minutes=1))
    response = client.post(url, data)
    assert response.status_code == 200 and "after you opened it" in response.content.decode()
    operation.refresh_from_db()
    assert operation.title != "Renamed"


def test_review_queue_never_offers_a_reviewer_their_own_assessment(client_for, users):
    operation = make_operation(users["analyst"])
    own = make_disruption(operation, users["leader"])
    other = make_disruption(operation, users["analyst"], on=OPENED + timedelta(days=11))
    client = client_for("leader")
    page = client.get(reverse("operations:review-queue")).content.decode()
    assert reverse("operations:disruption-review", args=[other.pk]) in page
    assert reverse("operations:disruption-review", args=[own.pk]) not in page
    response = client.post(reverse("operations:disruption-review", args=[own.pk]), {"decision": "accepted"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.review_status == ReviewStatus.PENDING


def test_a_regrade_without_reason_is_refused_on_the_page(client_for, users):
    disruption = make_disruption(make_operation(users["analyst"]), users["analyst"])
    response = client_for("leader").post(
        reverse("operations:disruption-review", args=[disruption.pk]), {"decision": "regraded"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "reason" in errors and "new_level" in errors
    disruption.refresh_from_db()
    assert disruption.review_status == ReviewStatus.PENDING


def test_register_filters_by_disruption_level_and_overdue_debrief(client_for, users, settings):
    settings.OPERATIONS_DEBRIEF_DUE_DAYS = 1
    analyst = users["analyst"]
    major = make_operation(analyst, reference="OP-2025-0401")
    disruption_review(disruption=make_disruption(major, analyst), decision="accepted", by=users["leader"])
    make_disruption(make_operation(analyst, reference="OP-2025-0402"), analyst)  # not reviewed: does not count
    make_operation(
        analyst, reference="OP-2025-0403", status=OperationStatus.CLOSED_NFA, closed_on=OPENED + timedelta(1)
    )
    client = client_for("analyst")
    page = client.get(reverse("operations:operation-list"), {"disruption_level": "major"})
    assert [op.reference for op in page.context["page"]] == ["OP-2025-0401"]
    page = client.get(reverse("operations:operation-list"), {"debrief_overdue": "yes"})
    assert [op.reference for op in page.context["page"]] == ["OP-2025-0403"]
    page = client.get(reverse("operations:operation-list"), {"sort": "reference"})
    assert [op.reference for op in page.context["page"]] == ["OP-2025-0401", "OP-2025-0402", "OP-2025-0403"]


class Grower:
    """Adds operations with outcomes, disruptions (reviewed and not), debriefs, lessons and actions."""

    def __init__(self, users):
        self.users, self.n = users, 0

    def __call__(self, count=3):
        analyst, leader = self.users["analyst"], self.users["leader"]
        for _ in range(count):
            self.n += 1
            ref = f"OP-2025-{self.n + 500:04d}"
            operation = make_operation(
                analyst,
                reference=ref,
                status=OperationStatus.CONCLUDED,
                closed_on=OPENED + timedelta(days=90),
                lead_unit=f"Unit {self.n}",
            )
            for day in (10, 20):
                disruption = make_disruption(operation, analyst, on=OPENED + timedelta(days=day))
            disruption_review(disruption=disruption, decision="regraded", new_level="minor", reason="x", by=leader)
            make_lesson(analyst, operation=ref, title=f"Lesson {self.n}")
            debrief_record(operation=operation, by=analyst, held_on=OPENED + timedelta(days=95), no_new_learning=False)
            action_create(title="Follow up", owner=analyst, due_date=OPENED, by=analyst, source=operation)


@pytest.fixture
def grown(users):
    grow = Grower(users)
    grow()
    return grow


def test_query_counts_are_constant(client_for, users, grown):
    client = client_for("leader")
    first = Operation.objects.order_by("pk").first()
    for url in (
        reverse("operations:operation-list"),
        reverse("operations:operation-list") + "?disruption_level=minor&sort=-priority",
        reverse("operations:operation-detail", args=[first.pk]),
        reverse("operations:disruption-list"),
        reverse("operations:review-queue"),
    ):
        if "operation-detail" in url or f"/{first.pk}/" in url:
            # The page of one operation grows with that operation's own records.
            def grow_one():
                grown()
                for day in (30, 40, 50):
                    make_disruption(first, users["analyst"], on=OPENED + timedelta(days=day))
                make_lesson(users["analyst"], operation=first.reference, title="Another lesson")

            assert_constant_queries(client, url, grow_one)
        else:
            assert_constant_queries(client, url, grown)
    assert Disruption.objects.count() > 10
