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


# Where django.contrib.auth's ModelBackend keeps a user's permissions once read (it reads them only
# when these are missing); `load_grants` fills them, tests/core/test_auth.py checks they agree.
PERMISSION_CACHES = ("_user_perm_cache", "_group_perm_cache", "_perm_cache")


def load_grants(user) -> frozenset[Role]:
    """Read the user's roles and model permissions in one query (ModelBackend alone takes one for the
    user's own permissions and one for their groups', and roles one more), and keep them on the user
    object for the rest of the request. Superusers' permissions are left to ModelBackend (all of them)."""
    from django.db.models import CharField, Value

    by_group = Group.objects.filter(user=user).values_list(
        "name", "permissions__content_type__app_label", "permissions__codename"
    )
    own = Permission.objects.filter(user=user).values_list(
        Value("", output_field=CharField()), "content_type__app_label", "codename"
    )
    names, group_perms, user_perms = set(), set(), set()
    for group, app_label, codename in by_group.order_by().union(own.order_by(), all=True):
        if group:
            names.add(group)
        if codename:
            (group_perms if group else user_perms).add(f"{app_label}.{codename}")
    roles = frozenset(_GROUP_TO_ROLE[n] for n in names if n in _GROUP_TO_ROLE)
    user._mshtgov_roles = roles
    if user.is_active and not user.is_superuser:
        user._user_perm_cache = user_perms
        user._group_perm_cache = group_perms
        user._perm_cache = user_perms | group_perms
    return roles


def forget_grants(user) -> None:
    """After changing a user's groups or permissions: read them afresh on next use."""
    for attr in ("_mshtgov_roles", *PERMISSION_CACHES):
        if hasattr(user, attr):
            delattr(user, attr)


def roles_of(user) -> frozenset[Role]:
    """The user's roles, read once per user object (with their permissions: `load_grants`)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_mshtgov_roles", None)
    if cached is None:
        cached = load_grants(user)
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
