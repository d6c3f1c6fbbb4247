"""Versioned terms of reference: a new version from the current, approve only the latest draft, compare, PDF."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mshtgov.models import AccessLog
from partnerships.models import TermsOfReference, TermsStatus
from partnerships.services.terms import terms_approve, terms_start_version
from tests.partnerships.factories import approved_terms, make_partnership, two_partnerships

pytestmark = pytest.mark.django_db


def test_coordinator_starts_edits_approves_and_compares_a_version(users, client_for):
    w = two_partnerships(users)
    client = client_for("coordinator")
    today = timezone.localdate()
    # P1 already has a draft: a second one is refused (issue 10); once it is gone, a new one starts.
    refused = client.post(reverse("partnerships:terms-new", args=[w.p1.pk]), follow=True)
    assert "Version 2 is already a draft" in refused.content.decode()
    TermsOfReference.objects.filter(pk=w.p1_draft.pk).delete()
    response = client.post(reverse("partnerships:terms-new", args=[w.p1.pk]))
    draft = w.p1.terms.get(status=TermsStatus.DRAFT, version=2)
    assert response["Location"] == reverse("partnerships:terms-edit", args=[w.p1.pk, draft.pk])
    # The new version starts from the current one, matrix included.
    assert draft.purpose == "P1 purpose text"
    assert draft.member_rows.count() == 2

    edit = client.get(reverse("partnerships:terms-edit", args=[w.p1.pk, draft.pk]))
    data = {k: v for k, v in edit.context["form"].initial.items() if v is not None}
    data.update({"purpose": "A sharper purpose", "change_reason": "Annual review", "review_date": ""})
    data["seen_version"] = edit.context["form"]["seen_version"].value()
    formset = edit.context["formset"]
    data.update({f"rows-{k}": v for k, v in formset.management_form.initial.items()})
    for i, row in enumerate(formset.forms):
        data[f"rows-{i}-id"] = row.instance.pk
        data[f"rows-{i}-responsibilities"] = f"New duty {i}"
        data[f"rows-{i}-powers"] = row.instance.powers
    saved = client.post(reverse("partnerships:terms-edit", args=[w.p1.pk, draft.pk]), data)
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    draft.refresh_from_db()
    assert draft.purpose == "A sharper purpose"
    assert draft.history.first().history_change_reason == "Annual review"

    approve_url = reverse("partnerships:terms-approve", args=[w.p1.pk, draft.pk])
    refused = client.post(approve_url, {"review_date": (today - timedelta(days=1)).isoformat()})
    assert "on or after the date of approval" in refused.content.decode()
    assert client.post(approve_url, {"review_date": (today + timedelta(days=365)).isoformat()}).status_code == 302

    draft.refresh_from_db()
    w.p1_terms.refresh_from_db()
    assert draft.status == TermsStatus.APPROVED and draft.approved_by == users["coordinator"]
    assert w.p1_terms.status == TermsStatus.SUPERSEDED
    # The superseded version stays readable, to partners too.
    partner = client_for("partner")
    assert partner.get(reverse("partnerships:terms-detail", args=[w.p1.pk, w.p1_terms.pk])).status_code == 200
    assert partner.get(reverse("partnerships:terms-detail", args=[w.p1.pk, draft.pk])).status_code == 200

    compare = client.get(
        reverse("partnerships:terms-compare", args=[w.p1.pk]) + f"?left={w.p1_terms.pk}&right={draft.pk}"
    )
    page = compare.content.decode()
    assert "added: </span>A sharper" in page
    assert "removed: </span>P1" in page
    assert "New duty 0" in page
    purpose_row = next(t for t in compare.context["texts"] if t.label == "Purpose")
    assert purpose_row.changed
    assert not next(t for t in compare.context["texts"] if t.label == "Scope").changed


def _second_draft(draft):
    """Two drafts at once, as data from before a second draft was refused can still hold."""
    second = TermsOfReference.objects.get(pk=draft.pk)
    second.pk, second.id, second.version = None, None, draft.version + 1
    second.save()
    return second


def test_a_second_draft_cannot_be_started_while_one_exists(users, client_for):
    coordinator = users["coordinator"]
    partnership = make_partnership("Kappa", by=coordinator)
    terms_start_version(partnership=partnership, by=coordinator)
    with pytest.raises(ValidationError, match="is already a draft"):
        terms_start_version(partnership=partnership, by=coordinator)
    response = client_for("coordinator").post(reverse("partnerships:terms-new", args=[partnership.pk]), follow=True)
    assert "Version 1 is already a draft" in response.content.decode()
    assert TermsOfReference.objects.filter(partnership=partnership).count() == 1


def test_compare_defaults_to_the_approved_version_against_a_newer_draft(users, client_for):
    coordinator = users["coordinator"]
    partnership = make_partnership("Lambda", by=coordinator)
    first = terms_start_version(partnership=partnership, by=coordinator)
    terms_approve(terms=first, review_date=timezone.localdate() + timedelta(days=100), by=coordinator)
    draft = terms_start_version(partnership=partnership, by=coordinator)
    compare = client_for("coordinator").get(reverse("partnerships:terms-compare", args=[partnership.pk]))
    assert (compare.context["left"], compare.context["right"]) == (first, draft)


def test_only_the_latest_draft_can_be_approved(users):
    coordinator = users["coordinator"]
    partnership = make_partnership("Gamma", by=coordinator)
    older = terms_start_version(partnership=partnership, by=coordinator)
    newer = _second_draft(older)
    review = timezone.localdate() + timedelta(days=100)
    with pytest.raises(ValidationError, match="Only the latest draft"):
        terms_approve(terms=older, review_date=review, by=coordinator)
    older.refresh_from_db()
    assert older.status == TermsStatus.DRAFT  # nothing half-saved
    terms_approve(terms=newer, review_date=review, by=coordinator)
    older.refresh_from_db()
    assert older.status == TermsStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="only a draft can be approved"):
        terms_approve(terms=newer, review_date=review, by=coordinator)


def test_approving_a_stale_draft_through_the_page_shows_the_reason(users, client_for):
    coordinator = users["coordinator"]
    partnership = make_partnership("Delta", by=coordinator)
    older = terms_start_version(partnership=partnership, by=coordinator)
    _second_draft(older)
    response = client_for("coordinator").post(
        reverse("partnerships:terms-approve", args=[partnership.pk, older.pk]),
        {"review_date": (timezone.localdate() + timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 200
    assert "Only the latest draft can be approved" in response.content.decode()


def test_second_coordinator_editing_the_same_draft_is_told_and_keeps_their_input(users, client_for):
    coordinator = users["coordinator"]
    partnership = make_partnership("Echo", by=coordinator)
    draft = terms_start_version(partnership=partnership, by=coordinator)
    url = reverse("partnerships:terms-edit", args=[partnership.pk, draft.pk])
    first, second = client_for("coordinator"), client_for("admin")
    opened = second.get(url).context["form"]["seen_version"].value()
    base = {"rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0", "marking": "official", "change_reason": "Edit"}
    assert first.post(url, {**base, "seen_version": opened, "purpose": "First"}).status_code == 302
    clash = second.post(url, {**base, "seen_version": opened, "purpose": "Second thoughts"})
    assert clash.status_code == 200
    body = clash.content.decode()
    assert "after you opened it" in body and "Second thoughts" in body
    draft.refresh_from_db()
    assert draft.purpose == "First"


def test_pdf_of_a_version_is_marked_and_logged_as_a_disclosure(users, client_for):
    coordinator = users["coordinator"]
    partnership = make_partnership("Foxtrot", by=coordinator)
    terms = approved_terms(partnership, by=coordinator)
    response = client_for("analyst").get(reverse("partnerships:terms-pdf", args=[partnership.pk, terms.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = AccessLog.objects.get(action="disclose", object_id=str(terms.pk))
    assert entry.username == "analyst"
    assert entry.object_type == "partnerships.termsofreference"


def test_word_diff_marks_changes_for_screen_readers_and_escapes_user_text():
    from partnerships.selectors import word_diff

    left, right = word_diff("Share via <script>x</script> email", "Share via GAIN email")
    assert "<script>" not in left and "&lt;script&gt;" in left
    assert '<del><span class="govuk-visually-hidden">removed: </span>&lt;script&gt;x&lt;/script&gt; </del>' in left
    assert '<ins><span class="govuk-visually-hidden">added: </span>GAIN </ins>' in right
    assert right.startswith("Share via ") and right.endswith("</ins>email")
    _, runs = word_diff("one two three", "one four five three")
    assert runs.count("<ins>") == 1  # adjacent changed words make one run
