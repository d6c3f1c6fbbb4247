"""The data protection officer's journey in a real browser: from a lesson's history to a redaction, the
overview, and a retention review; each page accessible (axe) and marked."""

import re

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import Lesson
from tests.browser.conftest import assert_accessible, assert_marked, fill_date, follow, sign_in
from tests.learning.factories import make_lesson

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dpo_redacts_from_a_history_page_then_sees_it_on_the_overview(page, users):
    lesson = make_lesson(users["analyst"], what_worked="Victim Jane Smith engaged after day two.")
    Lesson.objects.filter(pk=lesson.pk).update(created_at=timezone.now() - relativedelta(months=80))
    sign_in(page, users["admin"])
    page.goto(f"/learning/lessons/{lesson.pk}/history/")
    follow(page.get_by_role("link", name="Redact personal data"))
    expect(page.get_by_role("heading", name="Redact personal data", level=1)).to_be_visible()
    assert_marked(page)
    assert_accessible(page)

    # Submitting without a reason: an error summary that names the field and is focused.
    page.get_by_label("What worked").check()
    page.get_by_label("Words to remove (optional)").fill("Jane Smith")
    follow(page.get_by_role("button", name="Redact"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the text is being redacted.")
    assert_accessible(page)

    page.get_by_label("Why is this being redacted?").fill("name recorded in error")
    follow(page.get_by_role("button", name="Redact"))
    expect(page.get_by_text("History of this lesson")).to_be_visible()  # back on the history page
    expect(page.locator("body")).not_to_contain_text("Jane Smith")
    expect(page.locator("body")).to_contain_text("by data protection officer: name recorded in error")

    page.goto("/data-protection/")
    expect(page.get_by_role("heading", name="Data protection", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Redactions")).to_contain_text("name recorded in error")
    assert_marked(page)
    assert_accessible(page)

    follow(page.get_by_role("link", name="Review the records that are due"))
    expect(page.get_by_role("heading", name="Retention reviews", level=1)).to_be_visible()
    assert_accessible(page)
    follow(page.get_by_role("link", name=re.compile(f"Review Lesson {lesson.pk}")))
    assert_accessible(page)
    page.get_by_label("Keep it and review it again later").check()
    page.get_by_label("Reason").fill("Cited in the 2027 inspection")
    fill_date(page, "next_review_on", timezone.localdate() + relativedelta(years=1))
    follow(page.get_by_role("button", name="Record the decision"))
    expect(page.get_by_role("alert", name="Success")).to_contain_text("is kept until")
    assert not page.js_errors
