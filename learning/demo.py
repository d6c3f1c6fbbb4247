"""Demo data for the learning app: units and their establishment, training completions across units,
and several hundred lessons over three years with their lifecycle, actions and dissemination.

Deterministic (each record comes from its own seeded generator) and idempotent: a second run, or a run at
a larger scale, adds only what is missing. Volumes grow with `ctx.scale`.
"""

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from simple_history.utils import bulk_create_with_history

from governance.models import Action, ActionSource, ActionStatus
from learning.models import (
    Establishment,
    Lesson,
    LessonDissemination,
    LessonSource,
    LessonStatus,
    LessonTheme,
    LessonTransition,
    RoleGroup,
    TrainingProduct,
    TrainingRecord,
    Unit,
)
from learning.models.lessons import LIFECYCLE
from mshtgov import summaries
from mshtgov.marking import Marking
from mshtgov.reference import GuidanceTheme, Pillar
from mshtgov.tracking import save_tracked

LESSONS_PER_SCALE = 300
REASON = "Demo data"

# Unit name -> headcount per role group code at scale 1.
UNITS = {
    "North neighbourhood policing": {
        "frontline": 140,
        "investigator": 12,
        "specialist": 6,
        "staff": 20,
        "senior-leader": 2,
    },
    "South neighbourhood policing": {
        "frontline": 120,
        "investigator": 10,
        "specialist": 5,
        "staff": 18,
        "senior-leader": 2,
    },
    "City centre response": {"frontline": 160, "investigator": 8, "staff": 12, "senior-leader": 2},
    "Criminal investigation department": {
        "investigator": 60,
        "pip2-investigator": 24,
        "analyst": 6,
        "staff": 10,
        "senior-leader": 3,
    },
    "Public protection unit": {
        "investigator": 30,
        "pip2-investigator": 14,
        "specialist": 12,
        "staff": 8,
        "senior-leader": 2,
    },
    "Serious and organised crime unit": {
        "investigator": 20,
        "pip2-investigator": 16,
        "analyst": 8,
        "specialist": 6,
        "senior-leader": 2,
    },
    "Force intelligence bureau": {"analyst": 22, "specialist": 10, "staff": 14, "senior-leader": 1},
    "Force control room": {"frontline": 20, "staff": 90, "senior-leader": 1},
    "Custody and criminal justice": {"frontline": 40, "staff": 35, "specialist": 4, "senior-leader": 1},
    "Roads and armed policing": {"frontline": 70, "specialist": 20, "senior-leader": 1},
}

# How likely someone in a role group is to have taken each product at all.
UPTAKE = {"msht-general-awareness": 0.9, "msht-investigator-curriculum": 0.75, "msht-frontline-elearning": 0.85}

TITLES = {
    "Victim identification": [
        "Signs of labour exploitation missed at a first visit",
        "Victims not recognised during a car wash check",
    ],
    "Safeguarding": [
        "Delay in safe accommodation on the night of the warrant",
        "Safeguarding referral not made for a child found at the address",
    ],
    "Victim engagement and support": [
        "Victim withdrew after liaison officer changed",
        "Early navigator support kept the victim engaged",
    ],
    "NRM and duty to notify": [
        "Duty to notify form not completed for an adult who declined the NRM",
        "NRM referral delayed by unclear first responder role",
    ],
    "Section 45 defence": [
        "Section 45 defence raised late in a cannabis cultivation case",
        "Suspect's exploitation history not explored at interview",
    ],
    "Investigative strategy": [
        "No investigative strategy agreed in the first week",
        "Investigation closed before the financial lines were worked",
    ],
    "Evidence gathering": [
        "Evidence-led case succeeded without the victim's testimony",
        "Body-worn video not secured at the premises",
    ],
    "Financial investigation": [
        "Financial investigator brought in too late",
        "Money service bureau records traced the controllers",
    ],
    "Intelligence sharing": [
        "Partner intelligence not shared through GAIN",
        "Regional intelligence linked two operations",
    ],
    "Partnership working": [
        "Local authority joint visit identified more victims",
        "Labour inspectorate not told about the operation",
    ],
    "Interpreters and language": [
        "Interpreter known to the suspects used at first account",
        "Victim statements delayed for lack of a Vietnamese interpreter",
    ],
    "Digital evidence": ["Adult services adverts linked the addresses", "Phone download backlog delayed charging"],
    "Disruption tactics": [
        "Slavery and trafficking prevention order not sought",
        "Closure order disrupted a brothel network",
    ],
    "Supervision and resourcing": [
        "Investigation allocated to a non-PIP2 officer",
        "Supervisory reviews missed for six weeks",
    ],
    "Training and awareness": [
        "Response officers unaware of the NRM process",
        "Control room did not recognise a trafficking call",
    ],
    "Child exploitation": [
        "County lines child treated as an offender at first contact",
        "ICTG referral not made for a trafficked child",
    ],
    "Labour exploitation": ["Supply chain audit exposed agency labour abuse", "Workers' accommodation not searched"],
    "Sexual exploitation": [
        "Online advertising monitoring found a new network",
        "Victims moved between cities before the warrant",
    ],
    "CPS liaison and charging": [
        "Early investigative advice shaped a stronger file",
        "Charging decision delayed by missing disclosure schedule",
    ],
    "Court and victim care at trial": [
        "Special measures not applied for in time",
        "Victim supported through trial by an independent advocate",
    ],
}

