"""Form pieces shared by the strategy forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from mshtgov.filters import PersonChoiceField
from mshtgov.roles import INTERNAL_ROLES

# A long multiple select: with JavaScript a box above it filters the options as you type
# (static/js/record-picker.js); without JavaScript it is the plain list it always was.
FILTERED_SELECT = forms.SelectMultiple(attrs={"data-filter-options": ""})


def internal_users():
    """People who may own an objective, threat or answer: staff of the force, never external partners."""
    labels = [role.label for role in INTERNAL_ROLES]
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=labels) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def owner_field(label="Owner", required=False):
    return PersonChoiceField(queryset=internal_users(), required=required, label=label)


class LinkChangesInHistory:
    """simple-history keeps fields, not many-to-many links, so a form that edits links writes what
    changed into the change reason, where the record's history page shows it."""

    link_fields: tuple[str, ...] = ()

    def save(self, commit=True):
        if self.editing:
            notes = []
            for name in self.link_fields:
                before = set(getattr(self.instance, name).all())
                after = set(self.cleaned_data.get(name) or [])
                label = self.fields[name].label
                for verb, changed in (("added", after - before), ("removed", before - after)):
                    if changed:
                        notes.append(f"{label}: {verb} {', '.join(sorted(str(o) for o in changed))}")
            if notes:
                self.cleaned_data["change_reason"] = (
                    f"{self.cleaned_data.get('change_reason', '')} ({'; '.join(notes)})"
                )
        return super().save(commit=commit)
