"""The fixed vocabularies of the operations register (stable lower-case values)."""

from django.core.exceptions import ValidationError
from django.db import models


class OperationStatus(models.TextChoices):
    INTELLIGENCE = "intelligence", "Intelligence development"
    LIVE = "live", "Live investigation"
    CHARGED = "charged", "Charged, awaiting court"
    CONCLUDED = "concluded", "Concluded"
    CLOSED_NFA = "closed_nfa", "Closed with no further action"


# An operation in one of these has ended: it has a closed date and needs a debrief.
ENDED_STATUSES = (OperationStatus.CONCLUDED, OperationStatus.CLOSED_NFA)
STATUS_COLOURS = {
    OperationStatus.INTELLIGENCE: "grey",
    OperationStatus.LIVE: "blue",
    OperationStatus.CHARGED: "purple",
    OperationStatus.CONCLUDED: "green",
    OperationStatus.CLOSED_NFA: "yellow",
}


class Exploitation(models.TextChoices):
    LABOUR = "labour", "Labour"
    SEXUAL = "sexual", "Sexual"
    CRIMINAL = "criminal", "Criminal"
    DOMESTIC_SERVITUDE = "domestic_servitude", "Domestic servitude"
    ORGAN_HARVESTING = "organ_harvesting", "Organ harvesting"
    OTHER = "other", "Other"


class Geography(models.TextChoices):
    LOCAL = "local", "Local"
    CROSS_FORCE = "cross_force", "Cross-force"
    REGIONAL = "regional", "Regional"
    NATIONAL = "national", "National"
    INTERNATIONAL = "international", "International"


class PipLevel(models.IntegerChoices):
    PIP1 = 1, "PIP1"
    PIP2 = 2, "PIP2"
    PIP3 = 3, "PIP3"
    PIP4 = 4, "PIP4"


class DisruptionLevel(models.TextChoices):
    """The NCA's national disruption scale."""

    MAJOR = "major", "Major"
    MODERATE = "moderate", "Moderate"
    MINOR = "minor", "Minor"
    NONE = "none", "None"
    NEGATIVE = "negative", "Negative"


LEVEL_COLOURS = {
    DisruptionLevel.MAJOR: "red",
    DisruptionLevel.MODERATE: "orange",
    DisruptionLevel.MINOR: "yellow",
    DisruptionLevel.NONE: "grey",
    DisruptionLevel.NEGATIVE: "pink",
}


class TacticGroup(models.TextChoices):
    LIFESTYLE = "lifestyle", "Lifestyle"
    BEHAVIOUR = "behaviour", "Behaviour"
    VEHICLES = "vehicles", "Vehicles"
    TRAVEL = "travel", "Travel"
    BUSINESS = "business", "Business"
    CRIME = "crime", "Crime"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    ACCEPTED = "accepted", "Accepted"
    CHALLENGED = "challenged", "Challenged"
    REGRADED = "regraded", "Regraded"


# A regrade is an acceptance at another level: both count, at the level the reviewer settled.
COUNTED_REVIEWS = (ReviewStatus.ACCEPTED, ReviewStatus.REGRADED)


class CpsOutcome(models.TextChoices):
    CHARGE = "charge", "Charge authorised"
    FURTHER_EVIDENCE = "further_evidence", "Further evidence requested"
    NO_FURTHER_ACTION = "nfa", "No further action"


def validate_exploitation_types(value: str) -> None:
    chosen = [p for p in (value or "").split(",") if p]
    if not chosen:
        raise ValidationError("Choose at least one type of exploitation.", code="required")
    unknown = [p for p in chosen if p not in Exploitation.values]
    if unknown:
        raise ValidationError(
            "Choose types of exploitation from labour, sexual, criminal, domestic servitude, organ harvesting and "
            "other.",
            code="unknown_exploitation",
        )