WORKED = [
    "Early joint planning with the local authority meant a safe place to stay was ready on the day.",
    "A dedicated liaison officer kept in touch with the victim every week.",
    "Financial enquiries started on day one and traced the money to the controllers.",
    "The team briefed every officer on the signs to look for before the warrant.",
    "Intelligence from partners was shared the same day through the agreed route.",
]
DID_NOT = [
    "The first officers on scene did not recognise the signs of exploitation.",
    "Nobody owned the referral to the National Referral Mechanism.",
    "The investigation relied on the victim's account alone.",
    "Partners were told about the operation only after it had happened.",
    "The supervisor's reviews were not recorded and actions drifted.",
]
CAUSES = [
    "Training on modern slavery had not reached the response teams.",
    "The force procedure does not say who completes the duty to notify.",
    "No PIP2 investigator was available when the case came in.",
    "The information sharing agreement with the partner had lapsed.",
    "Workload in the unit meant reviews slipped.",
]
RECOMMENDATIONS = [
    "Add a modern slavery input to the response officers' next training day.",
    "Name the first responder role in the force procedure and brief supervisors.",
    "Allocate modern slavery investigations only to PIP2 investigators.",
    "Renew the information sharing agreement and add it to the partnership forum's agenda.",
    "Set supervisory review dates in the investigation plan and check them monthly.",
]
DISSEMINATION = [
    ("All response sergeants", "Briefing"),
    ("PIP2 investigators", "Learning bulletin"),
    ("Force control room staff", "Training input"),
    ("Partnership forum members", "Presentation"),
]


def seed(ctx) -> None:
    units = _units()
    groups = {g.code: g for g in RoleGroup.objects.all()}
    _establishment(ctx, units, groups)
    added = _training_records(ctx, units, groups)
    ctx.log(f"  learning: {added} training records added")
    lessons = _lessons(ctx)
    ctx.log(f"  learning: {lessons} lessons added")
    summaries.bump(Unit, Establishment, TrainingRecord, Lesson, LessonTheme, Action)


def _units() -> dict[str, Unit]:
    existing = {u.name: u for u in Unit.objects.all()}
    missing = [Unit(name=name) for name in UNITS if name not in existing]
    if missing:
        bulk_create_with_history(missing, Unit, default_change_reason=REASON)
        existing = {u.name: u for u in Unit.objects.all()}
    return existing


def _establishment(ctx, units, groups) -> None:
    current = {(e.unit_id, e.role_group_id): e for e in Establishment.objects.all()}
    for unit_name, counts in UNITS.items():
        for code, base in counts.items():
            unit, group = units[unit_name], groups[code]
            wanted = base * ctx.scale
            row = current.get((unit.pk, group.pk))
            if row is None:
                row = Establishment(unit=unit, role_group=group, headcount=wanted)
            elif row.headcount == wanted:
                continue
            row.headcount = wanted
            save_tracked(row, by=None, reason=REASON, clean=False)


