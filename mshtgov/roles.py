"""Roles are Django groups. Each app says, in its AppConfig.ready(), which model permissions a role gets;
`sync_role_permissions` (run after every migrate) makes the groups match, so the rules live beside the
models they govern and nothing here knows the domain apps."""

from collections import defaultdict

from django.contrib.auth.models import Group, Permission
from django.db.models import TextChoices


class Role(TextChoices):
    SENIOR_LEADER = "senior_leader", "Senior leader"
    PCC_LIAISON = "pcc_liaison", "PCC liaison"
    ANALYST = "analyst", "Analyst"
    PARTNERSHIP_COORDINATOR = "partnership_coordinator", "Partnership coordinator"
    BOARD_SECRETARY = "board_secretary", "Board secretary"
    EXTERNAL_PARTNER = "external_partner", "External partner"


INTERNAL_ROLES = frozenset(Role) - {Role.EXTERNAL_PARTNER}
ALL_ROLES = frozenset(Role)

_GROUP_TO_ROLE = {role.label: role for role in Role}
_grants: dict[Role, set[str]] = defaultdict(set)


def grant(roles, *perms: str) -> None:
    """Give each role the model permissions named "app_label.codename"."""
    for role in [roles] if isinstance(roles, str) else roles:
        _grants[Role(role)].update(perms)


def granted_permissions(role: Role) -> frozenset[str]:
    return frozenset(_grants[Role(role)])


def roles_of(user) -> frozenset[Role]:
    """The user's roles, read once per user object (one query)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_mshtgov_roles", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)
        cached = frozenset(_GROUP_TO_ROLE[n] for n in names if n in _GROUP_TO_ROLE)
        user._mshtgov_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    """True when the user holds any of the roles. Admins (superusers) count as every internal role,
    never as an external partner: partner scoping must not be bypassed by a flag."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser and any(Role(r) in INTERNAL_ROLES for r in roles):
        return True
    return bool(roles_of(user) & {Role(r) for r in roles})


def is_external_partner(user) -> bool:
    return Role.EXTERNAL_PARTNER in roles_of(user) and not user.is_superuser


def ensure_role_groups() -> dict[Role, Group]:
    return {role: Group.objects.get_or_create(name=role.label)[0] for role in Role}


def sync_role_permissions(**_kwargs) -> None:
    """Make each role's group hold exactly the permissions granted to it (idempotent)."""
    groups = ensure_role_groups()
    wanted = {perm for perms in _grants.values() for perm in perms}
    by_name = {}
    for perm in Permission.objects.filter(content_type__app_label__in={p.split(".")[0] for p in wanted}).select_related(
        "content_type"
    ):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role, group in groups.items():
        perms = [by_name[p] for p in sorted(_grants[role]) if p in by_name]
        group.permissions.set(perms)
