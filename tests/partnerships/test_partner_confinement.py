"""External partners see their own partnerships and nothing of any other, by any URL, id, filter or export."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from governance.models import Board, BoardGroupObjectPermission
from partnerships.models import (
    InformationSharingAgreement,
    Partnership,
    PartnershipGroupObjectPermission,
    TermsOfReference,
    TermsOfReferenceGroupObjectPermission,
)
from partnerships.services.partnerships import membership_add
from tests.partnerships.factories import two_partnerships

pytestmark = pytest.mark.django_db

SECRET = b"P2SECRET"


@pytest.fixture
def w(users):
    return two_partnerships(users)


@pytest.fixture
def partner(users):
    client = Client()
    client.force_login(users["partner"])
    return client


def other_partnership_urls(w):
    """Every partnerships URL that names a record, filled with P2's ids (and P1 urls holding P2 ids)."""
    p2, t2, a2 = w.p2.pk, w.p2_terms.pk, w.p2_agreement.pk
    return [
        reverse("partnerships:partnership-detail", args=[p2]),
        reverse("partnerships:partnership-edit", args=[p2]),
        reverse("partnerships:partnership-history", args=[p2]),
        reverse("partnerships:membership-add", args=[p2]),
        reverse("partnerships:membership-remove", args=[p2, w.membership_p2.pk]),
        reverse("partnerships:terms-new", args=[p2]),
        reverse("partnerships:terms-compare", args=[p2]),
        reverse("partnerships:terms-detail", args=[p2, t2]),
        reverse("partnerships:terms-detail", args=[p2, w.p2_terms_old.pk]),
        reverse("partnerships:terms-detail", args=[p2, w.p2_draft.pk]),
        reverse("partnerships:terms-edit", args=[p2, w.p2_draft.pk]),
        reverse("partnerships:terms-approve", args=[p2, w.p2_draft.pk]),
        reverse("partnerships:terms-pdf", args=[p2, t2]),
        reverse("partnerships:terms-history", args=[p2, t2]),
        reverse("partnerships:agreement-create", args=[p2]),
        reverse("partnerships:agreement-detail", args=[a2]),
        reverse("partnerships:agreement-edit", args=[a2]),
        reverse("partnerships:agreement-history", args=[a2]),
        # P1's URL with P2's version id: the pairing must not open P2's version.
        reverse("partnerships:terms-detail", args=[w.p1.pk, t2]),
        reverse("partnerships:terms-pdf", args=[w.p1.pk, t2]),
        reverse("partnerships:terms-history", args=[w.p1.pk, t2]),
        reverse("partnerships:terms-compare", args=[w.p1.pk]) + f"?left={w.p1_terms.pk}&right={t2}",
        reverse("partnerships:terms-compare", args=[w.p1.pk]) + f"?left={t2}&right={w.p1_terms.pk}",
        # P1's draft is not for partners either.
        reverse("partnerships:terms-detail", args=[w.p1.pk, w.p1_draft.pk]),
        # An agreement of P1 the partner's organisation is not party to.
        reverse("partnerships:agreement-detail", args=[w.p1_not_party.pk]),
    ]


def test_every_url_of_another_partnership_answers_404_to_get_and_post(w, partner):
    for url in other_partnership_urls(w):
        got = partner.get(url)
        assert got.status_code == 404, f"GET {url} gave {got.status_code}"
        assert SECRET not in got.content
        posted = partner.post(url, {"organisation": w.other.pk, "change_reason": "x", "review_date": "2030-01-01"})
        assert posted.status_code in (404, 405), f"POST {url} gave {posted.status_code}"
    # Nothing was changed by any of those posts.
    assert w.p2.memberships.count() == 2
    assert TermsOfReference.objects.filter(partnership=w.p2).count() == 3


