"""The MoRiLE-style scoring scheme (mshtgov.scoring): points, bands and the priority rule."""

import pytest

from mshtgov import scoring
from strategy.forms import ThreatAssessmentForm
from strategy.models import ThreatAssessment
from tests.strategy.factories import ThreatAssessmentFactory, ThreatFactory


def test_priority_multiplies_risk_by_the_weaker_organisational_position():
    result = scoring.priority(harm=5, likelihood=4, confidence=1, capacity=4, capability=3)
    # 5 x 4 = 20 risk; capacity 4 and capability 3 average 3.5, rounded up to 4 -> 80.
    assert result.score == 80
    assert result.band == "very_high"
    assert result.band_label == "Very high"


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, "low"),
        (15, "low"),
        (16, "medium"),
        (35, "medium"),
        (36, "high"),
        (60, "high"),
        (61, "very_high"),
        (100, "very_high"),
    ],
)
def test_band_edges(score, band):
    assert scoring.band_for(score) == band


def test_confidence_is_reported_not_folded_into_the_score():
    low = scoring.priority(harm=3, likelihood=3, confidence=1, capacity=2, capability=2)
    high = scoring.priority(harm=3, likelihood=3, confidence=3, capacity=2, capability=2)
    assert low.score == high.score == 18


def test_priority_refuses_a_score_outside_its_scale():
    with pytest.raises(ValueError, match="harm must be between 1 and 5"):
        scoring.priority(harm=6, likelihood=1, confidence=1, capacity=1, capability=1)


@pytest.mark.django_db
def test_saved_assessment_stores_the_computed_score_and_band(users):
    assessment = ThreatAssessmentFactory(harm=4, likelihood=4, capacity=3, capability=3, assessed_by=users["analyst"])
    assessment.refresh_from_db()
    assert (assessment.priority_score, assessment.band) == (48, "high")


@pytest.mark.django_db
def test_form_names_the_scale_when_a_score_is_out_of_range(users):
    threat = ThreatFactory()
    form = ThreatAssessmentForm(
        data={
            "assessed_on": "2026-05-01",
            "harm": "9",
            "likelihood": "0",
            "confidence": "2",
            "capacity": "2",
            "capability": "2",
            "marking": "official",
        },
        threat=threat,
    )
    assert not form.is_valid()
    assert form.errors["harm"] == ["Choose a score for harm (to individuals, communities and the economy) from 1 to 5."]
    assert "from 1 to 5" in form.errors["likelihood"][0]
    assert not ThreatAssessment.objects.exists()


@pytest.mark.django_db
def test_every_scale_point_has_a_label():
    assert scoring.SCALES
    for name, scale in scoring.SCALES.items():
        low, high = scoring.bounds(name)
        assert [p for p, _ in scale] == list(range(low, high + 1))
        assert all(label for _, label in scale)
