"""The one way views reach a learning record: 404 for records the user may not know of."""

from django.http import Http404

from learning.models import ImportBatch, Lesson, TrainingProduct
from mshtgov.roles import is_external_partner


def get_lesson_for_user(user, pk) -> Lesson:
    try:
        return Lesson.objects.visible_to(user).select_related("owner", "created_by").get(pk=pk)
    except (Lesson.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such lesson") from exc


def get_batch_for_user(user, pk) -> ImportBatch:
    if is_external_partner(user) or not user.has_perm("learning.view_importbatch"):
        raise Http404("No such import")
    try:
        return ImportBatch.objects.select_related("uploaded_by", "applied_by", "undone_by").get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such import") from exc


def get_product_for_user(user, pk) -> TrainingProduct:
    if is_external_partner(user) or not user.has_perm("learning.view_trainingproduct"):
        raise Http404("No such product")
    try:
        return TrainingProduct.objects.get(pk=pk)
    except (TrainingProduct.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such product") from exc
