"""The rules of the strategy app: every state change goes through one of these functions."""

from strategy.services.assessments import (
    answer_raise_action,
    answer_update,
    assessment_sign_off,
    assessment_start,
    assessment_submit,
)
from strategy.services.measures import measure_value_save
from strategy.services.plans import strategy_approve, strategy_new_version
from strategy.services.threats import threat_assessment_create

__all__ = [
    "answer_raise_action",
    "answer_update",
    "assessment_sign_off",
    "assessment_start",
    "assessment_submit",
    "measure_value_save",
    "strategy_approve",
    "strategy_new_version",
    "threat_assessment_create",
]
