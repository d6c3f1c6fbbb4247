"""One way to reach a strategy record, with the access check built in.

Every record of this app is visible to every internal role holding the model's view permission, so
there is no one the records must be hidden from by existence: an unknown id answers 404, and a user
without the permission has already been refused (403) by the view's `require`."""

from django.shortcuts import get_object_or_404

from strategy.models import Assessment, ForceStrategy, Measure, MeasureValue, Objective, RequirementAssessment, Threat


def get_strategy_for_user(user, pk):
    return get_object_or_404(ForceStrategy.objects.visible_to(user).select_related("approved_by"), pk=pk)


def get_objective_for_user(user, pk):
    return get_object_or_404(Objective.objects.visible_to(user).select_related("strategy", "owner"), pk=pk)


def get_threat_for_user(user, pk):
    return get_object_or_404(Threat.objects.visible_to(user).select_related("owner"), pk=pk)


def get_measure_for_user(user, pk):
    return get_object_or_404(Measure.objects.visible_to(user), pk=pk)


def get_value_for_user(user, pk):
    return get_object_or_404(MeasureValue.objects.visible_to(user).select_related("measure", "entered_by"), pk=pk)


def get_assessment_for_user(user, pk):
    return get_object_or_404(
        Assessment.objects.visible_to(user).select_related("framework", "previous", "submitted_by", "signed_off_by"),
        pk=pk,
    )


def get_answer_for_user(user, pk):
    return get_object_or_404(
        RequirementAssessment.objects.visible_to(user).select_related("assessment", "requirement", "owner"), pk=pk
    )
