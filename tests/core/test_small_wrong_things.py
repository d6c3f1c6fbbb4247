"""Small wrong things found on the way (issue 10, item 8), each checked as a user would see it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_paper_upload_label_says_optional_once(users, client_for):
    from tests.governance.factories import BoardFactory, MeetingFactory

    board = BoardFactory(chair=users["leader"], secretary=users["secretary"])
    meeting = MeetingFactory(board=board)
    page = client_for("secretary").get(reverse("governance:paper-upload", args=[meeting.pk])).content.decode()
    assert "Agenda item (optional)" in page
    assert "(optional) (optional)" not in page


def test_the_agreement_owner_list_shows_names_not_usernames(users, client_for):
    from tests.partnerships.factories import two_partnerships

    w = two_partnerships(users)
    coordinator = users["coordinator"]
    coordinator.first_name, coordinator.last_name = "Casey", "Coordinator-Name"
    coordinator.save()
    page = client_for("coordinator").get(reverse("partnerships:agreement-create", args=[w.p1.pk])).content.decode()
    owner_select = page[page.index('name="owner"') :]
    owner_select = owner_select[: owner_select.index("</select>")]
    assert "Casey Coordinator-Name" in owner_select
    assert f">{coordinator.username}<" not in owner_select
