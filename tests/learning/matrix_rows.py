"""The learning app's pages for every role.

Analysts log lessons and import training; senior leaders validate and see all; PCC liaisons see OFFICIAL
lessons, patterns and coverage (an OFFICIAL-SENSITIVE lesson answers 404); board secretaries see
patterns only; partnership coordinators and external partners have no part of this app.
"""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from governance.models import Action, ActionStatus
from learning.models import LessonStatus
from learning.services.lessons import lesson_advance, lesson_raise_action
from learning.services.training_import import training_import_stage
from mshtgov.marking import Marking
from tests.learning.conftest import load_reference_data
from tests.learning.factories import AWARENESS, csv_bytes, establish, make_lesson, product
from tests.matrix import Row, allow

VIEWERS = ("leader", "pcc", "analyst", "admin")
PROGRESSORS = ("leader", "analyst", "admin")
EDITORS = ("analyst", "admin")
VALIDATORS = ("leader", "admin")


def build(world):
    load_reference_data()  # in case a transactional test flushed the migration's rows
    analyst, leader = world.users["analyst"], world.users["leader"]
    world.lesson = make_lesson(analyst, themes=["Safeguarding"])
    lesson_advance(lesson=world.lesson, to_status=LessonStatus.IDENTIFIED, by=analyst)
    world.secret = make_lesson(analyst, title="Sensitive debrief", marking=Marking.OFFICIAL_SENSITIVE)
    # A lesson ready to validate: its only action closed.
    world.ready = make_lesson(analyst, title="Ready to validate")
    lesson_advance(lesson=world.ready, to_status=LessonStatus.IDENTIFIED, by=analyst)
    action = lesson_raise_action(
        lesson=world.ready,
        by=analyst,
        title="Brief the teams",
        owner=leader,
        due_date=timezone.localdate() + timedelta(days=30),
    )
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.CLOSED)  # done before it is implemented
    lesson_advance(lesson=world.ready, to_status=LessonStatus.IMPLEMENTED, by=analyst)
    world.product = product(AWARENESS)
    establish("North response", "frontline", 10)
    upload = SimpleUploadedFile("export.csv", csv_bytes([f"A100,frontline,North response,{AWARENESS},2025-01-02"]))
    world.batch = training_import_stage(uploaded=upload, by=analyst)


def _lesson(w):
    return {"pk": w.lesson.pk}


def _secret(w):
    return {"pk": w.secret.pk}


def _new_lesson(w):
    return {
        "title": "Victim moved before warrant",
        "operation_reference": "OP-2026-0042",
        "source": "debrief",
        "observed_on": "2026-01-10",
        "pillars": ["pursue"],
        "guidance_theme": "learning",
        "owner": w.users["analyst"].pk,
        "marking": "official",
    }


ROWS = [
    Row("learning:index", allow("leader", "pcc", "analyst", "secretary", "admin")),
    Row("learning:lesson-list", allow(*VIEWERS)),
    Row("learning:lesson-list", allow(*VIEWERS), query="q=interpreter&status=identified", id="search"),
    Row("learning:lesson-create", allow(*EDITORS)),
    Row("learning:lesson-create", allow(*EDITORS, ok=302), method="post", data=_new_lesson, id="save"),
    Row("learning:lesson-export", allow(*PROGRESSORS), kwargs=lambda w: {"fmt": "csv"}),
    Row("learning:lesson-export", allow(*PROGRESSORS), kwargs=lambda w: {"fmt": "xlsx"}, id="xlsx"),
    Row("learning:lesson-export", allow(*PROGRESSORS, ok=404), kwargs=lambda w: {"fmt": "pdf"}, id="unknown"),
    Row("learning:lesson-detail", allow(*VIEWERS), kwargs=_lesson),
    Row("learning:lesson-detail", allow(*VIEWERS, pcc=404), kwargs=_secret, id="sensitive"),
    Row("learning:lesson-detail", allow(*VIEWERS, ok=404), kwargs=lambda w: {"pk": 99999999}, id="missing"),
    Row("learning:lesson-edit", allow(*EDITORS), kwargs=_lesson),
    Row("learning:lesson-history", allow(*VIEWERS), kwargs=_lesson),
    Row("learning:lesson-history", allow(*VIEWERS, pcc=404), kwargs=_secret, id="sensitive"),
    Row("learning:lesson-advance", allow(*PROGRESSORS), kwargs=_lesson),
    # Validation by a non-leader is refused with the reason (the form again, with the message).
    Row(
        "learning:lesson-advance",
        allow(*VALIDATORS, ok=302, analyst=200),
        kwargs=lambda w: {"pk": w.ready.pk},
        method="post",
        data=lambda w: {"to_status": "learned", "on": date.today().isoformat()},
        id="validate",
    ),
    Row("learning:lesson-not-accept", allow(*VALIDATORS), kwargs=_lesson),
    Row(
        "learning:lesson-not-accept",
        allow(*VALIDATORS, ok=302),
        kwargs=_lesson,
        method="post",
        data=lambda w: {"reason": "Covered by an earlier lesson", "on": date.today().isoformat()},
        id="save",
    ),
    Row("learning:lesson-action-create", allow(*PROGRESSORS), kwargs=_lesson),
    Row("learning:lesson-dissemination-create", allow(*PROGRESSORS), kwargs=_lesson),
    Row("learning:lesson-patterns", allow("leader", "pcc", "analyst", "secretary", "admin")),
    Row("learning:coverage", allow(*VIEWERS)),
    Row("learning:establishment-list", allow(*VIEWERS)),
    Row("learning:establishment-edit", allow(*EDITORS)),
    Row("learning:establishment-import", allow(*EDITORS)),
    Row("learning:product-list", allow(*VIEWERS)),
    Row("learning:product-create", allow(*EDITORS)),
    Row("learning:product-edit", allow(*EDITORS), kwargs=lambda w: {"pk": w.product.pk}),
    Row("learning:import-list", allow(*PROGRESSORS)),
    Row("learning:import-create", allow(*EDITORS)),
    Row("learning:import-template", allow(*PROGRESSORS)),
    Row("learning:import-detail", allow(*PROGRESSORS), kwargs=lambda w: {"pk": w.batch.pk}),
    Row("learning:import-apply", allow(*EDITORS, ok=302), kwargs=lambda w: {"pk": w.batch.pk}, method="post"),
    Row("learning:import-apply", allow(ok=405, refused=405, anon=302), kwargs=lambda w: {"pk": w.batch.pk}, id="get"),
    Row("learning:import-retry", allow(*EDITORS, ok=302), kwargs=lambda w: {"pk": w.batch.pk}, method="post"),
    Row("learning:import-discard", allow(*EDITORS, ok=302), kwargs=lambda w: {"pk": w.batch.pk}, method="post"),
    Row("learning:import-undo", allow(*EDITORS, ok=302), kwargs=lambda w: {"pk": w.batch.pk}, method="post"),
]
