"""The one way views say who may use them. Anonymous visitors never get here (LoginRequiredMiddleware);
a signed-in user without the right gets 403, and records they may not know of answer 404 (the apps'
`get_<thing>_for_user` helpers)."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.http import url_has_allowed_host_and_scheme

from mshtgov.roles import has_role


def user_may(user, *, perms=(), roles=()) -> bool:
    """All of `perms` (model permissions) and, when given, any one of `roles`."""
    if perms and not user.has_perms(perms):
        return False
    return not roles or has_role(user, *roles)


def require(*, perms=(), roles=()):
    """Decorator for function views."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not user_may(request.user, perms=perms, roles=roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RequireMixin:
    """For class-based views: set `required_perms` and/or `required_roles`."""

    required_perms: tuple[str, ...] = ()
    required_roles: tuple = ()

    def dispatch(self, request, *args, **kwargs):
        if not user_may(request.user, perms=self.required_perms, roles=self.required_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def safe_next(request, target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site (no open redirect to another host or to plain http), else `default`."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
