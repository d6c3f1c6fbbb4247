"""Issue 15: the operations register's form pages before any input (adding an operation, editing one, its
outcomes) are served from the reader's page cache (`mshtgov.pages.cached_edit_page`). What a user would check:
the same page hit or miss, drawn once; a change shows at once; a refused reader is refused every time with
nothing kept; a sensitive operation marks the page; a post is handled live (errors beside the field, nothing
saved)."""

import pytest
from django.test import Client
from django.urls import reverse

from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from operations.models import Disruption, Operation, Outcome, ReviewStatus
from operations.services.disruptions import disruption_review, disruption_update
from operations.services.operations import operation_update, outcome_update
from tests.drawn_form_support import posted_values
from tests.operations.factories import make_disruption, make_operation
from tests.page_cache_support import page_text as _page
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db

REFUSED = [("pcc", 403), ("secretary", 403), ("coordinator", 403), ("partner", 404), ("anon", 302)]


@pytest.fixture
def operation(users):
    return make_operation(users["analyst"], marking=Marking.OFFICIAL)


def _edit(operation):
    return reverse("operations:operation-edit", args=[operation.pk])


def _outcomes(operation):
    return reverse("operations:outcome-edit", args=[operation.pk])


def _kept(stored, name: str) -> list[str]:
    return [key for key in stored if key.startswith(f"page:form:operations:{name}:")]


def test_the_edit_form_hit_or_miss_and_a_change_shows_at_once(client_for, users, operation, stored):
    client = client_for("analyst")
    first, second = _page(client.get(_edit(operation))), _page(client.get(_edit(operation)))
    assert same_page(first) == same_page(second)
    assert f"<title>Edit {operation.reference} – " in first and 'value="Car wash labour exploitation"' in first
    assert len(_kept(stored, f"operation:{operation.pk}")) == 1  # drawn once

    operation.title = "Nail bar labour exploitation"
    operation_update(operation=operation, by=users["leader"], reason="Renamed")
    assert 'value="Nail bar labour exploitation"' in _page(client.get(_edit(operation)))

    users["analyst"].first_name = "Renamed"
    users["analyst"].save()
    assert "Renamed" in _page(client.get(_edit(operation)))  # the officer list is never older than the people


def test_the_outcomes_form_hit_or_miss_and_a_change_shows_at_once(client_for, users, operation, stored):
    client = client_for("analyst")
    first, second = _page(client.get(_outcomes(operation))), _page(client.get(_outcomes(operation)))
    assert same_page(first) == same_page(second)
    assert f"<title>Outcomes of {operation.reference} – " in first
    assert len(_kept(stored, f"outcome:{operation.pk}")) == 1

    outcome = operation.outcome
    outcome.suspects_arrested = 3
    outcome_update(outcome=outcome, by=users["leader"], reason="Arrests")
    assert 'name="suspects_arrested" value="3"' in _page(client.get(_outcomes(operation)))


def test_an_operation_without_outcomes_gets_its_row_once_and_the_form_is_then_kept(client_for, operation, stored):
    Outcome.objects.filter(operation=operation).delete()  # as an operation from before outcomes were made with it
    client = client_for("analyst")
    first = _page(client.get(_outcomes(operation)))
    assert Outcome.objects.filter(operation=operation).count() == 1  # made on the first view, as before
    second, third = _page(client.get(_outcomes(operation))), _page(client.get(_outcomes(operation)))
    assert same_page(first) == same_page(second) == same_page(third)
    assert Outcome.objects.filter(operation=operation).count() == 1
    # The first entry was built while the row was made: void at once, drawn again by the second view, kept.
    kept = _kept(stored, f"outcome:{operation.pk}")
    assert len(kept) == 2 and len(set(kept)) == 1


def test_the_add_form_hit_or_miss_drawn_once(client_for, users, stored):
    client = client_for("analyst")
    url = reverse("operations:operation-create")
    first, second = _page(client.get(url)), _page(client.get(url))
    assert same_page(first) == same_page(second)
    assert "<title>Add an operation – " in first and "Add operation" in first
    assert len(_kept(stored, "operation:add")) == 1
    users["leader"].first_name = "Newcomer"
    users["leader"].save()
    assert "Newcomer" in _page(client.get(url))  # the officer list is never older than the people


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_a_refused_reader_is_refused_every_time_and_nothing_is_kept(client_for, operation, stored, role, status):
    client = client_for(role)
    for url in (_edit(operation), _outcomes(operation), reverse("operations:operation-create")):
        for _ in range(2):
            assert client.get(url).status_code == status, url
    assert not [key for key in stored if key.startswith("page:form:")]


