"""Demo-data seeders. Each app registers one in AppConfig.ready(); `seed_demo` runs them in order.

A seeder must be idempotent (a second run adds nothing) and scale its volumes by `ctx.scale`.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass
class DemoContext:
    scale: int
    users: dict  # username -> User
    today: date
    rng: random.Random = field(default_factory=lambda: random.Random(20261128))  # noqa: S311
    log: Callable = print
    shared: dict = field(default_factory=dict)  # what one seeder leaves for later ones


_seeders: list[tuple[int, str, Callable]] = []


def register(order: int, name: str, seeder: Callable) -> None:
    if all(existing != name for _, existing, _ in _seeders):
        _seeders.append((order, name, seeder))


def seeders() -> list[tuple[int, str, Callable]]:
    return sorted(_seeders, key=lambda s: s[0])
