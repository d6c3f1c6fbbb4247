"""The one way views say who may use them. Anonymous visitors never get here (LoginRequiredMiddleware);
a signed-in user without the right gets 403, and records they may not know of answer 404
(`get_visible_or_404` over the model's `visible_to(user)` queryset)."""

from dataclasses import dataclass
from functools import lru_cache, wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404
from django.urls import resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from mshtgov.roles import has_role, is_external_partner


def get_visible_or_404(queryset, pk):
    """The record `pk` from `queryset`, which the caller has already narrowed to what the reader may see
    (`Model.objects.visible_to(user)`), or 404: a record the reader may not see and one that does not
    exist answer alike. An id that is not a valid key (text, NUL, out of range) is a 404 too, never a 500."""
    try:
        pk = queryset.model._meta.pk.to_python(pk)
    except ValidationError as exc:
        raise Http404 from exc
    # The first match, not get(): a visibility filter over joins may match a record more than once (the same row
    # each time). Without the model's ordering: one record needs none, and resolving it was half the cost of
    # compiling a detail page's query (an operation's: ordered by date and id over five joined tables; issue 15).
    found = queryset.filter(pk=pk).order_by()[:1]
    for obj in found:
        return obj
    raise Http404


@dataclass(frozen=True)
class Rule:
    """What a view needs, as declared by `@require` / `RequireMixin` (and read by the meta-test that
    checks every page declares one).

    perms: all of these model permissions ("app.codename"); roles: any one of these roles, when given;
    partners: an external partner passes this gate without them. Partners hold no model permission on
    records they share with the force: what they reach is decided record by record, by object grants
    behind `visible_to(user)`. With nothing given, any signed-in user passes."""

    perms: tuple[str, ...] = ()
    roles: tuple = ()
    partners: bool = False

    def allows(self, user) -> bool:
        if self.partners and is_external_partner(user):
            return True
        return user_may(user, perms=self.perms, roles=self.roles)


def user_may(user, *, perms=(), roles=()) -> bool:
    """All of `perms` (model permissions) and, when given, any one of `roles`."""
    if perms and not user.has_perms(perms):
        return False
    return not roles or has_role(user, *roles)


def require(*, perms=(), roles=(), partners: bool = False):
    """The one way a function view says what it needs (see `Rule`); a user without it gets 403.

    Record-level needs come after the record is found (`require_perm`), so that a record the user may
    not know of answers 404 before any 403 could confirm it exists."""
    rule = Rule(tuple(perms), tuple(roles), partners)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not rule.allows(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule
        return wrapped

    return decorator


def require_perm(user, *perms: str) -> None:
    """403 unless the user holds every one of `perms`: for a stricter need on a record already found
    visible (e.g. changing it), checked after `get_visible_or_404`."""
    if not user.has_perms(perms):
        raise PermissionDenied


def rule_of(view) -> Rule | None:
    """The `Rule` a view declared with `@require` or `RequireMixin`, or None if it declared none."""
    rule = getattr(view, "access_rule", None)
    if rule is None and hasattr(view, "view_class"):
        rule = getattr(view.view_class, "access_rule", None)
    return rule() if callable(rule) else rule


@lru_cache(maxsize=1024)
def _rule_of_page(url_name: str, args: tuple, kwargs: tuple) -> Rule | None:
    # A page's gate is fixed by the code, so it is found once per process, not on every menu drawn.
    return rule_of(resolve(reverse(url_name, args=args, kwargs=dict(kwargs))).func)


@receiver(setting_changed)
def _urls_changed(*, setting, **_kwargs):
    if setting == "ROOT_URLCONF":
        _rule_of_page.cache_clear()


def may_open(user, url_name: str, *args, **kwargs) -> bool:
    """Whether `user` passes the gate of the page named `url_name`: a link or menu entry is shown
    exactly when its page would let the user in (a page that declares nothing is never linked)."""
    rule = _rule_of_page(url_name, tuple(str(a) for a in args), tuple(sorted((k, str(v)) for k, v in kwargs.items())))
    return rule is not None and rule.allows(user)


class RequireMixin:
    """For class-based views: set `required_perms`, `required_roles` and/or `partners_pass` (see `Rule`)."""

    required_perms: tuple[str, ...] = ()
    required_roles: tuple = ()
    partners_pass: bool = False

    @classmethod
    def access_rule(cls) -> Rule:
        return Rule(tuple(cls.required_perms), tuple(cls.required_roles), cls.partners_pass)

    def dispatch(self, request, *args, **kwargs):
        if not self.access_rule().allows(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def safe_next(request, target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site (no open redirect to another host or to plain http), else `default`."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
