"""Form pieces shared by the strategy forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from mshtgov.roles import INTERNAL_ROLES


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


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


def owner_field(label="Owner", required=False):
    return OwnerChoiceField(queryset=internal_users(), required=required, label=label)
