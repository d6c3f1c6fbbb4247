"""Issue 15: a partnership's and an organisation's change pages (`record_edit_page`), adding an agreement or a
member to a partnership, and the notification, support and ICTG registers' add and change pages (`_register_edit`)
are served before any input from the reader's page cache (`mshtgov.pages.cached_edit_page`); an agreement's history
finds the agreement inside the cached build (`scoped_history_page`). What a user would check: the same page hit or
miss, drawn once; a change shows at once; an external partner asking for another partnership's record by id is
answered 404 every time (GET and POST) with nothing kept, other refused readers likewise; a sensitive record marks
the page (and its history is logged on every view); a bad post shows the error summary naming the field and saves
nothing."""

import pytest
from django.urls import reverse

from mshtgov.marking import Marking
from mshtgov.models import AccessAction, AccessLog
from mshtgov.tracking import save_form
from partnerships.forms.partnerships import OrganisationForm, PartnershipForm
from partnerships.forms.registers import NotificationForm
from partnerships.models import (
    InformationSharingAgreement,
    Membership,
    PartnerOrganisation,
    Partnership,
    SafeguardingNotification,
)
from partnerships.services.partnerships import membership_add, partnership_save
from tests.drawn_form_support import posted_values
from tests.page_cache_support import page_text as _page
from tests.page_cache_support import same_page
from tests.partnerships.factories import make_registers, two_partnerships

pytestmark = pytest.mark.django_db

SECRET = "P2SECRET"


@pytest.fixture
def w(users):
    world = two_partnerships(users)
    world.reg = make_registers(users)
    return world


def _kept(stored, prefix="page:form:") -> list[str]:
    return [key for key in stored if key.startswith(prefix)]


def _edit(p):
    return reverse("partnerships:partnership-edit", args=[p.pk])


def _add_agreement(p):
    return reverse("partnerships:agreement-create", args=[p.pk])


def _add_member(p):
    return reverse("partnerships:membership-add", args=[p.pk])


def _history(a):
    return reverse("partnerships:agreement-history", args=[a.pk])


# A partnership's change page


def test_a_partnerships_form_is_the_same_hit_or_miss_and_a_change_shows_at_once(client_for, users, w, stored):
    client = client_for("coordinator")
    first, second = _page(client.get(_edit(w.p1))), _page(client.get(_edit(w.p1)))
    assert same_page(first) == same_page(second)
    assert "<title>Change Alpha Forum P1 – " in first and 'value="Alpha Forum P1"' in first
    kept = _kept(stored)
    assert len(kept) == 1 and kept[0].startswith(f"page:form:partnerships:partnership:{w.p1.pk}:")

    form = PartnershipForm(
        posted_values(second, name="Alpha Forum Renamed", change_reason="Renamed"),
        instance=Partnership.objects.get(pk=w.p1.pk),
    )
    assert form.is_valid(), form.errors
    partnership_save(form=form, by=users["coordinator"])
    after = _page(client.get(_edit(w.p1)))
    assert "<title>Change Alpha Forum Renamed – " in after and 'value="Alpha Forum Renamed"' in after

    users["leader"].first_name, users["leader"].last_name = "Renamed", "Leader"
    users["leader"].save()
    assert "Renamed Leader" in _page(client.get(_edit(w.p1)))  # the coordinators offered are current


@pytest.mark.parametrize("url_of", [_edit, _add_agreement, _add_member], ids=["edit", "add-agreement", "add-member"])
def test_a_partner_is_refused_another_partnerships_form_every_time_and_nothing_is_kept(client_for, w, stored, url_of):
    partner = client_for("partner")
    for partnership, status in ((w.p2, 404), (w.p1, 403)):
        for _ in range(2):
            response = partner.get(url_of(partnership))
            assert response.status_code == status, partnership.name
            assert SECRET not in response.content.decode()
    response = partner.post(url_of(w.p2), {"name": "Taken over", "title": "Taken over", "organisation": w.other.pk})
    assert response.status_code == 404 and SECRET not in response.content.decode()
    assert Partnership.objects.get(pk=w.p2.pk).name == "Bravo Hub P2SECRET"
    assert not InformationSharingAgreement.objects.filter(title="Taken over").exists()
    assert not _kept(stored)


