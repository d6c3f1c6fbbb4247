"""The records an agenda item covers are picked by searching: with JavaScript through the autocomplete, without
it through the "Search records" button. Both find a lesson far beyond the 300 the picker used to list."""

import pytest
from playwright.sync_api import expect

from governance.models import AgendaLink
from tests.browser.conftest import assert_accessible, assert_marked, follow, sign_in
from tests.governance.factories import BoardFactory, MeetingFactory
from tests.governance.test_agenda_covers import _bulk_lessons

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(users):
    board = BoardFactory(name="MSHT Tactical Delivery Group", chair=users["leader"], secretary=users["secretary"])
    return MeetingFactory(board=board)


@pytest.fixture
def far_lesson(users):
    _bulk_lessons(users["analyst"], 320)
    return _bulk_lessons(users["analyst"], 1, start=400, title="Interpreter shortage in Northtown")[0]


def test_a_record_is_picked_through_the_autocomplete_and_saved(page, users, meeting, far_lesson):
    sign_in(page, users["leader"])
    page.goto(f"/governance/meetings/{meeting.pk}/agenda/new/")
    assert_accessible(page)
    page.get_by_label("Title").fill("Interpreters")
    # With JavaScript the search button gives way to the autocomplete.
    expect(page.get_by_role("button", name="Search records")).to_have_count(0)
    search = page.get_by_label("Search for a record to add")
    search.press_sequentially("northtown", delay=30)
    option = page.get_by_role("option", name="LL-T00400: Interpreter shortage in Northtown 400 (lesson)")
    expect(option).to_be_visible()
    assert_accessible(page)
    option.click()
    expect(page.get_by_role("checkbox", name="LL-T00400: Interpreter shortage in Northtown 400")).to_be_checked()
    expect(page.get_by_text("No records linked yet.")).to_be_hidden()
    assert_accessible(page)
    follow(page.get_by_role("button", name="Save item", exact=True))
    assert [link.record for link in AgendaLink.objects.all()] == [far_lesson]
    expect(page.get_by_text("“Interpreters” has been added to the agenda.")).to_be_visible()
    assert not page.js_errors


def test_without_javascript_the_search_button_finds_the_record(browser, live_server, users, meeting, far_lesson):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.app_url = live_server.url
    try:
        sign_in(page, users["leader"])
        page.goto(f"/governance/meetings/{meeting.pk}/agenda/new/")
        page.get_by_label("Title").fill("Interpreters")
        page.get_by_label("Search for a record to add").fill("northtown")
        follow(page.get_by_role("button", name="Search records"))
        expect(page.get_by_role("heading", name="1 record matching “northtown”")).to_be_visible()
        expect(page.get_by_label("Title")).to_have_value("Interpreters")
        assert not AgendaLink.objects.exists()
        assert_marked(page)
        page.get_by_role("checkbox", name="LL-T00400: Interpreter shortage in Northtown 400").check()
        follow(page.get_by_role("button", name="Save item", exact=True))
        assert [link.record for link in AgendaLink.objects.all()] == [far_lesson]
    finally:
        context.close()


def test_the_search_results_page_is_accessible(page, users, meeting, far_lesson):
    """The no-JavaScript results as drawn (axe needs a page that runs scripts: the form is sent by hand)."""
    sign_in(page, users["leader"])
    page.goto(f"/governance/meetings/{meeting.pk}/agenda/new/")
    page.evaluate(
        """() => {
            const form = document.querySelector("main form");
            for (const [name, value] of [["covers_q", "lesson 31"], ["covers_search", "1"]]) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value;
                form.appendChild(input);
            }
            form.submit();
        }"""
    )
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="11 records matching “lesson 31”")).to_be_visible()
    expect(page.get_by_role("group", name="Lessons")).to_be_visible()
    assert_accessible(page)


def test_a_long_select_is_filtered_as_you_type_and_unchanged_without_javascript(browser, page, users):
    """Issue 13: an objective's threats (a plain multiple select) get a filter box with JavaScript only."""
    from strategy.models import StrategyStatus
    from tests.strategy.factories import ForceStrategyFactory, ThreatFactory

    draft = ForceStrategyFactory(status=StrategyStatus.DRAFT, version=2, title="MSHT strategy 2027")
    for i in range(40):
        ThreatFactory(title=f"Threat in district {i}")
    ThreatFactory(title="Car wash labour exploitation")
    sign_in(page, users["leader"])
    page.goto(f"/strategy/versions/{draft.pk}/objectives/new/")
    threats = page.locator("select#id_threats")
    page.get_by_label("Filter the list: Threats it addresses").fill("car wash")
    expect(threats.locator("option:not([hidden])")).to_have_text(["Car wash labour exploitation"])
    threats.select_option(label="Car wash labour exploitation")
    page.get_by_label("Filter the list: Threats it addresses").fill("district 3")
    # What is chosen stays shown while filtering for something else.
    expect(threats.locator("option:not([hidden])")).to_have_count(12)
    assert_accessible(page)
    assert not page.js_errors

    context = browser.new_context(base_url=page.app_url, java_script_enabled=False)
    plain = context.new_page()
    plain.app_url = page.app_url
    try:
        sign_in(plain, users["leader"])
        plain.goto(f"/strategy/versions/{draft.pk}/objectives/new/")
        expect(plain.get_by_label("Filter the list: Threats it addresses")).to_have_count(0)
        expect(plain.locator("select#id_threats option")).to_have_count(41)
    finally:
        context.close()
