"""Demo threats, each assessed every quarter for three years."""

from dateutil.relativedelta import relativedelta
from simple_history.utils import bulk_create_with_history

from mshtgov.marking import Marking
from mshtgov.summaries import bump
from mshtgov.tracking import save_tracked
from strategy.models import Threat, ThreatAssessment, ThreatCategory, ThreatLevel

# title, category, level, description, (harm, likelihood, confidence, capacity, capability) at the start
BASE_THREATS = [
    (
        "Labour exploitation in hand car washes",
        ThreatCategory.MSHT,
        ThreatLevel.STRATEGIC,
        "Forced labour and debt bondage at hand car washes across the force area.",
        (4, 4, 2, 3, 3),
    ),
    (
        "Sexual exploitation through pop-up brothels",
        ThreatCategory.MSHT,
        ThreatLevel.TACTICAL,
        "Short-let premises used for sexual exploitation, advertised online.",
        (5, 4, 2, 2, 3),
    ),
    (
        "Criminal exploitation of children in county lines",
        ThreatCategory.COUNTY_LINES,
        ThreatLevel.REGIONAL,
        "Lines from the metropolitan area running into the market towns.",
        (5, 5, 3, 3, 2),
    ),
    (
        "Child sexual exploitation linked to missing episodes",
        ThreatCategory.CSAE,
        ThreatLevel.STRATEGIC,
        "Children repeatedly missing from care placements and exploited.",
        (5, 3, 2, 2, 2),
    ),
    (
        "Adults missing from supported housing",
        ThreatCategory.MISSING,
        ThreatLevel.TACTICAL,
        "Vulnerable adults recruited from supported housing into forced labour.",
        (3, 3, 1, 2, 3),
    ),
    (
        "Foreign national suspects controlling nail bars",
        ThreatCategory.FOREIGN_NATIONALS,
        ThreatLevel.REGIONAL,
        "Organised groups controlling workers in nail bars.",
        (3, 4, 2, 3, 3),
    ),
    (
        "Small boat arrivals moved on to exploitation",
        ThreatCategory.OIC,
        ThreatLevel.REGIONAL,
        "People smuggled into the UK then exploited to pay debts.",
        (4, 3, 1, 3, 4),
    ),
    (
        "Domestic servitude in private households",
        ThreatCategory.MSHT,
        ThreatLevel.STRATEGIC,
        "Hidden domestic workers, often on overseas domestic worker visas.",
        (4, 2, 1, 3, 3),
    ),
    (
        "Agricultural gangmaster labour abuse",
        ThreatCategory.MSHT,
        ThreatLevel.TACTICAL,
        "Seasonal workers housed and paid by unlicensed gangmasters.",
        (3, 3, 2, 2, 2),
    ),
    (
        "Cannabis farms staffed by trafficked people",
        ThreatCategory.OTHER,
        ThreatLevel.TACTICAL,
        "Trafficked young men confined to cannabis grows.",
        (4, 3, 2, 2, 3),
    ),
]

_AREAS = ("North", "South", "East", "West", "City", "Coast", "Valley", "Moor")
_KINDS = (
    (ThreatCategory.COUNTY_LINES, "County line network"),
    (ThreatCategory.MSHT, "Labour exploitation network"),
    (ThreatCategory.CSAE, "Online grooming network"),
    (ThreatCategory.MSHT, "Sexual exploitation network"),
    (ThreatCategory.OIC, "Facilitation route"),
)
QUARTERS = 12


def _clamp(value, low, high):
    return max(low, min(high, value))


def seed_threats(ctx) -> list[Threat]:
    specs = list(BASE_THREATS)
    for n in range(max(0, (ctx.scale - 1) * 10)):
        category, kind = _KINDS[n % len(_KINDS)]
        area = _AREAS[n % len(_AREAS)]
        level = (ThreatLevel.TACTICAL, ThreatLevel.REGIONAL, ThreatLevel.STRATEGIC)[n % 3]
        start = (1 + n % 5, 1 + (n * 3) % 5, 1 + n % 3, 1 + n % 4, 1 + (n * 7) % 4)
        specs.append(
            (
                f"{kind} {area} {n + 1:03d}",
                category,
                level,
                f"Demo threat in the {area.lower()} of the force area.",
                start,
            )
        )

    existing = {t.title: t for t in Threat.objects.filter(title__in=[s[0] for s in specs])}
    owners = [ctx.users["leader"], ctx.users["analyst"]]
    threats = []
    for index, (title, category, level, description, _start) in enumerate(specs):
        threat = existing.get(title)
        if threat is None:
            threat = Threat(
                title=title,
                category=category,
                level=level,
                description=description,
                owner=owners[index % 2],
                review_date=ctx.today + relativedelta(months=1 + index % 6),
                marking=Marking.OFFICIAL_SENSITIVE if index % 7 == 1 else Marking.OFFICIAL,
            )
            save_tracked(threat, by=ctx.users["analyst"], reason="Demo data", clean=False)
        threats.append(threat)

    assessed = set(ThreatAssessment.objects.filter(threat__in=threats).values_list("threat_id", flat=True).distinct())
    rng = ctx.rng
    new = []
    first_quarter = ctx.today - relativedelta(months=3 * (QUARTERS - 1))
    for threat, spec in zip(threats, specs, strict=True):
        if threat.pk in assessed:
            continue
        harm, likelihood, confidence, capacity, capability = spec[4]
        for quarter in range(QUARTERS):
            on = first_quarter + relativedelta(months=3 * quarter)
            assessment = ThreatAssessment(
                threat=threat,
                assessed_on=on,
                harm=harm,
                likelihood=likelihood,
                confidence=confidence,
                capacity=capacity,
                capability=capability,
                assessed_by=ctx.users["analyst"],
                rationale="Quarterly review at the tactical tasking and co-ordinating group.",
                marking=threat.marking,
            )
            assessment.compute_priority()
            new.append(assessment)
            likelihood = _clamp(likelihood + rng.choice((-1, 0, 0, 1)), 1, 5)
            confidence = _clamp(confidence + rng.choice((0, 0, 1)), 1, 3)
            # The force's position mostly improves as the strategy takes hold, and sometimes slips back.
            capacity = _clamp(capacity + rng.choice((-1, 0, 0, 0, 0, 0, 1)), 1, 4)
            capability = _clamp(capability + rng.choice((-1, 0, 0, 0, 0, 0, 1)), 1, 4)
    if new:
        bulk_create_with_history(
            new, ThreatAssessment, batch_size=500, default_user=ctx.users["analyst"], default_change_reason="Demo data"
        )
        bump(ThreatAssessment)
    ctx.log(f"  threats: {len(threats)}, new assessments: {len(new)}")
    return threats
