"""Demo operations: about 40 x scale over three years, with outcomes, disruptions (some challenged, some
regraded, some awaiting review), debriefs (some overdue, raising actions), consistent with the derived
measures because the measures are computed from exactly these rows. Idempotent: operations are keyed by
reference, and only missing ones are added."""

import random
from datetime import timedelta

from simple_history.utils import bulk_create_with_history

from mshtgov import records, scoring
from mshtgov.reference import Pillar
from mshtgov.summaries import bump
from operations.models import (
    CpsOutcome,
    Debrief,
    Disruption,
    DisruptionLevel,
    Exploitation,
    Geography,
    Operation,
    OperationStatus,
    Outcome,
    ReviewStatus,
    TacticGroup,
)
from operations.selectors import lessons_for

PER_SCALE = 40
UNITS = ("Major Crime", "Modern Slavery Unit", "Serious Organised Crime", "Public Protection", "Neighbourhoods")
TITLES = {
    "labour": ("Car wash labour exploitation", "Agricultural gangmaster network", "Nail bar forced labour"),
    "sexual": ("Pop-up brothel network", "Online advertising of sexual services", "Hotel-based exploitation"),
    "criminal": ("County line from the city", "Cannabis cultivation with trafficked workers", "Shoplifting gang"),
    "domestic_servitude": ("Domestic servitude in a private household", "Overseas domestic worker held"),
    "organ_harvesting": ("Suspected organ trafficking route",),
    "other": ("Forced marriage with exploitation", "Benefit fraud through controlled accounts"),
}
AGENCIES = ("GLAA", "Immigration Enforcement", "HMRC", "Local authority", "NCA", "Border Force")
JUSTIFICATIONS = (
    "Premises closed and controllers arrested; workers safeguarded.",
    "Vehicles seized and the route's phone line taken out of use.",
    "Bank accounts frozen, restricting the group's ability to pay workers' debts.",
    "Warrant executed; the group relocated, activity reduced for some weeks.",
    "Partner licence revoked for the labour provider.",
)


def _dates(ctx, rng):
    opened = ctx.today - timedelta(days=rng.randint(20, 3 * 365 - 1))
    age = (ctx.today - opened).days
    length = rng.randint(45, 540)
    if opened + timedelta(days=length) < ctx.today - timedelta(days=1) and age > 60:
        closed = opened + timedelta(days=length)
        status = OperationStatus.CONCLUDED if rng.random() < 0.7 else OperationStatus.CLOSED_NFA
    else:
        closed = None
        status = rng.choice(
            [OperationStatus.INTELLIGENCE, OperationStatus.LIVE, OperationStatus.LIVE, OperationStatus.CHARGED]
        )
    return opened, closed, status


def _operation(ctx, rng, reference, opened, closed, status, staff) -> Operation:
    types = [rng.choices(Exploitation.values, weights=(30, 25, 30, 8, 1, 6))[0]]
    if rng.random() < 0.2:
        types.append(rng.choice([t for t in Exploitation.values if t not in types]))
    types = [t for t in Exploitation.values if t in types]
    geography = rng.choices(Geography.values, weights=(35, 25, 20, 12, 8))[0]
    operation = Operation(
        reference=reference,
        title=rng.choice(TITLES[types[0]]),
        opened_on=opened,
        closed_on=closed,
        status=status,
        lead_unit=rng.choice(UNITS),
        officer_in_charge=rng.choice(staff),
        oic_pip_level=rng.choices((1, 2, 3, 4), weights=(15, 60, 20, 5))[0],
        exploitation_types=",".join(types),
        county_lines="criminal" in types and rng.random() < 0.5,
        adult_victims=rng.random() < 0.8,
        child_victims=rng.random() < 0.3,
        geography=geography,
        countries="Romania, Albania" if geography == Geography.INTERNATIONAL else "",
        agencies=", ".join(rng.sample(AGENCIES, rng.randint(0, 3))),
    )
    if rng.random() < 0.5:
        operation.harm, operation.likelihood = rng.randint(2, 5), rng.randint(2, 5)
        operation.confidence, operation.capacity, operation.capability = (
            rng.randint(1, 3),
            rng.randint(1, 4),
            rng.randint(1, 4),
        )
    return operation


