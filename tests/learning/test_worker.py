"""A real Celery worker on Redis applies a training import (CI sets REQUIRE_WORKER_TESTS, so a skip fails)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learning.models import ImportStatus, TrainingRecord
from learning.services.training_import import training_import_stage
from learning.services.training_import_queue import training_import_confirm
from tests.celery_support import wait_for_worker
from tests.learning.factories import csv_bytes
from tests.learning.test_training_import import GOOD


@pytest.fixture(scope="session")
def celery_includes():
    return ["learning.tasks"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_applies_the_import(redis_required, users, celery_app, celery_worker):
    celery_app.control.purge()  # messages left by an earlier run name batches of another database
    analyst = users["analyst"]
    batch = training_import_stage(uploaded=SimpleUploadedFile("export.csv", csv_bytes(GOOD)), by=analyst)
    batch = training_import_confirm(batch=batch, by=analyst)
    assert batch.status == ImportStatus.APPLYING  # the request returns before the rows are written
    wait_for_worker(batch, (ImportStatus.APPLIED, ImportStatus.FAILED), seconds=60)
    assert batch.status == ImportStatus.APPLIED, batch.failure_reason or batch.status
    assert batch.enqueued_at is not None and batch.attempts == 1 and batch.applied_by == analyst
    assert TrainingRecord.objects.filter(batch=batch).count() == 4
