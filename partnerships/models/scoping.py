"""The one way a list of partnership-scoped records is narrowed for the user asking.

External partners see only what their organisation's group was granted object by object (guardian direct
foreign-key tables); a model-wide permission never widens their list, even if one were given by mistake.
Internal users see everything their role's model permission covers, or nothing.
"""

from django.db import models
from guardian.shortcuts import get_objects_for_user

from mshtgov.roles import is_external_partner


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        perm = f"{self.model._meta.app_label}.view_{self.model._meta.model_name}"
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_external_partner(user):
            return get_objects_for_user(user, perm, klass=self, accept_global_perms=False, with_superuser=False)
        if user.has_perm(perm):
            return self
        return self.none()
