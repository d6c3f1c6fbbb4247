"""Every learning page runs the same number of queries whatever the volume of data."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from learning.models import ImportBatch, LessonStatus
from learning.services.lessons import lesson_advance, lesson_disseminate, lesson_raise_action
from learning.services.training_import import training_import_apply, training_import_stage
from mshtgov.marking import Marking
from tests.learning.factories import AWARENESS, CURRICULUM, csv_bytes, establish, make_lesson, record
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


class Grower:
    """Adds lessons with themes, steps, actions and dissemination, training records and imports."""

    def __init__(self, users):
        self.users = users
        self.n = 0

    def __call__(self, count=3):
        analyst, leader = self.users["analyst"], self.users["leader"]
        today = timezone.localdate()
        for _ in range(count):
            self.n += 1
            lesson = make_lesson(
                analyst,
                title=f"Lesson {self.n}",
                operation=f"OP-2025-{self.n:04d}",
                observed=date(2025, 1, 1),
                themes=["Safeguarding", f"Theme {self.n % 3}"],
                marking=Marking.OFFICIAL_SENSITIVE if self.n % 2 else Marking.OFFICIAL,
            )
            lesson_advance(lesson=lesson, to_status=LessonStatus.IDENTIFIED, by=analyst)
            lesson_raise_action(lesson=lesson, by=analyst, title="Act", owner=leader, due_date=today)
            lesson_disseminate(lesson=lesson, by=analyst, audience="Teams", disseminated_on=today)
            establish(f"Unit {self.n}", "frontline", 5)
            record(f"Q{self.n}", AWARENESS, today - timedelta(days=self.n), unit_name=f"Unit {self.n}")
            record(
                f"Q{self.n}",
                CURRICULUM,
                today - timedelta(days=self.n),
                unit_name=f"Unit {self.n}",
                group_code="investigator",
            )
            batch = training_import_stage(
                uploaded=SimpleUploadedFile(
                    "e.csv", csv_bytes([f"R{self.n},staff,Unit {self.n},{AWARENESS},2025-01-01"])
                ),
                by=analyst,
            )
            training_import_apply(batch=batch, by=analyst)
        self.first_lesson = self.first_lesson if hasattr(self, "first_lesson") else lesson
        self.batch = batch


@pytest.fixture(autouse=True)
def _no_summary_cache(settings):
    """Summaries are cached between requests; measure the pages as they compute them."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def grow(users):
    grower = Grower(users)
    grower(2)
    return grower


@pytest.mark.parametrize("role", ["analyst", "pcc"])
@pytest.mark.parametrize(
    "url",
    [
        "learning:index",
        "learning:lesson-list",
        "learning:lesson-patterns",
        "learning:coverage",
        "learning:establishment-list",
        "learning:product-list",
        "home",
    ],
)
def test_lists_run_constant_queries(client_for, grow, url, role):
    assert_constant_queries(client_for(role), reverse(url), grow)


def test_search_runs_constant_queries(client_for, grow):
    assert_constant_queries(client_for("leader"), reverse("learning:lesson-list") + "?q=lesson&theme=1", grow)


@pytest.mark.parametrize("name", ["learning:lesson-detail", "learning:lesson-history", "learning:lesson-edit"])
def test_lesson_pages_run_constant_queries(client_for, grow, name):
    url = reverse(name, args=[grow.first_lesson.pk])
    assert_constant_queries(client_for("analyst"), url, grow)


def test_import_pages_run_constant_queries(client_for, grow):
    assert_constant_queries(client_for("analyst"), reverse("learning:import-list"), grow)
    assert_constant_queries(client_for("analyst"), reverse("learning:import-detail", args=[grow.batch.pk]), grow)


@pytest.mark.parametrize("state", ["applying", "failed"])
def test_import_detail_in_the_background_runs_constant_queries(client_for, grow, users, state, monkeypatch):
    from django.test import Client

    from learning.services.training_import_queue import training_import_confirm
    from learning.tasks import apply_training_import_task

    monkeypatch.setattr(apply_training_import_task._get_current_object(), "apply_async", lambda *a, **k: None)
    batch = training_import_stage(
        uploaded=SimpleUploadedFile("e.csv", csv_bytes([f"W1,staff,Unit W,{AWARENESS},2025-01-01"])),
        by=users["analyst"],
    )
    training_import_confirm(batch=batch, by=users["analyst"])
    ImportBatch.objects.filter(pk=batch.pk).update(enqueued_at=timezone.now())  # as the broker's acceptance would
    if state == "failed":
        batch.refresh_from_db()
        batch.status, batch.failure_reason = "failed", "The background service stopped responding."
        batch.save()
    url = reverse("learning:import-detail", args=[batch.pk])
    assert_constant_queries(client_for("analyst"), url, grow)
    poll = Client(headers={"HX-Request": "true"})
    poll.force_login(users["analyst"])
    if state == "applying":  # only polled while it applies; the final answer (286) is checked elsewhere
        assert_constant_queries(poll, url, grow)
