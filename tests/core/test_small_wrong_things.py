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


def test_the_objective_picker_says_which_strategy_version(users, client_for):
    from strategy.models import StrategyStatus
    from tests.strategy.factories import ForceStrategyFactory, ObjectiveFactory, start_assessment

    old = ForceStrategyFactory(version=1, status=StrategyStatus.SUPERSEDED)
    new = ForceStrategyFactory(version=2, status=StrategyStatus.APPROVED)
    for strategy in (old, new):
        ObjectiveFactory(strategy=strategy, title="Charge more suspects")
    answer = start_assessment(users["leader"]).answers.first()
    page = client_for("analyst").get(f"/strategy/answers/{answer.pk}/change/").content.decode()
    assert "Charge more suspects (strategy version 1, superseded)" in page
    assert "Charge more suspects (strategy version 2, approved)" in page


def test_the_partnership_review_email_is_marked(users):
    """Covered in tests/partnerships/test_registers_and_digest.py::test_review_digest_carries_the_protective_marking;
    here the default marking on an ordinary digest."""
    from django.core import mail
    from django.utils import timezone

    from partnerships.services.digest import review_digest_send
    from tests.partnerships.factories import make_agreement, two_partnerships

    w = two_partnerships(users)
    make_agreement(w.p1, by=users["coordinator"], title="Expiring ISA", parties=[w.council], end_in_days=10)
    assert review_digest_send(today=timezone.localdate()) == 1
    assert mail.outbox[0].subject.startswith("[OFFICIAL]")
    assert mail.outbox[0].body.startswith("OFFICIAL")


def test_a_forum_board_links_its_terms_only_for_readers_who_may_open_them(users, client_for):
    """The board secretary got a 403 from "Read the full terms of reference" on a forum's board page."""
    from governance.models import BoardKind
    from tests.governance.factories import BoardFactory
    from tests.partnerships.factories import approved_terms, make_partnership

    board = BoardFactory(
        name="Forum", kind=BoardKind.PARTNERSHIP_FORUM, terms_of_reference="", secretary=users["secretary"]
    )
    partnership = make_partnership("Forum partnership", by=users["coordinator"], board=board)
    terms = approved_terms(partnership, by=users["coordinator"], purpose="Coordinate victim support.")
    terms_url = reverse("partnerships:terms-detail", args=[partnership.pk, terms.pk])
    for role in ("secretary", "leader"):
        client = client_for(role)
        page = client.get(reverse("governance:board-detail", args=[board.pk])).content.decode()
        assert "Coordinate victim support." in page, role
        if "Read the full terms of reference" in page:
            assert client.get(terms_url).status_code == 200, role
        else:
            assert client.get(terms_url).status_code in (403, 404), role
    leader_page = client_for("leader").get(reverse("governance:board-detail", args=[board.pk])).content.decode()
    assert "Read the full terms of reference" in leader_page


def test_a_senior_leader_records_an_ictg_referral_and_coordinators_cannot(users, client_for):
    """No business role could add or update ICTG referrals (issue 10)."""
    from django.utils import timezone

    from partnerships.models import ICTGReferral

    today = timezone.localdate()
    data = {
        "child_reference": "ICTG-2026-0042",
        "referred_on": today.isoformat(),
        "ictg_service": "County ICTG service",
        "status": ICTGReferral._meta.get_field("status").default,
        "marking": "official-sensitive",
    }
    url = reverse("partnerships:ictg-create")
    assert client_for("coordinator").get(url).status_code == 403
    response = client_for("leader").post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = ICTGReferral.objects.get(child_reference="ICTG-2026-0042")
    edit = client_for("leader").get(reverse("partnerships:ictg-edit", args=[referral.pk]))
    assert edit.status_code == 200
    assert client_for("coordinator").get(reverse("partnerships:ictg-edit", args=[referral.pk])).status_code == 403
