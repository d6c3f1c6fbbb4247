"""Partnership records for tests, built through the services so grants follow membership as in real use."""

from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone

from partnerships.grants import sync_partnership_grants
from partnerships.models import (
    AgreementParty,
    AgreementStatus,
    Commissioner,
    ICTGReferral,
    ICTGStatus,
    InformationSharingAgreement,
    LawfulBasis,
    NotifiedBody,
    PartnerOrganisation,
    Partnership,
    PartnershipKind,
    SafeguardingNotification,
    SharingMechanism,
    SupportService,
    SupportStage,
)
from partnerships.services.partnerships import membership_add
from partnerships.services.terms import terms_approve, terms_start_version
from tests.factories import PartnerOrganisationFactory


def make_partnership(name, *, by, members=(), kind=PartnershipKind.STRATEGIC_FORUM, board=None) -> Partnership:
    partnership = Partnership(name=name, kind=kind, coordinator=by, board=board, purpose=f"Purpose of {name}")
    partnership._history_user = by
    partnership.save()
    for org in members:
        membership_add(partnership=partnership, organisation=org, by=by)
    sync_partnership_grants(partnership)
    return partnership


def approved_terms(partnership, *, by, purpose="Agreed purpose", review_in_days=200):
    draft = terms_start_version(partnership=partnership, by=by)
    draft.purpose = purpose
    draft._history_user = by
    draft.save()
    return terms_approve(terms=draft, review_date=timezone.localdate() + timedelta(days=review_in_days), by=by)


def make_agreement(partnership, *, by, title, parties, reference=None, end_in_days=400):
    today = timezone.localdate()
    agreement = InformationSharingAgreement(
        partnership=partnership,
        title=title,
        reference=reference or title.upper().replace(" ", "-")[:40],
        purpose="Sharing for safeguarding",
        lawful_basis=LawfulBasis.LAW_ENFORCEMENT,
        data_shared="Pseudonymous references",
        mechanism=SharingMechanism.GAIN,
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=end_in_days),
        status=AgreementStatus.ACTIVE,
        owner=by,
    )
    agreement._history_user = by
    agreement.save()
    for org in parties:
        AgreementParty.objects.create(agreement=agreement, organisation=org)
    sync_partnership_grants(partnership)
    return agreement


def two_partnerships(users) -> SimpleNamespace:
    """P1 holds the partner user's organisation; P2 does not. Each has a published and a draft version of its
    terms and an agreement, with titles unique enough to search response bytes for."""
    coordinator = users["coordinator"]
    partner_org = PartnerOrganisation.objects.get(name="Safe Harbour Refuge")
    council = PartnerOrganisationFactory(name="Test City Council")
    other = PartnerOrganisationFactory(name="Elsewhere Trust")
    p1 = make_partnership("Alpha Forum P1", by=coordinator, members=[partner_org, council])
    p2 = make_partnership("Bravo Hub P2SECRET", by=coordinator, members=[other, council], kind=PartnershipKind.MASH)
    p1_terms = approved_terms(p1, by=coordinator, purpose="P1 purpose text")
    p2_terms_old = approved_terms(p2, by=coordinator, purpose="P2 old purpose P2SECRET")
    p2_terms = approved_terms(p2, by=coordinator, purpose="P2 purpose P2SECRET")
    p1_draft = terms_start_version(partnership=p1, by=coordinator)
    p2_draft = terms_start_version(partnership=p2, by=coordinator)
    p1_agreement = make_agreement(p1, by=coordinator, title="Alpha sharing ISA", parties=[partner_org, council])
    p1_not_party = make_agreement(p1, by=coordinator, title="Alpha council-only ISA", parties=[council])
    p2_agreement = make_agreement(p2, by=coordinator, title="Bravo P2SECRET ISA", parties=[other, council])
    membership_p1 = p1.memberships.get(organisation=council)
    membership_p2 = p2.memberships.get(organisation=other)
    return SimpleNamespace(
        p1=p1,
        p2=p2,
        partner_org=partner_org,
        council=council,
        other=other,
        p1_terms=p1_terms,
        p1_draft=p1_draft,
        p2_terms=p2_terms,
        p2_terms_old=p2_terms_old,
        p2_draft=p2_draft,
        p1_agreement=p1_agreement,
        p1_not_party=p1_not_party,
        p2_agreement=p2_agreement,
        membership_p1=membership_p1,
        membership_p2=membership_p2,
    )


def make_registers(users):
    today = timezone.localdate()
    notification = SafeguardingNotification.objects.create(
        incident_reference="MSHT-2026-0001",
        incident_recorded_on=today - timedelta(days=10),
        body=NotifiedBody.MASH,
        notified_on=today - timedelta(days=9),
        notified_by=users["coordinator"],
    )
    support = SupportService.objects.create(
        name="Harbour house",
        stage=SupportStage.BEFORE_NRM,
        commissioned_by=Commissioner.PCC,
        funded_by=Commissioner.PCC,
        capacity=6,
        start_date=date(2025, 1, 1),
    )
    ictg = ICTGReferral.objects.create(
        child_reference="CH-2026-0001",
        referred_on=today - timedelta(days=60),
        ictg_service="ICTG (Northmoor)",
        status=ICTGStatus.ACTIVE,
        last_review_on=today - timedelta(days=50),
        next_review_on=today - timedelta(days=8),
    )
    return SimpleNamespace(notification=notification, support=support, ictg=ictg)
