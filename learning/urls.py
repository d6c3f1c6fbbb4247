from django.urls import path

from learning.views import catalogue, coverage, imports, index, lessons, lifecycle, patterns

app_name = "learning"

urlpatterns = [
    path("", index.learning_index, name="index"),
    path("lessons/", lessons.lesson_list_view, name="lesson-list"),
    path("lessons/new/", lessons.lesson_create_view, name="lesson-create"),
    path("lessons/export.<str:fmt>", lessons.lesson_export, name="lesson-export"),
    path("lessons/<int:pk>/", lessons.lesson_detail, name="lesson-detail"),
    path("lessons/<int:pk>/edit/", lessons.lesson_edit, name="lesson-edit"),
    path("lessons/<int:pk>/history/", lessons.lesson_history, name="lesson-history"),
    path("lessons/<int:pk>/advance/", lifecycle.lesson_advance_view, name="lesson-advance"),
    path("lessons/<int:pk>/not-accepted/", lifecycle.lesson_not_accept_view, name="lesson-not-accept"),
    path("lessons/<int:pk>/actions/new/", lifecycle.lesson_action_create, name="lesson-action-create"),
    path(
        "lessons/<int:pk>/dissemination/new/", lifecycle.lesson_dissemination_create, name="lesson-dissemination-create"
    ),
    path("patterns/", patterns.lesson_patterns_view, name="lesson-patterns"),
    path("training/coverage/", coverage.coverage_view, name="coverage"),
    path("training/establishment/", coverage.establishment_list, name="establishment-list"),
    path("training/establishment/set/", coverage.establishment_edit, name="establishment-edit"),
    path("training/establishment/import/", coverage.establishment_import_view, name="establishment-import"),
    path("training/products/", catalogue.product_list, name="product-list"),
    path("training/products/new/", catalogue.product_create, name="product-create"),
    path("training/products/<int:pk>/edit/", catalogue.product_edit, name="product-edit"),
    path("training/imports/", imports.import_list, name="import-list"),
    path("training/imports/new/", imports.import_create, name="import-create"),
    path("training/imports/template.csv", imports.import_template, name="import-template"),
    path("training/imports/<int:pk>/", imports.import_detail, name="import-detail"),
    path("training/imports/<int:pk>/apply/", imports.import_apply, name="import-apply"),
    path("training/imports/<int:pk>/retry/", imports.import_retry, name="import-retry"),
    path("training/imports/<int:pk>/undo/", imports.import_undo, name="import-undo"),
    path("training/imports/<int:pk>/discard/", imports.import_discard, name="import-discard"),
]