def test_ids_either_side_of_the_partners_own_answer_404_unless_granted(w, partner):
    granted_terms = set(
        TermsOfReference.objects.visible_to(w.p1.coordinator)
        .filter(partnership=w.p1, status="approved")
        .values_list("pk", flat=True)
    )
    all_ids = TermsOfReference.objects.values_list("pk", flat=True)
    for pk in range(max(min(all_ids) - 2, 0), max(all_ids) + 3):
        status = partner.get(reverse("partnerships:terms-detail", args=[w.p1.pk, pk])).status_code
        assert status == (200 if pk in granted_terms else 404), pk
    agreement_ids = InformationSharingAgreement.objects.values_list("pk", flat=True)
    for pk in range(max(min(agreement_ids) - 2, 0), max(agreement_ids) + 3):
        status = partner.get(reverse("partnerships:agreement-detail", args=[pk])).status_code
        assert status == (200 if pk == w.p1_agreement.pk else 404), pk
    for pk in (w.p1.pk - 1, w.p1.pk + 1, 0, 99999999):
        if pk != w.p1.pk:
            assert partner.get(reverse("partnerships:partnership-detail", args=[pk])).status_code == 404


def test_lists_search_filters_counts_and_exports_hold_nothing_of_another_partnership(w, partner):
    lists = [
        reverse("partnerships:partnership-list"),
        reverse("partnerships:partnership-list") + "?q=Bravo",
        reverse("partnerships:partnership-list") + "?kind=mash",
        reverse("partnerships:partnership-list") + "?page=999",
        reverse("partnerships:agreement-list"),
        reverse("partnerships:agreement-list") + f"?partnership={w.p2.pk}",
        reverse("partnerships:agreement-list") + "?q=Bravo",
        reverse("partnerships:agreement-list") + "?q=council-only",
        reverse("partnerships:agreement-export", args=["csv"]),
        reverse("partnerships:agreement-export", args=["csv"]) + f"?partnership={w.p2.pk}",
        reverse("partnerships:partnership-detail", args=[w.p1.pk]),
        reverse("partnerships:terms-compare", args=[w.p1.pk]),
        "/",
    ]
    for url in lists:
        response = partner.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content, url
        assert b"Bravo Hub" not in response.content and b"Bravo P2" not in response.content, url
        assert b"Alpha council-only ISA" not in response.content, url
    listed = partner.get(reverse("partnerships:partnership-list"))
    assert b"Alpha Forum P1" in listed.content
    assert b"1 partnership" in listed.content
    filtered = partner.get(reverse("partnerships:agreement-list") + f"?partnership={w.p2.pk}")
    assert b"0 agreements" in filtered.content
    exported = partner.get(reverse("partnerships:agreement-export", args=["csv"])).content.decode()
    assert "Alpha sharing ISA" in exported and "council-only" not in exported


