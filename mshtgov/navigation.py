"""Primary navigation. Apps register their entries in AppConfig.ready(); each user sees only the
entries whose `visible(user)` is true (by default: whose page's `@require` gate lets them in), so the
menu never offers a page that would refuse them.

Every signed-in page draws the menu, so it is worked out once per process for each set of grants (roles,
model permissions, superuser and active flags: all a gate or a `visible(user)` may look at) and kept;
a user whose grants change gets the menu of the new set on the next request."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

from mshtgov.access import may_open
from mshtgov.roles import roles_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    # Who sees the entry; by default exactly those the page's own gate lets in (mshtgov.access.may_open).
    # It may look only at the user's roles and model permissions (the menu is kept per set of them).
    visible: Callable | None = None
    # URL prefixes that count as "inside" this section, for aria-current.
    section_prefix: str = ""

    def shown_to(self, user) -> bool:
        return self.visible(user) if self.visible is not None else may_open(user, self.url_name)

    @property
    def url(self) -> str:
        return url_of(self.url_name)


@lru_cache(maxsize=256)
def _reverse(url_name: str, prefix: str, urlconf) -> str:
    return reverse(url_name, urlconf=urlconf)


def url_of(url_name: str) -> str:
    """`reverse(url_name)` for a page without arguments, worked out once per process (the layout names
    the same few pages on every request)."""
    return _reverse(url_name, get_script_prefix(), get_urlconf())


class PageUrls:
    """`{{ urls.home }}` in a template: the URL of a page without arguments, as `{% url 'home' %}`."""

    def __getitem__(self, url_name: str) -> str:
        return url_of(url_name)


_items: dict[str, NavItem] = {}
# (grants, script prefix) -> the menu's entries as (label, url, section prefix).
_menus: dict[tuple, tuple[tuple[str, str, str], ...]] = {}


def register(item: NavItem) -> None:
    _items[item.url_name] = item
    _menus.clear()


@receiver(setting_changed)
def _urls_changed(*, setting, **_kwargs):
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
        _menus.clear()


def items_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [item for item in sorted(_items.values(), key=lambda i: i.order) if item.shown_to(user)]


def grants_key(user) -> tuple:
    """Everything a menu entry's gate may depend on. An active superuser holds every permission
    (ModelBackend reads none for them); anyone else's permissions were read with their roles."""
    roles = roles_of(user)
    if user.is_superuser and user.is_active:
        return (True, True, roles, None)
    return (user.is_superuser, user.is_active, roles, frozenset(user.get_all_permissions()))


def _entries(user) -> tuple[tuple[str, str, str], ...]:
    key = (grants_key(user), get_script_prefix(), get_urlconf())
    entries = _menus.get(key)
    if entries is None:
        entries = tuple((item.label, item.url, item.section_prefix) for item in items_for(user))
        if len(_menus) >= 512:  # a handful of role sets in practice; never grows without bound
            _menus.clear()
        _menus[key] = entries
    return entries


def menu_for(request) -> list[dict]:
    """The user's menu with the entry for the current section marked active."""
    if not getattr(request.user, "is_authenticated", False):
        return []
    menu = []
    for label, url, section_prefix in _entries(request.user):
        prefix = section_prefix or url
        active = request.path == url or (prefix != "/" and request.path.startswith(prefix))
        menu.append({"label": label, "url": url, "active": active})
    return menu
