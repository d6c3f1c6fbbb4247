"""Redaction reaches the history: the live field, every version, change reasons and caches; the access
log says who redacted which field and why, never the words."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from learning.models import Lesson
from mshtgov.models import AccessAction, AccessLog
from mshtgov.personal_data.redaction import redact, redaction_marker
from mshtgov.summaries import cached_summary
from tests.learning.factories import make_lesson

NAME = "Jane Smith"
REASON = "victim's name recorded in error"


def _lesson_with_history(users):
    lesson = make_lesson(users["analyst"], what_worked=f"Victim {NAME} engaged after day two.")
    lesson.what_worked = f"Victim {NAME} engaged after day two, with an interpreter."
    lesson._change_reason = f"Added that {NAME} needed an interpreter"
    lesson._history_user = users["analyst"]
    lesson.save()
    return lesson


def _every_version_text(lesson) -> str:
    rows = lesson.history.model.objects.filter(id=lesson.pk).values()
    return json.dumps(list(rows), default=str)


def _redact_url(lesson, next_url=""):
    ct = ContentType.objects.get_for_model(Lesson)
    return reverse("data-protection-redact", args=[ct.pk, lesson.pk]) + (f"?next={next_url}" if next_url else "")


@pytest.mark.django_db
def test_the_dpo_redacts_words_from_the_record_every_version_and_change_reasons(client_for, users):
    lesson = _lesson_with_history(users)
    assert _every_version_text(lesson).count(NAME) >= 3
    cached = cached_summary("what-worked", lambda: Lesson.objects.get(pk=lesson.pk).what_worked, models=[Lesson])[0]
    assert NAME in cached

    history_url = reverse("learning:lesson-history", args=[lesson.pk])
    admin = client_for("admin")
    page = admin.get(history_url).content.decode()
    assert "Redact personal data" in page and _redact_url(lesson) in page
    response = admin.post(
        _redact_url(lesson), {"field": "what_worked", "passage": "jane  SMITH", "reason": REASON, "next": history_url}
    )
    assert response.status_code == 302 and response["Location"] == history_url

    lesson.refresh_from_db()
    assert NAME not in lesson.what_worked
    assert "[redacted on " in lesson.what_worked and f"by data protection officer: {REASON}]" in lesson.what_worked
    assert lesson.what_worked.endswith("engaged after day two, with an interpreter.")  # the rest is kept
    versions = _every_version_text(lesson)
    assert NAME not in versions and "Jane" not in versions
    assert lesson.history.first().history_change_reason.startswith("Redacted what worked (data protection officer)")
    # The history page shows the redaction, and no longer the name.
    page = admin.get(history_url).content.decode()
    assert NAME not in page and "redacted on" in page
    # Cached figures built from the old text are recomputed.
    cached = cached_summary("what-worked", lambda: Lesson.objects.get(pk=lesson.pk).what_worked, models=[Lesson])[0]
    assert NAME not in cached

    row = AccessLog.objects.get(action=AccessAction.REDACT)
    assert (row.username, row.object_type, row.object_id) == ("admin", "learning.lesson", str(lesson.pk))
    assert row.detail["field"] == "what_worked" and row.detail["reason"] == REASON
    assert row.detail["versions_rewritten"] >= 2
    log_text = json.dumps(list(AccessLog.objects.values()), default=str)
    assert "Jane" not in log_text and "Smith" not in log_text


@pytest.mark.django_db
def test_whole_field_redaction_fits_a_short_reference_field(users):
    lesson = make_lesson(users["analyst"], operation="OP-2025-0101")
    Lesson.objects.filter(pk=lesson.pk).update(operation_reference="SMITH-J-1991")  # slipped in before the validator
    lesson.history.update(operation_reference="SMITH-J-1991")
    lesson.refresh_from_db()
    redact(record=lesson, field_name="operation_reference", reason=REASON, by=users["admin"])
    lesson.refresh_from_db()
    assert lesson.operation_reference.startswith("[redacted on ") and len(lesson.operation_reference) <= 40
    assert not lesson.history.filter(operation_reference__contains="SMITH").exists()


def test_marker_shortens_to_fit():
    from datetime import date

    on = date(2026, 2, 28)
    assert redaction_marker(on=on, reason="error", max_length=None) == (
        "[redacted on 28 February 2026 by data protection officer: error]"
    )
    assert redaction_marker(on=on, reason="error", max_length=40) == "[redacted on 2026-02-28]"
    assert redaction_marker(on=on, reason="error", max_length=12) == "[redacted]"


@pytest.mark.django_db
def test_words_not_in_the_record_are_refused_with_a_message_and_nothing_changes(client_for, users):
    lesson = _lesson_with_history(users)
    response = client_for("admin").post(
        _redact_url(lesson), {"field": "what_worked", "passage": "Amy Jones", "reason": REASON}
    )
    assert response.status_code == 200
    assert "These words are not in this field" in response.content.decode()
    assert 'href="#id_passage"' in response.content.decode()
    lesson.refresh_from_db()
    assert NAME in lesson.what_worked
    assert not AccessLog.objects.filter(action=AccessAction.REDACT).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader", "pcc", "analyst", "coordinator", "secretary", "partner"])
def test_only_the_dpo_may_redact(client_for, users, role):
    lesson = _lesson_with_history(users)
    client = client_for(role)
    assert client.post(_redact_url(lesson), {"field": "what_worked", "reason": REASON}).status_code == 403
    lesson.refresh_from_db()
    assert NAME in lesson.what_worked


@pytest.mark.django_db
def test_a_named_user_granted_the_dpo_permission_may_redact(client_for, users):
    from django.contrib.auth.models import Permission

    users["leader"].user_permissions.add(Permission.objects.get(codename="act_as_data_protection_officer"))
    lesson = _lesson_with_history(users)
    assert client_for("leader").get(_redact_url(lesson)).status_code == 200


@pytest.mark.django_db
def test_an_untracked_model_or_unknown_record_is_not_found(client_for, users):
    ct = ContentType.objects.get_for_model(AccessLog)
    admin = client_for("admin")
    assert admin.get(reverse("data-protection-redact", args=[ct.pk, 1])).status_code == 404
    ct = ContentType.objects.get_for_model(Lesson)
    assert admin.get(reverse("data-protection-redact", args=[ct.pk, 999999])).status_code == 404
