"""The sections a secretary may choose for a pack. Panels registered by any app are sections too."""

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


def available_sections(user=None) -> list[Section]:
    """In the order they appear in the pack. With a user, only the panels that user may see."""
    panel_sections = [
        Section(f"panel:{p.key}", p.title, p)
        for p in panels.all_panels()
        if p.in_board_pack and (user is None or p.visible(user))
    ]
    return [AGENDA, PREVIOUS, ACTIONS, *panel_sections, SINCE]


def chosen_sections(keys, user) -> list[Section]:
    """The sections named by `keys` (all of them when none are named), in pack order."""
    sections = available_sections(user)
    if not keys:
        return sections
    wanted = set(keys)
    return [s for s in sections if s.key in wanted]
