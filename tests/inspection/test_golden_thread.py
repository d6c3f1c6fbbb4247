"""The golden thread: "Related records" on a lesson, action, decision, agenda item, answer and finding shows
the chain both ways, names only what the reader may open, counts the rest, and marks the page for what it
shows. The chain crosses all four registers (learning, governance, strategy, inspection)."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from governance.models import ActionSource, AgendaLink
from governance.services import action_create
from inspection.services.findings import finding_raise_action
from mshtgov.citations import cite
from mshtgov.glossary import plain_words
from mshtgov.marking import Marking
from mshtgov.roles import Role
from tests.governance.factories import AgendaItemFactory, BoardFactory, DecisionFactory, MeetingFactory
from tests.inspection.factories import make_finding
from tests.learning.factories import make_lesson
from tests.strategy.factories import start_assessment

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Covert source tasking at the car wash"


@pytest.fixture
def chain(users):
    leader, pcc = users["leader"], users["pcc"]
    board = BoardFactory(name="Strategic board", chair=leader, secretary=users["secretary"])
    board.members.set([pcc, users["analyst"]])
    meeting = MeetingFactory(board=board)
    item = AgendaItemFactory(meeting=meeting, title="Labour exploitation picture")
    decision = DecisionFactory(meeting=meeting, agenda_item=item, text="Commission a problem profile.")
    secret = make_lesson(leader, title=SECRET_TITLE, marking=Marking.OFFICIAL_SENSITIVE)
    AgendaLink.objects.create(
        item=item, content_type=ContentType.objects.get_for_model(secret), object_id=secret.pk, label=secret.title
    )
    assessment = start_assessment(leader)
    answer = assessment.answers.select_related("requirement").order_by("requirement__order").first()
    finding = make_finding(leader, theme=answer.requirement.theme, requirements=[answer.requirement], board=board)
    action = finding_raise_action(
        finding=finding,
        title="Train call handlers on NRM",
        owner=users["analyst"],
        due_date=date(2026, 9, 1),
        by=leader,
    )
    decided = action_create(
        title="Write the problem profile",
        owner=users["analyst"],
        due_date=date(2026, 9, 1),
        by=leader,
        source=decision,
        source_kind=ActionSource.DECISION,
        board=board,
    )
    for record in (secret, action, decision):
        cite(citing=answer, cited=record, by=leader)
    return {
        "secret": secret,
        "item": item,
        "decision": decision,
        "answer": answer,
        "finding": finding,
        "action": action,
        "decided": decided,
    }


def _section(html: str) -> str:
    start = html.index('id="related-records-heading"')
    return html[start : html.index("</section>", start)]


def _banners(html: str) -> list[str]:
    """The marking text at the top and bottom of the page."""
    parts = html.split('class="app-marking__text"><span class="govuk-visually-hidden">Protective marking: </span>')[1:]
    return [part.split("<", 1)[0] for part in parts]


def test_answer_names_what_the_reader_may_open_and_counts_the_lesson_they_may_not(client_for, chain):
    html = plain_words(
        client_for("pcc").get(reverse("strategy:answer-detail", args=[chain["answer"].pk])).content.decode()
    )
    evidence = html[html.index('id="evidence"') : html.index('id="related-records-heading"')]
    assert "Train call handlers on NRM" in evidence
    assert "Commission a problem profile." in evidence
    assert "A record you cannot see" in evidence
    section = _section(html)
    assert "Inspection findings on this requirement" in section
    assert "Recommendation 1, MSHT force inspection 2026" in section
    assert SECRET_TITLE not in html  # neither in the thread nor in the cited-evidence list
    assert _banners(html) == ["OFFICIAL", "OFFICIAL"]


def test_a_reader_who_may_open_the_lesson_sees_it_and_the_page_is_marked_for_it(client_for, chain):
    html = client_for("leader").get(reverse("strategy:answer-detail", args=[chain["answer"].pk])).content.decode()
    assert SECRET_TITLE in html[html.index('id="evidence"') :]
    assert "you cannot see" not in html
    assert _banners(html) == ["OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"]


def test_action_shows_the_finding_it_answers_and_the_answer_that_cites_it(client_for, chain):
    html = plain_words(
        client_for("pcc").get(reverse("governance:action-detail", args=[chain["action"].pk])).content.decode()
    )
    section = _section(html)
    assert "Raised from" in section and "Recommendation 1, MSHT force inspection 2026" in section
    assert "Cited as evidence by" in section and chain["answer"].requirement.reference in section


def test_decision_shows_its_agenda_item_its_action_and_the_answer_citing_it(client_for, chain):
    html = client_for("pcc").get(reverse("governance:decision-detail", args=[chain["decision"].pk])).content.decode()
    section = _section(html)
    assert "Decided on the agenda item" in section and "Labour exploitation picture" in section
    assert "Actions raised from it" in section and "Write the problem profile" in section
    assert "Cited as evidence by" in section


def test_agenda_item_counts_the_lesson_it_covers_for_a_reader_who_may_not_open_it(client_for, chain):
    url = reverse("governance:agenda-item-detail", args=[chain["item"].pk])
    pcc = _section(client_for("pcc").get(url).content.decode())
    assert "Decisions taken on it" in pcc and "Commission a problem profile." in pcc
    assert "Records it covers" in pcc and "1 record you cannot see" in pcc
    assert SECRET_TITLE not in pcc
    leader = _section(client_for("leader").get(url).content.decode())
    assert SECRET_TITLE in leader


def test_lesson_shows_where_it_was_discussed_and_the_answer_citing_it(client_for, chain):
    html = client_for("leader").get(reverse("learning:lesson-detail", args=[chain["secret"].pk])).content.decode()
    section = _section(html)
    assert "Discussed at" in section and "Labour exploitation picture" in section
    assert "Cited as evidence by" in section and chain["answer"].requirement.reference in section


def test_finding_shows_its_actions_and_the_answers_for_its_requirements(client_for, chain):
    html = client_for("pcc").get(reverse("inspection:finding-detail", args=[chain["finding"].pk])).content.decode()
    section = _section(html)
    assert "Actions raised from it" in section and "Train call handlers on NRM" in section
    assert "Self-assessment answers for its requirements" in section
    assert chain["answer"].requirement.reference in section


def test_a_cited_record_deleted_later_is_named_as_deleted_not_an_error(client_for, chain):
    chain["decided"].delete()
    chain["decision"].delete()
    html = client_for("leader").get(reverse("strategy:answer-detail", args=[chain["answer"].pk])).content.decode()
    assert "Commission a problem profile. (deleted since it was cited)" in html


def test_a_cited_record_counts_as_linked_evidence_for_the_answer(chain, users):
    answer = chain["answer"]
    assert answer.has_linked_evidence()
    other = answer.assessment.answers.exclude(pk=answer.pk).first()
    assert not other.has_linked_evidence()
    cite(citing=other, cited=chain["finding"], by=users["leader"])
    assert other.has_linked_evidence()


def test_the_thread_is_cached_per_reader_and_never_older_than_the_records(client_for, chain, users):
    """Built once per reader and day, then read from the cache: a leader's thread (which names the
    OFFICIAL-SENSITIVE lesson) is never served to the PCC liaison, and a new neighbour, a neighbour's new
    title or a reader losing their seat on the board shows on the very next view."""
    item_url = reverse("governance:agenda-item-detail", args=[chain["item"].pk])
    assert SECRET_TITLE in _section(client_for("leader").get(item_url).content.decode())
    pcc_section = _section(client_for("pcc").get(item_url).content.decode())
    assert SECRET_TITLE not in pcc_section and "1 record you cannot see" in pcc_section

    decision_url = reverse("governance:decision-detail", args=[chain["decision"].pk])
    pcc = client_for("pcc")
    assert "Write the problem profile" in _section(pcc.get(decision_url).content.decode())
    chain["decided"].title = "Write the labour exploitation profile"
    chain["decided"].save()
    assert "Write the labour exploitation profile" in _section(pcc.get(decision_url).content.decode())
    action_create(
        title="Brief the PCC on the profile",
        owner=users["analyst"],
        due_date=date(2026, 9, 1),
        by=users["leader"],
        source=chain["decision"],
        source_kind=ActionSource.DECISION,
        board=chain["decision"].meeting.board,
    )
    assert "Brief the PCC on the profile" in _section(pcc.get(decision_url).content.decode())
    # Given the analyst role, the PCC liaison may open the OFFICIAL-SENSITIVE lesson the item covers.
    users["pcc"].groups.add(Group.objects.get(name=Role.ANALYST.label))
    section = _section(client_for("pcc").get(item_url).content.decode())
    assert SECRET_TITLE in section and "you cannot see" not in section


def test_a_page_built_watched_around_a_cached_thread_depends_on_the_thread_records(rf, chain, users):
    """A served entry ran no SQL, yet whatever caches a page that includes it must still be invalidated by
    the thread's records (`summaries.read_watched` notes what the entry was built from)."""
    from governance.models import Action
    from mshtgov import summaries
    from mshtgov.thread import golden_thread

    request = rf.get("/")
    request.user = users["pcc"]
    golden_thread(request, chain["decision"])  # built and stored
    groups, versions = summaries.build_watched(lambda: golden_thread(request, chain["decision"]))
    assert any(item.described.name == "Write the problem profile" for group in groups for item in group.items)
    assert summaries._version_key(Action) in versions