def test_a_model_wide_permission_given_by_mistake_never_widens_a_partners_lists(w, users, partner):
    user = users["partner"]
    for codename in ("view_partnership", "view_termsofreference", "view_informationsharingagreement"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    Group.objects.get(name=f"partner-org-{w.partner_org.pk}").permissions.add(
        Permission.objects.get(codename="view_partnership")
    )
    fresh = type(user).objects.get(pk=user.pk)
    assert list(Partnership.objects.visible_to(fresh)) == [w.p1]
    assert list(InformationSharingAgreement.objects.visible_to(fresh)) == [w.p1_agreement]
    assert SECRET not in partner.get(reverse("partnerships:partnership-list")).content
    assert partner.get(reverse("partnerships:partnership-detail", args=[w.p2.pk])).status_code == 404


def test_partner_groups_hold_no_model_level_permission(w, users):
    partner_groups = Group.objects.filter(name__startswith="partner-org-")
    assert partner_groups.exists()
    for group in [*partner_groups, Group.objects.get(name="External partner")]:
        assert not group.permissions.exists(), group.name


def test_removing_the_organisation_locks_its_partners_out_at_once(w, users, partner, client_for):
    board = Board.objects.create(name="Alpha forum board", kind="partnership_forum")
    w.p1.board = board
    w.p1.save()
    from partnerships.grants import sync_partnership_grants

    sync_partnership_grants(w.p1)
    group = Group.objects.get(name=f"partner-org-{w.partner_org.pk}")
    assert BoardGroupObjectPermission.objects.filter(group=group, content_object=board).exists()
    detail = reverse("partnerships:partnership-detail", args=[w.p1.pk])
    terms = reverse("partnerships:terms-detail", args=[w.p1.pk, w.p1_terms.pk])
    agreement = reverse("partnerships:agreement-detail", args=[w.p1_agreement.pk])
    for url in (detail, terms, agreement):
        assert partner.get(url).status_code == 200

    membership = w.p1.memberships.get(organisation=w.partner_org)
    coordinator = client_for("coordinator")
    response = coordinator.post(
        reverse("partnerships:membership-remove", args=[w.p1.pk, membership.pk]), {"change_reason": "Left the forum"}
    )
    assert response.status_code == 302

    for url in (detail, terms, agreement):
        assert partner.get(url).status_code == 404, url
    assert b"Alpha" not in partner.get(reverse("partnerships:partnership-list")).content
    assert not BoardGroupObjectPermission.objects.filter(group=group).exists()
    assert not PartnershipGroupObjectPermission.objects.filter(group=group).exists()
    assert not TermsOfReferenceGroupObjectPermission.objects.filter(group=group).exists()
    page = coordinator.get(detail).content.decode()
    assert "Safe Harbour Refuge left" in page and "Left the forum" in page
    history = w.p1.memberships.model.history.filter(organisation_id=w.partner_org.pk, history_type="-").get()
    assert history.history_change_reason == "Left the forum"
    assert history.history_user == users["coordinator"]


def test_adding_the_organisation_grants_its_partners_the_published_terms_only(w, users, partner):
    membership_add(partnership=w.p2, organisation=w.partner_org, by=users["coordinator"])
    assert partner.get(reverse("partnerships:partnership-detail", args=[w.p2.pk])).status_code == 200
    assert partner.get(reverse("partnerships:terms-detail", args=[w.p2.pk, w.p2_terms.pk])).status_code == 200
    assert partner.get(reverse("partnerships:terms-detail", args=[w.p2.pk, w.p2_terms_old.pk])).status_code == 200
    assert partner.get(reverse("partnerships:terms-detail", args=[w.p2.pk, w.p2_draft.pk])).status_code == 404
    # Not a party to P2's agreement: still hidden.
    assert partner.get(reverse("partnerships:agreement-detail", args=[w.p2_agreement.pk])).status_code == 404


def test_deleting_a_partnership_leaves_no_grants_behind(w, users):
    board = Board.objects.create(name="Bravo board", kind="partnership_forum")
    w.p2.board = board
    w.p2.save()
    from partnerships.grants import sync_partnership_grants

    sync_partnership_grants(w.p2)
    assert BoardGroupObjectPermission.objects.filter(content_object=board).exists()
    w.p2.agreements.all().delete()
    w.p2.delete()
    assert not PartnershipGroupObjectPermission.objects.filter(content_object_id=w.p2.pk).exists()
    assert not BoardGroupObjectPermission.objects.filter(content_object=board).exists()


def test_partner_is_refused_the_internal_registers(w, partner):
    for name in (
        "organisation-list",
        "notification-list",
        "support-list",
        "ictg-list",
        "reviews",
        "partnership-create",
        "organisation-create",
    ):
        assert partner.get(reverse(f"partnerships:{name}")).status_code == 403, name
    # Their own partnership's edit pages are refused, not hidden: they know it exists.
    assert partner.get(reverse("partnerships:partnership-edit", args=[w.p1.pk])).status_code == 403


def test_grants_written_in_bulk_void_what_was_cached_from_them(users):
    """A new member's grants are bulk-created (no post_save); a cached page or figure that read the grant
    tables must not be served after them (mshtgov.summaries)."""
    from mshtgov import summaries
    from partnerships.models import PartnershipGroupObjectPermission

    w = two_partnerships(users)
    built = summaries.build_watched(
        lambda: PartnershipGroupObjectPermission.objects.filter(content_object=w.p2).count()
    )
    summaries.store_watched({"p2-grants": built})
    assert summaries.read_watched(["p2-grants"]) == {"p2-grants": built[0]}
    membership_add(partnership=w.p2, organisation=w.partner_org, by=users["coordinator"])
    assert summaries.read_watched(["p2-grants"]) == {}
