"""The pack's executive summary: what needs the board's attention, the decisions it is asked to take,
and headline figures against the last meeting.

Governance imports no other app, so figures owned by other apps come from the panels the pack has
already gathered (what each panel's `gather` returned), read through the small adapters below by the
panel's key: the summary and the pages after it can never disagree, and it costs no extra query. A
panel the secretary left out of the pack, or one that failed, adds no line. The board's own actions
are counted here.
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


def _measures(data) -> list[AttentionLine]:
    counts = data.get("counts") or {}
    lines = []
    red = _value(counts.get("red"))
    if red:
        lines.append(
            AttentionLine(
                red,
                _plural(red, "measure is red (failing its target)", "measures are red (failing their target)"),
                URGENT,
            )
        )
    stale = _value(data.get("stale"))
    if stale:
        lines.append(
            AttentionLine(
                stale,
                _plural(stale, "measure has", "measures have") + " no value for the last complete period",
                WAITING,
            )
        )
    return lines


def _reviews(data) -> list[AttentionLine]:
    total = _value(data.get("total"))
    text = _plural(
        total or 0,
        "partnership document (terms of reference or information-sharing agreement) is",
        "partnership documents (terms of reference or information-sharing agreements) are",
    )
    return [AttentionLine(total, f"{text} due for review")] if total else []


def _ictg(data) -> list[AttentionLine]:
    total = _value(data.get("total"))
    text = _plural(total or 0, "referral review is", "referral reviews are")
    return (
        [AttentionLine(total, f"Independent Child Trafficking Guardian (ICTG) {text} overdue", URGENT)] if total else []
    )


def _lessons(data) -> list[AttentionLine]:
    statuses = data.get("statuses") or {}
    waiting = _value(statuses.get("implemented", statuses.get("Implemented")))
    text = _plural(waiting or 0, "lesson is implemented and awaits", "lessons are implemented and await")
    return [AttentionLine(waiting, f"{text} validation as learned", WAITING)] if waiting else []


def _strategy(data) -> list[AttentionLine]:
    return [AttentionLine(None, warning, URGENT) for warning in data.get("warnings") or []]


ADAPTERS = {
    "strategy-status": _strategy,
    "strategy-measures": _measures,
    "partnerships-reviews": _reviews,
    "partnerships-ictg": _ictg,
    "learning-lessons": _lessons,
}


def needs_attention(*, action_log, gathered: dict, today: date) -> list[AttentionLine]:
    """This board's overdue and soon-due actions, then every line the gathered panels give, most urgent
    first. `gathered`: panel key -> what its gather returned (panels that failed are absent)."""
    lines = []
    overdue = len(action_log.overdue)
    if overdue:
        lines.append(
            AttentionLine(
                overdue,
                _plural(overdue, "of this board's actions is overdue", "of this board's actions are overdue"),
                URGENT,
            )
        )
    for key, data in gathered.items():
        adapter = ADAPTERS.get(key)
        if adapter is not None and isinstance(data, dict):
            lines.extend(adapter(data))
    order = {URGENT: 0, DUE: 1, WAITING: 2}
    return sorted(lines, key=lambda line: order[line.level])


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
