"""Partnerships: who works with the force, how (terms of reference, sharing agreements) and what it shows
(safeguarding notifications, victim support, ICTG referrals)."""

from partnerships.models.agreements import (
    AgreementParty,
    AgreementStatus,
    InformationSharingAgreement,
    InformationSharingAgreementGroupObjectPermission,
    InformationSharingAgreementUserObjectPermission,
    LawfulBasis,
    SharingMechanism,
)
from partnerships.models.digest import ReviewDigestLog
from partnerships.models.organisations import PartnerKind, PartnerOrganisation, PartnerProfile, partner_group_name
from partnerships.models.partnerships import (
    Membership,
    Partnership,
    PartnershipGroupObjectPermission,
    PartnershipKind,
    PartnershipUserObjectPermission,
)
from partnerships.models.safeguarding import (
    ICTGReferral,
    ICTGStatus,
    NotifiedBody,
    SafeguardingNotification,
)
from partnerships.models.support import Commissioner, SupportKind, SupportService, SupportStage
from partnerships.models.terms import (
    TermsMemberRow,
    TermsOfReference,
    TermsOfReferenceGroupObjectPermission,
    TermsOfReferenceUserObjectPermission,
    TermsStatus,
)

__all__ = [
    "AgreementParty",
    "AgreementStatus",
    "Commissioner",
    "ICTGReferral",
    "ICTGStatus",
    "InformationSharingAgreement",
    "InformationSharingAgreementGroupObjectPermission",
    "InformationSharingAgreementUserObjectPermission",
    "LawfulBasis",
    "Membership",
    "NotifiedBody",
    "PartnerKind",
    "PartnerOrganisation",
    "PartnerProfile",
    "Partnership",
    "PartnershipGroupObjectPermission",
    "PartnershipKind",
    "PartnershipUserObjectPermission",
    "ReviewDigestLog",
    "SafeguardingNotification",
    "SharingMechanism",
    "SupportKind",
    "SupportService",
    "SupportStage",
    "TermsMemberRow",
    "TermsOfReference",
    "TermsOfReferenceGroupObjectPermission",
    "TermsOfReferenceUserObjectPermission",
    "TermsStatus",
    "partner_group_name",
]
