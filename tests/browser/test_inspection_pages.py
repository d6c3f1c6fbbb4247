"""The inspection pages in a real browser: an analyst records a finding, cites evidence and submits it; a
senior leader closes it and builds an evidence bundle; the golden thread on decision and agenda item pages.
Every page accessible (axe, WCAG 2.2 AA) and marked."""

import re

import pytest
from playwright.sync_api import expect

from inspection.models import EvidenceBundle, Finding, FindingStatus
from mshtgov.citations import cite
from tests.browser.conftest import assert_accessible, assert_marked, fill_date, follow, sign_in
from tests.governance.factories import AgendaItemFactory, BoardFactory, DecisionFactory, MeetingFactory
from tests.inspection.factories import make_finding
from tests.learning.factories import make_lesson
from tests.strategy.factories import start_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def framework(db):
    """A transactional test's database is flushed afterwards, the guidance framework with it: load it again
    with the data migration's own function (it only adds what is missing)."""
    import importlib

    from django.apps import apps

    importlib.import_module("strategy.migrations.0002_reference_data").load(apps, None)


def test_analyst_records_a_finding_cites_a_lesson_and_submits_it_for_closure(page, users):
    make_lesson(users["analyst"], title="Referral pathway tested on Op Tern")
    sign_in(page, users["analyst"])
    page.goto("/inspection/findings/")
    assert_accessible(page)
    follow(page.get_by_role("link", name="Record a finding"))
    assert_accessible(page)
    follow(page.get_by_role("button", name="Record finding"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label("Kind").select_option("recommendation")
    page.get_by_label("Source report").fill("MSHT force inspection 2026")
    fill_date(page, "report_date", "2026-04-01")
    page.get_by_label("Reference").fill("Recommendation 2")
    page.get_by_label("Finding, in the force's words").fill("Refer every potential victim to the NRM promptly.")
    page.get_by_label("Guidance theme").select_option("safeguarding")
    page.get_by_label("Owner").select_option(label="Analyst Tester")
    fill_date(page, "due_date", "2026-12-31")
    follow(page.get_by_role("button", name="Record finding"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendation 2")
    assert_marked(page)
    assert_accessible(page)

    follow(page.get_by_role("link", name="Cite a lesson, action, decision or paper as evidence"))
    page.get_by_label("Kind of record").select_option("learning.lesson")
    page.get_by_label("Search").fill("Op Tern")
    follow(page.get_by_role("button", name="Search"))
    assert_accessible(page)
    follow(page.get_by_role("button", name=re.compile("Cite .*Referral pathway")))
    expect(page.locator("#evidence ~ ul").first).to_contain_text("Referral pathway tested on Op Tern")

    follow(page.get_by_role("link", name="Submit evidence for closure"))
    assert_accessible(page)
    follow(page.get_by_role("button", name="Submit for closure"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("evidence submitted")
    assert Finding.objects.get().status == FindingStatus.EVIDENCE_SUBMITTED
    assert not page.js_errors


def test_leader_closes_a_finding_and_builds_an_evidence_bundle(page, users):
    leader = users["leader"]
    finding = make_finding(leader)
    from inspection.services.findings import finding_submit_evidence

    finding_submit_evidence(finding=finding, evidence="Audited monthly.", by=leader)
    assessment = start_assessment(leader, title="Self-assessment 2026 to 2027")
    sign_in(page, leader)
    page.goto(f"/inspection/findings/{finding.pk}/")
    follow(page.get_by_role("link", name="Close the finding"))
    assert_accessible(page)
    page.get_by_label("Closure note").fill("The audit shows every referral made.")
    follow(page.get_by_role("button", name="Close the finding"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is closed")

    page.goto(f"/strategy/self-assessment/{assessment.pk}/")
    follow(page.get_by_role("link", name="Build or download an evidence bundle"))
    assert_accessible(page)
    page.get_by_label("Safeguarding").check()
    follow(page.get_by_role("button", name="Build the evidence bundle"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evidence bundle")
    expect(page.locator("#bundle-status")).to_contain_text("Ready")
    assert_accessible(page)
    assert_marked(page)
    assert EvidenceBundle.objects.get().theme == "safeguarding"
    assert not page.js_errors


def test_decision_and_agenda_item_pages_show_the_thread(page, users):
    leader = users["leader"]
    board = BoardFactory(name="Strategic board", chair=leader)
    meeting = MeetingFactory(board=board)
    item = AgendaItemFactory(meeting=meeting, title="Labour exploitation picture")
    decision = DecisionFactory(meeting=meeting, agenda_item=item, text="Commission a problem profile.")
    assessment = start_assessment(leader)
    cite(citing=assessment.answers.first(), cited=decision, by=leader)
    sign_in(page, leader)
    page.goto(f"/governance/decisions/{decision.pk}/")
    expect(page.locator("#related-records-heading")).to_be_visible()
    expect(page.locator(".app-related-records")).to_contain_text("Labour exploitation picture")
    expect(page.locator(".app-related-records")).to_contain_text("Cited as evidence by")
    assert_accessible(page)
    follow(page.get_by_role("link", name="Labour exploitation picture").first)
    expect(page.locator(".app-related-records")).to_contain_text("Commission a problem profile.")
    assert_accessible(page)
    assert_marked(page)
