from datetime import datetime, time, timedelta

from django import forms
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from mshtgov.audit import search_term_hash
from mshtgov.forms import DateInput, GovukForm, render_in_one_pass
from mshtgov.models import AccessAction

_ACTIONS = frozenset(value for value, _label in AccessAction.choices)
# The form drawn for each action chosen, bound or not (AccessLogFilterForm.render): a few entries at most.
_DRAWN: dict[tuple, str] = {}


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
        """`{{ form }}`: the same markup as the field templates give, its select drawn in one pass (issue 15).
        The form with nothing typed (no filter, or only an action chosen: the log's first, next and last pages
        and its searches) is drawn once per process: the same values give the same markup, and the log is
        viewed far more often than it is searched. Nothing typed is kept (a name, a date, words searched for)."""
        if template_name is None and context is None and renderer is None:
            key = self._nothing_typed_key()
            if key is None:
                return render_in_one_pass(self)
            drawn = _DRAWN.get(key)
            if drawn is None:
                if len(_DRAWN) > 32:  # yesterday's drawings
                    _DRAWN.clear()
                drawn = _DRAWN[key] = render_in_one_pass(self)
            return drawn
        return super().render(template_name, context, renderer)

    def _nothing_typed_key(self):
        """(day, bound, action sent, action) when nothing but the page and an action among the choices (or
        "Any") was sent; None otherwise. The day: a date's hint gives an example from the dates allowed."""
        names = set(self.data) - {"page"}
        if not names <= {"action"}:
            return None
        action = ""
        if names:
            values = self.data.getlist("action") if hasattr(self.data, "getlist") else [self.data["action"]]
            if len(values) != 1 or (values[0] and values[0] not in _ACTIONS):
                return None
            action = values[0]
        return (timezone.localdate(), self.is_bound, bool(names), action)

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
        # A day is from its local midnight to the next: the same entries as `at__date__gte`/`__lte` (the date in
        # the service's time zone), as a range the index on `at` can serve rather than a date worked out for
        # every entry (issue 15).
        if data.get("date_from"):
            rows = rows.filter(at__gte=_midnight(data["date_from"]))
        if data.get("date_to"):
            rows = rows.filter(at__lt=_midnight(data["date_to"] + timedelta(days=1)))
        return rows


def _midnight(day):
    """The start of `day` in the current time zone (midnight exists every day in London: clocks change at 1am)."""
    return timezone.make_aware(datetime.combine(day, time.min))
