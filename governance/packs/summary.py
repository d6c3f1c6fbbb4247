"""The pack's executive summary: what needs the board's attention, the decisions it is asked to take,
and headline figures against the last meeting.

What needs attention is the dashboard's "Needs your attention" (`mshtgov.attention`, each line defined
once, by the panel that owns its figure) read from the panels the pack has already gathered, so the
summary, the pages after it and the dashboard can never disagree. A panel the secretary left out of the
pack, or one that failed, adds no line; a line that some reader of the pack would not read is left out.
The board's own actions are counted here.
"""

from dataclasses import dataclass
from datetime import date

from governance.models import OPEN_STATUSES, AgendaPurpose

# How a line is shown: its tag colour, and the word beside it (the colour is never alone).
URGENT = ("red", "Urgent")
DUE = ("orange", "Due")
WAITING = ("grey", "Waiting")


@dataclass(frozen=True)
class AttentionLine:
    count: int | None  # None for a warning that is not a count
    text: str  # what follows the count: "of this board's actions are overdue"
    level: tuple[str, str] = DUE

    @property
    def colour(self) -> str:
        return self.level[0]

    @property
    def label(self) -> str:
        return self.level[1]


@dataclass(frozen=True)
class Headline:
    label: str
    now: int
    before: int | None  # at the last meeting; None when it cannot be known
    higher_is_better: bool = True

    @property
    def change(self) -> str:
        """The move since the last meeting in words, and whether it is good news ("Up 3, worse")."""
        if self.before is None:
            return "Not known at the last meeting"
        diff = self.now - self.before
        if diff == 0:
            return "No change"
        better = (diff > 0) == self.higher_is_better
        return f"{'Up' if diff > 0 else 'Down'} {abs(diff)}, {'better' if better else 'worse'}"

    @property
    def colour(self) -> str:
        change = self.change
        return "green" if change.endswith("better") else "red" if change.endswith("worse") else "grey"


def _value(figure) -> int | None:
    """A panel's count is a mshtgov.figures.Figure or a plain number."""
    value = getattr(figure, "value", figure)
    return value if isinstance(value, int) else None


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


# The dashboard's order (mshtgov.attention URGENT / DUE / WAITING) read as the pack's tags.
def _level(order: int) -> tuple[str, str]:
    from mshtgov import attention

    return URGENT if order <= attention.URGENT else DUE if order <= attention.DUE else WAITING


def _line(item) -> AttentionLine:
    """One line of the dashboard's "Needs your attention" (`mshtgov.attention.Attention`) as the pack prints it."""
    return AttentionLine(item.figure.value if item.figure is not None else None, item.text, _level(item.order))


def panel_attention(readers, period, gathered: dict) -> list[AttentionLine]:
    """The dashboard's attention lines (`mshtgov.attention.needs_attention`, one definition per figure) for
    the panels this pack gathered, kept only where every reader of the pack would read the same line: a line
    depends on its reader (lessons await validation only for those who validate), and the pack is printed
    for all of them. `gathered`: panel key -> what its gather returned (panels left out or failed are absent)."""
    from mshtgov import attention, panels

    pairs = [(panels.get(key), data) for key, data in gathered.items() if panels.get(key) is not None]
    common = None
    for reader in readers:
        lines = [
            _line(item)
            for item in attention.needs_attention(reader, period, gathered=pairs)
            if not item.mine  # "your actions": a reader's own records, never a board's
        ]
        common = lines if common is None else [line for line in common if line in lines]
    return common or []


def needs_attention(*, action_log, lines: list[AttentionLine]) -> list[AttentionLine]:
    """This board's overdue actions, then the dashboard's lines for the panels in the pack (`panel_attention`),
    most urgent first."""
    found = []
    overdue = len(action_log.overdue)
    if overdue:
        found.append(
            AttentionLine(
                overdue,
                _plural(overdue, "of this board's actions is overdue", "of this board's actions are overdue"),
                URGENT,
            )
        )
    order = {URGENT: 0, DUE: 1, WAITING: 2}
    return sorted([*found, *lines], key=lambda line: order[line.level])


def decisions_requested(agenda) -> list[tuple[int, object]]:
    """(agenda number, item) of the items put to the board for decision, in agenda order."""
    return [(number, item) for number, item in enumerate(agenda, start=1) if item.purpose == AgendaPurpose.DECISION]


def headlines(
    *, board, previous_date: date | None, today: date, gathered: dict, gathered_before: dict
) -> list[Headline]:
    """The board's actions and the force's measures, now and as they stood at the last meeting."""
    actions = board.actions.all()
    found = []
    open_now = actions.filter(status__in=OPEN_STATUSES).count()
    overdue_now = actions.overdue(today).count()
    if previous_date is not None:
        found.append(
            Headline("This board's open actions", open_now, _open_on(actions, previous_date), higher_is_better=False)
        )
        found.append(
            Headline(
                "This board's overdue actions",
                overdue_now,
                actions.overdue_on(previous_date).count(),
                higher_is_better=False,
            )
        )
    else:
        found.append(Headline("This board's open actions", open_now, None, higher_is_better=False))
        found.append(Headline("This board's overdue actions", overdue_now, None, higher_is_better=False))
    now, before = gathered.get("strategy-measures"), gathered_before.get("strategy-measures")
    if isinstance(now, dict):
        for rag, label, better in (
            ("green", "Measures on target", True),
            ("red", "Measures failing their target", False),
        ):
            value = _value((now.get("counts") or {}).get(rag))
            if value is not None:
                then = _value(((before or {}).get("counts") or {}).get(rag)) if isinstance(before, dict) else None
                found.append(Headline(label, value, then, higher_is_better=better))
    return found


def _open_on(actions, day: date) -> int:
    """Open at the end of `day`: raised by then and not completed by then."""
    from datetime import datetime, time, timedelta

    from django.db.models import Q
    from django.utils import timezone

    raised_by = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return actions.filter(Q(status__in=OPEN_STATUSES) | Q(completed_on__gt=day), created_at__lt=raised_by).count()
