"""Demo force strategies: one approved version a year for three years (the older two superseded), and
next year's draft waiting for a senior leader's approval."""

from dateutil.relativedelta import relativedelta

from mshtgov.periods import financial_year_start
from mshtgov.tracking import save_tracked
from strategy.models import ForceStrategy, NationalStrategy, Objective, PccSupport, Rag, StrategyStatus

# pillar, title, national strategy short names, measure codes, threat title fragments
BASE_OBJECTIVES = [
    (
        "pursue",
        "Increase charges for modern slavery offences",
        ["SPR", "SOC", "NPS"],
        ["suspects-charged", "cps-charging"],
        ["car washes", "brothels"],
    ),
    ("pursue", "Every MSHT investigation led by a PIP2 investigator", ["NPS"], ["pip2-led"], []),
    (
        "pursue",
        "Record every disruption on the national scale",
        ["SOC", "SPR"],
        ["nca-disruptions-major", "nca-disruptions-moderate", "nca-disruptions-minor"],
        ["county lines"],
    ),
    ("prevent", "Train frontline officers to spot the signs", ["NPS", "VAWG"], ["training-coverage"], []),
    ("prevent", "Disrupt recruitment from supported housing", ["SOC"], [], ["supported housing"]),
    (
        "protect",
        "Submit every victim, suspect and operation to PND",
        ["SPR", "NPS"],
        ["pnd-victims", "pnd-suspects", "pnd-operations"],
        [],
    ),
    ("protect", "Refer every trafficked child to an ICTG", ["NPS", "VAWG"], ["ictg-referrals"], ["missing episodes"]),
    ("protect", "Inform the MASH of every MSHT incident involving a child", ["NPS"], [], ["county lines"]),
    (
        "prepare",
        "Support victims before and after NRM referral",
        ["NPS", "PRAP"],
        ["victims-supported-pre-nrm", "victims-supported-post-nrm", "nrm-referrals"],
        [],
    ),
    ("prepare", "Commission support for adults who decline NRM referral", ["NPS"], [], ["domestic servitude"]),
]
_RAGS = (Rag.GREEN, Rag.AMBER, Rag.RED, Rag.GREEN, Rag.AMBER)


def _objectives(ctx, strategy, *, threats, measures, year_index):
    existing = set(strategy.objectives.values_list("title", flat=True))
    nationals = {n.short_name: n for n in NationalStrategy.objects.all()}
    by_code = {m.code: m for m in measures}
    specs = list(BASE_OBJECTIVES)
    for n in range(max(0, (ctx.scale - 1) * 2)):
        pillar = ("pursue", "prevent", "protect", "prepare")[n % 4]
        specs.append((pillar, f"Local delivery objective {n + 1:03d}", ["SOC"], [f"local-{n + 1:03d}"], []))
    owners = [ctx.users["leader"], ctx.users["analyst"], ctx.users["coordinator"]]
    for index, (pillar, title, national_codes, measure_codes, threat_words) in enumerate(specs):
        if title in existing:
            continue
        objective = Objective(
            strategy=strategy,
            pillar=pillar,
            title=title,
            description=f"{title}, as the {strategy.period_start.year} strategy sets out.",
            owner=None if index == 4 else owners[index % len(owners)],
            rag=_RAGS[(index + year_index) % len(_RAGS)],
            status_note="Reviewed at the strategic board.",
            status_date=strategy.period_start + relativedelta(months=9),
            due_date=strategy.period_end,
        )
        save_tracked(objective, by=ctx.users["leader"], reason="Demo data", clean=False)
        objective.national_strategies.set([nationals[c] for c in national_codes if c in nationals])
        objective.measures.set([by_code[c] for c in measure_codes if c in by_code])
        objective.threats.set([t for t in threats if any(w in t.title.lower() for w in threat_words)])


def seed_strategies(ctx, *, threats, measures) -> list[ForceStrategy]:
    leader = ctx.users["leader"]
    this_year = financial_year_start(ctx.today)
    strategies = []
    for year_index, back in enumerate((2, 1, 0, -1)):
        start = this_year - relativedelta(years=back)
        version = year_index + 1
        strategy = ForceStrategy.objects.filter(version=version).first()
        if strategy is None:
            draft = back < 0
            strategy = ForceStrategy(
                title="Northmoor Police modern slavery and human trafficking strategy",
                version=version,
                period_start=start,
                period_end=start + relativedelta(years=1, days=-1),
                summary="Our 4P plan to find, free and support victims and to pursue those who exploit them.",
                status=StrategyStatus.DRAFT if draft else StrategyStatus.SUPERSEDED,
                approved_by=None if draft else leader,
                approved_on=None if draft else start - relativedelta(days=14),
                pcc_briefed_on=None if draft or version == 1 else start + relativedelta(days=20),
                pcc_support=PccSupport.SOUGHT
                if draft
                else (PccSupport.NOT_SOUGHT if version == 1 else PccSupport.GIVEN),
                msht_in_control_strategy=version > 1,
                control_strategy_rank=None if version == 1 else max(1, 6 - version),
            )
            save_tracked(strategy, by=leader, reason="Demo data", clean=False)
        _objectives(ctx, strategy, threats=threats, measures=measures, year_index=year_index)
        strategies.append(strategy)
    # The current year's version is the approved one (the unique constraint allows one).
    current = strategies[2]
    if not ForceStrategy.objects.filter(status=StrategyStatus.APPROVED).exists():
        current.status = StrategyStatus.APPROVED
        save_tracked(current, by=leader, reason="Demo data", clean=False)
    ctx.log(f"  strategies: {len(strategies)} versions, {Objective.objects.count()} objectives")
    return strategies
