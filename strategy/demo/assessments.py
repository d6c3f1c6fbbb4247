"""Demo self-assessments: one a year, each started from the last; the older two signed off."""

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from governance.models import Action, ActionSource
from governance.services import action_create
from mshtgov.periods import financial_year_start
from mshtgov.tracking import save_tracked
from strategy.models import Assessment, AssessmentStatus, Framework, RequirementAssessment, RequirementStatus
from strategy.services import assessment_start

# Share of requirements met, partly met, not met in each year (the rest stay not assessed or n/a).
_YEARS = ((0.35, 0.35, 0.30), (0.55, 0.30, 0.15), (0.70, 0.22, 0.08))


def _answer_all(ctx, assessment, mix, *, measures, strategy):
    met, partly, _not_met = mix
    answers = list(assessment.answers.select_related("requirement").order_by("requirement__order"))
    objectives = list(strategy.objectives.all()[:3]) if strategy else []
    owners = [ctx.users["leader"], ctx.users["analyst"], ctx.users["coordinator"]]
    for index, answer in enumerate(answers):
        roll = ctx.rng.random()
        if answer.requirement.reference == "PAR-09" and index % 2 == 0:
            status = RequirementStatus.NOT_APPLICABLE
        elif roll < met:
            status = RequirementStatus.MET
        elif roll < met + partly:
            status = RequirementStatus.PARTLY_MET
        else:
            status = RequirementStatus.NOT_MET
        answer.status = status
        answer.owner = owners[index % len(owners)]
        answer.evidence = {
            RequirementStatus.MET: "Confirmed at the strategic board; evidence held in the board papers.",
            RequirementStatus.PARTLY_MET: "In place in some areas of the force; not yet consistent.",
            RequirementStatus.NOT_MET: "Not in place. An action has been raised.",
            RequirementStatus.NOT_APPLICABLE: "The region provides this on the force's behalf.",
        }[status]
        save_tracked(answer, by=ctx.users["analyst"], reason="Demo data", clean=False)
        if status == RequirementStatus.MET and objectives and index % 4 == 0:
            answer.evidence_objectives.set(objectives[:1])
            answer.evidence_measures.set(measures[:1])


def seed_assessments(ctx, *, strategies, measures) -> None:
    framework = Framework.objects.order_by("id").first()
    if framework is None or Assessment.objects.exists():
        return
    this_year = financial_year_start(ctx.today)
    previous = None
    for index, back in enumerate((2, 1, 0)):
        start = this_year - relativedelta(years=back)
        assessment = assessment_start(
            framework=framework,
            title=f"Self-assessment {start.year} to {start.year + 1}",
            period_start=start,
            period_end=start + relativedelta(years=1, days=-1),
            previous=previous,
            by=ctx.users["leader"],
        )
        if index < 2:
            _answer_all(ctx, assessment, _YEARS[index], measures=measures, strategy=strategies[index])
            assessment.status = AssessmentStatus.SIGNED_OFF
            assessment.submitted_by = ctx.users["analyst"]
            assessment.submitted_on = start + relativedelta(months=11)
            assessment.signed_off_by = ctx.users["leader"]
            assessment.signed_off_on = start + relativedelta(months=11, days=10)
            save_tracked(assessment, by=ctx.users["leader"], reason="Demo data", clean=False)
        else:
            # The current year is a draft started from last year's answers: half reviewed so far.
            for answer in assessment.answers.order_by("requirement__order")[::2]:
                answer.status = RequirementStatus.NOT_ASSESSED
                save_tracked(answer, by=ctx.users["analyst"], reason="Demo data: to review", clean=False)
        previous = assessment
    _raise_gap_actions(ctx, previous)
    ctx.log(f"  self-assessments: {Assessment.objects.count()}")


def _raise_gap_actions(ctx, assessment) -> None:
    """Actions for last year's gaps, some already overdue, so the action log has self-assessment items."""
    signed = Assessment.objects.filter(status=AssessmentStatus.SIGNED_OFF).order_by("-period_end").first()
    if signed is None:
        return
    gaps = RequirementAssessment.objects.filter(
        assessment=signed, status__in=[RequirementStatus.NOT_MET, RequirementStatus.PARTLY_MET]
    ).select_related("requirement")
    today = timezone.localdate()
    for index, gap in enumerate(gaps[: 4 + ctx.scale]):
        if Action.objects.for_source(gap).exists():
            continue
        action_create(
            title=f"Close the gap on {gap.requirement.reference}",
            owner=gap.owner or ctx.users["leader"],
            due_date=today + relativedelta(days=-20 if index % 3 == 0 else 45),
            by=ctx.users["leader"],
            source=gap,
            source_kind=ActionSource.SELF_ASSESSMENT,
            description=gap.requirement.text,
            reason="Demo data",
        )
