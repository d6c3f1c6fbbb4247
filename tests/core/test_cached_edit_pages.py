"""Issue 15: an edit page's form, before any input, is served from the reader's page cache
(`mshtgov.pages.cached_edit_page`), shown here on an action's edit page. What a user would check: the form shows
the record as last saved, it posts with the reader's own CSRF token, a refused reader keeps getting refused
with nothing kept, and a post is handled live (its errors next to the field, nothing saved)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.models import Action
from governance.services import action_create, action_update_progress
from mshtgov.marking import Marking
from tests.page_cache_support import page_text as _page
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(users):
    return action_create(
        title="Brief the response teams",
        owner=users["analyst"],
        by=users["secretary"],
        due_date=timezone.localdate() + timedelta(days=5),
    )


def _url(action):
    return reverse("governance:action-edit", args=[action.pk])


def _form_token(html: str) -> str:
    """The CSRF token of the edit form (the page's other form is the header's sign-out)."""
    form = html[html.index('<form method="post" novalidate') :]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def test_the_same_form_hit_or_miss_and_a_save_shows_at_once(client_for, users, action, stored):
    client = client_for("secretary")
    first, second = _page(client.get(_url(action))), _page(client.get(_url(action)))
    assert same_page(first) == same_page(second)
    assert 'value="Brief the response teams"' in first
    assert "<title>Edit the action – " in first and "Save changes" in first
    kept = [key for key in stored if key.startswith("page:form:")]
    assert len(kept) == 1 and kept[0].startswith(f"page:form:governance:action:{action.pk}:")  # drawn once

    action_update_progress(action=action, status="in_progress", completion_note="", by=users["leader"], reason="Begun")
    action.refresh_from_db()
    after = _page(client.get(_url(action)))
    assert 'value="in_progress" selected' in after
    assert f'value="{action.updated_at.isoformat()}"' in after  # the version an edit is checked against

    users["analyst"].first_name = "Renamed"
    users["analyst"].save()
    assert "Renamed" in _page(client.get(_url(action)))  # the owner list is never older than the people


def test_a_kept_form_posts_with_the_readers_own_token(users, action):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(users["secretary"])
    _page(first.get(_url(action)))  # drawn and kept
    token = _form_token(_page(second.get(_url(action))))  # another session of the same reader: a hit
    refused_input = second.post(_url(action), {"csrfmiddlewaretoken": token, "title": ""})
    html = _page(refused_input)  # the token passed the check; the post was handled live
    assert "<title>Error: Edit the action" in html
    assert 'href="#id_title"' in html  # the error summary names the field
    action.refresh_from_db()
    assert action.title == "Brief the response teams"  # nothing saved


def test_a_valid_post_saves_and_the_next_form_shows_it(client_for, action):
    client = client_for("secretary")
    html = _page(client.get(_url(action)))
    version = re.search(r'name="seen_version" value="([^"]+)"', html).group(1)
    response = client.post(
        _url(action),
        {
            "title": "Brief every response team",
            "description": "",
            "owner": action.owner_id,
            "due_date-day": action.due_date.day,
            "due_date-month": action.due_date.month,
            "due_date-year": action.due_date.year,
            "source_kind": action.source_kind,
            "pillar": "",
            "status": "open",
            "completion_note": "",
            "marking": action.marking,
            "change_reason": "Wider audience",
            "seen_version": version,
        },
    )
    assert response.status_code == 302, re.findall(
        r"error-summary__list.*?</ul>|error-message.*?</p>", response.content.decode(), re.S
    )
    assert Action.objects.get(pk=action.pk).title == "Brief every response team"
    assert 'value="Brief every response team"' in _page(client.get(_url(action)))


@pytest.mark.parametrize(("role", "status"), [("analyst", 403), ("pcc", 403), ("partner", 404), ("anon", 302)])
def test_a_refused_reader_is_refused_every_time_and_nothing_is_kept(client_for, action, stored, role, status):
    client = client_for(role)
    for _ in range(2):
        assert client.get(_url(action)).status_code == status
    assert not [key for key in stored if key.startswith("page:form:")]


def test_a_sensitive_record_marks_the_page_hit_or_miss(client_for, action):
    action.marking = Marking.OFFICIAL_SENSITIVE
    action.save()
    client = client_for("leader")
    for _ in range(2):
        html = _page(client.get(_url(action)))
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html
