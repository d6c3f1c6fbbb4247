"""The partnerships seeder (order 40): partnerships, members, terms of reference, agreements and registers."""

from datetime import timedelta

from simple_history.utils import bulk_create_with_history

from governance.models import Cadence
from mshtgov.summaries import bump
from mshtgov.tracking import save_tracked
from partnerships.grants import sync_partnership_grants
from partnerships.models import (
    AgreementParty,
    AgreementStatus,
    Commissioner,
    ICTGReferral,
    ICTGStatus,
    InformationSharingAgreement,
    LawfulBasis,
    Membership,
    NotifiedBody,
    Partnership,
    PartnershipKind,
    SafeguardingNotification,
    SharingMechanism,
    SupportKind,
    SupportService,
    SupportStage,
    TermsMemberRow,
    TermsOfReference,
    TermsStatus,
)

FORUM = "Northmoor Modern Slavery Partnership Forum"
# name, kind, members (the forum is the only one with Safe Harbour Refuge)
CORE = [
    (
        FORUM,
        PartnershipKind.STRATEGIC_FORUM,
        [
            "Northmoor City Council",
            "Northmoor Integrated Care Board",
            "Safe Harbour Refuge",
            "Gangmasters and Labour Abuse Authority",
            "Crown Prosecution Service (North)",
        ],
    ),
    (
        "Northmoor Multi-Agency Safeguarding Hub",
        PartnershipKind.MASH,
        ["Northmoor City Council", "Northmoor Integrated Care Board"],
    ),
    (
        "Northmoor Safeguarding Adults Partnership",
        PartnershipKind.SAFEGUARDING_PARTNERSHIP,
        ["Northmoor City Council", "Freedom Path NGO"],
    ),
    (
        "North Region Anti-Slavery Network",
        PartnershipKind.REGIONAL_NETWORK,
        ["Western Vale Police", "National Crime Agency", "Immigration Enforcement (North)"],
    ),
    ("Albania–UK Liaison Link", PartnershipKind.INTERNATIONAL_LINK, ["Tirana Liaison Office", "National Crime Agency"]),
]

TEXTS = {
    "purpose": "Bring partners together to prevent modern slavery, protect victims and pursue offenders.",
    "scope": "Adult and child victims of all forms of exploitation within the force area and those moved through it.",
    "membership": "One senior representative of each member organisation; the force's MSHT lead chairs.",
    "decision_making": "Quorate with half the members present, including the chair. Decisions by consensus.",
    "escalation": "Unresolved matters go to the Force MSHT Strategic Board through the chair.",
    "intelligence_sharing": "GAIN referrals; MASH case system for safeguarding; secure email under the ISA.",
}


def _terms(partnership, members, coordinator, today, versions):
    """Versions 1..n: all but the last superseded, the last approved (plus a draft on the forum)."""
    existing = TermsOfReference.objects.filter(partnership=partnership).count()
    if existing:
        return
    for v in range(1, versions + 1):
        approved_on = today - timedelta(days=365 * (versions - v) + 30)
        status = TermsStatus.APPROVED if v == versions else TermsStatus.SUPERSEDED
        texts = {k: (f"{t} (version {v})" if k == "purpose" else t) for k, t in TEXTS.items()}
        # The last version's review falls due soon for some partnerships, so reviews due has content.
        review = approved_on + timedelta(days=365 if v < versions else (40 if partnership.pk % 2 else 400))
        terms = TermsOfReference(
            partnership=partnership,
            version=v,
            status=status,
            approved_on=approved_on,
            approved_by=coordinator,
            review_date=review,
            **texts,
        )
        save_tracked(terms, by=coordinator, reason="Demo data", clean=False)
        for org in members[: 2 + v]:
            row = TermsMemberRow(
                terms=terms, organisation=org, responsibilities=org.responsibilities, powers=org.statutory_powers
            )
            save_tracked(row, by=coordinator, reason="Demo data", clean=False)


def _agreements(partnership, members, coordinator, today, count):
    for n in range(1, count + 1):
        reference = f"ISA-{partnership.pk:03d}-{n:02d}"
        if InformationSharingAgreement.objects.filter(reference=reference).exists():
            continue
        start = today - timedelta(days=300 * n)
        end = start + timedelta(days=365 * 2 if n == 1 else 330)
        agreement = InformationSharingAgreement(
            partnership=partnership,
            reference=reference,
            title=f"{partnership.name}: information sharing {n}",
            purpose="Share information on potential victims and suspects to safeguard and investigate.",
            lawful_basis=LawfulBasis.LAW_ENFORCEMENT if n % 2 else LawfulBasis.PUBLIC_TASK,
            data_shared="Pseudonymous case references, locations of concern, referral outcomes.",
            mechanism=SharingMechanism.GAIN if n % 2 else SharingMechanism.SECURE_EMAIL,
            start_date=start,
            end_date=end,
            review_date=start + timedelta(days=365),
            signatories="Signed for each party by its data protection officer.",
            # An agreement past its end date has expired: the demo never shows an "Active" one (issue 10).
            status=AgreementStatus.ACTIVE if end >= today else AgreementStatus.EXPIRED,
            owner=coordinator,
        )
        save_tracked(agreement, by=coordinator, reason="Demo data", clean=False)
        for org in members[:2] if n > 1 else members:
            link = AgreementParty(agreement=agreement, organisation=org)
            save_tracked(link, by=coordinator, reason="Demo data", clean=False)


