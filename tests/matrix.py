"""The role x page x expected-status matrix.

Each app lists its pages in `tests/<app>/matrix_rows.py`:

    def build(world): ...          # add the records the rows need to `world` (users are already there)
    ROWS = [Row("strategy:objective-detail", allow(LEADERS, partner=404), kwargs=lambda w: {"pk": w.objective.pk})]

`tests/test_role_matrix.py` runs every row for every role (each request inside a rolled-back
savepoint, so a POST by one role does not change what the next sees) and fails when a named URL has no row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ALL_ROLES = ("leader", "pcc", "analyst", "coordinator", "secretary", "partner", "admin")
INTERNAL = ("leader", "pcc", "analyst", "coordinator", "secretary", "admin")


@dataclass
class Row:
    url_name: str
    expected: dict[str, int]
    kwargs: Callable | None = None  # kwargs(world) -> dict for reverse()
    method: str = "get"
    data: Callable | None = None  # data(world) -> dict for POST
    query: str = ""
    id: str = ""  # distinguishes two rows for one URL name
    note: str = field(default="", repr=False)

    @property
    def test_id(self) -> str:
        return f"{self.url_name}{'-' + self.id if self.id else ''}-{self.method}"


def allow(*roles, ok: int = 200, refused: int = 403, anon: int = 302, **overrides) -> dict[str, int]:
    """Expected statuses: `roles` get `ok`, other roles `refused`, anonymous `anon`; `overrides`
    name exceptions, e.g. partner=404 where the record is one the partner must not know exists."""
    expected = {role: (ok if role in roles else refused) for role in ALL_ROLES}
    expected["anon"] = anon
    expected.update(overrides)
    return expected
