"""The one way views say who may use them. Anonymous visitors never get here (LoginRequiredMiddleware);
a signed-in user without the right gets 403, and records they may not know of answer 404
(`get_visible_or_404` over the model's `visible_to(user)` queryset)."""

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from mshtgov.roles import has_role


def get_visible_or_404(queryset, pk):
    """The record `pk` from `queryset`, which the caller has already narrowed to what the reader may see
    (`Model.objects.visible_to(user)`), or 404: a record the reader may not see and one that does not
    exist answer alike. An id that is not a valid key (text, NUL, out of range) is a 404 too, never a 500."""
    try:
        pk = queryset.model._meta.pk.to_python(pk)
    except ValidationError as exc:
        raise Http404 from exc
    # first(), not get(): a visibility filter over joins may match a record more than once.
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


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
