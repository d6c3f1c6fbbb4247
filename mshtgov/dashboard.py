"""The dashboard's cards, cached per reader and invalidated per panel (issue 15).

Each card (a panel's summary as rendered HTML, with its attention lines, headline figures and marking)
is built once for a reader and period, and kept until a model it read changes
(`mshtgov.summaries.build_watched`: the models are found by watching the build, so none can be
forgotten). A warm dashboard is then two cache round trips (every card's entry, then the versions they
were built under) and one light template; a change rebuilds only the cards that read what changed.

Who a card was built for is part of its key: the reader's id, their roles and permissions, the period
and the day (overdue moves at midnight). A card is therefore never shown to anyone but the reader it was
built for, and a change of roles or permissions builds new cards. Which panels a reader sees is decided
on every request (`panels.panels_for`), never read from the cache.
"""

import hashlib
from dataclasses import dataclass, field

from django.template.loader import get_template

from mshtgov import attention, panels, summaries
from mshtgov.roles import roles_of

CARD_TEMPLATE = "mshtgov/dashboard_card.html"


@dataclass(frozen=True)
class Card:
    key: str
    html: str
    attention: list = field(default_factory=list)  # [mshtgov.attention.Attention], zero counts included
    headlines: list = field(default_factory=list)  # [mshtgov.attention.Headline]
    marking: object = None


def audience(user) -> str:
    """The reader as far as a card can tell: who, with which roles and permissions (a digest)."""
    if user.is_superuser:
        grants = "superuser"
    else:
        roles_of(user)  # reads roles and permissions together, once per request
        grants = ",".join(sorted(user.get_all_permissions()))
    text = f"{user.pk}|{user.is_active}|{','.join(sorted(roles_of(user)))}|{grants}"
    return f"{user.pk}-{hashlib.sha256(text.encode()).hexdigest()[:24]}"


def _entry_key(panel, who: str, period, today) -> str:
    return f"dashboard-card:{panel.key}:{who}:{period.key}:{period.start}:{period.end}:{today}"


def _build(panel, user, period) -> Card:
    data = panel.gather(user, period)
    lines = list(panel.attention(user, period, data)) if panel.attention else []
    heads = list(panel.headlines(user, period, attention.previous_period(period), data)) if panel.headlines else []
    html = get_template(CARD_TEMPLATE).render({"panel": panel, "data": data, "period": period, "for_pdf": False})
    return Card(panel.key, html, lines, heads, data.get("marking"))


def cards(user, period, today) -> list[Card]:
    """The cards of every panel `user` may see, in panel order, built only where not cached."""
    shown = panels.panels_for(user)
    who = audience(user)
    keys = {panel.key: _entry_key(panel, who, period, today) for panel in shown}
    found = summaries.read_watched(list(keys.values()))
    built, before = {}, None
    out = []
    for panel in shown:
        card = found.get(keys[panel.key])
        if card is None:
            before = before or summaries.every_version()
            card, versions = summaries.build_watched(lambda panel=panel: _build(panel, user, period), before)
            built[keys[panel.key]] = (card, versions)
        out.append(card)
    if built:
        summaries.store_watched(built)
    return out
