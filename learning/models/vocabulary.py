"""Managed vocabularies: lesson themes, the role groups training is aimed at, and the force's units.

They are rows, not choices, so the force can add to them without a release; the national ones are
loaded by data migrations.
"""

from django.db import models
from django.db.models.functions import Lower

from mshtgov.models import TrackedModel


class LessonTheme(TrackedModel):
    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class RoleGroup(TrackedModel):
    """Who a training product is for, and how the establishment is counted (frontline, PIP2...)."""

    code = models.SlugField(max_length=40, unique=True, help_text="As it appears in learning platform exports.")
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Unit(TrackedModel):
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="learning_unit_name_unique_ci"),
        ]

    def __str__(self):
        return self.name
