"""The covers picker of an agenda item: records found by searching (no cap on what can be linked), checked
against what the person may open, and a search that never names a record its reader may not see."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from governance.models import AgendaItem, AgendaLink
from governance.services.agenda import agenda_item_save
from learning.models import Lesson
from mshtgov.marking import Marking
from tests.governance.factories import BoardFactory, MeetingFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(users):
    board = BoardFactory(name="Tactical group", chair=users["leader"], secretary=users["secretary"])
    return MeetingFactory(board=board)


def _bulk_lessons(owner, n, *, start=0, title="Routine lesson", marking=Marking.OFFICIAL, newest=date(2025, 6, 1)):
    """n lessons at once (the newest first under the lessons' default order)."""
    return Lesson.objects.bulk_create(
        Lesson(
            reference=f"LL-T{start + i:05d}",
            title=f"{title} {start + i}",
            operation_reference="OP-2025-0101",
            source="debrief",
            observed_on=newest - timedelta(days=start + i),
            pillars="pursue",
            guidance_theme="learning",
            owner=owner,
            created_by=owner,
            marking=marking,
        )
        for i in range(n)
    )


def _value(record):
    return f"{ContentType.objects.get_for_model(record).pk}:{record.pk}"


def _form_data(item, **extra):
    return {
        "title": item.title,
        "purpose": item.purpose,
        "change_reason": "Checked",
        "seen_version": _version(item),
        **extra,
    }


def _version(item):
    from mshtgov.tracking import version_of

    item.refresh_from_db()
    return version_of(item.updated_at)


def test_a_lesson_beyond_the_first_300_is_found_by_searching_linked_and_resaved_unchanged(client_for, meeting, users):
    _bulk_lessons(users["analyst"], 320)
    oldest = _bulk_lessons(users["analyst"], 1, start=400, title="Interpreter shortage in Northtown")[0]
    client = client_for("leader")  # senior leaders run boards and read every lesson
    add = reverse("governance:agenda-item-add", args=[meeting.pk])

    # The form no longer lists every lesson: it shows a search box.
    page = client.get(add).content.decode()
    assert "Routine lesson" not in page and "Search records" in page and "No records linked yet." in page

    # Searching (no JavaScript) keeps what was typed, saves nothing, and lists the lesson to tick.
    searched = client.post(
        add,
        {"title": "Interpreters", "summary": "Typed before searching", "covers_q": "northtown", "covers_search": "1"},
    )
    html = searched.content.decode()
    assert searched.status_code == 200 and not meeting.agenda_items.exists()
    assert "govuk-error-summary" not in html
    assert 'value="Interpreters"' in html and "Typed before searching" in html and 'value="northtown"' in html
    assert "1 record matching “northtown”" in html and "Interpreter shortage in Northtown" in html
    assert f'value="{_value(oldest)}"' in html

    response = client.post(add, {"title": "Interpreters", "links": [_value(oldest)]})
    assert response.status_code == 302
    item = meeting.agenda_items.get()
    assert [link.record for link in item.links.all()] == [oldest]

    # The edit page shows it ticked, and sending the page back unchanged keeps it (it used to be refused).
    edit = reverse("governance:agenda-item-edit", args=[item.pk])
    page = client.get(edit).content.decode()
    assert f'value="{_value(oldest)}" aria-describedby="id_links_0-kind" checked' in page
    resaved = client.post(edit, _form_data(item, links=[_value(oldest)]))
    assert resaved.status_code == 302, resaved.content.decode()
    assert [link.record for link in item.links.all()] == [oldest]

    # Unticking removes it.
    client.post(edit, _form_data(item))
    assert not item.links.exists()


def test_a_search_is_capped_and_says_how_many_matched(client_for, meeting, users):
    _bulk_lessons(users["analyst"], 60)
    html = (
        client_for("leader")
        .post(
            reverse("governance:agenda-item-add", args=[meeting.pk]),
            {"title": "", "covers_q": "routine", "covers_search": "1"},
        )
        .content.decode()
    )
    assert "Showing 50 of 60 records matching “routine”: refine your search" in html
    assert html.count('name="links" type="checkbox"') == 50
    assert ">Lessons</legend>" in html


def test_a_hidden_record_posted_by_hand_is_refused_beside_the_field(client_for, meeting, users):
    # Board secretaries read no lessons; a leader reads them all.
    secret = _bulk_lessons(users["analyst"], 1, title="Informant lesson", marking=Marking.OFFICIAL_SENSITIVE)[0]
    for role, value in (("secretary", _value(secret)), ("secretary", "rubbish"), ("leader", "999999:1")):
        response = client_for(role).post(
            reverse("governance:agenda-item-add", args=[meeting.pk]), {"title": "Sensitive", "links": [value]}
        )
        html = response.content.decode()
        assert response.status_code == 200 and "govuk-error-summary" in html, role
        assert f"“{value}” is not a record you can link" in html
        assert 'id="id_links-error"' in html and 'href="#covers-q"' in html
        assert "Informant lesson" not in html
    assert not AgendaLink.objects.exists() and not AgendaItem.objects.exists()
    # The leader may open it, so may link it.
    response = client_for("leader").post(
        reverse("governance:agenda-item-add", args=[meeting.pk]), {"title": "Sensitive", "links": [_value(secret)]}
    )
    assert response.status_code == 302 and AgendaLink.objects.get().record == secret


def test_a_link_the_editor_cannot_see_is_kept_unnamed(client_for, meeting, users):
    secret = _bulk_lessons(users["analyst"], 1, title="Informant lesson", marking=Marking.OFFICIAL_SENSITIVE)[0]
    item = AgendaItem.objects.create(meeting=meeting, title="Item", position=1)
    agenda_item_save(item=item, links=[secret], by=users["leader"], reason="Linked")
    client = client_for("secretary")
    edit = reverse("governance:agenda-item-edit", args=[item.pk])
    page = client.get(edit).content.decode()
    assert "Informant lesson" not in page and _value(secret) not in page
    assert client.post(edit, _form_data(item, title="Renamed")).status_code == 302
    assert [link.record for link in item.links.all()] == [secret]


def test_the_search_endpoint_lists_only_what_its_reader_may_open(client_for, users):
    from tests.strategy.factories import ThreatFactory

    _bulk_lessons(users["analyst"], 2, title="Shared lesson")
    _bulk_lessons(users["analyst"], 1, start=10, title="Shared lesson sensitive", marking=Marking.OFFICIAL_SENSITIVE)
    url = reverse("governance:linkable-search") + "?q=shared"
    threat = ThreatFactory(title="Shared threat")
    leader = client_for("leader").get(url).json()
    secretary = client_for("secretary").get(url).json()
    assert leader["total"] == 4 and [r["noun"] for r in leader["results"]] == ["lesson"] * 3 + ["threat"]
    assert {r["marking"] for r in leader["results"]} == {Marking.OFFICIAL, Marking.OFFICIAL_SENSITIVE}
    # Board secretaries read no lessons: only the threat is named to them.
    assert secretary == {
        "query": "shared",
        "total": 1,
        "results": [
            {
                "value": _value(threat),
                "name": "Shared threat",
                "group": "Threats",
                "noun": "threat",
                "marking": "official",
            }
        ],
    }
    assert client_for("secretary").get(reverse("governance:linkable-search")).json() == {
        "query": "",
        "total": 0,
        "results": [],
    }
    for role in ("partner", "analyst", "coordinator", "pcc"):
        assert client_for(role).get(url).status_code == 403, role


def test_the_search_endpoint_runs_the_same_queries_whatever_the_data(client_for, users):
    counter = iter(range(1000, 100000, 100))
    assert_constant_queries(
        client_for("leader"),
        reverse("governance:linkable-search") + "?q=routine",
        lambda: _bulk_lessons(users["analyst"], 70, start=next(counter)),
    )


def test_the_agenda_item_page_runs_the_same_queries_whatever_the_data(client_for, meeting, users):
    from tests.strategy.factories import ThreatFactory

    item = AgendaItem.objects.create(meeting=meeting, title="Item", position=1)
    # One query per kind of record linked (at most one per kind registered), none per record.
    first = [*_bulk_lessons(users["analyst"], 2), ThreatFactory(title="First threat")]
    agenda_item_save(item=item, links=first, by=users["leader"], reason="Linked")

    def grow():
        more = _bulk_lessons(users["analyst"], 400, start=100)
        threats = [ThreatFactory(title=f"Threat {i}") for i in range(3)]
        agenda_item_save(item=item, links=[*first, *more[:5], *threats], by=users["leader"], reason="More")

    assert_constant_queries(client_for("leader"), reverse("governance:agenda-item-edit", args=[item.pk]), grow)
