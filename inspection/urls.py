from django.urls import path

from inspection.views import bundles, findings

app_name = "inspection"

urlpatterns = [
    path("findings/", findings.finding_list_view, name="finding-list"),
    path("findings/new/", findings.finding_create_view, name="finding-create"),
    path("findings/export.<str:fmt>", findings.finding_export, name="finding-export"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/edit/", findings.finding_edit, name="finding-edit"),
    path("findings/<int:pk>/start/", findings.finding_start_view, name="finding-start"),
    path("findings/<int:pk>/submit/", findings.finding_submit_view, name="finding-submit"),
    path("findings/<int:pk>/close/", findings.finding_close_view, name="finding-close"),
    path("findings/<int:pk>/reopen/", findings.finding_reopen_view, name="finding-reopen"),
    path("findings/<int:pk>/actions/new/", findings.finding_raise_action_view, name="finding-raise-action"),
    path("findings/<int:pk>/evidence/cite/", findings.finding_cite, name="finding-cite"),
    path("findings/<int:pk>/evidence/<int:citation_pk>/remove/", findings.finding_uncite, name="finding-uncite"),
    path("findings/<int:pk>/history/", findings.finding_history, name="finding-history"),
    path("self-assessments/<int:pk>/bundles/", bundles.assessment_bundles, name="assessment-bundles"),
    path("bundles/<int:pk>/", bundles.bundle_detail, name="bundle-detail"),
    path("bundles/<int:pk>/download/<str:part>/", bundles.bundle_download, name="bundle-download"),
    path("bundles/<int:pk>/retry/", bundles.bundle_retry_view, name="bundle-retry"),
]
