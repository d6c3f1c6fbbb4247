"""The sections a secretary may choose for a pack. Panels registered by any app are sections too.

What is offered depends on who the pack is FOR (its audience: governance.packs.audience), never on who asks
for it: a panel only if every reader may see it, the internal sections (minutes, decisions, actions) only if
every reader is force staff."""

from dataclasses import dataclass

from mshtgov import panels


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    panel: panels.Panel | None = None

    @property
    def anchor(self) -> str:
        return "section-" + self.key.replace(":", "-")


AGENDA = Section("agenda", "Agenda")
PREVIOUS = Section("previous", "Previous minutes and decisions")
ACTIONS = Section("actions", "Actions")
SINCE = Section("since", "Since the last meeting")


def available_sections(audience=None) -> list[Section]:
    """In the order they appear in the pack. With an audience, only what every one of its readers may see
    (every section, without one: for naming the sections of a pack already built)."""
    readers = audience.readers if audience is not None else None
    panel_sections = [
        Section(f"panel:{p.key}", p.title, p)
        for p in panels.all_panels()
        if p.in_board_pack and (readers is None or (readers and all(p.visible(user) for user in readers)))
    ]
    if audience is not None and not audience.all_see_internal():
        return [AGENDA, *panel_sections]
    return [AGENDA, PREVIOUS, ACTIONS, *panel_sections, SINCE]


def chosen_sections(keys, audience) -> list[Section]:
    """The sections named by `keys` (all of them when none are named) that the audience may see, in pack order."""
    sections = available_sections(audience)
    if not keys:
        return sections
    wanted = set(keys)
    return [s for s in sections if s.key in wanted]
