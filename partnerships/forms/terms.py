from django import forms
from django.forms import modelformset_factory

from mshtgov.forms import PLANNED_DATES, AuditedModelForm, DateInput, GovukForm, GovukFormMixin
from partnerships.models import TermsMemberRow, TermsOfReference
from partnerships.models.terms import TERMS_TEXT_FIELDS


class TermsForm(AuditedModelForm):
    date_ranges = {"review_date": PLANNED_DATES}

    class Meta:
        model = TermsOfReference
        fields = [*TERMS_TEXT_FIELDS, "review_date", "marking"]
        widgets = {"review_date": DateInput()}


class TermsMemberRowForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = TermsMemberRow
        fields = ["responsibilities", "powers"]
        widgets = {
            "responsibilities": forms.Textarea(attrs={"rows": 3}),
            "powers": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.instance.organisation.name if self.instance.pk else ""
        self.fields["responsibilities"].label = f"{org}: responsibilities"
        self.fields["powers"].label = f"{org}: statutory powers"


TermsMemberRowFormSet = modelformset_factory(TermsMemberRow, form=TermsMemberRowForm, extra=0, can_delete=False)


def rows_formset(terms, data=None):
    """The matrix of a draft: one form per member row, never more (no rows can be added or moved here)."""
    return TermsMemberRowFormSet(data, queryset=terms.member_rows.select_related("organisation"), prefix="rows")


class TermsApproveForm(GovukForm):
    date_ranges = {"review_date": PLANNED_DATES}

    review_date = forms.DateField(
        label="Review by",
        help_text="The date by which the partnership must review these terms. Not before today.",
        widget=DateInput(),
        error_messages={"required": "Enter the date by which these terms of reference must be reviewed."},
    )


class TermsCompareForm(forms.Form):
    left = forms.IntegerField(min_value=1)
    right = forms.IntegerField(min_value=1)