def test_an_operation_that_does_not_exist_is_404_every_time_and_nothing_is_kept(client_for, stored):
    client = client_for("leader")
    for url in (reverse("operations:operation-edit", args=[999999]), reverse("operations:outcome-edit", args=[999999])):
        for _ in range(2):
            assert client.get(url).status_code == 404
    assert not [key for key in stored if key.startswith("page:form:")]


def test_a_sensitive_operation_marks_the_page_hit_or_miss(client_for, users):
    sensitive = make_operation(users["analyst"], reference="OP-2025-0002", marking=Marking.OFFICIAL_SENSITIVE)
    client = client_for("leader")
    for url in (_edit(sensitive), _outcomes(sensitive)):
        for _ in range(2):
            html = _page(client.get(url))
            assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html


def test_bad_input_shows_the_error_summary_naming_the_field_and_nothing_is_saved(client_for, operation):
    client = client_for("analyst")
    html = _page(client.get(_edit(operation)))  # kept
    _page(client.get(_edit(operation)))  # a hit
    data = posted_values(html, reference="Jane Smith", change_reason="Renamed")
    refused = _page(client.post(_edit(operation), data))
    assert f"<title>Error: Edit {operation.reference}" in refused and 'href="#id_reference"' in refused
    assert Operation.objects.get(pk=operation.pk).reference == "OP-2025-0001"

    outcomes = _page(client.get(_outcomes(operation)))
    data = posted_values(outcomes, suspects_arrested="1", suspects_charged="2", charged_s1="2")
    data.update(first_charged_on="2025-03-01", change_reason="Charged")
    refused = _page(client.post(_outcomes(operation), data))
    assert "More suspects charged (2) than arrested (1)." in refused and 'href="#id_suspects_charged"' in refused
    assert Outcome.objects.get(operation=operation).suspects_charged == 0

    url = reverse("operations:operation-create")
    data = posted_values(_page(client.get(url)), reference="OP-2025-0009", title="")
    refused = _page(client.post(url, data))
    assert "<title>Error: Add an operation" in refused and 'href="#id_title"' in refused
    assert not Operation.objects.filter(reference="OP-2025-0009").exists()


