"""Demo partner organisations (order 10) and partnerships with everything they hold (order 40).

Idempotent: records are found by their natural keys before anything is created. Volumes grow with
`ctx.scale`. The demo `partner` user works for Safe Harbour Refuge, a member of exactly one partnership
(the strategic forum), so signing in as them shows that forum and nothing of the others.
"""

from partnerships.grants import sync_profile_group
from partnerships.models import PartnerKind, PartnerOrganisation, PartnerProfile

# name, kind, country, responsibilities, statutory powers
ORGANISATIONS = [
    (
        "Northmoor City Council",
        PartnerKind.LOCAL_AUTHORITY,
        "United Kingdom",
        "Adult and children's social care; first responder for NRM referrals; housing.",
        "Care Act 2014 s.42 enquiries; Children Act 1989 s.47; Modern Slavery Act 2015 s.52 duty to notify.",
    ),
    (
        "Northmoor Integrated Care Board",
        PartnerKind.HEALTH,
        "United Kingdom",
        "Health assessments and treatment for victims; safeguarding in health settings.",
        "Health and Care Act 2022.",
    ),
    (
        "Crown Prosecution Service (North)",
        PartnerKind.CPS,
        "United Kingdom",
        "Charging decisions and prosecutions; s.45 defence reviews.",
        "Prosecution of Offences Act 1985.",
    ),
    (
        "National Crime Agency",
        PartnerKind.NCA,
        "United Kingdom",
        "National and international serious organised crime; Modern Slavery and Human Trafficking Unit.",
        "Crime and Courts Act 2013.",
    ),
    (
        "Immigration Enforcement (North)",
        PartnerKind.IMMIGRATION_ENFORCEMENT,
        "United Kingdom",
        "Immigration offences linked to trafficking; first responder.",
        "Immigration Act 1971.",
    ),
    (
        "Gangmasters and Labour Abuse Authority",
        PartnerKind.GLAA,
        "United Kingdom",
        "Labour exploitation; licensing of labour providers.",
        "PACE powers for labour market offences (Immigration Act 2016).",
    ),
    (
        "Safe Harbour Refuge",
        PartnerKind.CHARITY,
        "United Kingdom",
        "Safe accommodation and support for adult victims before and after NRM referral.",
        "",
    ),
    ("Freedom Path NGO", PartnerKind.NGO, "United Kingdom", "Outreach, advocacy and reception support.", ""),
    (
        "Western Vale Police",
        PartnerKind.POLICE_FORCE,
        "United Kingdom",
        "Neighbouring force: joint operations and intelligence sharing.",
        "Police powers (PACE 1984).",
    ),
    (
        "Tirana Liaison Office",
        PartnerKind.INTERNATIONAL,
        "Albania",
        "Liaison on Albanian nationals; return and reintegration support.",
        "",
    ),
]


def seed(ctx):
    orgs = {}
    for name, kind, country, responsibilities, powers in ORGANISATIONS:
        org, _ = PartnerOrganisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "country": country,
                "responsibilities": responsibilities,
                "statutory_powers": powers,
            },
        )
        orgs[name] = org
    # More organisations at larger scales, so partnerships can have different members.
    for n in range(1, 3 * ctx.scale + 1):
        org, _ = PartnerOrganisation.objects.get_or_create(
            name=f"Community support network {n}",
            defaults={
                "kind": PartnerKind.NGO if n % 2 else PartnerKind.BUSINESS,
                "country": "United Kingdom",
                "responsibilities": "Local outreach and referral of potential victims.",
            },
        )
        orgs[org.name] = org
    ctx.shared["organisations"] = orgs
    partner = ctx.users["partner"]
    profile = PartnerProfile.objects.filter(user=partner).first()
    if profile is None:
        profile = PartnerProfile.objects.create(user=partner, organisation=orgs["Safe Harbour Refuge"])
    # seed_demo resets each demo user's groups to their role's on every run: put the partner back in
    # their organisation's group, or their grants would reach nobody.
    sync_profile_group(profile)


def seed_partnerships(ctx):
    from partnerships.demo_partnerships import seed_all

    seed_all(ctx)
