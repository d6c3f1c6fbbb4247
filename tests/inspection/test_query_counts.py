"""The new pages run the same number of queries whatever they link to: decision, agenda item, answer (with its
cited evidence and golden thread), a self-assessment's bundles and one bundle."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from governance.models import ActionSource, AgendaLink
from governance.services import action_create
from inspection.models import BundleStatus, EvidenceBundle
from mshtgov.citations import cite
from tests.governance.factories import AgendaItemFactory, BoardFactory, DecisionFactory, MeetingFactory
from tests.inspection.factories import make_finding
from tests.learning.factories import make_lesson
from tests.querycount import assert_constant_queries
from tests.strategy.factories import start_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(users):
    board = BoardFactory(name="Strategic board", chair=users["leader"])
    board.members.set([users["pcc"]])
    return MeetingFactory(board=board)


def test_decision_and_agenda_item_pages(client_for, users, meeting):
    leader = users["leader"]
    item = AgendaItemFactory(meeting=meeting)
    decision = DecisionFactory(meeting=meeting, agenda_item=item)
    answers = list(start_assessment(leader).answers.all()[:11])
    lesson_type = ContentType.objects.get_for_model(make_lesson(leader, title="Seed lesson"))
    grown = []

    def add(i):
        action_create(
            title=f"Act {i}",
            owner=leader,
            due_date=date(2026, 9, 1),
            by=leader,
            source=decision,
            source_kind=ActionSource.DECISION,
            board=meeting.board,
        )
        cite(citing=answers[i], cited=decision, by=leader)
        DecisionFactory(meeting=meeting, agenda_item=item)
        lesson = make_lesson(leader, title=f"Lesson {i}", operation=f"OP-2026-01{i:02d}")
        AgendaLink.objects.create(item=item, content_type=lesson_type, object_id=lesson.pk, label=lesson.title)

    add(10)  # one of each kind of neighbour first: more of them must cost nothing more

    def grow():
        for _ in range(5):
            add(len(grown))
            grown.append(len(grown))

    client = client_for("pcc")
    assert_constant_queries(client, reverse("governance:decision-detail", args=[decision.pk]), grow)
    assert_constant_queries(client, reverse("governance:agenda-item-detail", args=[item.pk]), grow)
    assert len(grown) == 10


def test_answer_page_with_its_evidence_and_thread(client_for, users, meeting):
    leader = users["leader"]
    answer = start_assessment(leader).answers.select_related("requirement").first()
    cite(citing=answer, cited=make_lesson(leader, title="First"), by=leader)
    cite(citing=answer, cited=DecisionFactory(meeting=meeting), by=leader)
    cite(citing=answer, cited=make_finding(leader, reference="Rec 0"), by=leader)
    make_finding(leader, reference="Rec 00", theme=answer.requirement.theme, requirements=[answer.requirement])
    grown = []

    def grow():
        for i in range(1, 6):
            cite(citing=answer, cited=make_lesson(leader, title=f"Lesson {i}"), by=leader)
            cite(citing=answer, cited=DecisionFactory(meeting=meeting), by=leader)
            finding = make_finding(
                leader, reference=f"Rec {i}", theme=answer.requirement.theme, requirements=[answer.requirement]
            )
            cite(citing=answer, cited=finding, by=leader)
            grown.append(i)

    assert_constant_queries(client_for("leader"), reverse("strategy:answer-detail", args=[answer.pk]), grow)
    assert len(grown) == 5


def test_bundle_pages(client_for, users):
    leader = users["leader"]
    assessment = start_assessment(leader)
    bundle = EvidenceBundle.objects.create(
        assessment=assessment,
        requested_by=leader,
        status=BundleStatus.READY,
        sources={"learning.lesson": [make_lesson(leader).pk]},
    )
    grown = []

    def grow():
        for i in range(5):
            EvidenceBundle.objects.create(
                assessment=assessment, requested_by=leader, status=BundleStatus.FAILED, failure_reason="x"
            )
            lesson = make_lesson(leader, title=f"Lesson {i}", operation=f"OP-2026-02{i:02d}")
            bundle.sources["learning.lesson"].append(lesson.pk)
            grown.append(i)
        bundle.save()

    client = client_for("leader")
    assert_constant_queries(client, reverse("inspection:assessment-bundles", args=[assessment.pk]), grow)
    assert_constant_queries(client, reverse("inspection:bundle-detail", args=[bundle.pk]), grow)
    assert len(grown) == 10
