"""What an operation achieved, counted and never named: one row per operation."""

from django.core.exceptions import ValidationError
from django.db import models

from mshtgov.models import TrackedModel

from .vocabulary import CpsOutcome


def _count(label, help_text=""):
    return models.PositiveIntegerField(label, default=0, help_text=help_text)


CHARGE_FIELDS = ("charged_s1", "charged_s2", "charged_s4", "charged_other")
PND_PARTS = ("operation", "victims", "suspects")


class Outcome(TrackedModel):
    operation = models.OneToOneField("operations.Operation", on_delete=models.CASCADE, related_name="outcome")
    victims_adults = _count("adult victims identified")
    victims_children = _count("child victims identified")
    nrm_referrals = _count("NRM referrals made", "Referrals into the National Referral Mechanism with consent.")
    dtn_submissions = _count("Duty to Notify submissions", "For adults who did not consent to an NRM referral.")
    victims_supported = _count("victims supported")
    victims_withdrew = _count("victims who withdrew from the investigation")
    suspects_arrested = _count("suspects arrested")
    suspects_charged = _count("suspects charged")
    first_charged_on = models.DateField("first charge on", null=True, blank=True)
    charged_s1 = _count("charges: Modern Slavery Act 2015 s1 (slavery, servitude, forced labour)")
    charged_s2 = _count("charges: Modern Slavery Act 2015 s2 (human trafficking)")
    charged_s4 = _count("charges: Modern Slavery Act 2015 s4 (committing an offence with intent)")
    charged_other = _count("charges: other offences")
    suspects_convicted = _count("suspects convicted")
    cps_early_advice_on = models.DateField("CPS early advice sought on", null=True, blank=True)
    cps_decision_on = models.DateField("CPS charging decision on", null=True, blank=True)
    cps_outcome = models.CharField("CPS charging decision", max_length=20, choices=CpsOutcome.choices, blank=True)
    stpo_applied = _count("Slavery and Trafficking Prevention Orders applied for")
    stpo_granted = _count("Slavery and Trafficking Prevention Orders granted")
    stpo_breached = _count("Slavery and Trafficking Prevention Orders breached")
    stro_applied = _count("Slavery and Trafficking Risk Orders applied for")
    stro_granted = _count("Slavery and Trafficking Risk Orders granted")
    stro_breached = _count("Slavery and Trafficking Risk Orders breached")
    reparation_orders = _count("reparation orders")
    s45_defence_raised = _count("section 45 defences raised")
    pnd_operation = models.BooleanField("operation recorded on PND", default=False)
    pnd_operation_on = models.DateField("operation recorded on PND on", null=True, blank=True)
    pnd_victims = models.BooleanField("victims recorded on PND", default=False)
    pnd_victims_on = models.DateField("victims recorded on PND on", null=True, blank=True)
    pnd_suspects = models.BooleanField("suspects recorded on PND", default=False)
    pnd_suspects_on = models.DateField("suspects recorded on PND on", null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(suspects_charged__lte=models.F("suspects_arrested")),
                name="operations_outcome_charged_not_above_arrested",
            ),
            models.CheckConstraint(
                condition=models.Q(suspects_convicted__lte=models.F("suspects_charged")),
                name="operations_outcome_convicted_not_above_charged",
            ),
        ]

    def __str__(self):
        return f"Outcomes of operation {self.operation_id}"

    @property
    def victims_identified(self) -> int:
        return self.victims_adults + self.victims_children

    @property
    def charges(self) -> int:
        return sum(getattr(self, name) for name in CHARGE_FIELDS)

    def clean(self):
        """Counts that contradict each other, and dates out of order, are refused naming the field."""
        errors: dict[str, str] = {}
        if self.suspects_charged > self.suspects_arrested:
            errors["suspects_charged"] = (
                f"More suspects charged ({self.suspects_charged}) than arrested ({self.suspects_arrested})."
            )
        if self.suspects_convicted > self.suspects_charged:
            errors["suspects_convicted"] = (
                f"More suspects convicted ({self.suspects_convicted}) than charged ({self.suspects_charged})."
            )
        if self.suspects_charged and not self.charges:
            errors["charged_other"] = "Suspects were charged: count their charges by offence."
        if self.charges and not self.suspects_charged:
            errors["suspects_charged"] = "Charges are counted but no suspect is: enter the suspects charged."
        if self.charges and self.charges < self.suspects_charged:
            errors["charged_other"] = "Each suspect charged faces at least one charge: count every charge."
        if self.suspects_charged and not self.first_charged_on:
            errors["first_charged_on"] = "Enter the date the first suspect was charged."
        if self.first_charged_on and not self.suspects_charged:
            errors["first_charged_on"] = "No suspect is counted as charged: leave this date blank."
        victims = self.victims_identified
        if self.nrm_referrals + self.dtn_submissions > victims:
            errors["nrm_referrals"] = (
                f"NRM referrals and Duty to Notify submissions ({self.nrm_referrals + self.dtn_submissions}) "
                f"are more than the victims identified ({victims})."
            )
        if self.dtn_submissions > self.victims_adults:
            errors["dtn_submissions"] = "Duty to Notify is for adults: there are more submissions than adult victims."
        for name, label in (("victims_supported", "supported"), ("victims_withdrew", "who withdrew")):
            if getattr(self, name) > victims:
                errors[name] = f"More victims {label} than victims identified ({victims})."
        for kind in ("stpo", "stro"):
            applied, granted, breached = (
                getattr(self, f"{kind}_{part}") for part in ("applied", "granted", "breached")
            )
            if granted > applied:
                errors[f"{kind}_granted"] = "More orders granted than applied for."
            if breached > granted:
                errors[f"{kind}_breached"] = "More orders breached than granted."
        if self.cps_outcome and not self.cps_decision_on:
            errors["cps_decision_on"] = "Enter the date of the CPS charging decision."
        if self.cps_decision_on and not self.cps_outcome:
            errors["cps_outcome"] = "Choose the CPS charging decision."
        for part in PND_PARTS:
            recorded, on = getattr(self, f"pnd_{part}"), getattr(self, f"pnd_{part}_on")
            if recorded and not on:
                errors[f"pnd_{part}_on"] = "Enter the date it was recorded on PND."
            if on and not recorded:
                errors[f"pnd_{part}"] = "Tick this if it was recorded on PND, or leave the date blank."
        errors.update(self._dates_against(self.operation) if self.operation_id else {})
        if errors:
            raise ValidationError(errors)

    def _dates_against(self, operation) -> dict[str, str]:
        """Dates must fall within the operation: not before it opened, not after it closed."""
        errors = {}
        for name in ("first_charged_on", "cps_early_advice_on", "cps_decision_on"):
            day = getattr(self, name)
            if day and day < operation.opened_on:
                errors[name] = f"This is before the operation opened ({operation.opened_on:%-d %B %Y})."
            elif day and operation.closed_on and day > operation.closed_on:
                errors[name] = f"This is after the operation closed ({operation.closed_on:%-d %B %Y})."
        for part in PND_PARTS:
            day = getattr(self, f"pnd_{part}_on")
            if day and day < operation.opened_on:
                errors[f"pnd_{part}_on"] = f"This is before the operation opened ({operation.opened_on:%-d %B %Y})."
        if self.cps_early_advice_on and self.cps_decision_on and self.cps_decision_on < self.cps_early_advice_on:
            errors["cps_decision_on"] = "The charging decision cannot come before the early advice."
        return errors