def seed_all(ctx):
    orgs = ctx.shared["organisations"]
    coordinator = ctx.users["coordinator"]
    boards = ctx.shared.get("boards") or {}
    today = ctx.today
    plan = list(CORE)
    extra_orgs = [o for name, o in orgs.items() if name.startswith("Community support network")]
    for n in range(1, 3 * ctx.scale + 1):
        picks = [extra_orgs[(n + k) % len(extra_orgs)].name for k in range(3)] + ["Northmoor City Council"]
        plan.append(
            (
                f"Area partnership {n:03d}",
                PartnershipKind.REGIONAL_NETWORK if n % 2 else PartnershipKind.SAFEGUARDING_PARTNERSHIP,
                picks,
            )
        )
    partnerships = {}
    for index, (name, kind, member_names) in enumerate(plan):
        partnership, created = Partnership.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "coordinator": coordinator,
                "purpose": TEXTS["purpose"],
                "cadence": Cadence.QUARTERLY if index % 2 else Cadence.SIX_WEEKLY,
            },
        )
        if name == FORUM and boards.get("forum") is not None and partnership.board_id is None:
            partnership.board = boards["forum"]
            save_tracked(partnership, by=coordinator, reason="Linked to its governance board", clean=False)
        if boards.get("strategic") is not None and partnership.reports_to_id is None:
            partnership.reports_to = boards["strategic"]
            save_tracked(partnership, by=coordinator, reason="Demo data", clean=False)
        members = [orgs[m] for m in member_names]
        for org in members:
            if not Membership.objects.filter(partnership=partnership, organisation=org).exists():
                m = Membership(partnership=partnership, organisation=org, joined_on=today - timedelta(days=400))
                save_tracked(m, by=coordinator, reason="Demo data", clean=False)
        _terms(partnership, members, coordinator, today, versions=2 if index % 3 else 3)
        _agreements(partnership, members, coordinator, today, count=2)
        sync_partnership_grants(partnership)
        partnerships[name] = partnership
    forum = partnerships[FORUM]
    if not TermsOfReference.objects.filter(partnership=forum, status=TermsStatus.DRAFT).exists():
        from partnerships.services.terms import terms_start_version

        draft = terms_start_version(partnership=forum, by=coordinator)
        draft.escalation = TEXTS["escalation"] + " Urgent safeguarding concerns go straight to the MASH."
        save_tracked(draft, by=coordinator, reason="Demo data", clean=False)
    ctx.shared["partnerships"] = partnerships
    _registers(ctx, partnerships)
    ctx.log(f"  {len(partnerships)} partnerships")


def _registers(ctx, partnerships):
    today = ctx.today
    rng = ctx.rng
    coordinator = ctx.users["coordinator"]
    mash = partnerships["Northmoor Multi-Agency Safeguarding Hub"]
    wanted = 24 * ctx.scale
    have = set(SafeguardingNotification.objects.values_list("incident_reference", flat=True))
    notes = []
    for n in range(1, wanted + 1):
        ref = f"MSHT-{today.year}-{n:04d}"
        if ref in have:
            continue
        recorded = today - timedelta(days=(n * 7) % 330 + 1)
        delay = rng.choice([0, 1, 1, 2, 3, 4, 6, 9, None])
        notified = None if delay is None else min(recorded + timedelta(days=delay), today)
        notes.append(
            SafeguardingNotification(
                incident_reference=ref,
                incident_recorded_on=recorded,
                body=rng.choice(list(NotifiedBody)),
                partnership=mash if n % 2 else None,
                notified_on=notified,
                notified_by=coordinator if notified else None,
            )
        )
    if notes:
        bulk_create_with_history(
            notes, SafeguardingNotification, default_user=coordinator, default_change_reason="Demo data"
        )
    services = []
    names = set(SupportService.objects.values_list("name", flat=True))
    stages = [
        SupportStage.BEFORE_NRM,
        SupportStage.AFTER_NRM,
        SupportStage.CHILDREN,
    ]  # none for those declining NRM: a gap
    providers = [
        ctx.shared["organisations"][n] for n in ("Safe Harbour Refuge", "Freedom Path NGO", "Northmoor City Council")
    ]
    for n in range(1, 4 * ctx.scale + 3):
        name = f"Victim support service {n:03d}"
        if name in names:
            continue
        services.append(
            SupportService(
                name=name,
                kind=SupportKind.RECEPTION_CENTRE if n % 5 == 0 else SupportKind.SUPPORT_SERVICE,
                stage=stages[n % len(stages)],
                provider=providers[n % len(providers)],
                commissioned_by=list(Commissioner)[n % 3],
                funded_by=list(Commissioner)[(n + 1) % 3],
                capacity=5 + (n * 3) % 20,
                start_date=today - timedelta(days=200),
                end_date=today + timedelta(days=60 if n % 4 == 0 else 500),
            )
        )
    if services:
        bulk_create_with_history(services, SupportService, default_user=coordinator, default_change_reason="Demo data")
    referrals = []
    refs = set(ICTGReferral.objects.values_list("child_reference", flat=True))
    leader = ctx.users["leader"]
    for n in range(1, 10 * ctx.scale + 1):
        ref = f"CH-{today.year}-{n:04d}"
        if ref in refs:
            continue
        referred = today - timedelta(days=30 + n * 5)
        last = referred + timedelta(days=14)
        referrals.append(
            ICTGReferral(
                child_reference=ref,
                referred_on=referred,
                ictg_service="ICTG service (Northmoor)" if n % 2 else "ICTG service (regional)",
                status=ICTGStatus.ACTIVE if n % 4 else ICTGStatus.CLOSED,
                last_review_on=last,
                next_review_on=last + timedelta(days=42),
            )
        )
    if referrals:
        bulk_create_with_history(referrals, ICTGReferral, default_user=leader, default_change_reason="Demo data")
    bump(SafeguardingNotification, SupportService, ICTGReferral)
