"""Demo partner organisations. The partner demo user works for one of them."""

from partnerships.models import PartnerKind, PartnerOrganisation, PartnerProfile

ORGANISATIONS = [
    ("Northmoor City Council", PartnerKind.LOCAL_AUTHORITY, "United Kingdom"),
    ("Northmoor Integrated Care Board", PartnerKind.HEALTH, "United Kingdom"),
    ("Crown Prosecution Service (North)", PartnerKind.CPS, "United Kingdom"),
    ("National Crime Agency", PartnerKind.NCA, "United Kingdom"),
    ("Immigration Enforcement (North)", PartnerKind.IMMIGRATION_ENFORCEMENT, "United Kingdom"),
    ("Gangmasters and Labour Abuse Authority", PartnerKind.GLAA, "United Kingdom"),
    ("Safe Harbour Refuge", PartnerKind.CHARITY, "United Kingdom"),
    ("Freedom Path NGO", PartnerKind.NGO, "United Kingdom"),
    ("Western Vale Police", PartnerKind.POLICE_FORCE, "United Kingdom"),
    ("Tirana Liaison Office", PartnerKind.INTERNATIONAL, "Albania"),
]


def seed(ctx):
    orgs = {}
    for name, kind, country in ORGANISATIONS:
        org, _ = PartnerOrganisation.objects.get_or_create(name=name, defaults={"kind": kind, "country": country})
        orgs[name] = org
    ctx.shared["organisations"] = orgs
    partner = ctx.users["partner"]
    if not PartnerProfile.objects.filter(user=partner).exists():
        PartnerProfile.objects.create(user=partner, organisation=orgs["Safe Harbour Refuge"])
