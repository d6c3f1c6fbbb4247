"""Strategy, 4P objectives, the threat register, performance measures and the self-assessment."""

from strategy.models.assessment import (
    Assessment,
    AssessmentStatus,
    Framework,
    Requirement,
    RequirementAssessment,
    RequirementStatus,
)
from strategy.models.measures import Direction, Frequency, Measure, MeasureUnit, MeasureValue
from strategy.models.plans import (
    ForceStrategy,
    NationalStrategy,
    Objective,
    PccSupport,
    Rag,
    StrategyStatus,
)
from strategy.models.threats import Threat, ThreatAssessment, ThreatCategory, ThreatLevel

__all__ = [
    "Assessment",
    "AssessmentStatus",
    "Direction",
    "ForceStrategy",
    "Framework",
    "Frequency",
    "Measure",
    "MeasureUnit",
    "MeasureValue",
    "NationalStrategy",
    "Objective",
    "PccSupport",
    "Rag",
    "Requirement",
    "RequirementAssessment",
    "RequirementStatus",
    "StrategyStatus",
    "Threat",
    "ThreatAssessment",
    "ThreatCategory",
    "ThreatLevel",
]
