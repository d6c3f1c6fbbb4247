"""The operations register in a real browser: an analyst adds an operation (after a refused first try),
records outcomes and logs a disruption; a senior leader reviews it from the queue; the register, the
disruption log, the import pages and the dashboard panel. Every page accessible (axe, WCAG 2.2 AA) and
marked."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from operations.models import Disruption, Operation, OperationStatus, ReviewStatus
from operations.services.imports import import_stage
from tests.browser.conftest import assert_accessible, assert_marked, fill_date, follow, sign_in
from tests.operations.factories import OPENED, make_disruption, make_operation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_adds_an_operation_records_outcomes_and_logs_a_disruption(page, users):
    sign_in(page, users["analyst"])
    page.goto("/operations/")
    assert_accessible(page)
    assert_marked(page)
    follow(page.get_by_role("link", name="Add an operation"))
    assert_accessible(page)
    page.get_by_label("Operation reference").fill("Jane Smith")
    follow(page.get_by_role("button", name="Add operation"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label("Operation reference").fill("OP-2025-0950")
    page.get_by_label("Title").fill("Car wash labour exploitation")
    fill_date(page, "opened_on", "2025-01-06")
    page.get_by_label("Lead unit").fill("Major Crime")
    page.get_by_label("Officer in charge", exact=True).select_option(label="Analyst Tester")
    page.get_by_label("Officer in charge's PIP level").select_option("2")
    page.get_by_label("Labour").check()
    follow(page.get_by_role("button", name="Add operation"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Car wash labour exploitation")
    assert_marked(page, "OFFICIAL-SENSITIVE")
    assert_accessible(page)

    follow(page.get_by_role("link", name="Record outcomes"))
    assert_accessible(page)
    page.get_by_label("Suspects arrested").fill("1")
    page.get_by_label("Suspects charged").fill("2")
    page.get_by_label("Reason for the change").fill("Arrests")
    follow(page.get_by_role("button", name="Save"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_text("More suspects charged (2) than arrested (1).").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Suspects charged").fill("0")
    follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Car wash labour exploitation")

    follow(page.get_by_role("link", name="Log a disruption"))
    assert_accessible(page)
    fill_date(page, "disrupted_on", "2025-02-01")
    page.get_by_label("Level (NCA scale)").select_option("major")
    page.get_by_label("4P pillar").select_option("pursue")
    page.get_by_label("Tactic group").select_option("crime")
    page.get_by_label("Lead agency").fill("Force")
    page.get_by_label("Justification").fill("Premises closed and controllers arrested.")
    follow(page.get_by_role("button", name="Log disruption"))
    expect(page.get_by_text("Awaiting review")).to_be_visible()
    assert Disruption.objects.get().assessed_by == users["analyst"]


def test_leader_reviews_from_the_queue_and_sees_the_log_and_panel(page, users):
    operation = make_operation(users["analyst"], reference="OP-2025-0951")
    make_disruption(operation, users["analyst"])
    sign_in(page, users["leader"])
    page.goto("/operations/disruptions/review/")
    assert_accessible(page)
    assert_marked(page, "OFFICIAL-SENSITIVE")
    follow(page.get_by_role("link", name=re.compile("^Review")))
    assert_accessible(page)
    page.get_by_label("Regrade to another level").check()
    follow(page.get_by_role("button", name="Save review"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label("New level (for a regrade)").select_option("moderate")
    page.get_by_label("Reason").fill("The site reopened within a month.")
    follow(page.get_by_role("button", name="Save review"))
    assert Disruption.objects.get().review_status == ReviewStatus.REGRADED
    page.goto("/operations/disruptions/?counted=yes&level=moderate")
    expect(page.locator("[data-result-count]")).to_have_attribute("data-result-count", "1")
    assert_accessible(page)
    page.goto(f"/operations/{operation.pk}/history/")
    assert_accessible(page)
    page.goto("/")
    expect(page.get_by_role("heading", name="Operations and disruptions")).to_be_visible()
    assert_accessible(page)


def test_debrief_and_import_pages(page, users):
    ended = make_operation(
        users["analyst"],
        reference="OP-2025-0952",
        status=OperationStatus.CONCLUDED,
        closed_on=OPENED + timedelta(days=30),
    )
    text = "reference,title,opened_on,status,lead_unit,officer_in_charge,oic_pip_level,exploitation_types\n"
    text += "Jane Smith,Car wash,2025-01-10,live,Major Crime,analyst,2,labour\n"
    batch = import_stage(uploaded=SimpleUploadedFile("a.csv", text.encode()), kind="operations", by=users["analyst"])
    sign_in(page, users["analyst"])
    page.goto(f"/operations/{ended.pk}/")
    follow(page.get_by_role("link", name="Record the debrief"))
    assert_accessible(page)
    fill_date(page, "held_on", "2025-02-20")
    page.get_by_label("No new learning", exact=True).check()
    page.get_by_label("Why there is no new learning").fill("A routine operation: earlier lessons applied.")
    follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_text("No new learning: A routine operation")).to_be_visible()
    page.goto("/operations/import/")
    assert_accessible(page)
    page.goto(f"/operations/import/{batch.pk}/")
    expect(page.get_by_text("looks like a name")).to_be_visible()
    assert_accessible(page)
    assert Operation.objects.count() == 1
