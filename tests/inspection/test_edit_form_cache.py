"""Issue 15: a finding's edit page before any input is served from the reader's page cache
(`mshtgov.pages.cached_edit_page`). What a user would check: the same page hit or miss, drawn once; a change
shows at once; a closed finding still sends the editor back to its page every time, nothing kept; a refused
reader is refused every time with nothing kept; a sensitive finding marks the page; a post is handled live
(errors beside the field, nothing saved)."""

from datetime import date

import pytest
from django.urls import reverse

from inspection.models import Finding, FindingStatus
from inspection.services.findings import finding_start
from mshtgov.marking import Marking
from mshtgov.tracking import version_of
from tests.drawn_form_support import posted_values
from tests.governance.factories import BoardFactory
from tests.inspection.factories import make_finding
from tests.page_cache_support import page_text as _page
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(users):
    board = BoardFactory(name="Tactical group", secretary=users["secretary"])
    return make_finding(users["leader"], board=board)


def _url(finding):
    return reverse("inspection:finding-edit", args=[finding.pk])


def _kept(stored) -> list[str]:
    return [key for key in stored if key.startswith("page:form:")]


def test_the_same_form_hit_or_miss_and_a_change_shows_at_once(client_for, users, finding, stored):
    client = client_for("analyst")
    first, second = _page(client.get(_url(finding))), _page(client.get(_url(finding)))
    assert same_page(first) == same_page(second)
    assert "<title>Edit Recommendation 1 – " in first and "Save changes" in first
    kept = _kept(stored)
    assert len(kept) == 1 and kept[0].startswith(f"page:form:inspection:finding:{finding.pk}:")  # drawn once

    finding = finding_start(finding=finding, by=users["leader"])
    assert f'value="{version_of(finding.updated_at)}"' in _page(client.get(_url(finding)))  # checked against

    users["leader"].first_name = "Renamed"
    users["leader"].save()
    assert "Renamed" in _page(client.get(_url(finding)))  # the owner list is never older than the people


def test_a_save_shows_on_the_next_form(client_for, finding):
    client = client_for("analyst")
    _page(client.get(_url(finding)))
    html = _page(client.get(_url(finding)))  # a hit
    response = client.post(_url(finding), posted_values(html, source_report="A renamed report", change_reason="Why"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "inspection:finding-detail", args=[finding.pk]
    )
    assert Finding.objects.get(pk=finding.pk).source_report == "A renamed report"
    assert 'value="A renamed report"' in _page(client.get(_url(finding)))


def test_a_closed_finding_sends_the_editor_back_every_time_and_nothing_is_kept(client_for, users, finding, stored):
    client = client_for("leader")
    _page(client.get(_url(finding)))  # kept while open
    finding.status = FindingStatus.CLOSED
    finding.closed_by, finding.closed_on = users["leader"], date(2026, 5, 1)
    finding.save()
    for _ in range(2):
        response = client.get(_url(finding), follow=True)
        assert response.redirect_chain == [(reverse("inspection:finding-detail", args=[finding.pk]), 302)]
        assert "This finding is closed: reopen it before changing it." in response.content.decode()
    assert len(_kept(stored)) == 1  # only the open finding's form


@pytest.mark.parametrize(
    ("role", "status"), [("pcc", 403), ("secretary", 403), ("coordinator", 403), ("partner", 403), ("anon", 302)]
)
def test_a_refused_reader_is_refused_every_time_and_nothing_is_kept(client_for, finding, stored, role, status):
    client = client_for(role)
    for _ in range(2):
        assert client.get(_url(finding)).status_code == status
    assert not _kept(stored)


def test_a_finding_that_does_not_exist_is_404_every_time_and_nothing_is_kept(client_for, stored):
    client = client_for("leader")
    for _ in range(2):
        assert client.get(reverse("inspection:finding-edit", args=[999999])).status_code == 404
    assert not _kept(stored)


def test_a_sensitive_finding_marks_the_page_hit_or_miss(client_for, users):
    sensitive = make_finding(users["leader"], reference="Recommendation 9", marking=Marking.OFFICIAL_SENSITIVE)
    client = client_for("analyst")
    for _ in range(2):
        html = _page(client.get(_url(sensitive)))
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html


def test_bad_input_shows_the_error_summary_naming_the_field_and_nothing_is_saved(client_for, finding):
    client = client_for("analyst")
    _page(client.get(_url(finding)))
    html = _page(client.get(_url(finding)))  # a hit
    refused = _page(client.post(_url(finding), posted_values(html, reference="", change_reason="Why")))
    assert "<title>Error: Edit Recommendation 1" in refused and 'href="#id_reference"' in refused
    assert Finding.objects.get(pk=finding.pk).reference == "Recommendation 1"
