from django.urls import path

from strategy.views import assessments, exports, measure_upload, measures, objectives, overview, strategies, threats

app_name = "strategy"

urlpatterns = [
    path("", overview.index, name="index"),
    path("alignment/", overview.alignment, name="alignment"),
    path("versions/<int:pk>/alignment/", overview.alignment, name="strategy-alignment"),
    # Force strategy versions
    path("versions/", strategies.strategy_list, name="strategy-list"),
    path("versions/new/", strategies.strategy_create, name="strategy-create"),
    path("versions/<int:pk>/", strategies.strategy_detail, name="strategy-detail"),
    path("versions/<int:pk>/change/", strategies.strategy_edit, name="strategy-edit"),
    path("versions/<int:pk>/approve/", strategies.strategy_approve_view, name="strategy-approve"),
    path("versions/<int:pk>/new-version/", strategies.strategy_new_version_view, name="strategy-new-version"),
    path("versions/<int:pk>/history/", strategies.strategy_history, name="strategy-history"),
    path("versions/<int:strategy_pk>/objectives/new/", objectives.objective_create, name="objective-create"),
    path("national-strategies/", strategies.national_list, name="national-list"),
    path("national-strategies/new/", strategies.national_create, name="national-create"),
    path("national-strategies/<int:pk>/change/", strategies.national_edit, name="national-edit"),
    # Objectives
    path("objectives/<int:pk>/", objectives.objective_detail, name="objective-detail"),
    path("objectives/<int:pk>/change/", objectives.objective_edit, name="objective-edit"),
    path("objectives/<int:pk>/history/", objectives.objective_history, name="objective-history"),
    # Threats
    path("threats/", threats.threat_list, name="threat-list"),
    path("threats/matrix/", threats.threat_matrix, name="threat-matrix"),
    path("threats/export.<str:fmt>", exports.threat_export, name="threat-export"),
    path("threats/new/", threats.threat_create, name="threat-create"),
    path("threats/<int:pk>/", threats.threat_detail, name="threat-detail"),
    path("threats/<int:pk>/change/", threats.threat_edit, name="threat-edit"),
    path("threats/<int:pk>/assess/", threats.threat_assess, name="threat-assess"),
    path("threats/<int:pk>/history/", threats.threat_history, name="threat-history"),
    # Performance measures
    path("measures/", measures.measure_list, name="measure-list"),
    path("measures/new/", measures.measure_create, name="measure-create"),
    path("measures/export.<str:fmt>", exports.measure_export, name="measure-export"),
    path("measures/upload/", measure_upload.measure_upload, name="measure-upload"),
    path("measures/upload/confirm/", measure_upload.measure_upload_confirm, name="measure-upload-confirm"),
    path("measures/<int:pk>/", measures.measure_detail, name="measure-detail"),
    path("measures/<int:pk>/change/", measures.measure_edit, name="measure-edit"),
    path("measures/<int:pk>/history/", measures.measure_history, name="measure-history"),
    path("measures/<int:pk>/values/new/", measures.value_create, name="value-create"),
    path("values/<int:pk>/change/", measures.value_edit, name="value-edit"),
    path("values/<int:pk>/history/", measures.value_history, name="value-history"),
    # Self-assessment
    path("self-assessment/", assessments.assessment_list, name="assessment-list"),
    path("self-assessment/new/", assessments.assessment_start_view, name="assessment-start"),
    path("self-assessment/compare/", assessments.assessment_compare, name="assessment-compare"),
    path("self-assessment/frameworks/<int:pk>/", assessments.framework_detail, name="framework-detail"),
    path("self-assessment/<int:pk>/", assessments.assessment_detail, name="assessment-detail"),
    path("self-assessment/<int:pk>/submit/", assessments.assessment_submit_view, name="assessment-submit"),
    path("self-assessment/<int:pk>/sign-off/", assessments.assessment_sign_off_view, name="assessment-sign-off"),
    path("self-assessment/<int:pk>/history/", assessments.assessment_history, name="assessment-history"),
    path("self-assessment/<int:pk>/export.<str:fmt>", exports.assessment_export, name="assessment-export"),
    path("answers/<int:pk>/", assessments.answer_detail, name="answer-detail"),
    path("answers/<int:pk>/change/", assessments.answer_edit, name="answer-edit"),
    path("answers/<int:pk>/raise-action/", assessments.answer_raise_action_view, name="answer-raise-action"),
    path("answers/<int:pk>/history/", assessments.answer_history, name="answer-history"),
    path("answers/<int:pk>/evidence/cite/", assessments.answer_cite, name="answer-cite"),
    path("answers/<int:pk>/evidence/<int:citation_pk>/remove/", assessments.answer_uncite, name="answer-uncite"),
]
