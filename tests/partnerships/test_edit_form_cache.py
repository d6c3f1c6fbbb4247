"""Issue 15: an information-sharing agreement's change page before any input is served from the reader's page
cache (`mshtgov.pages.cached_edit_page`). What a user would check: the same page hit or miss, drawn once; a
change shows at once; an external partner asking for another partnership's agreement by id is answered 404
every time with nothing kept (and 403 for their own partnership's, which they may read but not change); a
sensitive agreement marks the page; a post is handled live (errors beside the field, nothing saved)."""

import pytest
from django.urls import reverse

from mshtgov.marking import Marking
from partnerships.forms.agreements import AgreementForm
from partnerships.models import InformationSharingAgreement
from partnerships.services.agreements import agreement_save
from tests.drawn_form_support import posted_values
from tests.page_cache_support import page_text as _page
from tests.page_cache_support import same_page
from tests.partnerships.factories import two_partnerships

pytestmark = pytest.mark.django_db

SECRET = "P2SECRET"


@pytest.fixture
def w(users):
    return two_partnerships(users)


def _url(agreement):
    return reverse("partnerships:agreement-edit", args=[agreement.pk])


def _kept(stored) -> list[str]:
    return [key for key in stored if key.startswith("page:form:")]


def test_the_same_form_hit_or_miss_and_a_change_shows_at_once(client_for, users, w, stored):
    client = client_for("coordinator")
    first, second = _page(client.get(_url(w.p1_agreement))), _page(client.get(_url(w.p1_agreement)))
    assert same_page(first) == same_page(second)
    assert "<title>Change Alpha sharing ISA – " in first and 'value="Alpha sharing ISA"' in first
    kept = _kept(stored)
    assert len(kept) == 1 and kept[0].startswith(f"page:form:partnerships:agreement:{w.p1_agreement.pk}:")

    agreement = InformationSharingAgreement.objects.get(pk=w.p1_agreement.pk)
    form = AgreementForm(
        posted_values(second, title="Alpha renamed ISA", change_reason="Renamed"),
        instance=agreement,
        partnership=agreement.partnership,
    )
    assert form.is_valid(), form.errors
    agreement_save(form=form, by=users["coordinator"])
    after = _page(client.get(_url(w.p1_agreement)))
    assert "<title>Change Alpha renamed ISA – " in after and 'value="Alpha renamed ISA"' in after

    w.council.name = "Renamed City Council"
    w.council.save()
    assert "Renamed City Council" in _page(client.get(_url(w.p1_agreement)))  # the parties offered are current


def test_a_partner_is_refused_another_partnerships_agreement_every_time_and_nothing_is_kept(client_for, w, stored):
    partner = client_for("partner")
    for agreement, status in ((w.p2_agreement, 404), (w.p1_not_party, 404), (w.p1_agreement, 403)):
        for _ in range(2):
            response = partner.get(_url(agreement))
            assert response.status_code == status, agreement.title
            assert SECRET not in response.content.decode()
    response = partner.post(_url(w.p2_agreement), {"title": "Taken over"})  # a post is refused alike
    assert response.status_code == 404
    assert InformationSharingAgreement.objects.get(pk=w.p2_agreement.pk).title == "Bravo P2SECRET ISA"
    assert not _kept(stored)


@pytest.mark.parametrize(("role", "status"), [("leader", 403), ("pcc", 403), ("analyst", 403), ("anon", 302)])
def test_a_refused_reader_is_refused_every_time_and_nothing_is_kept(client_for, w, stored, role, status):
    client = client_for(role)
    for _ in range(2):
        assert client.get(_url(w.p1_agreement)).status_code == status
    assert not _kept(stored)


def test_a_sensitive_agreement_marks_the_page_hit_or_miss(client_for, w):
    InformationSharingAgreement.objects.filter(pk=w.p1_agreement.pk).update(marking=Marking.OFFICIAL_SENSITIVE)
    client = client_for("coordinator")
    for _ in range(2):
        html = _page(client.get(_url(w.p1_agreement)))
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html


def test_bad_input_shows_the_error_summary_naming_the_field_and_nothing_is_saved(client_for, w):
    client = client_for("coordinator")
    _page(client.get(_url(w.p1_agreement)))
    html = _page(client.get(_url(w.p1_agreement)))  # a hit
    refused = _page(client.post(_url(w.p1_agreement), posted_values(html, title="", change_reason="Why")))
    assert "<title>Error: Change Alpha sharing ISA" in refused and 'href="#id_title"' in refused
    assert InformationSharingAgreement.objects.get(pk=w.p1_agreement.pk).title == "Alpha sharing ISA"


def test_a_valid_post_saves_and_goes_to_the_agreement(client_for, w):
    client = client_for("coordinator")
    _page(client.get(_url(w.p1_agreement)))
    html = _page(client.get(_url(w.p1_agreement)))  # a hit
    response = client.post(_url(w.p1_agreement), posted_values(html, purpose="Wider purpose", change_reason="Why"))
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:agreement-detail", args=[w.p1_agreement.pk])
    assert InformationSharingAgreement.objects.get(pk=w.p1_agreement.pk).purpose == "Wider purpose"
    assert "Wider purpose" in _page(client.get(_url(w.p1_agreement)))
