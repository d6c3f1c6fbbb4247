from django.urls import path

from operations.views import disruptions, imports, operations, register, unknown_to_partners

app_name = "operations"

urlpatterns = [
    path("", unknown_to_partners(register.operation_list_view), name="operation-list"),
    path("export.<str:fmt>", unknown_to_partners(register.operation_export), name="operation-export"),
    path("add/", unknown_to_partners(operations.operation_create_view), name="operation-create"),
    path("<int:pk>/", unknown_to_partners(operations.operation_detail), name="operation-detail"),
    path("<int:pk>/edit/", unknown_to_partners(operations.operation_edit), name="operation-edit"),
    path("<int:pk>/history/", unknown_to_partners(operations.operation_history), name="operation-history"),
    path("<int:pk>/outcomes/", unknown_to_partners(operations.outcome_edit), name="outcome-edit"),
    path("<int:pk>/debrief/", unknown_to_partners(operations.debrief_create), name="debrief-create"),
    path(
        "<int:pk>/disruptions/add/", unknown_to_partners(disruptions.disruption_create_view), name="disruption-create"
    ),
    path("disruptions/", unknown_to_partners(disruptions.disruption_list_view), name="disruption-list"),
    path("disruptions/review/", unknown_to_partners(disruptions.review_queue), name="review-queue"),
    path("disruptions/<int:pk>/edit/", unknown_to_partners(disruptions.disruption_edit), name="disruption-edit"),
    path(
        "disruptions/<int:pk>/review/",
        unknown_to_partners(disruptions.disruption_review_view),
        name="disruption-review",
    ),
    path(
        "disruptions/<int:pk>/history/", unknown_to_partners(disruptions.disruption_history), name="disruption-history"
    ),
    path("import/", unknown_to_partners(imports.import_create), name="import-create"),
    path("import/<int:pk>/", unknown_to_partners(imports.import_detail), name="import-detail"),
    path("import/<int:pk>/apply/", unknown_to_partners(imports.import_apply_view), name="import-apply"),
    path("import/<int:pk>/undo/", unknown_to_partners(imports.import_undo_view), name="import-undo"),
    path("import/<int:pk>/discard/", unknown_to_partners(imports.import_discard_view), name="import-discard"),
]
