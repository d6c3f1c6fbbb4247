"""Lists and detail pages run the same number of queries however many records there are."""

import pytest
from django.urls import reverse

from partnerships.models import PartnerOrganisation
from tests.partnerships.factories import make_agreement, make_partnership, make_registers, two_partnerships
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _grow(w, users, n=3):
    def grow():
        coordinator = users["coordinator"]
        for _ in range(n):
            _counter["n"] += 1
            i = _counter["n"]
            org = PartnerOrganisation.objects.create(name=f"Grown org {w.p1.pk}-{i}", kind="ngo")
            p = make_partnership(f"Grown partnership {i}", by=coordinator, members=[w.partner_org, org])
            make_agreement(p, by=coordinator, title=f"Grown ISA {i}", parties=[w.partner_org, org])
            make_agreement(w.p1, by=coordinator, title=f"Grown P1 ISA {i}", parties=[w.partner_org, org])

    return grow


@pytest.mark.parametrize("role", ["partner", "coordinator"])
def test_partnership_and_agreement_lists_are_constant(users, client_for, role):
    w = two_partnerships(users)
    client = client_for(role)
    assert_constant_queries(client, reverse("partnerships:partnership-list"), _grow(w, users))
    assert_constant_queries(client, reverse("partnerships:agreement-list"), _grow(w, users))


def test_partnership_detail_is_constant(users, client_for):
    w = two_partnerships(users)
    assert_constant_queries(
        client_for("partner"), reverse("partnerships:partnership-detail", args=[w.p1.pk]), _grow(w, users)
    )


def test_registers_are_constant(users, client_for):
    make_registers(users)
    client = client_for("leader")
    for name in ("notification-list", "support-list", "ictg-list"):
        assert_constant_queries(client, reverse(f"partnerships:{name}"), lambda: make_registers_more(users))


_counter = {"n": 0}


def make_registers_more(users):
    from datetime import timedelta

    from django.utils import timezone

    from partnerships.models import ICTGReferral, SafeguardingNotification, SupportService

    today = timezone.localdate()
    for _ in range(3):
        _counter["n"] += 1
        n = _counter["n"]
        SafeguardingNotification.objects.create(
            incident_reference=f"MSHT-Q-{n:04d}",
            incident_recorded_on=today - timedelta(days=3),
            body="mash",
            notified_by=users["coordinator"],
            notified_on=today,
        )
        SupportService.objects.create(
            name=f"Extra {n}", stage="children", commissioned_by="pcc", funded_by="pcc", capacity=2, start_date=today
        )
        ICTGReferral.objects.create(child_reference=f"CH-Q-{n:04d}", referred_on=today, ictg_service="ICTG")


def test_organisation_list_and_detail_are_constant(users, client_for):
    w = two_partnerships(users)
    coordinator = users["coordinator"]

    def grow():
        # More organisations on the list, and more partnerships the council (the detail page's) is in.
        for _ in range(3):
            _counter["n"] += 1
            i = _counter["n"]
            PartnerOrganisation.objects.create(name=f"Listed org {i}", kind="ngo")
            make_partnership(f"Council partnership {i}", by=coordinator, members=[w.council])

    client = client_for("coordinator")
    assert_constant_queries(client, reverse("partnerships:organisation-list"), grow)
    assert_constant_queries(client, reverse("partnerships:organisation-detail", args=[w.council.pk]), grow)


def test_agreement_detail_is_constant(users, client_for):
    from partnerships.models import AgreementParty

    w = two_partnerships(users)

    def grow():
        for _ in range(3):
            _counter["n"] += 1
            org = PartnerOrganisation.objects.create(name=f"Party org {_counter['n']}", kind="ngo")
            AgreementParty.objects.create(agreement=w.p1_agreement, organisation=org)

    url = reverse("partnerships:agreement-detail", args=[w.p1_agreement.pk])
    for role in ("partner", "coordinator"):
        assert_constant_queries(client_for(role), url, grow)


def test_terms_detail_and_compare_are_constant(users, client_for):
    from datetime import timedelta

    from django.utils import timezone

    from partnerships.models import TermsOfReference, TermsStatus
    from partnerships.services.partnerships import membership_add
    from partnerships.services.terms import terms_approve, terms_start_version

    w = two_partnerships(users)
    coordinator = users["coordinator"]

    def add_members():
        # More members: each a new row in the draft's matrix.
        for _ in range(2):
            _counter["n"] += 1
            org = PartnerOrganisation.objects.create(name=f"Member org {_counter['n']}", kind="ngo")
            membership_add(partnership=w.p1, organisation=org, by=coordinator)

    def add_versions():
        # More versions to choose from, as they come in use: only one draft at a time (a second is refused),
        # so the draft is approved and the next one started.
        add_members()
        for _ in range(2):
            draft = TermsOfReference.objects.get(partnership=w.p1, status=TermsStatus.DRAFT)
            terms_approve(terms=draft, review_date=timezone.localdate() + timedelta(days=200), by=coordinator)
            terms_start_version(partnership=w.p1, by=coordinator)

    client = client_for("coordinator")
    rows_before = w.p1_draft.member_rows.count()
    assert_constant_queries(client, reverse("partnerships:terms-detail", args=[w.p1.pk, w.p1_draft.pk]), add_members)
    assert w.p1_draft.member_rows.count() > rows_before  # the matrix on the page did grow
    assert_constant_queries(client, reverse("partnerships:terms-compare", args=[w.p1.pk]), add_versions)
    # w.p1_terms is superseded from here on, so its page keeps one shape while versions are added.
    partner = client_for("partner")
    assert_constant_queries(partner, reverse("partnerships:terms-detail", args=[w.p1.pk, w.p1_terms.pk]), add_versions)
    assert_constant_queries(partner, reverse("partnerships:terms-compare", args=[w.p1.pk]), add_versions)
    assert TermsOfReference.objects.filter(partnership=w.p1).count() >= 8  # the versions did grow


def test_reviews_page_is_constant(users, client_for):
    from django.utils import timezone

    from partnerships.selectors import reviews_due
    from tests.partnerships.factories import approved_terms

    w = two_partnerships(users)
    coordinator = users["coordinator"]

    def grow():
        for _ in range(3):
            _counter["n"] += 1
            i = _counter["n"]
            p = make_partnership(f"Review partnership {i}", by=coordinator, members=[w.council])
            approved_terms(p, by=coordinator, review_in_days=5)  # terms due for review
            make_agreement(p, by=coordinator, title=f"Ending ISA {i}", parties=[w.council], end_in_days=10)

    assert_constant_queries(client_for("coordinator"), reverse("partnerships:reviews"), grow)
    assert len(reviews_due(timezone.localdate())) >= 6  # the page did list the grown items