def _outcome(rng, operation) -> Outcome:
    outcome = Outcome(operation=operation)
    adults = rng.randint(0, 6) if operation.adult_victims else 0
    children = rng.randint(0, 3) if operation.child_victims else 0
    outcome.victims_adults, outcome.victims_children = adults, children
    consenting = rng.randint(0, adults)
    outcome.nrm_referrals = consenting + children
    outcome.dtn_submissions = rng.randint(0, adults - consenting)
    outcome.victims_supported = rng.randint(0, adults + children)
    outcome.victims_withdrew = rng.randint(0, max(0, (adults + children) // 3))
    advanced = operation.status in (OperationStatus.CHARGED, OperationStatus.CONCLUDED)
    outcome.suspects_arrested = rng.randint(0, 5) if operation.status != OperationStatus.INTELLIGENCE else 0
    if advanced and outcome.suspects_arrested:
        outcome.suspects_charged = rng.randint(1, outcome.suspects_arrested)
        charges = outcome.suspects_charged + rng.randint(0, 3)
        for _ in range(charges):
            name = rng.choices(("charged_s1", "charged_s2", "charged_s4", "charged_other"), weights=(30, 40, 5, 25))[0]
            setattr(outcome, name, getattr(outcome, name) + 1)
        last = operation.closed_on or operation.opened_on + timedelta(days=300)
        span = max(1, (min(last, operation.opened_on + timedelta(days=400)) - operation.opened_on).days)
        outcome.first_charged_on = operation.opened_on + timedelta(days=rng.randint(span // 3, span))
        if operation.closed_on:
            outcome.first_charged_on = min(outcome.first_charged_on, operation.closed_on)
        outcome.cps_early_advice_on = operation.opened_on + timedelta(days=rng.randint(0, span // 3))
        outcome.cps_decision_on = outcome.first_charged_on
        outcome.cps_outcome = CpsOutcome.CHARGE
        if operation.status == OperationStatus.CONCLUDED:
            outcome.suspects_convicted = rng.randint(0, outcome.suspects_charged)
            outcome.stpo_applied = rng.randint(0, outcome.suspects_convicted)
            outcome.stpo_granted = rng.randint(0, outcome.stpo_applied)
            outcome.reparation_orders = rng.randint(0, outcome.suspects_convicted)
        outcome.s45_defence_raised = rng.randint(0, 1)
    for part, chance in (("operation", 0.8), ("victims", 0.7), ("suspects", 0.6)):
        if operation.status != OperationStatus.INTELLIGENCE and rng.random() < chance:
            setattr(outcome, f"pnd_{part}", True)
            setattr(outcome, f"pnd_{part}_on", operation.opened_on + timedelta(days=rng.randint(1, 30)))
    for part in ("operation", "victims", "suspects"):
        on = getattr(outcome, f"pnd_{part}_on")
        if on and on > (operation.closed_on or on):
            setattr(outcome, f"pnd_{part}_on", operation.closed_on)
    return outcome


def _disruptions(ctx, rng, operation, analysts, reviewer) -> list[Disruption]:
    made = []
    last = min(operation.closed_on or ctx.today, ctx.today)
    span = (last - operation.opened_on).days
    if span < 7 or operation.status == OperationStatus.INTELLIGENCE:
        return made
    for _ in range(rng.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0]):
        on = operation.opened_on + timedelta(days=rng.randint(7, span))
        level = rng.choices(DisruptionLevel.values, weights=(10, 30, 45, 10, 5))[0]
        assessor = rng.choice(analysts)
        disruption = Disruption(
            operation=operation,
            disrupted_on=on,
            level=level,
            pillar=rng.choices(Pillar.values, weights=(70, 10, 15, 5))[0],
            tactic_group=rng.choice(TacticGroup.values),
            lead_agency=rng.choice(("Force", "Force", "NCA", "GLAA")),
            partner_agencies=", ".join(rng.sample(AGENCIES, rng.randint(0, 2))),
            justification=rng.choice(JUSTIFICATIONS),
            assessed_by=assessor,
        )
        recent = (ctx.today - on).days < 21
        decision = ReviewStatus.PENDING if recent else rng.choices(ReviewStatus.values, weights=(8, 72, 10, 10))[0]
        if decision != ReviewStatus.PENDING:
            disruption.review_status = decision
            disruption.reviewed_by = reviewer
            disruption.reviewed_on = min(ctx.today, on + timedelta(days=rng.randint(2, 14)))
            if decision == ReviewStatus.CHALLENGED:
                disruption.review_reason = "The justification does not show the group's capability was reduced."
            if decision == ReviewStatus.REGRADED:
                levels = [v for v in ("major", "moderate", "minor", "none") if v != level]
                disruption.regraded_level = rng.choice(levels)
                disruption.review_reason = "Regraded against the NCA scale's definitions."
            if disruption.counts and rng.random() < 0.85:
                disruption.reported_to_nca_on = disruption.reviewed_on
        disruption.full_clean(exclude=["operation"])
        made.append(disruption)
    return made


def seed(ctx) -> None:
    users = ctx.users
    leader, analyst = users["leader"], users["analyst"]
    staff = [u for u in (leader, analyst) if u is not None]
    total = PER_SCALE * ctx.scale
    if Operation.objects.count() >= total:  # a rerun (on any day) adds nothing
        ctx.log("  operations: nothing new")
        return
    plans = []
    for i in range(total):
        rng = random.Random(f"operation-{i}")  # noqa: S311 - demo data, not security
        plans.append((rng, *_dates(ctx, rng)))
    plans.sort(key=lambda p: (p[1], id(p[0])))
    per_year: dict[int, int] = {}
    existing = set(Operation.objects.values_list("reference", flat=True))
    threat_kind = records.kind_by_label("strategy.threat")
    threats = list(threat_kind.model._default_manager.filter(active=True).order_by("pk")[:20]) if threat_kind else []
    threat_priority = scoring.latest_priorities("strategy.threat", [t.pk for t in threats])
    new = []
    for rng, opened, closed, status in plans:
        per_year[opened.year] = per_year.get(opened.year, 0) + 1
        reference = f"OP-{opened.year}-{per_year[opened.year]:04d}"
        if reference in existing:
            continue
        operation = _operation(ctx, rng, reference, opened, closed, status, staff)
        linked = rng.sample(threats, min(len(threats), rng.randint(0, 2))) if threats else []
        operation.apply_priority([threat_priority[t.pk] for t in linked if t.pk in threat_priority])
        operation.threat_names = "; ".join(sorted(str(t) for t in linked))
        operation.full_clean(validate_unique=False)
        new.append((operation, rng, linked))
    if not new:
        ctx.log("  operations: nothing new")
        return
    saved = bulk_create_with_history(
        [op for op, _, _ in new], Operation, batch_size=500, default_user=analyst, default_change_reason="Demo data"
    )
    by_reference = {op.reference: op for op in Operation.objects.filter(reference__in=[op.reference for op in saved])}
    outcomes, disruptions, debriefs, through = [], [], [], []
    Through = Operation.threats.through
    for operation, rng, linked in new:
        operation = by_reference[operation.reference]
        outcome = _outcome(rng, operation)
        outcome.full_clean(exclude=["operation"])
        outcomes.append(outcome)
        for threat in linked:
            through.append(Through(operation_id=operation.pk, threat_id=threat.pk))
        disruptions.extend(_disruptions(ctx, rng, operation, [analyst], leader))
        if operation.is_ended and rng.random() < 0.85:
            held = operation.closed_on + timedelta(days=rng.randint(3, 45))
            if held <= ctx.today:
                has_lessons = lessons_for(operation.reference)
                learning = has_lessons is not None and has_lessons.exists()
                debriefs.append(
                    Debrief(
                        operation=operation,
                        held_on=held,
                        no_new_learning=not learning,
                        no_learning_reason="" if learning else "A routine operation: existing lessons covered it.",
                        summary="Debrief with the investigation team and partners.",
                        recorded_by=analyst,
                    )
                )
    for model, rows in ((Outcome, outcomes), (Disruption, disruptions), (Debrief, debriefs)):
        if rows:
            bulk_create_with_history(
                rows, model, batch_size=500, default_user=analyst, default_change_reason="Demo data"
            )
    Through.objects.bulk_create(through, ignore_conflicts=True)
    bump(Operation, Outcome, Disruption, Debrief)
    from operations.services.debriefs import debriefs_raise_overdue_actions

    raised = debriefs_raise_overdue_actions(today=ctx.today, by=leader)
    ctx.log(
        f"  operations: {len(new)}, disruptions: {len(disruptions)}, debriefs: {len(debriefs)}, "
        f"overdue-debrief actions: {len(raised)}"
    )
