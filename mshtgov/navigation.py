"""Primary navigation. Apps register their entries in AppConfig.ready(); each user sees only the
entries whose `visible(user)` is true (by default: whose page's `@require` gate lets them in), so the
menu never offers a page that would refuse them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from mshtgov.access import may_open


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    # Who sees the entry; by default exactly those the page's own gate lets in (mshtgov.access.may_open).
    visible: Callable | None = None
    # URL prefixes that count as "inside" this section, for aria-current.
    section_prefix: str = ""

    def shown_to(self, user) -> bool:
        return self.visible(user) if self.visible is not None else may_open(user, self.url_name)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_items: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _items[item.url_name] = item


def items_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [item for item in sorted(_items.values(), key=lambda i: i.order) if item.shown_to(user)]


def menu_for(request) -> list[dict]:
    """The user's menu with the entry for the current section marked active."""
    menu = []
    for item in items_for(request.user):
        url = item.url
        prefix = item.section_prefix or url
        active = request.path == url or (prefix != "/" and request.path.startswith(prefix))
        menu.append({"label": item.label, "url": url, "active": active})
    return menu
