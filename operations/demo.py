"""Demo operations: a register of pseudonymous operations over three years with their outcomes counted,
disruptions on the NCA scale (most reviewed by a senior leader, some awaiting review) and debriefs for most
ended operations (a few overdue). References follow the learning seeder's `OP-<year>-<nnnn>`, so lessons
logged under an operation's reference show on its page through the golden thread.

Deterministic (each operation has its own seeded generator) and idempotent: a second run, or a run at a
larger scale, adds only what is missing. Volumes grow with `ctx.scale` (40 operations per unit of scale,
about three disruptions each), so the register, the disruption log and the review queue page at scale 20.
"""

import random
from datetime import timedelta

from simple_history.utils import bulk_create_with_history

from mshtgov import scoring
from mshtgov.reference import Pillar
from operations.models import Debrief, Disruption, Operation, Outcome
from operations.models.operations import SCORE_FIELDS
from operations.models.vocabulary import (
    ENDED_STATUSES,
    DisruptionLevel,
    Exploitation,
    Geography,
    OperationStatus,
    ReviewStatus,
    TacticGroup,
)

OPERATIONS_PER_SCALE = 40
REASON = "Demo data"
TITLES = (
    "Car wash labour exploitation",
    "Nail bar forced labour",
    "County line from the city centre",
    "Agricultural gangmaster network",
    "Online sexual exploitation adverts",
    "Domestic servitude in a private household",
    "Construction site debt bondage",
    "Cannabis grow with trafficked workers",
    "Hand car wash network across the region",
    "Shellfish gathering labour exploitation",
)
UNITS = (
    "Criminal investigation department",
    "Modern slavery unit",
    "North neighbourhood policing",
    "South neighbourhood policing",
    "Regional organised crime unit",
)
AGENCIES = ("Police", "GLAA", "Immigration Enforcement", "HMRC", "Local authority")
JUSTIFICATIONS = (
    "Warrant executed and the premises closed: the exploitation stopped at that site.",
    "Vehicles seized that were used to move workers between sites.",
    "Accounts frozen; the network's payments to controllers stopped.",
    "Controllers charged and remanded; workers safeguarded.",
    "Intelligence shared with a neighbouring force led to a second site being closed.",
)


def _operation(ctx, rng, number, opened, users):
    age = (ctx.today - opened).days
    if age > 400:
        status = rng.choice(ENDED_STATUSES)
    elif age > 120:
        status = rng.choice([OperationStatus.LIVE, OperationStatus.CHARGED, *ENDED_STATUSES])
    else:
        status = rng.choice([OperationStatus.INTELLIGENCE, OperationStatus.LIVE])
    closed = None
    if status in ENDED_STATUSES:
        closed = min(ctx.today, opened + timedelta(days=rng.randint(60, max(61, age))))
    kinds = sorted(rng.sample(Exploitation.values[:4], rng.randint(1, 2)), key=Exploitation.values.index)
    operation = Operation(
        reference=f"OP-{opened.year}-{number:04d}",
        title=rng.choice(TITLES),
        opened_on=opened,
        closed_on=closed,
        status=status,
        lead_unit=rng.choice(UNITS),
        officer_in_charge=rng.choice(users),
        oic_pip_level=rng.choice((2, 2, 3, 4)),
        exploitation_types=",".join(kinds),
        county_lines=Exploitation.CRIMINAL in kinds and rng.random() < 0.5,
        adult_victims=rng.random() < 0.8,
        child_victims=rng.random() < 0.3,
        geography=rng.choice([g for g in Geography.values if g != Geography.INTERNATIONAL]),
        agencies=", ".join(rng.sample(AGENCIES, 2)),
    )
    if rng.random() < 0.7:
        for name in SCORE_FIELDS:
            setattr(operation, name, rng.randint(*scoring.bounds(name)))
    operation.apply_priority()
    return operation


