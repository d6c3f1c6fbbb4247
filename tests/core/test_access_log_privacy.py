"""No personal data in the access log: searches keep filter names, choices and ids; typed words only as a
salted hash and a length; records are named by kind and id; paths lose their query string."""

import json

import pytest
from django.urls import reverse

from mshtgov.audit import hashed_term, log_access, loggable_filters, search_term_hash
from mshtgov.models import AccessAction, AccessLog

TERM = "Jane Smith 14/03/1991"


def _row_text(row: AccessLog) -> str:
    values = [getattr(row, f.attname) for f in AccessLog._meta.concrete_fields]
    return json.dumps(values, default=str)


@pytest.mark.django_db
def test_a_lesson_search_logs_the_filters_and_ids_shown_but_not_the_words(client_for, users):
    from tests.learning.factories import make_lesson

    lesson = make_lesson(users["analyst"], title="Smith farm debrief")
    response = client_for("analyst").get(reverse("learning:lesson-list"), {"q": "Smith farm", "status": "observed"})
    assert response.status_code == 200
    row = AccessLog.objects.get(action=AccessAction.SEARCH, object_type="learning.lesson")
    filters = row.detail["filters"]
    assert filters["q"] == {"hash": search_term_hash("smith  FARM"), "length": len("smith farm")}
    assert filters["status"] == "observed"  # a choice, kept as it is
    assert lesson.status == "observed" and row.detail["ids"] == [lesson.pk]
    assert row.path == reverse("learning:lesson-list")
    assert "Smith" not in _row_text(row) and "farm" not in _row_text(row)


@pytest.mark.django_db
def test_an_access_log_search_keeps_no_typed_words_and_can_be_found_by_them(client_for, users):
    client = client_for("leader")
    client.get(reverse("access-log"), {"record": TERM, "action": "search"})
    row = AccessLog.objects.filter(object_type="mshtgov.accesslog").latest("id")
    assert "Jane" not in _row_text(row) and "1991" not in _row_text(row)
    assert row.detail["filters"]["record"] == hashed_term(TERM)
    assert row.detail["filters"]["action"] == "search"
    assert isinstance(row.detail["ids"], list)
    # An auditor who knows the words finds the search (case and spacing do not matter) ...
    found = client.get(reverse("access-log"), {"searched_for": "jane  smith 14/03/1991"})
    assert row.pk in [entry[0] for entry in found.context["page"].object_list]  # (id, ...) tuples
    # ... and other words find nothing.
    other = client.get(reverse("access-log"), {"searched_for": "Amy Jones"})
    assert row.pk not in [entry[0] for entry in other.context["page"].object_list]


@pytest.mark.django_db
def test_a_record_is_named_by_kind_and_id_never_its_title(users, rf):
    from tests.learning.factories import make_lesson

    lesson = make_lesson(users["analyst"], title="Victim Jane Smith case")
    request = rf.get("/learning/lessons/1/?q=Jane")
    request.user = users["analyst"]
    row = log_access(request, AccessAction.CONSULT, lesson)
    assert row.object_repr == f"Lesson {lesson.pk}"
    assert row.path == "/learning/lessons/1/"
    assert "Jane" not in _row_text(row)


def test_filters_from_a_mapping_keep_numbers_and_dates_and_hash_typed_text():
    logged = loggable_filters({"q": TERM, "board": "3", "from": "2026-01-01", "page": "2", "flag": True, "x": ""})
    assert logged == {"q": hashed_term(TERM), "board": "3", "from": "2026-01-01", "flag": True}
    # Processing twice changes nothing (the exporter and log_access may both call it).
    assert loggable_filters(logged) == logged
    assert loggable_filters(dict(logged)) == logged


def test_the_hash_depends_on_the_salt(settings):
    first = search_term_hash(TERM)
    settings.ACCESS_LOG_SEARCH_SALT = "another-salt"
    assert search_term_hash(TERM) != first


def test_a_filter_from_a_fixed_list_is_kept_only_when_its_value_is_in_the_list():
    chosen = {"status": ["active", "expired"]}
    assert loggable_filters({"status": "active"}, chosen=chosen) == {"status": "active"}
    assert loggable_filters({"status": "Jane Smith"}, chosen=chosen) == {"status": hashed_term("Jane Smith")}


@pytest.mark.django_db
def test_the_agreements_export_logs_its_search_words_only_as_a_hash(client_for, users):
    client = client_for("coordinator")
    response = client.get(reverse("partnerships:agreement-export", args=["csv"]), {"q": TERM, "status": "active"})
    assert response.status_code == 200
    row = AccessLog.objects.get(action=AccessAction.DISCLOSE)
    assert row.detail["filters"] == {"q": hashed_term(TERM), "status": "active"}
    assert "Jane" not in _row_text(row)
