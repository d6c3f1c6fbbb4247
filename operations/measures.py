"""The operations register's contribution to the performance measures: computed from its records, never
typed (mshtgov.measure_sources). Each measure's drill-down is the register or the disruption log filtered
so that its count is the value (for a percentage: its base; for a sum of outcome counts: the operations
summed).

Point-in-time figures ("live on", "PIP2-led", "on PND") use the period's last day. Outcome counts carry no
date per victim, so they are attributed to a period by the operation's own dates: charges by the date of
the first charge, NRM referrals and Duty to Notify submissions and victims supported by the date the
operation opened (the register records counts, never people)."""

from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from mshtgov.figures import with_query
from mshtgov.measure_sources import Derived, MeasureSource

OPERATION_MODELS = ("operations.Operation", "operations.Outcome", "operations.Debrief")
DISRUPTION_MODELS = ("operations.Disruption",)


def _operations():
    from operations.models import Operation

    return Operation.objects.all()


def _register(**filters) -> str:
    return with_query(reverse("operations:operation-list"), **filters)


def _percent(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# --- disruptions by level -------------------------------------------------------------------------------


def _disruptions_at(level: str):
    def compute(start, end) -> Derived:
        from operations.models import Disruption

        count = Disruption.objects.at_level(level).filter(disrupted_on__range=(start, end)).count()
        return Derived(value=Decimal(count), records=count, count=count)

    def compute_many(spans) -> list[Derived]:
        """`compute` for each (start, end) in one query (issue 15: a year of months was twelve counts)."""
        from django.db.models import Count, Q

        from operations.models import Disruption

        found = Disruption.objects.at_level(level).aggregate(
            **{f"p{i}": Count("pk", filter=Q(disrupted_on__range=span)) for i, span in enumerate(spans)}
        )
        counts = [found[f"p{i}"] for i in range(len(spans))]
        return [Derived(value=Decimal(count), records=count, count=count) for count in counts]

    def drilldown(start, end) -> str:
        return with_query(
            reverse("operations:disruption-list"),
            counted="yes",
            level=level,
            date_from=start.isoformat(),
            date_to=end.isoformat(),
        )

    return compute, compute_many, drilldown


def _disruption_source(level: str, label: str) -> MeasureSource:
    compute, compute_many, drilldown = _disruptions_at(level)
    return MeasureSource(
        code=f"nca-disruptions-{level}",
        compute=compute,
        compute_many=compute_many,
        drilldown_url=drilldown,
        description=f"It counts the disruptions in the operations register's disruption log dated in the period "
        f"and graded {label} on the NCA scale after a quality review by someone other than the assessor (accepted "
        "at that level, or regraded to it). Disruptions awaiting review or challenged do not count.",
        models=DISRUPTION_MODELS,
        owner="Operations register",
        valued_alike=True,
    )


# --- point in time: live operations, PIP2-led, on PND ---------------------------------------------------


def live_operations(start, end) -> Derived:
    count = _operations().live_on(end).count()
    return Derived(value=Decimal(count), records=count, count=count)


def pip2_led(start, end) -> Derived:
    live = _operations().live_on(end)
    base = live.count()
    led = live.filter(oic_pip_level__gte=2).count()
    return Derived(value=_percent(led, base), records=base, base=base, base_label="operations live", count=base)


def pnd_operations(start, end) -> Derived:
    live = _operations().live_on(end)
    base = live.count()
    recorded = live.filter(outcome__pnd_operation=True, outcome__pnd_operation_on__lte=end).count()
    return Derived(value=_percent(recorded, base), records=base, base=base, base_label="operations live", count=base)


def debrief_compliance(start, end) -> Derived:
    """Of the operations whose debrief fell due in the period, the share debriefed by the period's end."""
    from datetime import timedelta

    from operations.models import debrief_due_days

    days = timedelta(days=debrief_due_days())
    due = _operations().ended().filter(closed_on__range=(start - days, end - days))
    base = due.count()
    done = due.filter(debrief__held_on__lte=end).count()
    return Derived(value=_percent(done, base), records=base, base=base, base_label="debriefs that fell due", count=base)


def _live_q(day):
    """`OperationQuerySet.live_on(day)` as a condition, for counting several days in one query."""
    from django.db.models import Q

    return (Q(closed_on__isnull=True) | Q(closed_on__gt=day)) & Q(opened_on__lte=day)


def _counts(conditions: dict) -> dict:
    """{name: number of operations meeting the condition}, every count in one query."""
    from django.db.models import Count

    if not conditions:
        return {}
    return _operations().aggregate(**{name: Count("pk", filter=q) for name, q in conditions.items()})


def live_operations_many(spans) -> list[Derived]:
    found = _counts({f"p{i}": _live_q(end) for i, (_start, end) in enumerate(spans)})
    counts = [found[f"p{i}"] for i in range(len(spans))]
    return [Derived(value=Decimal(count), records=count, count=count) for count in counts]


def _raw_counts(conditions: dict[str, tuple], *joined: str) -> dict[str, int]:
    """{name: number of operations meeting the condition (or the sum of a column over them)}, every count in
    one query, as `_counts`, each condition written in plain SQL over the operations table (`o`) and the
    one-to-one tables `joined` ("outcome" as `u`, "debrief" as `d`): building a year or two of filtered
    counts as Django expressions cost several times running them, and the measures whose latest value may
    lie further back than their latest period compute their whole window for the dashboard card
    (`strategy.panels._card_rows`)."""
    from django.db import connection

    from operations.models import Debrief, Operation, Outcome

    if not conditions:
        return {}
    quote = connection.ops.quote_name
    tables = {"outcome": (Outcome, "u"), "debrief": (Debrief, "d")}
    joins = "".join(
        f" LEFT JOIN {quote(tables[t][0]._meta.db_table)} {tables[t][1]} ON {tables[t][1]}.{quote('operation_id')}"
        f" = o.{quote('id')}"
        for t in joined
    )
    sums, params = [], []
    for sql, values, *summed in conditions.values():
        # (condition, parameters): operations counted; (condition, parameters, column): that column summed.
        sums.append(f"SUM(CASE WHEN {sql} THEN {summed[0] if summed else 1} ELSE 0 END)")
        params += values
    # Only quoted table and column names are formatted in: every value is a parameter.
    query = f"SELECT {', '.join(sums)} FROM {quote(Operation._meta.db_table)} o{joins}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    return {name: int(value or 0) for name, value in zip(conditions, row, strict=True)}


def _live_sql(day) -> tuple[str, list]:
    """`_live_q(day)` in plain SQL."""
    from django.db import connection

    quote, day = connection.ops.quote_name, connection.ops.adapt_datefield_value(day)
    closed, opened = f"o.{quote('closed_on')}", f"o.{quote('opened_on')}"
    return f"({closed} IS NULL OR {closed} > %s) AND {opened} <= %s", [day, day]


def _share_of_live_many(spans, part, base_label, *joined) -> list[Derived]:
    """For each (start, end): the share of the operations live on `end` meeting `part(end)` (plain SQL, with
    its parameters), in one query."""
    conditions = {}
    for i, (_start, end) in enumerate(spans):
        live, params = _live_sql(end)
        part_sql, part_params = part(end)
        conditions[f"b{i}"] = (live, params)
        conditions[f"p{i}"] = (f"{live} AND {part_sql}", [*params, *part_params])
    found = _raw_counts(conditions, *joined)
    out = []
    for i in range(len(spans)):
        base = found[f"b{i}"]
        out.append(
            Derived(value=_percent(found[f"p{i}"], base), records=base, base=base, base_label=base_label, count=base)
        )
    return out


def pip2_led_many(spans) -> list[Derived]:
    from django.db import connection

    level = f"o.{connection.ops.quote_name('oic_pip_level')}"
    return _share_of_live_many(spans, lambda end: (f"{level} >= %s", [2]), "operations live")


def pnd_operations_many(spans) -> list[Derived]:
    from django.db import connection

    quote = connection.ops.quote_name
    on_pnd, on = f"u.{quote('pnd_operation')}", f"u.{quote('pnd_operation_on')}"

    def part(end):
        return f"{on_pnd} = %s AND {on} <= %s", [True, connection.ops.adapt_datefield_value(end)]

    return _share_of_live_many(spans, part, "operations live", "outcome")


def debrief_compliance_many(spans) -> list[Derived]:
    from datetime import timedelta

    from django.db import connection

    from operations.models import debrief_due_days
    from operations.models.vocabulary import ENDED_STATUSES

    quote, as_date = connection.ops.quote_name, connection.ops.adapt_datefield_value
    status, closed, held = f"o.{quote('status')}", f"o.{quote('closed_on')}", f"d.{quote('held_on')}"
    ended = f"{status} IN ({', '.join(['%s'] * len(ENDED_STATUSES))})"
    days = timedelta(days=debrief_due_days())
    conditions = {}
    for i, (start, end) in enumerate(spans):
        due = f"{ended} AND {closed} BETWEEN %s AND %s"
        params = [*(str(s) for s in ENDED_STATUSES), as_date(start - days), as_date(end - days)]
        conditions[f"b{i}"] = (due, params)
        conditions[f"p{i}"] = (f"{due} AND {held} <= %s", [*params, as_date(end)])
    found = _raw_counts(conditions, "debrief")
    out = []
    for i in range(len(spans)):
        base = found[f"b{i}"]
        out.append(
            Derived(
                value=_percent(found[f"p{i}"], base),
                records=base,
                base=base,
                base_label="debriefs that fell due",
                count=base,
            )
        )
    return out


def _debrief_drilldown(start, end) -> str:
    from datetime import timedelta

    from operations.models import debrief_due_days

    days = timedelta(days=debrief_due_days())
    return _register(ended="yes", closed_from=(start - days).isoformat(), closed_to=(end - days).isoformat())


# --- sums of outcome counts -----------------------------------------------------------------------------


def _sum_source(code, fields, *, by, label, description) -> MeasureSource:
    """A sum of outcome counts over the operations whose `by` date falls in the period."""

    def in_period(start, end):
        if by == "charged":
            return _operations().filter(outcome__first_charged_on__range=(start, end))
        return _operations().filter(opened_on__range=(start, end))

    def compute(start, end) -> Derived:
        operations = in_period(start, end)
        totals = operations.aggregate(**{name: Sum(f"outcome__{name}") for name in fields})
        records = operations.count()
        return Derived(value=Decimal(sum(v or 0 for v in totals.values())), records=records, count=records)

    def compute_many(spans) -> list[Derived]:
        """`compute` for each (start, end) in one query: sums and counts filtered per period (plain SQL,
        `_raw_counts`)."""
        from django.db import connection

        quote, as_date = connection.ops.quote_name, connection.ops.adapt_datefield_value
        dated = f"u.{quote('first_charged_on')}" if by == "charged" else f"o.{quote('opened_on')}"
        terms = {}
        for i, (start, end) in enumerate(spans):
            period = (f"{dated} BETWEEN %s AND %s", [as_date(start), as_date(end)])
            terms[f"n{i}"] = period
            for name in fields:
                terms[f"s{i}_{name}"] = (*period, f"u.{quote(name)}")
        found = _raw_counts(terms, "outcome")
        return [
            Derived(
                value=Decimal(sum(found[f"s{i}_{name}"] or 0 for name in fields)),
                records=found[f"n{i}"],
                count=found[f"n{i}"],
            )
            for i in range(len(spans))
        ]

    def drilldown(start, end) -> str:
        if by == "charged":
            return _register(charged_from=start.isoformat(), charged_to=end.isoformat())
        return _register(opened_from=start.isoformat(), opened_to=end.isoformat())

    return MeasureSource(
        code=code,
        compute=compute,
        compute_many=compute_many,
        drilldown_url=drilldown,
        description=description,
        models=OPERATION_MODELS,
        owner="Operations register",
        valued_alike=True,
    )


SOURCES = [
    _disruption_source("major", "major"),
    _disruption_source("moderate", "moderate"),
    _disruption_source("minor", "minor"),
    MeasureSource(
        code="live-operations",
        compute=live_operations,
        compute_many=live_operations_many,
        valued_alike=True,
        drilldown_url=lambda start, end: _register(live_on=end.isoformat()),
        description="It counts the operations in the register open on the period's last day: opened by then and "
        "not yet concluded or closed.",
        models=OPERATION_MODELS,
        owner="Operations register",
    ),
    MeasureSource(
        code="pip2-led",
        compute=pip2_led,
        compute_many=pip2_led_many,
        drilldown_url=lambda start, end: _register(live_on=end.isoformat()),
        description="It is the share of the operations live on the period's last day whose officer in charge is "
        "accredited at PIP2 or higher, from the operations register.",
        models=OPERATION_MODELS,
        owner="Operations register",
    ),
    MeasureSource(
        code="pnd-operations",
        compute=pnd_operations,
        compute_many=pnd_operations_many,
        drilldown_url=lambda start, end: _register(live_on=end.isoformat()),
        description="It is the share of the operations live on the period's last day recorded on the Police "
        "National Database by then, from the operations register's outcomes.",
        models=OPERATION_MODELS,
        owner="Operations register",
    ),
    MeasureSource(
        code="debrief-compliance",
        compute=debrief_compliance,
        compute_many=debrief_compliance_many,
        drilldown_url=_debrief_drilldown,
        description="It is the share of the concluded or closed operations whose debrief fell due in the period "
        "(the configured number of days after closing) that had a debrief recorded by the period's last day.",
        models=OPERATION_MODELS,
        owner="Operations register",
    ),
    _sum_source(
        "suspects-charged",
        ["suspects_charged"],
        by="charged",
        label="suspects charged",
        description="It adds up the suspects charged in the operations whose first charge fell in the period, "
        "from the operations register's outcomes; it links to those operations.",
    ),
    _sum_source(
        "nrm-referrals",
        ["nrm_referrals", "dtn_submissions"],
        by="opened",
        label="NRM referrals and Duty to Notify submissions",
        description="It adds up the NRM referrals and Duty to Notify submissions recorded against the operations "
        "opened in the period (outcomes are counts with no date per victim, so they count in the period the "
        "operation opened); it links to those operations.",
    ),
    _sum_source(
        "victims-supported-operations",
        ["victims_supported"],
        by="opened",
        label="victims supported",
        description="It adds up the victims supported in the operations opened in the period, from the "
        "operations register's outcomes; it links to those operations.",
    ),
    *[
        _sum_source(
            f"charges-{code}",
            [field],
            by="charged",
            label=label,
            description=f"It adds up the charges under {label} in the operations whose first charge fell in the "
            "period, from the operations register's outcomes; it links to those operations.",
        )
        for code, field, label in (
            ("msa-s1", "charged_s1", "the Modern Slavery Act 2015 s1"),
            ("msa-s2", "charged_s2", "the Modern Slavery Act 2015 s2"),
            ("msa-s4", "charged_s4", "the Modern Slavery Act 2015 s4"),
            ("other", "charged_other", "other offences"),
        )
    ],
]


def register() -> None:
    from mshtgov import measure_sources

    for source in SOURCES:
        measure_sources.register(source)
