"""A secretary builds an agenda, records the meeting and its action, asks for the pack and downloads it;
an action owner finds and updates their action. Each page is scanned with axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import Action, BoardPack, PackStatus
from tests.browser.conftest import assert_accessible, assert_marked, fill_date, follow, sign_in
from tests.governance.factories import BoardFactory, MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(users, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": "/no-public-url/"},
        },
    }
    board = BoardFactory(name="MSHT Tactical Delivery Group", chair=users["leader"], secretary=users["secretary"])
    board.members.set([users["analyst"], users["coordinator"]])
    return MeetingFactory(board=board, starts_at=timezone.now() - timedelta(hours=2))


def test_secretary_runs_a_meeting_and_gets_the_pack(page, users, meeting, tmp_path):
    sign_in(page, users["secretary"])
    page.goto(f"/governance/meetings/{meeting.pk}/")
    assert_marked(page)
    assert_accessible(page)

    for title in ("Welcome and apologies", "Threat picture"):
        follow(page.get_by_role("link", name="Add an agenda item"))
        assert_accessible(page)
        page.get_by_label("Title").fill(title)
        follow(page.get_by_role("button", name="Save item", exact=True))
    follow(page.get_by_role("button", name=re.compile(r"^Move up\W+Threat picture$")))
    expect(page.locator(".app-agenda__item h3")).to_have_text(["1. Threat picture", "2. Welcome and apologies"])

    # An empty item is refused with the GOV.UK error summary, focusable and accessible.
    follow(page.get_by_role("link", name="Add an agenda item"))
    follow(page.get_by_role("button", name="Save item", exact=True))
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    follow(page.get_by_role("link", name="Cancel"))

    follow(page.get_by_role("link", name="Record the minutes"))
    page.get_by_label("Minutes").fill("The group reviewed the threat picture.")
    page.get_by_label("Reason for the change").fill("First draft")
    follow(page.get_by_role("button", name="Save minutes"))

    follow(page.get_by_role("link", name="Record a decision"))
    page.get_by_label("Decision").fill("Run joint visits to hand car washes.")
    follow(page.get_by_role("button", name="Save decision"))
    follow(page.get_by_role("link", name="Raise an action from this decision"))
    assert_accessible(page)
    page.get_by_label("What").fill("Plan joint visits with licensing")
    page.get_by_label("Owner").select_option(str(users["analyst"].pk))
    fill_date(page, "due_date", timezone.localdate() + timedelta(days=14))
    follow(page.get_by_role("button", name="Raise action"))
    expect(page.locator("#main-content")).to_contain_text("Plan joint visits with licensing")

    follow(page.get_by_role("link", name="Ask for the board pack"))
    assert_accessible(page)
    follow(page.get_by_role("button", name="Build the pack"))
    page.get_by_role("link", name="Download the board pack (PDF)").wait_for()
    pack = BoardPack.objects.get(meeting=meeting)
    assert pack.status == PackStatus.READY, pack.failure_reason
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the board pack (PDF)").click()
    path = tmp_path / "downloaded.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert not page.js_errors


def test_owner_updates_their_action(page, users, meeting):
    from governance.services import action_create

    action = action_create(
        title="Brief neighbourhood teams",
        owner=users["analyst"],
        by=users["secretary"],
        due_date=timezone.localdate() - timedelta(days=2),
        board=meeting.board,
    )
    sign_in(page, users["analyst"])
    page.goto("/governance/actions/mine/")
    assert_marked(page)
    assert_accessible(page)
    expect(page.locator("table")).to_contain_text("Overdue")
    follow(page.get_by_role("link", name="Brief neighbourhood teams"))
    assert_accessible(page)
    follow(page.get_by_role("link", name="Update progress"))
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Completion note").fill("Briefed all four teams")
    page.get_by_label("Reason for the change").fill("Completed")
    follow(page.get_by_role("button", name="Save update"))
    action.refresh_from_db()
    assert action.status == "done"
    follow(page.get_by_role("link", name="History of this action"))
    assert_accessible(page)
    expect(page.locator("#main-content")).to_contain_text("Briefed all four teams")
    assert Action.objects.count() == 1


def test_board_pages_are_accessible(page, users, meeting):
    sign_in(page, users["leader"])
    for path in (
        "/governance/",
        f"/governance/boards/{meeting.board.pk}/",
        "/governance/actions/",
        "/governance/reminders/",
        f"/governance/boards/{meeting.board.pk}/edit/",
    ):
        page.goto(path)
        assert_marked(page)
        assert_accessible(page)
