"""Lessons learned from investigations, the training catalogue, training records and establishment."""

from learning.models.lessons import (
    Lesson,
    LessonDissemination,
    LessonSource,
    LessonStatus,
    LessonTransition,
)
from learning.models.training import (
    Establishment,
    ImportBatch,
    ImportStatus,
    TrainingProduct,
    TrainingRecord,
)
from learning.models.vocabulary import LessonTheme, RoleGroup, Unit

__all__ = [
    "Establishment",
    "ImportBatch",
    "ImportStatus",
    "Lesson",
    "LessonDissemination",
    "LessonSource",
    "LessonStatus",
    "LessonTheme",
    "LessonTransition",
    "RoleGroup",
    "TrainingProduct",
    "TrainingRecord",
    "Unit",
]