def _outcome(rng, operation):
    adults = rng.randint(0, 6)
    children = rng.randint(0, 2) if operation.child_victims else 0
    arrested = rng.randint(0, 5)
    charged = rng.randint(0, arrested) if operation.status != OperationStatus.INTELLIGENCE else 0
    first_charged = None
    if charged:
        first_charged = operation.opened_on + timedelta(days=rng.randint(1, 50))
    return Outcome(
        operation=operation,
        victims_adults=adults,
        victims_children=children,
        nrm_referrals=rng.randint(0, adults + children),
        victims_supported=adults + children,
        suspects_arrested=arrested,
        suspects_charged=charged,
        first_charged_on=first_charged,
        charged_s2=charged,
        suspects_convicted=rng.randint(0, charged) if operation.status in ENDED_STATUSES else 0,
    )


def _disruptions(ctx, rng, operation, analyst, leader):
    end = operation.closed_on or ctx.today
    span = max(1, (end - operation.opened_on).days)
    found = []
    for _ in range(rng.randint(1, 5)):
        on = operation.opened_on + timedelta(days=rng.randint(0, span))
        level = rng.choice(DisruptionLevel.values[:4])
        disruption = Disruption(
            operation=operation,
            disrupted_on=on,
            level=level,
            pillar=rng.choice(Pillar.values),
            tactic_group=rng.choice(TacticGroup.values),
            lead_agency=rng.choice(AGENCIES),
            justification=rng.choice(JUSTIFICATIONS),
            assessed_by=analyst,
        )
        if (ctx.today - on).days > 21 or rng.random() < 0.5:
            disruption.reviewed_by = leader
            disruption.reviewed_on = min(ctx.today, on + timedelta(days=rng.randint(1, 20)))
            if rng.random() < 0.8:
                disruption.review_status = ReviewStatus.ACCEPTED
            else:
                disruption.review_status = ReviewStatus.REGRADED
                disruption.regraded_level = DisruptionLevel.MINOR if level != "minor" else DisruptionLevel.MODERATE
                disruption.review_reason = "The evidence supports a different level."
        found.append(disruption)
    return found


def seed(ctx) -> None:
    analyst, leader = ctx.users["analyst"], ctx.users["leader"]
    existing = set(Operation.objects.values_list("reference", flat=True))
    total = OPERATIONS_PER_SCALE * max(1, ctx.scale)
    per_year: dict[int, int] = {}
    plans = []
    for i in range(total):
        rng = random.Random(f"operation-{i}")  # noqa: S311 - demo data
        opened = ctx.today - timedelta(days=rng.randint(0, 3 * 365 - 1))
        per_year[opened.year] = per_year.get(opened.year, 0) + 1
        operation = _operation(ctx, rng, per_year[opened.year], opened, [analyst, leader])
        if operation.reference not in existing:
            plans.append((operation, rng))
    if not plans:
        return
    created = bulk_create_with_history(
        [p[0] for p in plans], Operation, batch_size=500, default_user=analyst, default_change_reason=REASON
    )
    outcomes, disruptions, debriefs = [], [], []
    for operation, (_plan, rng) in zip(created, plans, strict=True):
        if operation.status != OperationStatus.INTELLIGENCE:
            outcomes.append(_outcome(rng, operation))
        disruptions += _disruptions(ctx, rng, operation, analyst, leader)
        if operation.closed_on and rng.random() < 0.85:
            held = min(ctx.today, operation.closed_on + timedelta(days=rng.randint(5, 40)))
            no_learning = rng.random() < 0.3
            debriefs.append(
                Debrief(
                    operation=operation,
                    held_on=held,
                    no_new_learning=no_learning,
                    no_learning_reason="The same tactics as an earlier operation; its lessons apply."
                    if no_learning
                    else "",
                    summary="Tactics, partner working and victim support reviewed.",
                    recorded_by=analyst,
                )
            )
    bulk_create_with_history(outcomes, Outcome, batch_size=500, default_user=analyst, default_change_reason=REASON)
    bulk_create_with_history(
        disruptions, Disruption, batch_size=1000, default_user=analyst, default_change_reason=REASON
    )
    bulk_create_with_history(debriefs, Debrief, batch_size=500, default_user=analyst, default_change_reason=REASON)
    ctx.log(f"  operations: {len(created)} operations, {len(disruptions)} disruptions, {len(debriefs)} debriefs")
