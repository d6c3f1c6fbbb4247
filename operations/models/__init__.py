"""The operations register: operations, their outcomes (counts only), disruptions and debriefs."""

from operations.models.debriefs import Debrief
from operations.models.disruptions import Disruption
from operations.models.imports import ImportKind, ImportState, OperationImport
from operations.models.operations import Operation, PrioritySource, debrief_due_days
from operations.models.outcomes import Outcome
from operations.models.vocabulary import (
    CpsOutcome,
    DisruptionLevel,
    Exploitation,
    Geography,
    OperationStatus,
    PipLevel,
    ReviewStatus,
    TacticGroup,
)

__all__ = [
    "CpsOutcome",
    "Debrief",
    "Disruption",
    "DisruptionLevel",
    "Exploitation",
    "Geography",
    "ImportKind",
    "ImportState",
    "Operation",
    "OperationImport",
    "OperationStatus",
    "Outcome",
    "PipLevel",
    "PrioritySource",
    "ReviewStatus",
    "TacticGroup",
    "debrief_due_days",
]
