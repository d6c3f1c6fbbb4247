"""Redaction reaches built evidence bundles end to end: words that slipped into an answer's evidence and
were bundled are removed from the answer and its history, and the bundle that printed them loses its
files and says why; a bundle that never held them is left alone. Checked in the PDF itself."""

import pytest
from django.urls import reverse

from inspection.models import BundleStatus, EvidenceBundle
from inspection.services.bundles import bundle_build
from mshtgov.documents import pdf_text
from mshtgov.personal_data.redaction import redact
from strategy.models import RequirementStatus
from tests.strategy.factories import start_assessment

pytestmark = pytest.mark.django_db

NAME = "Jane Smith"


def _built(assessment, user):
    bundle = bundle_build(bundle_id=EvidenceBundle.objects.create(assessment=assessment, requested_by=user).pk)
    assert bundle.status == BundleStatus.READY, bundle.failure_reason
    return bundle


def _answer(assessment, evidence):
    """An answer whose evidence slipped past the form's screen (written as a data import would)."""
    answer = assessment.answers.select_related("requirement").order_by("requirement__order").first()
    answer.status, answer.evidence = RequirementStatus.MET, evidence
    answer.save()
    return answer


def test_redacting_bundled_words_withdraws_the_bundle_and_clears_the_answer_and_its_history(
    users, client_for, django_capture_on_commit_callbacks
):
    leader = users["leader"]
    assessment = start_assessment(leader, title="Self-assessment 2026 to 2027")
    answer = _answer(assessment, f"Case review with victim {NAME}; referral made within 24 hours.")
    bundle = _built(assessment, leader)
    files = [bundle.pdf_file.name, bundle.zip_file.name]
    storage = bundle.pdf_file.storage
    assert NAME in " ".join(pdf_text(bundle.pdf_file).split())

    with django_capture_on_commit_callbacks(execute=True):
        done = redact(record=answer, field_name="evidence", passage=NAME, reason="name in error", by=users["admin"])

    assert any("bundle" in line.lower() for line in done.documents), done.documents
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.WITHDRAWN
    assert not any(storage.exists(name) for name in files)
    page = client_for("leader").get(bundle.get_absolute_url()).content.decode()
    assert "redacted" in page.lower()
    assert client_for("leader").get(reverse("inspection:bundle-download", args=[bundle.pk, "pdf"])).status_code == 404

    answer.refresh_from_db()
    assert NAME not in answer.evidence and "referral made within 24 hours" in answer.evidence
    assert not any(NAME in (version.evidence or "") for version in answer.history.all())

    # A new bundle, asked for afterwards, prints the redaction marker, not the name.
    rebuilt = _built(assessment, leader)
    text = " ".join(pdf_text(rebuilt.pdf_file).split())
    assert NAME not in text and "Smith" not in text and "[redacted on" in text


def test_a_bundle_that_never_held_the_words_is_left_alone(users, django_capture_on_commit_callbacks):
    leader = users["leader"]
    clean = start_assessment(leader, title="Self-assessment 2025 to 2026")
    _answer(clean, "Reviewed at the strategic board in June.")
    kept = _built(clean, leader)

    other = start_assessment(leader, title="Self-assessment 2026 to 2027")
    answer = _answer(other, f"Case review with victim {NAME}.")
    _built(other, leader)
    with django_capture_on_commit_callbacks(execute=True):
        redact(record=answer, field_name="evidence", passage=NAME, reason="name in error", by=users["admin"])

    kept.refresh_from_db()
    assert kept.status == BundleStatus.READY and kept.pdf_file.storage.exists(kept.pdf_file.name)