def _training_records(ctx, units, groups) -> int:
    products = {p.code: p for p in TrainingProduct.objects.prefetch_related("audience")}
    audience = {code: {g.code for g in p.audience.all()} for code, p in products.items()}
    existing = set(TrainingRecord.objects.values_list("staff_number", "product_id", "completed_on"))
    new = []
    for unit_index, (unit_name, counts) in enumerate(UNITS.items(), start=1):
        for group_index, (code, base) in enumerate(counts.items(), start=1):
            for n in range(base * ctx.scale):
                staff = f"S{unit_index:02d}{group_index}{n:05d}"
                rng = random.Random(f"training-{staff}")
                for product_code, product in products.items():
                    if code not in audience.get(product_code, ()) or rng.random() > UPTAKE.get(product_code, 0.5):
                        continue
                    completed = ctx.today - timedelta(days=rng.randint(5, 4 * 365))
                    dates = [completed]
                    if rng.random() < 0.5:  # an earlier completion, refreshed since
                        dates.append(completed - timedelta(days=rng.randint(600, 1100)))
                    for day in dates:
                        key = (staff, product.pk, day)
                        if key in existing:
                            continue
                        existing.add(key)
                        new.append(
                            TrainingRecord(
                                staff_number=staff,
                                role_group=groups[code],
                                unit=units[unit_name],
                                product=product,
                                completed_on=day,
                            )
                        )
    if new:
        bulk_create_with_history(new, TrainingRecord, batch_size=2000, default_change_reason=REASON)
    return len(new)


def _staff_users(ctx) -> list:
    return [ctx.users[name] for name in ("analyst", "leader", "coordinator") if name in ctx.users]


def _status_for(rng, age_days: int):
    if rng.random() < 0.08:
        return LessonStatus.NOT_ACCEPTED
    # Older lessons have had longer to travel along the lifecycle.
    reach = min(4, int(age_days / 120) + rng.randint(0, 2))
    return LIFECYCLE[reach]


