"""Choice lists whose query never changes: built once per process, their SQL compiled once.

A form's choice list is kept in the cache under a key made from its query's SQL and parameters
(`mshtgov.forms._choice_list_key`), so a list scoped to its reader is never served to another. Compiling
that SQL is a cost of its own: a list of force staff (active, not an external partner: an EXISTS subquery)
took about 1 ms to build and compile, and an edit form offers up to three such lists (a board's chair,
secretary and members), on every draw (issue 15).

`fixed_choices` marks a function that takes no arguments and returns the same query whenever it is called
(no date, no reader, nothing read at call time): the queryset is built once, each call hands out a fresh clone
(`.all()`, which Django's choice fields also call), and the clone carries the function's name, so the key of a
list drawn from it is worked out once per process (`fixed_sql`). Any other change to the queryset (a filter,
an ordering, `.only()`) drops the name: that query's SQL is compiled as before. Test:
tests/core/test_fixed_choices.py."""

import functools
from collections.abc import Callable

from django.db.models import QuerySet


class _Named:
    """Mixed into a queryset's own class: `.all()` keeps the name, every other clone loses it (the class
    attribute answers None there, since Django's `_clone` builds a new queryset with only its own state)."""

    fixed_choices_name: str | None = None

    def all(self):
        clone = super().all()
        clone.fixed_choices_name = self.fixed_choices_name
        return clone


@functools.cache
def _named_class(cls: type) -> type:
    if issubclass(cls, _Named):  # a fixed list narrowed into another one (its clones keep the class)
        return cls
    return type(f"Fixed{cls.__name__}", (_Named, cls), {})


def fixed_choices(factory: Callable[[], QuerySet]) -> Callable[[], QuerySet]:
    """Decorate an argument-free function returning a queryset that never changes (see the module)."""
    name = f"{factory.__module__}.{factory.__qualname__}"

    @functools.cache
    def built() -> QuerySet:
        queryset = factory().all()
        queryset.__class__ = _named_class(type(queryset))
        queryset.fixed_choices_name = name
        return queryset

    @functools.wraps(factory)
    def fresh() -> QuerySet:
        return built().all()

    return fresh


_sql: dict[tuple, tuple[str, tuple]] = {}


def fixed_sql(queryset: QuerySet, columns: tuple[str, ...], lean: QuerySet) -> tuple[str, tuple] | None:
    """The SQL and parameters of `lean` (`queryset` reading only `columns`), compiled once per process when
    `queryset` came unchanged from a `fixed_choices` function; None otherwise (the caller compiles it)."""
    name = getattr(queryset, "fixed_choices_name", None)
    if name is None:
        return None
    key = (name, columns)
    if key not in _sql:
        _sql[key] = lean.query.sql_with_params()
    return _sql[key]
