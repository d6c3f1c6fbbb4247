"""The strategy journeys in a real browser: a senior leader approves a strategy and signs off an
assessment; an analyst uploads a quarter's measures and records a threat assessment. Every page
passes the axe scan and carries its marking."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from strategy.models import AssessmentStatus, MeasureValue, StrategyStatus
from tests.browser.conftest import assert_accessible, assert_marked, fill_date, follow, sign_in
from tests.strategy.factories import (
    ForceStrategyFactory,
    MeasureFactory,
    ObjectiveFactory,
    ThreatAssessmentFactory,
    ThreatFactory,
    answer_all,
    start_assessment,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world(users):
    import importlib

    from django.apps import apps

    # A transactional test's database is flushed afterwards, reference data with it: load it again
    # with the data migration's own function (it only adds what is missing).
    importlib.import_module("strategy.migrations.0002_reference_data").load(apps, None)
    approved = ForceStrategyFactory(status=StrategyStatus.APPROVED, version=1, title="MSHT strategy 2026")
    ObjectiveFactory(strategy=approved, pillar="pursue", rag="amber", title="Charge more suspects")
    draft = ForceStrategyFactory(status=StrategyStatus.DRAFT, version=2, title="MSHT strategy 2027")
    threat = ThreatFactory(title="Car wash labour exploitation")
    ThreatAssessmentFactory(threat=threat, assessed_on=date(2026, 1, 5), assessed_by=users["analyst"])
    return approved, draft, threat


def test_leader_pages_are_accessible(page, users):
    approved, draft, threat = _world(users)
    assessment = start_assessment(users["leader"])
    measure = MeasureFactory(name="Charges")
    sign_in(page, users["leader"])
    for path in (
        "/",
        "/strategy/",
        "/strategy/alignment/",
        "/strategy/versions/",
        f"/strategy/versions/{approved.pk}/",
        f"/strategy/versions/{draft.pk}/change/",
        "/strategy/threats/",
        "/strategy/threats/matrix/",
        f"/strategy/threats/{threat.pk}/",
        f"/strategy/threats/{threat.pk}/assess/",
        "/strategy/measures/",
        f"/strategy/measures/{measure.pk}/",
        "/strategy/measures/upload/",
        "/strategy/self-assessment/",
        f"/strategy/self-assessment/{assessment.pk}/",
        f"/strategy/answers/{assessment.answers.first().pk}/change/",
        "/strategy/self-assessment/compare/",
        "/strategy/national-strategies/",
    ):
        page.goto(path)
        assert_marked(page)
        assert_accessible(page)
    assert not page.js_errors


def test_leader_approves_the_draft_strategy(page, users):
    approved, draft, _ = _world(users)
    sign_in(page, users["leader"])
    page.goto(f"/strategy/versions/{draft.pk}/")
    follow(page.get_by_role("link", name="Approve this version"))
    expect(page.get_by_text("Version 1 will be superseded")).to_be_visible()
    assert_accessible(page)
    follow(page.get_by_role("button", name="Approve this version"))
    expect(page.get_by_text("Version 2 approved")).to_be_visible()
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert draft.status == StrategyStatus.APPROVED and approved.status == StrategyStatus.SUPERSEDED


def test_leader_signs_off_an_assessment(page, users):
    _world(users)
    assessment = start_assessment(users["leader"])
    answer_all(assessment)
    from strategy.services import assessment_submit

    assessment_submit(assessment=assessment, by=users["analyst"])
    sign_in(page, users["leader"])
    page.goto(f"/strategy/self-assessment/{assessment.pk}/")
    follow(page.get_by_role("link", name="Sign off"))
    follow(page.get_by_role("button", name="Sign off"))
    expect(page.get_by_text("It is now locked")).to_be_visible()
    assert_accessible(page)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SIGNED_OFF


def test_analyst_uploads_a_quarter_and_records_a_threat_assessment(page, users, tmp_path):
    _, _, threat = _world(users)
    measure = MeasureFactory(code="charges", name="Charges", frequency="monthly", target=5)
    sign_in(page, users["analyst"])

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "measure,period_start,period_end,value\ncharges,2026-01-01,2026-01-31,4\ncharges,2026-02-30,2026-02-28,4\n"
    )
    page.goto("/strategy/measures/upload/")
    page.get_by_label("CSV file").set_input_files(str(bad))
    follow(page.get_by_role("button", name="Check the file"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Row 3, column period_start")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    assert not MeasureValue.objects.exists()

    good = tmp_path / "q1.csv"
    good.write_text(
        "measure,period_start,period_end,value\n"
        + "\n".join(f"charges,2026-{m:02d}-01,2026-{m:02d}-{d},{v}" for m, d, v in ((1, 31, 4), (2, 28, 6), (3, 31, 7)))
        + "\n"
    )
    page.goto("/strategy/measures/upload/")
    page.get_by_label("CSV file").set_input_files(str(good))
    follow(page.get_by_role("button", name="Check the file"))
    expect(page.get_by_text("3 values will be saved")).to_be_visible()
    assert_accessible(page)
    follow(page.get_by_role("button", name="Save 3 values"))
    expect(page.get_by_text("3 values saved from q1.csv")).to_be_visible()
    assert MeasureValue.objects.filter(measure=measure).count() == 3

    page.goto(f"/strategy/threats/{threat.pk}/assess/")
    fill_date(page, "assessed_on", timezone.localdate())
    for legend, choice in (
        ("Harm", "5: Severe"),
        ("Likelihood", "4: Likely"),
        ("Confidence", "2: Medium"),
        ("Force capacity", "3: Limited"),
        ("Force capability", "2: Adequate"),
    ):
        page.get_by_role("group", name=re.compile(f"^{legend}")).get_by_label(choice, exact=False).check()
    follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_text("priority score 60 (High)")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("link", name="Car wash labour exploitation", exact=True)).to_be_visible()
    assert_accessible(page)


def test_out_of_scale_score_is_shown_next_to_the_field(page, users):
    _, _, threat = _world(users)
    sign_in(page, users["analyst"])
    page.goto(f"/strategy/threats/{threat.pk}/assess/")
    fill_date(page, "assessed_on", "2026-06-01")
    follow(page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a score for harm")
    assert_accessible(page)