@pytest.mark.parametrize("url_of", [_edit, _add_agreement, _add_member], ids=["edit", "add-agreement", "add-member"])
@pytest.mark.parametrize(("role", "status"), [("leader", 403), ("pcc", 403), ("analyst", 403), ("anon", 302)])
def test_a_refused_reader_is_refused_a_partnerships_form_every_time(client_for, w, stored, url_of, role, status):
    client = client_for(role)
    for _ in range(2):
        assert client.get(url_of(w.p1)).status_code == status
    assert not _kept(stored)


def test_a_missing_partnership_is_404_and_nothing_is_kept(client_for, w, stored):
    client = client_for("coordinator")
    for url in (
        "/partnerships/999999/edit/",
        "/partnerships/999999/agreements/new/",
        "/partnerships/999999/members/add/",
    ):
        assert client.get(url).status_code == 404
    assert not _kept(stored)


def test_a_sensitive_partnership_marks_its_change_page_hit_or_miss(client_for, w):
    Partnership.objects.filter(pk=w.p1.pk).update(marking=Marking.OFFICIAL_SENSITIVE)
    client = client_for("coordinator")
    for _ in range(2):
        html = _page(client.get(_edit(w.p1)))
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html


def test_bad_input_on_a_partnership_shows_the_error_summary_and_nothing_is_saved(client_for, w):
    client = client_for("coordinator")
    _page(client.get(_edit(w.p1)))
    html = _page(client.get(_edit(w.p1)))  # a hit
    refused = _page(client.post(_edit(w.p1), posted_values(html, name="", change_reason="Why")))
    assert "<title>Error: Change Alpha Forum P1" in refused and 'href="#id_name"' in refused
    assert Partnership.objects.get(pk=w.p1.pk).name == "Alpha Forum P1"


