from django import forms
from django.db.models import TextField
from django.db.models.functions import Cast

from mshtgov.audit import search_term_hash
from mshtgov.forms import DateInput, GovukForm, render_in_one_pass
from mshtgov.models import AccessAction


class AccessLogFilterForm(GovukForm):
    personal_data_exempt_reason = "A search: nothing typed is stored; free-text terms are logged only as a hash."
    username = forms.CharField(required=False, max_length=150)
    action = forms.ChoiceField(required=False, choices=[("", "Any")] + AccessAction.choices)
    record = forms.CharField(required=False, max_length=200, label="Record", help_text="Part of its name or type")
    searched_for = forms.CharField(
        required=False,
        max_length=200,
        label="Searches for",
        help_text="The exact words of a search: finds the searches that used them. Search terms are kept only "
        "as a salted hash, so this is the only way to find them.",
    )
    date_from = forms.DateField(required=False, label="From", widget=DateInput)
    date_to = forms.DateField(required=False, label="To", widget=DateInput)

    def render(self, template_name=None, context=None, renderer=None):
        """`{{ form }}`: the same markup as the field templates give, its select drawn in one pass (issue 15)."""
        if template_name is None and context is None and renderer is None:
            return render_in_one_pass(self)
        return super().render(template_name, context, renderer)

    # Django's RenderableMixin binds these to its own render(): `{{ form }}` calls __html__.
    __str__ = render
    __html__ = render

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned

    def apply(self, rows):
        data = self.cleaned_data
        if data.get("username"):
            rows = rows.filter(username__iexact=data["username"])
        if data.get("action"):
            rows = rows.filter(action=data["action"])
        if data.get("record"):
            rows = rows.filter(object_repr__icontains=data["record"]) | rows.filter(
                object_type__icontains=data["record"]
            )
        if data.get("searched_for"):
            rows = rows.annotate(detail_text=Cast("detail", TextField())).filter(
                action=AccessAction.SEARCH, detail_text__contains=search_term_hash(data["searched_for"])
            )
        if data.get("date_from"):
            rows = rows.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            rows = rows.filter(at__date__lte=data["date_to"])
        return rows
