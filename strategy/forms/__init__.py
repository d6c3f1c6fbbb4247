"""Forms of the strategy app. Edits use AuditedModelForm (reason asked, lost updates refused)."""

from strategy.forms.assessments import AnswerForm, AssessmentStartForm, CompareForm, RaiseActionForm
from strategy.forms.measures import MeasureForm, MeasureUploadForm, MeasureValueForm
from strategy.forms.plans import ForceStrategyForm, NationalStrategyForm, ObjectiveForm
from strategy.forms.threats import ThreatAssessmentForm, ThreatForm

__all__ = [
    "AnswerForm",
    "AssessmentStartForm",
    "CompareForm",
    "ForceStrategyForm",
    "MeasureForm",
    "MeasureUploadForm",
    "MeasureValueForm",
    "NationalStrategyForm",
    "ObjectiveForm",
    "RaiseActionForm",
    "ThreatAssessmentForm",
    "ThreatForm",
]
