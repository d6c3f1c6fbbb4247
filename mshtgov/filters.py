"""What the registers' list pages share: the filter form's rules and the people a record can be given to.

A list page (lessons, operations, disruptions) takes a GET form of filters (`FilterForm`), lists what the
filters select, and logs the filters in use (`summary`, through `mshtgov.audit.loggable_filters`: typed
words only as a hash). The form sits beside the list (`templates/includes/filter_form.html`)."""

from django import forms
from django.contrib.auth import get_user_model

from mshtgov.audit import loggable_filters
from mshtgov.fixed_choices import fixed_choices
from mshtgov.forms import GovukForm, render_in_one_pass
from mshtgov.roles import Role

FROM_BEFORE_TO = "The 'to' date must be the same as or after the 'from' date"


def with_any(choices, label="Any"):
    """A filter's choices with an empty first choice: filtering on it selects everything."""
    return [("", label), *choices]


class FilterForm(GovukForm):
    """A list's filters. `from_before_to`: (from field, to field) pairs whose 'to' may not come before 'from'
    (the error goes beside the 'to' field). Not `date_ranges`: that is GovukFormMixin's range per date field."""

    from_before_to: tuple[tuple[str, str], ...] = ()

    def clean(self):
        cleaned = super().clean()
        for start_field, end_field in self.from_before_to:
            start, end = cleaned.get(start_field), cleaned.get(end_field)
            if start and end and end < start:
                self.add_error(end_field, FROM_BEFORE_TO)
        return cleaned

    def criteria(self) -> dict:
        """The filters to apply: none while the form is unbound or invalid (its errors are shown instead)."""
        return self.cleaned_data if self.is_bound and self.is_valid() else {}

    def summary(self) -> dict:
        """The filters in use, for the access log: typed words only as a salted hash (mshtgov.audit)."""
        return loggable_filters(self)

    def render(self, template_name=None, context=None, renderer=None):
        """`{{ form }}`: the same markup as the field templates give, drawn in one pass (issues 12 and 15:
        the operations register's filters cost more to draw through the templates than its rows)."""
        if template_name is None and context is None and renderer is None:
            return render_in_one_pass(self)
        return super().render(template_name, context, renderer)

    # Django's RenderableMixin binds these to its own render(): `{{ form }}` calls __html__.
    __str__ = render
    __html__ = render


@fixed_choices
def staff_users():
    """People who can own or lead a record: active, and not external partners."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(groups__name=Role.EXTERNAL_PARTNER.label)
        .order_by("first_name", "last_name", "username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    """A person offered by full name (the user name where none is recorded)."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()