def _lessons(ctx) -> int:
    total = LESSONS_PER_SCALE * ctx.scale
    existing = set(Lesson.objects.values_list("reference", flat=True))
    themes = {t.name: t for t in LessonTheme.objects.all()}
    theme_names = sorted(set(TITLES) & set(themes))
    users = _staff_users(ctx)
    analyst = ctx.users.get("analyst") or users[0]
    leader = ctx.users.get("leader") or users[0]
    operations = max(20, total // 5)
    plans = []
    for i in range(total):
        rng = random.Random(f"lesson-{i}")
        observed = ctx.today - timedelta(days=rng.randint(0, 3 * 365 - 1))
        reference = f"LL-{observed.year}-{i + 1:04d}"
        if reference in existing:
            continue
        main = rng.choice(theme_names)
        chosen = {main, *rng.sample(theme_names, rng.randint(0, 2))}
        status = _status_for(rng, (ctx.today - observed).days)
        lesson = Lesson(
            reference=reference,
            title=rng.choice(TITLES[main]),
            operation_reference=f"OP-{observed.year}-{rng.randint(1, operations):04d}",
            source=rng.choice(LessonSource.values),
            observed_on=observed,
            pillars=",".join(sorted(rng.sample(Pillar.values, rng.randint(1, 2)), key=Pillar.values.index)),
            guidance_theme=rng.choice(GuidanceTheme.values),
            what_worked=rng.choice(WORKED),
            what_did_not=rng.choice(DID_NOT),
            root_cause=rng.choice(CAUSES),
            recommendation=rng.choice(RECOMMENDATIONS),
            owner=rng.choice(users),
            created_by=analyst,
            status=status,
            marking=Marking.OFFICIAL_SENSITIVE if rng.random() < 0.2 else Marking.OFFICIAL,
            theme_names=", ".join(sorted(chosen)),
            not_accepted_reason=(
                "Already covered by an earlier lesson and its actions." if status == LessonStatus.NOT_ACCEPTED else ""
            ),
        )
        steps = _step_plan(ctx, lesson, rng)
        if status == LessonStatus.LEARNED:
            lesson.learned_on = steps[-1][2]
        plans.append((lesson, rng, sorted(chosen), steps))
    if not plans:
        return 0
    created = bulk_create_with_history(
        [p[0] for p in plans], Lesson, batch_size=1000, default_user=analyst, default_change_reason=REASON
    )
    through = Lesson.themes.through
    links, steps, actions, told = [], [], [], []
    lesson_type = ContentType.objects.get_for_model(Lesson)
    for lesson, (_, rng, chosen, plan) in zip(created, plans, strict=True):
        links.extend(through(lesson_id=lesson.pk, lessontheme_id=themes[name].pk) for name in chosen)
        steps.extend(
            LessonTransition(
                lesson=lesson,
                from_status=before,
                to_status=after,
                on=on,
                by=leader if after in (LessonStatus.LEARNED, LessonStatus.NOT_ACCEPTED) else analyst,
                note=note,
            )
            for before, after, on, note in plan
        )
        actions.extend(_actions(ctx, lesson, rng, users, lesson_type))
        if lesson.status in (LessonStatus.IMPLEMENTED, LessonStatus.LEARNED) and rng.random() < 0.7:
            audience, method = rng.choice(DISSEMINATION)
            when = min(ctx.today, lesson.observed_on + timedelta(days=rng.randint(30, 200)))
            told.append(
                LessonDissemination(
                    lesson=lesson, audience=audience, method=method, disseminated_on=when, recorded_by=analyst
                )
            )
    through.objects.bulk_create(links, batch_size=2000)
    bulk_create_with_history(
        steps, LessonTransition, batch_size=2000, default_user=analyst, default_change_reason=REASON
    )
    # Demo only: actions are written in bulk for speed; the app itself raises them through
    # governance.services.action_create.
    bulk_create_with_history(actions, Action, batch_size=2000, default_user=analyst, default_change_reason=REASON)
    bulk_create_with_history(
        told, LessonDissemination, batch_size=2000, default_user=analyst, default_change_reason=REASON
    )
    return len(created)


def _step_plan(ctx, lesson, rng) -> list[tuple]:
    """(from, to, on, note) for each dated step that brought the lesson to its status."""
    day = lesson.observed_on
    steps = [("", LessonStatus.OBSERVED, day, "Logged")]
    if lesson.status == LessonStatus.NOT_ACCEPTED:
        day = min(ctx.today, day + timedelta(days=rng.randint(7, 60)))
        steps.append((LessonStatus.OBSERVED, lesson.status, day, lesson.not_accepted_reason))
        return steps
    for index in range(1, LIFECYCLE.index(LessonStatus(lesson.status)) + 1):
        day = min(ctx.today, day + timedelta(days=rng.randint(7, 80)))
        steps.append((LIFECYCLE[index - 1], LIFECYCLE[index], day, ""))
    return steps


def _actions(ctx, lesson, rng, users, lesson_type) -> list[Action]:
    if lesson.status not in (LessonStatus.ACTION_ASSIGNED, LessonStatus.IMPLEMENTED, LessonStatus.LEARNED):
        return []
    done = lesson.status != LessonStatus.ACTION_ASSIGNED
    actions = []
    for _ in range(rng.randint(1, 2)):
        due = lesson.observed_on + timedelta(days=rng.randint(30, 240))
        status = (
            ActionStatus.CLOSED
            if lesson.status == LessonStatus.LEARNED
            else (ActionStatus.DONE if done else rng.choice([ActionStatus.OPEN, ActionStatus.IN_PROGRESS]))
        )
        actions.append(
            Action(
                title=lesson.recommendation[:300],
                owner=rng.choice(users),
                due_date=due,
                status=status,
                source_kind=ActionSource.LESSON,
                source_content_type=lesson_type,
                source_object_id=lesson.pk,
                pillar=lesson.pillar_list[0],
                marking=lesson.marking,
                completed_on=min(ctx.today, due) if status in (ActionStatus.DONE, ActionStatus.CLOSED) else None,
                completion_note="Completed" if status in (ActionStatus.DONE, ActionStatus.CLOSED) else "",
            )
        )
    return actions
