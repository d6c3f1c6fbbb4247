"""What other apps may tell governance about a board, without governance importing them.

- `register_terms_provider(fn)`: fn(board) -> (text, url) or None. The partnerships app answers for a
  partnership forum with its approved terms of reference, shown on the board's page instead of the
  board's own text.
- Partner organisations sitting on a board are the `partner-org-<id>` groups granted
  `governance.view_board` on it; `partner_organisations(board)` names them.
"""

import re
from collections.abc import Callable

from django.apps import apps

from governance.models import BoardGroupObjectPermission

_terms_providers: list[Callable] = []
_PARTNER_GROUP = re.compile(r"^partner-org-(\d+)$")


def register_terms_provider(provider: Callable) -> None:
    if provider not in _terms_providers:
        _terms_providers.append(provider)


def terms_of_reference(board) -> tuple[str, str] | None:
    for provider in _terms_providers:
        found = provider(board)
        if found:
            return found
    return None


def partner_organisations(board) -> list[str]:
    """Names of the partner organisations granted the board (two queries)."""
    ids = []
    for name in BoardGroupObjectPermission.objects.filter(
        content_object=board, permission__codename="view_board"
    ).values_list("group__name", flat=True):
        match = _PARTNER_GROUP.match(name)
        if match:
            ids.append(int(match.group(1)))
    if not ids:
        return []
    try:
        organisation = apps.get_model("partnerships", "PartnerOrganisation")
    except LookupError:
        return [f"Partner organisation {i}" for i in ids]
    return list(organisation._default_manager.filter(pk__in=ids).order_by("name").values_list("name", flat=True))
