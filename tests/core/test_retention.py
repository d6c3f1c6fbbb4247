"""Retention: records due for review are listed to their owners and senior leaders, who keep them (with a
reason and a new review date) or dispose of them (a tombstone, and no readable copy left in history)."""

import json
from datetime import timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from learning.models import Lesson
from mshtgov.models import AccessAction, AccessLog
from mshtgov.personal_data.models import DisposalTombstone, RetentionDecision
from mshtgov.personal_data.notices import retention_notices_send
from mshtgov.personal_data.retention import due_for_review, owner_of, record_kinds
from tests.learning.factories import make_lesson

pytestmark = pytest.mark.django_db


def _old_lesson(owner, months=73, **extra):
    lesson = make_lesson(owner, **extra)
    created = timezone.now() - relativedelta(months=months)
    Lesson.objects.filter(pk=lesson.pk).update(created_at=created)
    lesson.refresh_from_db()
    return lesson


def _decide_url(lesson):
    return reverse("retention-review", args=["learning.lesson", lesson.pk])


def test_every_configured_kind_names_a_model_and_an_owner_path():
    kinds = record_kinds()
    assert {k.label for k in kinds} == set(settings.RETENTION_REVIEW)
    for kind in kinds:
        assert kind.months > 0 and len(kind.reason) > 40
        if kind.owner:
            field = kind.model
            for part in kind.owner.split("__"):
                field = field._meta.get_field(part).related_model
            assert field._meta.label == settings.AUTH_USER_MODEL, kind.label


def test_old_records_are_due_and_listed_to_their_owner_and_leaders_only(client_for, users):
    old = _old_lesson(users["analyst"], title="Debrief of Operation Kestrel")
    make_lesson(users["analyst"], title="A lesson from this year")
    due = [item for item in due_for_review(timezone.localdate()) if item.kind.label == "learning.lesson"]
    assert [item.record for item in due] == [old]
    assert owner_of(due[0].kind, old) == users["analyst"]

    analyst_page = client_for("analyst").get(reverse("retention-reviews")).content.decode()
    assert _decide_url(old) in analyst_page and "A lesson from this year" not in analyst_page
    assert _decide_url(old) in client_for("leader").get(reverse("retention-reviews")).content.decode()
    assert _decide_url(old) not in client_for("coordinator").get(reverse("retention-reviews")).content.decode()
    assert client_for("partner").get(reverse("retention-reviews")).status_code == 403
    assert client_for("coordinator").get(_decide_url(old)).status_code == 403
    assert client_for("partner").get(_decide_url(old)).status_code == 403
    for role in ("analyst", "leader", "admin"):
        assert client_for(role).get(_decide_url(old)).status_code == 200, role


def test_keeping_a_record_needs_a_reason_and_a_later_date_and_sets_the_next_review(client_for, users):
    old = _old_lesson(users["analyst"])
    client = client_for("leader")
    refused = client.post(_decide_url(old), {"decision": "keep", "reason": "Still cited", "next_review_on": ""})
    assert refused.status_code == 200 and "Enter the date by which the record must be reviewed again" in (
        refused.content.decode()
    )
    review_on = timezone.localdate() + timedelta(days=365)
    response = client.post(
        _decide_url(old), {"decision": "keep", "reason": "Cited by the 2027 inspection", "next_review_on": review_on}
    )
    assert response.status_code == 302
    decision = RetentionDecision.objects.get()
    assert (decision.kind, decision.object_id, decision.next_review_on) == ("learning.lesson", old.pk, review_on)
    assert decision.decided_by == users["leader"]
    assert old not in [i.record for i in due_for_review(timezone.localdate())]
    assert old in [i.record for i in due_for_review(review_on)]


def test_disposal_deletes_the_record_and_every_version_and_leaves_a_tombstone(client_for, users):
    old = _old_lesson(users["analyst"], title="Debrief with victim details")
    old.what_worked = "Early joint planning with the MASH."
    old._change_reason = "Edited"
    old.save()
    pk = old.pk
    assert Lesson.history.filter(id=pk).count() >= 2
    client = client_for("analyst")  # the owner
    unconfirmed = client.post(_decide_url(old), {"decision": "dispose", "reason": "No longer needed"})
    assert "Confirm that the record and all its history will be deleted" in unconfirmed.content.decode()
    assert Lesson.objects.filter(pk=pk).exists()

    response = client.post(_decide_url(old), {"decision": "dispose", "reason": "No longer needed", "confirm": "on"})
    assert response.status_code == 302
    assert not Lesson.objects.filter(pk=pk).exists()
    assert not Lesson.history.filter(id=pk).exists()
    tombstone = DisposalTombstone.objects.get()
    assert (tombstone.kind, tombstone.object_id, tombstone.disposed_by) == ("learning.lesson", pk, users["analyst"])
    assert tombstone.reason == "No longer needed"
    row = AccessLog.objects.get(action=AccessAction.DISPOSE)
    assert (row.object_type, row.object_id) == ("learning.lesson", str(pk))
    everything = json.dumps(list(AccessLog.objects.values()) + list(DisposalTombstone.objects.values()), default=str)
    assert "victim details" not in everything and "joint planning" not in everything


def test_the_monthly_job_emails_owners_and_senior_leaders_once_a_month(users):
    _old_lesson(users["analyst"], title="Debrief of Operation Kestrel")
    today = timezone.localdate().replace(day=1)
    with time_machine.travel(today, tick=False):
        assert retention_notices_send(today=today) == 2
        assert retention_notices_send(today=today) == 0  # a rerun in the same month sends nothing
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [users["analyst"].email, users["leader"].email]
    message = mail.outbox[0]
    assert message.subject == "[OFFICIAL] 1 record due for retention review"
    assert message.body.strip().startswith("OFFICIAL") and message.body.strip().endswith("OFFICIAL")
    assert "Debrief of Operation Kestrel" in message.body and "/data-protection/reviews/" in message.body


def test_the_job_is_in_the_beat_schedule_monthly():
    entry = settings.CELERY_BEAT_SCHEDULE["retention-review-notices"]
    assert entry["task"] == "mshtgov.personal_data.tasks.send_retention_notices_task"
    assert entry["schedule"].day_of_month == {1}


def test_a_record_others_depend_on_cannot_be_disposed_of_and_the_page_says_why(client_for, users, settings):
    from governance.models import Board
    from tests.governance.factories import BoardFactory, MeetingFactory

    settings.RETENTION_REVIEW = {
        **settings.RETENTION_REVIEW,
        "governance.board": {"months": 1, "owner": "secretary", "reason": "A test kind: meetings protect boards."},
    }
    board = BoardFactory(name="Old board", secretary=users["secretary"])
    meeting = MeetingFactory(board=board)  # a meeting protects its board (on_delete=PROTECT)
    url = reverse("retention-review", args=["governance.board", board.pk])
    client = client_for("leader")
    page = client.get(url).content.decode()
    assert "cannot be disposed of while other records depend on it" in page and f"Meeting {meeting.pk}" in page
    response = client.post(url, {"decision": "dispose", "reason": "Old", "confirm": "on"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert Board.objects.filter(pk=board.pk).exists() and not DisposalTombstone.objects.exists()
