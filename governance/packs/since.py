"""What changed since the board last met: a registry, so each app can add its own changes to the
pack's "since the last meeting" page without governance importing it.

An app registers, in its AppConfig.ready():

    from governance.packs import since
    since.register(since.SinceProvider("threats", "Threats whose priority changed", 30,
                                       gather=threat_changes, template="strategy/pack/threat_changes.html"))

`gather(user, start, end)` returns a dict (with "marking" when it holds sensitive records); the template
gets `data`, `provider` and `for_pdf`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SinceProvider:
    key: str
    title: str
    order: int
    gather: Callable  # gather(user, start: date, end: date) -> dict
    template: str


_providers: dict[str, SinceProvider] = {}


def register(provider: SinceProvider) -> None:
    _providers[provider.key] = provider


def providers() -> list[SinceProvider]:
    return sorted(_providers.values(), key=lambda p: p.order)
