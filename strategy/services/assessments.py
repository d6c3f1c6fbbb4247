"""Self-assessments: start (from scratch or from the previous one), answer, submit, sign off, and raise
actions in the one action log for the gaps."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from governance.models import ActionSource
from governance.services import action_create
from mshtgov.access import user_may
from mshtgov.summaries import bump
from mshtgov.tracking import save_form, save_tracked
from strategy.models import Assessment, AssessmentStatus, RequirementAssessment, RequirementStatus

LOCKED_MESSAGE = "This assessment has been signed off and is locked: start a new assessment to record changes."


@transaction.atomic
def assessment_start(*, framework, title, period_start, period_end, by, previous=None, marking=None) -> Assessment:
    """Create a draft with one answer per requirement of the framework. Started from `previous`, each
    answer copies its status, evidence, owner and evidence links; otherwise every answer is "not assessed"."""
    if previous is not None and previous.framework_id != framework.pk:
        raise ValidationError({"previous": "Start from an assessment against the same framework."})
    assessment = Assessment(
        framework=framework,
        title=title,
        period_start=period_start,
        period_end=period_end,
        previous=previous,
    )
    if marking:
        assessment.marking = marking
    save_tracked(assessment, by=by, reason="Started" if previous is None else f"Started from {previous}")
    earlier = {}
    if previous is not None:
        earlier = {
            a.requirement_id: a
            for a in previous.answers.prefetch_related("evidence_objectives", "evidence_measures", "evidence_threats")
        }
    answers = []
    for requirement in framework.requirements.order_by("order"):
        before = earlier.get(requirement.pk)
        answers.append(
            RequirementAssessment(
                assessment=assessment,
                requirement=requirement,
                status=before.status if before else RequirementStatus.NOT_ASSESSED,
                evidence=before.evidence if before else "",
                owner_id=before.owner_id if before else None,
                marking=before.marking if before else assessment.marking,
            )
        )
    bulk_create_with_history(answers, RequirementAssessment, default_user=by, default_change_reason="Started")
    if earlier:
        for new in assessment.answers.all():
            before = earlier.get(new.requirement_id)
            if before is not None:
                new.evidence_objectives.set(before.evidence_objectives.all())
                new.evidence_measures.set(before.evidence_measures.all())
                new.evidence_threats.set(before.evidence_threats.all())
    bump(RequirementAssessment)
    return assessment


@transaction.atomic
def answer_update(*, form, by) -> RequirementAssessment:
    """Save an answer from its (AuditedModelForm) form, unless its assessment has been signed off meanwhile."""
    answer = form.instance
    assessment = Assessment.objects.select_for_update().get(pk=answer.assessment_id)
    if assessment.is_locked:
        raise ValidationError(LOCKED_MESSAGE)
    return save_form(form, by=by)


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by) -> Assessment:
    """Draft -> submitted, once every requirement has an answer other than "not assessed"."""
    if not user_may(by, perms=("strategy.submit_assessment",)):
        raise PermissionDenied
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(
            f"Only a draft can be submitted: this assessment is {assessment.get_status_display().lower()}."
        )
    unanswered = assessment.answers.filter(status=RequirementStatus.NOT_ASSESSED).count()
    if unanswered:
        raise ValidationError(
            f"{unanswered} requirement{'s are' if unanswered != 1 else ' is'} still not assessed. "
            "Answer every requirement (or mark it not applicable) before submitting."
        )
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_by = by
    assessment.submitted_on = timezone.localdate()
    save_tracked(assessment, by=by, reason="Submitted for sign-off")
    return assessment


@transaction.atomic
def assessment_sign_off(*, assessment: Assessment, by) -> Assessment:
    """Submitted -> signed off by a senior leader; from then on the assessment and its answers are locked."""
    if not user_may(by, perms=("strategy.signoff_assessment",)):
        raise PermissionDenied("Only a senior leader can sign off an assessment.")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(
            f"Only a submitted assessment can be signed off: this one is {assessment.get_status_display().lower()}."
        )
    assessment.status = AssessmentStatus.SIGNED_OFF
    assessment.signed_off_by = by
    assessment.signed_off_on = timezone.localdate()
    save_tracked(assessment, by=by, reason="Signed off")
    return assessment


@transaction.atomic
def answer_raise_action(*, answer: RequirementAssessment, by, title, owner, due_date, description=""):
    """Raise an action in the governance action log to close the gap this answer shows."""
    if not answer.is_gap:
        raise ValidationError("Actions are raised for requirements that are not met or only partly met.")
    return action_create(
        title=title,
        owner=owner,
        due_date=due_date,
        by=by,
        source=answer,
        source_kind=ActionSource.SELF_ASSESSMENT,
        description=description or f"{answer.requirement.reference}: {answer.requirement.text}",
        marking=answer.marking,
        reason=f"Raised from self-assessment {answer.assessment}",
    )
