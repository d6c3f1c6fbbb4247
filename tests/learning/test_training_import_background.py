"""Applying a training import in the background: confirming queues a job, the page follows its state
(queued, imported, failed, waiting for the background service), a second confirmation or a redelivered
job applies nothing twice, a failure leaves nothing half-written, and undo and discard wait for it."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from learning.models import ImportBatch, ImportStatus, TrainingRecord, Unit
from learning.services import training_import
from learning.services.training_import import training_import_apply, training_import_stage
from learning.services.training_import_queue import (
    training_import_confirm,
    training_import_run,
    training_import_sweep,
)
from tests.celery_support import broker_at, closed_port
from tests.learning.factories import AWARENESS, csv_bytes
from tests.learning.test_training_import import GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """A broker that only records: the ids of the jobs sent, none of them run."""
    from learning.tasks import apply_training_import_task

    jobs = []
    monkeypatch.setattr(
        apply_training_import_task._get_current_object(), "apply_async", lambda args, **kw: jobs.append(args[0])
    )
    return jobs


@pytest.fixture
def staged(users):
    return training_import_stage(uploaded=SimpleUploadedFile("export.csv", csv_bytes(GOOD)), by=users["analyst"])


def url(name, batch):
    return reverse(f"learning:import-{name}", args=[batch.pk])


@pytest.mark.django_db(transaction=True)  # on-commit callbacks run as in a request: the message sees the queue
def test_confirming_queues_the_job_and_the_page_follows_it(client_for, users, staged, sent):
    client = client_for("analyst")
    response = client.post(url("apply", staged))
    assert response.status_code == 302 and response["Location"] == url("detail", staged)
    assert sent == [staged.pk]
    staged.refresh_from_db()
    assert staged.status == ImportStatus.APPLYING and staged.enqueued_at and staged.applied_by == users["analyst"]
    assert not TrainingRecord.objects.exists()

    page = client.get(url("detail", staged)).content.decode()
    assert "is being applied. This page shows when it is done" in page  # the confirmation's message
    assert 'aria-live="polite"' in page and 'hx-trigger="every 3s"' in page
    assert "The import is queued" in page and "Refresh to see whether it is done" in page
    assert "Import 4 new" not in page and "Discard this upload" not in page and "Undo" not in page

    poll = client.get(url("detail", staged), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "<html" not in poll.content.decode()

    assert training_import_run(batch_id=staged.pk).status == ImportStatus.APPLIED
    poll = client.get(url("detail", staged), HTTP_HX_REQUEST="true")
    assert poll.status_code == 286  # htmx stops polling, and shows the final state it carries
    assert "4 records added and 0 updated" in poll.content.decode() and "Undo this import" in poll.content.decode()
    page = client.get(url("detail", staged)).content.decode()
    assert 'hx-trigger="every 3s"' not in page and "Rows added" in page
    reasons = list(staged.history.order_by("history_id").values_list("status", "history_change_reason"))
    assert reasons == [
        ("staged", "Training export uploaded for preview"),
        ("applying", "Import confirmed: applying in the background"),
        ("applied", f"Imported in training import #{staged.pk}"),
    ]


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_job_runs_in_the_request(client_for, users):
    client = client_for("analyst")
    client.post(reverse("learning:import-create"), {"file": SimpleUploadedFile("e.csv", csv_bytes(GOOD))})
    batch = ImportBatch.objects.get()
    page = client.post(url("apply", batch), follow=True).content.decode()
    assert "4 records added and 0 updated" in page
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.attempts == 1
    assert TrainingRecord.objects.filter(batch=batch).count() == 4


@pytest.mark.django_db(transaction=True)
def test_broker_down_keeps_the_import_and_says_so(client_for, users):
    client = client_for("analyst")
    client.post(reverse("learning:import-create"), {"file": SimpleUploadedFile("e.csv", csv_bytes(GOOD))})
    batch = ImportBatch.objects.get()
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        page = client.post(url("apply", batch), follow=True).content.decode()
        assert "will be applied when the service is back" in page and "Try to queue it again now" in page
        assert 'hx-trigger="every 3s"' not in page  # no polling until it is queued
        page = client.post(url("retry", batch), follow=True).content.decode()
        assert "will be applied when the service is back" in page
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLYING and batch.enqueued_at is None
    assert not TrainingRecord.objects.exists()

    # A second confirmation is refused, whatever the broker does.
    assert "already being applied" in client.post(url("apply", batch), follow=True).content.decode()
    # When the service is back (here: eager again), the sweeper sends it and it applies.
    assert training_import_sweep(now=timezone.now() + timedelta(minutes=2)) == {"failed": 0, "resent": 1}
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and TrainingRecord.objects.count() == 4


def test_a_second_confirmation_sends_nothing_and_applies_nothing(client_for, staged, sent, after_commit):
    client = client_for("analyst")
    after_commit(client.post, url("apply", staged))
    again = after_commit(client.post, url("apply", staged), follow=True).content.decode()
    assert "already being applied" in again
    assert sent == [staged.pk]

    # The job delivered twice (acks_late redelivery): the second delivery does nothing.
    training_import_run(batch_id=staged.pk)
    training_import_run(batch_id=staged.pk)
    staged.refresh_from_db()
    assert staged.status == ImportStatus.APPLIED and staged.attempts == 1
    assert TrainingRecord.objects.count() == 4
    assert staged.history.filter(status=ImportStatus.APPLIED).count() == 1
    assert "cannot be applied again" in client.post(url("apply", staged), follow=True).content.decode()
    assert sent == [staged.pk]


def test_a_failed_job_leaves_nothing_and_can_be_tried_again(client_for, users, staged, after_commit, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # The records and the batch are written, then bumping the summaries fails: all of it rolls back.
    monkeypatch.setattr(training_import, "summaries", SimpleNamespace(bump=explode))
    client = client_for("analyst")
    after_commit(client.post, url("apply", staged))
    staged.refresh_from_db()
    assert staged.status == ImportStatus.FAILED
    assert "RuntimeError: disk full" in staged.failure_reason and "Nothing was imported" in staged.failure_reason
    assert not TrainingRecord.objects.exists() and not Unit.objects.exists()
    page = client.get(url("detail", staged)).content.decode()
    assert "could not be applied" in page and "disk full" in page
    assert "Try the import again" in page and "Discard this upload" in page
    assert 'hx-trigger="every 3s"' not in page

    monkeypatch.undo()
    after_commit(client.post, url("retry", staged))
    staged.refresh_from_db()
    assert staged.status == ImportStatus.APPLIED and staged.failure_reason == ""
    assert TrainingRecord.objects.count() == 4


def test_a_refusal_in_the_job_is_the_reason_and_a_failed_import_can_be_discarded(client_for, staged, after_commit):
    from django.core.files.storage import default_storage

    with default_storage.open(staged.stored_name, "wb") as handle:
        handle.write(csv_bytes([GOOD[0]]))
    client = client_for("analyst")
    after_commit(client.post, url("apply", staged))
    staged.refresh_from_db()
    assert staged.status == ImportStatus.FAILED and "changed since its preview" in staged.failure_reason
    after_commit(client.post, url("discard", staged))
    staged.refresh_from_db()
    assert staged.status == ImportStatus.DISCARDED and not TrainingRecord.objects.exists()


def test_undo_and_discard_wait_while_applying(client_for, users, staged, sent, after_commit):
    client = client_for("analyst")
    earlier = training_import_stage(
        uploaded=SimpleUploadedFile("e.csv", csv_bytes([f"Z1,staff,Control room,{AWARENESS},2025-01-01"])),
        by=users["analyst"],
    )
    training_import_apply(batch=earlier, by=users["analyst"])
    after_commit(client.post, url("apply", staged))

    refused = client.post(url("discard", staged), follow=True).content.decode()
    assert "being applied: it cannot be discarded now" in refused
    refused = client.post(url("undo", staged), follow=True).content.decode()
    assert "still being applied" in refused
    refused = client.post(url("undo", earlier), follow=True).content.decode()
    assert f"Training import #{staged.pk} is being applied" in refused
    staged.refresh_from_db()
    earlier.refresh_from_db()
    assert (staged.status, earlier.status) == (ImportStatus.APPLYING, ImportStatus.APPLIED)
    assert client.post(url("retry", staged), follow=True).status_code == 200
    assert sent == [staged.pk]  # queued, so retrying sends nothing more


def test_a_job_that_keeps_killing_its_worker_is_abandoned(staged, sent, users):
    batch = training_import_confirm(batch=staged, by=users["analyst"])
    ImportBatch.objects.filter(pk=batch.pk).update(attempts=3)  # three starts already, none finished
    assert training_import_run(batch_id=batch.pk).status == ImportStatus.FAILED
    batch.refresh_from_db()
    assert "abandoned after 3 attempts" in batch.failure_reason and not TrainingRecord.objects.exists()


def test_the_sweeper_fails_a_batch_stuck_applying(staged, sent, users, settings):
    batch = training_import_confirm(batch=staged, by=users["analyst"])
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 300)
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=long_ago, attempts=1, enqueued_at=long_ago)
    assert training_import_sweep() == {"failed": 1, "resent": 0}
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "stopped responding" in batch.failure_reason
    assert training_import_run(batch_id=batch.pk).status == ImportStatus.FAILED  # a late redelivery: nothing
