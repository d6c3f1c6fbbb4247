"""Protective marking on every page, the append-only access log, and readable history."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from mshtgov.audit import log_access
from mshtgov.forms import AuditedModelForm
from mshtgov.history import history_entries
from mshtgov.marking import Marking, highest, mark_page, page_marking, validate_marking
from mshtgov.models import AccessAction, AccessLog
from partnerships.models import PartnerOrganisation
from tests.querycount import assert_constant_queries


class OrganisationForm(AuditedModelForm):
    class Meta:
        model = PartnerOrganisation
        fields = ["name", "kind", "country", "responsibilities"]


def test_highest_marking_never_falls_below_the_site_default(settings):
    assert highest() == Marking.OFFICIAL
    assert highest(Marking.OFFICIAL, Marking.OFFICIAL_SENSITIVE) == Marking.OFFICIAL_SENSITIVE
    settings.SITE_DEFAULT_MARKING = "official-sensitive"
    assert highest(Marking.OFFICIAL) == Marking.OFFICIAL_SENSITIVE


@pytest.mark.parametrize("value", ["secret", "top-secret", "SECRET", "official sensitive"])
def test_markings_above_official_sensitive_are_refused_with_a_clear_message(value):
    with pytest.raises(ValidationError) as error:
        validate_marking(value)
    assert "not accredited for SECRET or TOP SECRET" in str(error.value)


def test_page_marking_is_the_highest_of_what_the_page_shows(db):
    request = RequestFactory().get("/")
    mark_page(request, Marking.OFFICIAL)
    assert page_marking(request) == Marking.OFFICIAL
    mark_page(request, type("Rec", (), {"marking": Marking.OFFICIAL_SENSITIVE})())
    assert page_marking(request) == Marking.OFFICIAL_SENSITIVE


def test_every_page_shows_the_marking_at_top_and_bottom(client_for):
    body = client_for("leader").get("/").content.decode()
    assert body.count("app-marking__text") == 2
    assert body.count(">OFFICIAL</p>") == 2


def _outside_maintenance(settings):
    """Test databases may be flushed (maintenance on); production never is. Turn it off here."""
    settings.ACCESS_LOG_MAINTENANCE = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL mshtgov.maintenance = 'off'")


def test_access_log_refuses_updates_and_deletes_in_the_database(users, settings):
    row = log_access(None, AccessAction.CONSULT, users["leader"], user=users["admin"])
    statements = [
        lambda: AccessLog.objects.filter(pk=row.pk).update(username="someone-else"),
        lambda: AccessLog.objects.filter(pk=row.pk).delete(),
        lambda: connection.cursor().execute("DELETE FROM mshtgov_accesslog"),
    ]
    if connection.vendor == "postgresql":
        statements.append(lambda: connection.cursor().execute("TRUNCATE mshtgov_accesslog"))
    for statement in statements:
        with pytest.raises(DatabaseError), transaction.atomic():
            _outside_maintenance(settings)
            statement()
    assert AccessLog.objects.get(pk=row.pk).username == "admin"


def test_access_log_admin_is_read_only(users):
    admin = site._registry[AccessLog]
    request = RequestFactory().get("/admin/")
    request.user = users["admin"]
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)


def test_access_log_page_searches_and_logs_its_own_use(client_for, users):
    log_access(None, AccessAction.DISCLOSE, users["partner"], user=users["secretary"], recipients="Board members")
    log_access(None, AccessAction.CONSULT, users["leader"], user=users["analyst"])
    response = client_for("leader").get("/audit/access-log/", {"username": "secretary"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Board members" in body and "Exported or disclosed" in body
    assert ">analyst<" not in body
    assert AccessLog.objects.filter(username="leader", action=AccessAction.SEARCH).count() == 1


def test_access_log_filter_dates_in_the_wrong_order_are_explained(client_for):
    response = client_for("leader").get("/audit/access-log/", {"date_from": "2026-11-20", "date_to": "2026-11-01"})
    body = response.content.decode()
    assert "govuk-error-summary" in body and "must be the same as or after" in body


def test_history_shows_who_changed_what_from_what_to_what_and_why(users):
    form = OrganisationForm({"name": "Harbour Trust", "kind": "charity", "country": "United Kingdom"})
    assert form.is_valid(), form.errors
    form.instance._history_user = users["coordinator"]
    org = form.save()
    org.refresh_from_db()
    edit = OrganisationForm(
        {
            "name": "Harbour Trust",
            "kind": "ngo",
            "country": "Ireland",
            "change_reason": "Re-registered in Dublin",
            "seen_version": org.updated_at.isoformat(),
        },
        instance=org,
    )
    assert edit.is_valid(), edit.errors
    edit.instance._history_user = users["leader"]
    edit.save()
    latest, created = history_entries(org)
    assert (latest.kind, latest.who, latest.reason) == ("Changed", "leader", "Re-registered in Dublin")
    changes = {(c.label, c.old, c.new) for c in latest.changes}
    assert ("country", "United Kingdom", "Ireland") in changes
    assert ("kind", "Charity", "Non-governmental organisation") in changes
    assert created.kind == "Created" and created.who == "coordinator"


def test_editing_requires_a_reason(users):
    org = PartnerOrganisation.objects.create(name="Reasonless", kind="ngo")
    form = OrganisationForm(
        {"name": "Reasonless", "kind": "ngo", "country": "United Kingdom", "seen_version": org.updated_at.isoformat()},
        instance=org,
    )
    assert not form.is_valid()
    assert "change_reason" in form.errors


def test_second_editor_is_told_and_keeps_their_input(users):
    org = PartnerOrganisation.objects.create(name="Shared Record", kind="ngo")
    seen = org.updated_at.isoformat()
    first = OrganisationForm(
        {"name": "Shared Record", "kind": "ngo", "country": "France", "change_reason": "first", "seen_version": seen},
        instance=PartnerOrganisation.objects.get(pk=org.pk),
    )
    assert first.is_valid()
    first.save()
    second = OrganisationForm(
        {"name": "Shared Record", "kind": "ngo", "country": "Spain", "change_reason": "second", "seen_version": seen},
        instance=PartnerOrganisation.objects.get(pk=org.pk),
    )
    assert not second.is_valid()
    assert "after you opened it" in " ".join(second.non_field_errors())
    assert second["country"].value() == "Spain"
    assert PartnerOrganisation.objects.get(pk=org.pk).country == "France"
    # Told once, the user may save again knowingly.
    again = OrganisationForm(second.data, instance=PartnerOrganisation.objects.get(pk=org.pk))
    assert again.is_valid(), again.errors


def test_history_reading_costs_the_same_queries_for_many_versions(users, django_assert_max_num_queries):
    org = PartnerOrganisation.objects.create(name="Versioned", kind="ngo")
    for i in range(3):
        org.country = f"Country {i}"
        org.save()
    with django_assert_max_num_queries(2):
        assert len(history_entries(org)) == 4
    for i in range(40):
        org.country = f"Country {i + 10}"
        org.save()
    with django_assert_max_num_queries(2):
        assert len(history_entries(org)) == 44


def test_access_log_page_query_count_is_constant(client_for, users):
    def grow():
        for _ in range(30):
            log_access(None, AccessAction.CONSULT, users["leader"], user=users["analyst"])

    assert_constant_queries(client_for("leader"), "/audit/access-log/", grow)


def test_markings_raised_while_a_cached_page_is_built_are_kept_apart_from_the_pages_own():
    """A page kept in the cache keeps the markings its body raised, to raise them again on a hit; the page's
    own markings (raised before the build) are neither lost nor kept with the entry."""
    from types import SimpleNamespace

    from mshtgov.marking import markings_raised

    request = SimpleNamespace()
    mark_page(request, Marking.OFFICIAL)
    with markings_raised(request) as raised:
        mark_page(request, Marking.OFFICIAL_SENSITIVE, None)
    assert raised.kept() == [str(Marking.OFFICIAL_SENSITIVE)]
    assert page_marking(request) == Marking.OFFICIAL  # the build's markings are the entry's to raise
    mark_page(request, *raised.kept())  # as every view, hit or miss, does
    assert page_marking(request) == Marking.OFFICIAL_SENSITIVE