def test_a_kept_form_posts_with_the_readers_own_token_and_saves(users, operation):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(users["analyst"])
    _page(first.get(_edit(operation)))  # drawn and kept
    html = _page(second.get(_edit(operation)))  # another session of the same reader: a hit
    response = second.post(_edit(operation), posted_values(html, title="Renamed on the page", change_reason="Why"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "operations:operation-detail", args=[operation.pk]
    )
    assert Operation.objects.get(pk=operation.pk).title == "Renamed on the page"
    assert 'value="Renamed on the page"' in _page(second.get(_edit(operation)))


# A disruption's forms: logging one on an operation, changing it, reviewing it


@pytest.fixture
def disruption(users, operation):
    return make_disruption(operation, users["analyst"])


def _disruption(disruption, action):
    return reverse(f"operations:disruption-{action}", args=[disruption.pk])


def _log(operation):
    return reverse("operations:disruption-create", args=[operation.pk])


def test_the_disruption_forms_hit_or_miss_and_a_change_shows_at_once(client_for, users, disruption, stored):
    analyst, leader = client_for("analyst"), client_for("leader")
    reference = disruption.operation.reference
    for client, url, title in (
        (analyst, _disruption(disruption, "edit"), f"Change a disruption of {reference}"),
        (leader, _disruption(disruption, "review"), f"Review a disruption of {reference}"),
        (analyst, _log(disruption.operation), f"Log a disruption of {reference}"),
    ):
        first, second = _page(client.get(url)), _page(client.get(url))
        assert same_page(first) == same_page(second)
        assert f"<title>{title} – " in first
    assert len(_kept(stored, f"disruption:{disruption.pk}")) == 1  # each drawn once
    assert len(_kept(stored, f"disruption-review:{disruption.pk}")) == 1
    assert len(_kept(stored, f"disruption-add:{disruption.operation.pk}")) == 1

    disruption.justification = "Controllers charged and the site closed for good."
    disruption_update(disruption=disruption, by=users["analyst"], reason="Charged")
    assert "Controllers charged and the site closed for good." in _page(analyst.get(_disruption(disruption, "edit")))
    assert "Controllers charged and the site closed for good." in _page(leader.get(_disruption(disruption, "review")))

    users["leader"].first_name = "Newcomer"
    users["leader"].save()
    assert "Newcomer" in _page(analyst.get(_log(disruption.operation)))  # the assessor list is never older


def test_a_reviewed_disruption_sends_the_reader_back_every_time_never_kept(client_for, users, disruption, stored):
    leader, analyst = client_for("leader"), client_for("analyst")
    _page(leader.get(_disruption(disruption, "review")))  # kept while awaiting review
    disruption_review(disruption=disruption, decision=ReviewStatus.ACCEPTED, by=users["leader"])
    stored.clear()
    operation_url = reverse("operations:operation-detail", args=[disruption.operation.pk])
    for _ in range(2):
        response = leader.get(_disruption(disruption, "review"), follow=True)
        assert response.redirect_chain[0][0] == operation_url
        assert "This disruption is not awaiting review." in response.content.decode()
        response = analyst.get(_disruption(disruption, "edit"), follow=True)
        assert response.redirect_chain[0][0] == operation_url
        assert "A reviewed disruption can no longer be changed." in response.content.decode()
    assert not [key for key in stored if key.startswith("page:form:")]


def test_the_assessor_may_not_review_their_own_every_time_never_kept(client_for, users, operation, stored):
    own = make_disruption(operation, users["leader"])
    client = client_for("leader")
    for _ in range(2):
        response = client.get(_disruption(own, "review"), follow=True)
        assert response.redirect_chain[0][0] == reverse("operations:review-queue")
        assert "You assessed this disruption" in response.content.decode()
    assert not [key for key in stored if key.startswith("page:form:")]


@pytest.mark.parametrize(("role", "status"), [*REFUSED, ("analyst", 403)])
def test_a_disruption_form_refused_every_time_nothing_kept(client_for, disruption, stored, role, status):
    client = client_for(role)
    urls = [_disruption(disruption, "review")]
    if role != "analyst":  # who logs and changes disruptions
        urls += [_disruption(disruption, "edit"), _log(disruption.operation)]
    for url in urls:
        for _ in range(2):
            assert client.get(url).status_code == status, url
    assert not [key for key in stored if key.startswith("page:form:")]


def test_a_sensitive_disruption_is_marked_and_its_review_logged_on_every_view(client_for, users, operation):
    sensitive = make_disruption(operation, users["analyst"], marking=Marking.OFFICIAL_SENSITIVE)
    logged = AccessLog.objects.filter(object_type="operations.disruption", object_id=str(sensitive.pk))
    client = client_for("leader")
    for _ in range(2):  # a miss, then a hit
        for action in ("review", "edit"):
            html = _page(client.get(_disruption(sensitive, action)))
            assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html
    assert logged.count() == 2  # the review page logs the view, as before; the edit page does not


def test_bad_disruption_input_names_the_field_and_saves_nothing(client_for, users, disruption):
    analyst, leader = client_for("analyst"), client_for("leader")
    url = _disruption(disruption, "edit")
    refused = _page(analyst.post(url, posted_values(_page(analyst.get(url)), justification="", change_reason="x")))
    assert "<title>Error: Change a disruption" in refused and 'href="#id_justification"' in refused
    disruption.refresh_from_db()
    assert disruption.justification == "Network's main site closed and controllers arrested."

    url = _disruption(disruption, "review")
    refused = _page(leader.post(url, posted_values(_page(leader.get(url)), decision=ReviewStatus.CHALLENGED)))
    assert "<title>Error: Review a disruption" in refused and 'href="#id_reason"' in refused
    disruption.refresh_from_db()
    assert disruption.review_status == ReviewStatus.PENDING

    url = _log(disruption.operation)
    refused = _page(analyst.post(url, posted_values(_page(analyst.get(url)), justification="", level="major")))
    assert "<title>Error: Log a disruption" in refused and 'href="#id_justification"' in refused
    assert Disruption.objects.filter(operation=disruption.operation).count() == 1