def test_a_valid_post_saves_the_partnership_and_goes_to_it(client_for, w):
    client = client_for("coordinator")
    _page(client.get(_edit(w.p1)))
    html = _page(client.get(_edit(w.p1)))  # a hit
    response = client.post(_edit(w.p1), posted_values(html, purpose="A wider purpose", change_reason="Why"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "partnerships:partnership-detail", args=[w.p1.pk]
    )
    assert Partnership.objects.get(pk=w.p1.pk).purpose == "A wider purpose"
    assert "A wider purpose" in _page(client.get(_edit(w.p1)))


# Adding an agreement or a member to a partnership


def test_adding_an_agreement_is_one_page_per_partnership_and_shows_a_change(client_for, w, stored):
    client = client_for("coordinator")
    first, second = _page(client.get(_add_agreement(w.p1))), _page(client.get(_add_agreement(w.p1)))
    assert same_page(first) == same_page(second)
    assert "<title>Add an information-sharing agreement to Alpha Forum P1 – " in first
    _page(client.get(_add_agreement(w.p2)))
    _page(client.get(_edit(w.p1)))
    kept = _kept(stored)
    assert len(kept) == 3 and len(set(kept)) == 3  # its own entry per partnership, apart from the change page
    assert kept[0].startswith(f"page:form:partnerships:agreement:add:{w.p1.pk}:")

    w.council.name = "Renamed City Council"
    w.council.save()
    assert "Renamed City Council" in _page(client.get(_add_agreement(w.p1)))  # the parties offered are current


def test_a_valid_new_agreement_from_a_served_page_is_saved(client_for, w):
    client = client_for("coordinator")
    _page(client.get(_add_agreement(w.p1)))
    html = _page(client.get(_add_agreement(w.p1)))  # a hit
    refused = _page(client.post(_add_agreement(w.p1), posted_values(html, title="")))
    assert "<title>Error: Add an information-sharing agreement" in refused and 'href="#id_title"' in refused
    assert InformationSharingAgreement.objects.filter(partnership=w.p1).count() == 2


def test_adding_a_member_offers_only_organisations_not_yet_members_at_once(client_for, users, w, stored):
    client = client_for("coordinator")
    first, second = _page(client.get(_add_member(w.p1))), _page(client.get(_add_member(w.p1)))
    assert same_page(first) == same_page(second) and "Elsewhere Trust" in first
    assert len(_kept(stored)) == 1 and _kept(stored)[0].startswith(f"page:form:partnerships:membership:add:{w.p1.pk}:")

    membership_add(partnership=w.p1, organisation=w.other, by=users["coordinator"])
    assert "Elsewhere Trust" not in _page(client.get(_add_member(w.p1)))


def test_adding_a_member_refuses_bad_input_and_adds_a_good_one(client_for, w):
    client = client_for("coordinator")
    _page(client.get(_add_member(w.p1)))
    refused = _page(client.post(_add_member(w.p1), {"organisation": ""}))
    assert "govuk-error-summary" in refused and 'href="#id_organisation"' in refused
    assert not Membership.objects.filter(partnership=w.p1, organisation=w.other).exists()
    response = client.post(_add_member(w.p1), {"organisation": w.other.pk})
    assert response.status_code == 302
    assert Membership.objects.filter(partnership=w.p1, organisation=w.other).exists()


# An organisation's change page


def test_an_organisations_form_is_the_same_hit_or_miss_and_a_change_shows_at_once(client_for, users, w, stored):
    url = reverse("partnerships:organisation-edit", args=[w.council.pk])
    client = client_for("coordinator")
    first, second = _page(client.get(url)), _page(client.get(url))
    assert same_page(first) == same_page(second) and "<title>Change Test City Council – " in first
    assert len(_kept(stored)) == 1 and _kept(stored)[0].startswith(
        f"page:form:partnerships:organisation:{w.council.pk}:"
    )

    form = OrganisationForm(
        posted_values(second, name="Renamed Council", change_reason="Renamed"),
        instance=PartnerOrganisation.objects.get(pk=w.council.pk),
    )
    assert form.is_valid(), form.errors
    save_form(form, by=users["coordinator"])
    assert "<title>Change Renamed Council – " in _page(client.get(url))

    refused = _page(client.post(url, posted_values(second, name="", change_reason="Why")))
    assert 'href="#id_name"' in refused
    assert PartnerOrganisation.objects.get(pk=w.council.pk).name == "Renamed Council"


@pytest.mark.parametrize(("role", "status"), [("partner", 403), ("leader", 403), ("analyst", 403), ("anon", 302)])
def test_a_refused_reader_is_refused_an_organisations_form_every_time(client_for, w, stored, role, status):
    url = reverse("partnerships:organisation-edit", args=[w.council.pk])
    client = client_for(role)
    for _ in range(2):
        assert client.get(url).status_code == status
    assert client.post(url, {"name": "Taken over"}).status_code == status
    assert PartnerOrganisation.objects.get(pk=w.council.pk).name == "Test City Council"
    assert not _kept(stored)


# The registers' add and change pages


REGISTER_PAGES = [
    ("notification-edit", lambda w: [w.reg.notification.pk], "coordinator", "Change safeguarding notification "),
    ("notification-create", lambda w: [], "coordinator", "Add a safeguarding notification"),
    ("support-edit", lambda w: [w.reg.support.pk], "coordinator", "Change support service Harbour house"),
    ("support-create", lambda w: [], "coordinator", "Add a support service"),
    ("ictg-edit", lambda w: [w.reg.ictg.pk], "leader", "Change ICTG referral "),
    ("ictg-create", lambda w: [], "leader", "Add a ICTG referral"),
]


@pytest.mark.parametrize(("name", "args", "role", "title"), REGISTER_PAGES, ids=[p[0] for p in REGISTER_PAGES])
def test_a_registers_form_is_the_same_hit_or_miss_and_drawn_once(client_for, w, stored, name, args, role, title):
    url = reverse(f"partnerships:{name}", args=args(w))
    client = client_for(role)
    first, second = _page(client.get(url)), _page(client.get(url))
    assert same_page(first) == same_page(second) and f"<title>{title}" in first
    assert len(_kept(stored)) == 1


def test_a_registers_add_and_change_pages_are_kept_apart(client_for, w, stored):
    client = client_for("coordinator")
    add = _page(client.get(reverse("partnerships:notification-create")))
    change = _page(client.get(reverse("partnerships:notification-edit", args=[w.reg.notification.pk])))
    support = _page(client.get(reverse("partnerships:support-edit", args=[w.reg.support.pk])))
    assert "<title>Add a safeguarding notification" in add and "MSHT-2026-0001" not in add
    assert "<title>Change safeguarding notification MSHT-2026-0001" in change
    assert "<title>Change support service Harbour house" in support
    kept = _kept(stored)
    assert len(kept) == 3 and len(set(kept)) == 3
    assert kept[0].startswith("page:form:partnerships:safeguardingnotification:add:")
    assert kept[1].startswith(f"page:form:partnerships:safeguardingnotification:{w.reg.notification.pk}:")


def test_a_notifications_change_shows_at_once_and_a_sensitive_one_marks_the_page(client_for, users, w):
    url = reverse("partnerships:notification-edit", args=[w.reg.notification.pk])
    client = client_for("coordinator")
    _page(client.get(url))
    html = _page(client.get(url))
    form = NotificationForm(
        posted_values(
            html, incident_reference="MSHT-2026-0777", marking=Marking.OFFICIAL_SENSITIVE, change_reason="Fix"
        ),
        instance=SafeguardingNotification.objects.get(pk=w.reg.notification.pk),
    )
    assert form.is_valid(), form.errors
    save_form(form, by=users["coordinator"])
    for _ in range(2):
        html = _page(client.get(url))
        assert "<title>Change safeguarding notification MSHT-2026-0777" in html
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html


@pytest.mark.parametrize(
    ("url", "role", "status"),
    [
        ("notification-create", "partner", 403),
        ("notification-create", "leader", 403),
        ("notification-create", "anon", 302),
        ("notification-edit", "partner", 403),
        ("notification-edit", "analyst", 403),
        ("support-edit", "partner", 403),
        ("support-create", "pcc", 403),
        ("ictg-edit", "coordinator", 403),
        ("ictg-create", "partner", 403),
    ],
)
def test_a_refused_reader_is_refused_a_registers_form_every_time(client_for, w, stored, url, role, status):
    args = {
        "notification-edit": [w.reg.notification.pk],
        "support-edit": [w.reg.support.pk],
        "ictg-edit": [w.reg.ictg.pk],
    }
    address = reverse(f"partnerships:{url}", args=args.get(url, []))
    client = client_for(role)
    for _ in range(2):
        assert client.get(address).status_code == status
    assert client.post(address, {"incident_reference": "TAKEN"}).status_code == status
    assert not SafeguardingNotification.objects.filter(incident_reference="TAKEN").exists()
    assert not _kept(stored)


def test_a_missing_register_record_is_404_and_nothing_is_kept(client_for, w, stored):
    client = client_for("coordinator")
    for _ in range(2):
        assert client.get("/partnerships/notifications/999999/edit/").status_code == 404
    assert not _kept(stored)


def test_a_bad_new_notification_shows_the_error_summary_and_nothing_is_saved(client_for, w):
    url = reverse("partnerships:notification-create")
    client = client_for("coordinator")
    _page(client.get(url))
    html = _page(client.get(url))  # a hit
    refused = _page(client.post(url, posted_values(html, incident_reference="", body="mash", marking="official")))
    assert "<title>Error: Add a safeguarding notification" in refused and 'href="#id_incident_reference"' in refused
    assert SafeguardingNotification.objects.count() == 1


# An agreement's history


def test_an_agreements_history_is_the_same_hit_or_miss_and_shows_a_change(client_for, users, w, stored):
    client = client_for("partner")
    first, second = _page(client.get(_history(w.p1_agreement))), _page(client.get(_history(w.p1_agreement)))
    assert same_page(first) == same_page(second) and "Alpha sharing ISA" in first
    kept = _kept(stored, "page:history:")
    assert len(kept) == 1 and kept[0].startswith(f"page:history:partnerships:agreement:{w.p1_agreement.pk}:")

    agreement = InformationSharingAgreement.objects.get(pk=w.p1_agreement.pk)
    agreement.purpose = "A purpose changed later"
    agreement._change_reason = "Purpose widened"
    agreement.save()
    assert "Purpose widened" in _page(client.get(_history(w.p1_agreement)))


def test_a_partner_is_refused_another_partnerships_agreement_history_every_time(client_for, w, stored):
    partner = client_for("partner")
    for agreement in (w.p2_agreement, w.p1_not_party):
        for _ in range(2):
            response = partner.get(_history(agreement))
            assert response.status_code == 404 and SECRET not in response.content.decode()
    assert not _kept(stored, "page:history:")


def test_a_sensitive_agreements_history_is_marked_and_logged_on_every_view(client_for, w):
    InformationSharingAgreement.objects.filter(pk=w.p1_agreement.pk).update(marking=Marking.OFFICIAL_SENSITIVE)
    client = client_for("coordinator")
    for _ in range(2):
        html = _page(client.get(_history(w.p1_agreement)))
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html
    views = AccessLog.objects.filter(
        action=AccessAction.CONSULT,
        object_type="partnerships.informationsharingagreement",
        object_id=str(w.p1_agreement.pk),
    )
    assert views.count() == 2 and all(row.username == "coordinator" for row in views)
