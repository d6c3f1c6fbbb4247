"""Pieces the strategy models share."""

from django.db import models

from mshtgov.access import user_may


class VisibleQuerySet(models.QuerySet):
    """Every internal role with the model's view permission sees every record of this app; external
    partners hold no permission here and see nothing."""

    def visible_to(self, user):
        meta = self.model._meta
        if user_may(user, perms=(f"{meta.app_label}.view_{meta.model_name}",)):
            return self
        return self.none()


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NOT_RATED = "not_rated", "Not rated"


RAG_COLOURS = {Rag.RED: "red", Rag.AMBER: "amber", Rag.GREEN: "green", Rag.NOT_RATED: "grey"}
