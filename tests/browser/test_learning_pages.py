"""The learning pages in a real browser: an analyst logs a lesson and imports training, a senior leader
validates; every page accessible (axe, WCAG 2.2 AA) and marked."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import Action, ActionStatus
from learning.models import ImportBatch, ImportStatus, LessonStatus
from learning.services.lessons import lesson_advance, lesson_raise_action
from learning.services.training_import import training_import_stage
from mshtgov.marking import Marking
from tests.browser.conftest import assert_accessible, assert_marked, fill_date, follow, sign_in
from tests.learning.conftest import load_reference_data
from tests.learning.factories import AWARENESS, csv_bytes, establish, make_lesson
from tests.learning.test_training_import import GOOD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference(users):
    load_reference_data()


def test_analyst_logs_a_lesson_from_a_debrief(page, users, reference):
    sign_in(page, users["analyst"])
    page.goto("/learning/lessons/new/")
    assert_accessible(page)
    follow(page.get_by_role("button", name="Log the lesson"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Title").fill("Interpreter known to the suspects")
    page.get_by_label("Investigation or operation reference").fill("OP-2026-0142")
    page.get_by_label("Source").select_option("debrief")
    fill_date(page, "observed_on", "2026-02-03")
    page.get_by_label("Pursue").check()
    page.get_by_label("Guidance theme").select_option("learning")
    page.get_by_label("Interpreters and language").check()
    page.get_by_label("Owner").select_option(label="Analyst Tester")
    follow(page.get_by_role("button", name="Log the lesson"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Interpreter known to the suspects")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("logged as observed")
    assert_marked(page)
    assert_accessible(page)
    assert not page.js_errors


def test_leader_validates_a_lesson_whose_action_is_closed(page, users, reference):
    analyst = users["analyst"]
    lesson = make_lesson(analyst, title="Safe accommodation late", themes=["Safeguarding"])
    lesson_advance(lesson=lesson, to_status=LessonStatus.IDENTIFIED, by=analyst)
    action = lesson_raise_action(
        lesson=lesson,
        by=analyst,
        title="Agree beds with the council",
        owner=users["leader"],
        due_date=timezone.localdate() + timedelta(days=10),
    )
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.CLOSED)
    lesson_advance(lesson=lesson, to_status=LessonStatus.IMPLEMENTED, by=analyst)
    # The action is reopened after the lesson was implemented: validation waits for it again.
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.OPEN)
    sign_in(page, users["leader"])
    page.goto(f"/learning/lessons/{lesson.pk}/")
    expect(page.locator(".govuk-warning-text")).to_contain_text("cannot be validated until it is closed")
    assert_accessible(page)
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.CLOSED)
    page.reload()
    follow(page.get_by_role("link", name="Validate as learned"))
    assert_accessible(page)
    follow(page.get_by_role("button", name="Validate as learned"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is now learned")
    lifecycle = page.get_by_role("table").filter(has_text="Step")
    expect(lifecycle).to_contain_text("Learned")
    expect(lifecycle).to_contain_text("Leader Tester")


def test_sensitive_lesson_is_marked_on_list_and_detail(page, users, reference):
    lesson = make_lesson(users["analyst"], title="Covert source lesson", marking=Marking.OFFICIAL_SENSITIVE)
    sign_in(page, users["leader"])
    page.goto("/learning/lessons/")
    assert_marked(page, "OFFICIAL-SENSITIVE")
    assert_accessible(page)
    follow(page.get_by_role("link", name=lesson.reference))
    assert_marked(page, "OFFICIAL-SENSITIVE")


def test_import_with_two_bad_rows_then_fixed_moves_coverage(page, users, reference):
    establish("North response", "frontline", 4)
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    header = "staff_number,role_group,unit,product,completed_on"
    bad = "\n".join(
        [
            header,
            f"A1,frontline,North response,{AWARENESS},{day}",
            f"A2,frontline,North response,{AWARENESS},{day}",
            f"A3,wizard,North response,{AWARENESS},{day}",
            f"A4,frontline,North response,{AWARENESS},not a date",
        ]
    )
    sign_in(page, users["analyst"])
    page.goto("/learning/training/imports/new/")
    assert_accessible(page)
    page.get_by_label("Training export (CSV)").set_input_files(
        files=[{"name": "export.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    follow(page.get_by_role("button", name="Check the file"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("2 rows of this file need fixing")
    expect(page.get_by_role("region", name="Errors by row and column")).to_contain_text(
        "“wizard” is not a known role group"
    )
    assert_accessible(page)

    fixed = bad.replace("A3,wizard", "A3,frontline").replace("not a date", day)
    page.goto("/learning/training/imports/new/")
    page.get_by_label("Training export (CSV)").set_input_files(
        files=[{"name": "export.csv", "mimeType": "text/csv", "buffer": fixed.encode()}]
    )
    follow(page.get_by_role("button", name="Check the file"))
    follow(page.get_by_role("button", name=re.compile(r"^Import 4 new")))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("4 records added")
    assert_accessible(page)

    page.goto("/")
    expect(page.locator("#panel-learning-coverage")).to_be_visible()
    expect(page.locator("section", has=page.locator("#panel-learning-coverage"))).to_contain_text("100%")
    assert_accessible(page)


def test_coverage_and_patterns_pages_are_accessible(page, users, reference):
    establish("North response", "frontline", 4)
    make_lesson(users["analyst"], themes=["Safeguarding"], observed=timezone.localdate() - timedelta(days=30))
    sign_in(page, users["pcc"])
    for path in (
        "/learning/",
        "/learning/training/coverage/",
        "/learning/patterns/",
        "/learning/training/products/",
        "/learning/training/establishment/",
    ):
        page.goto(path)
        assert_marked(page)
        assert_accessible(page)


@pytest.mark.parametrize("state", ["failed", "waiting", "applying"])
def test_import_page_states_of_the_background_job_are_accessible(page, users, reference, state):
    batch = training_import_stage(uploaded=SimpleUploadedFile("export.csv", csv_bytes(GOOD)), by=users["analyst"])
    now = timezone.now()
    fields = {
        "failed": {"status": ImportStatus.FAILED, "failure_reason": "The catalogue changed. Nothing was imported."},
        "waiting": {"status": ImportStatus.APPLYING, "confirmed_at": now},
        "applying": {"status": ImportStatus.APPLYING, "confirmed_at": now, "enqueued_at": now, "started_at": now},
    }[state]
    ImportBatch.objects.filter(pk=batch.pk).update(applied_by=users["analyst"], **fields)
    sign_in(page, users["analyst"])
    page.goto(f"/learning/training/imports/{batch.pk}/")
    status = page.locator("[aria-live]").first
    expected = {"failed": "Nothing was imported", "waiting": "will be applied when", "applying": "being imported"}
    expect(status).to_contain_text(expected[state])
    assert_marked(page)
    assert_accessible(page)
