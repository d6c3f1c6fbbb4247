"""Training coverage: of the people who should hold a product, the share who hold it in date.

"Should hold" is the establishment (headcount) of the role groups the product is for, by unit. "In date"
is a completion within the product's refresher interval (any completion when it has none). A member of
staff counts once per product, role group and unit; a cell never counts more trained people than its
headcount. Figures are computed in five queries whatever the volume, and cached until a record changes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Max

from learning.models import Establishment, RoleGroup, TrainingProduct, TrainingRecord, Unit
from mshtgov import summaries

MODELS = (TrainingRecord, Establishment, TrainingProduct, RoleGroup, Unit)
DUE_SOON_DAYS = 90


@dataclass
class Cell:
    needed: int = 0
    trained: int = 0

    def add(self, needed: int, trained: int) -> None:
        self.needed += needed
        self.trained += min(trained, needed)

    @property
    def percent(self) -> float | None:
        return round(100 * self.trained / self.needed, 1) if self.needed else None


@dataclass
class ProductCoverage:
    product_id: int
    name: str
    code: str
    national: bool
    target: int
    refresher_months: int | None
    total: Cell = field(default_factory=Cell)
    by_role_group: dict[str, Cell] = field(default_factory=dict)
    by_unit: dict[str, Cell] = field(default_factory=dict)
    lapsed: int = 0
    due_soon: int = 0

    @property
    def meets_target(self) -> bool:
        return self.total.percent is not None and self.total.percent >= self.target

    @property
    def gap(self) -> int:
        """People still to train to reach the target."""
        wanted = -(-self.total.needed * self.target // 100)  # ceiling
        return max(0, wanted - self.total.trained)


@dataclass
class CoverageReport:
    today: date
    products: list[ProductCoverage]
    role_groups: list[str]
    units: list[str]
    headcount: int

    def product(self, code: str) -> ProductCoverage | None:
        return next((p for p in self.products if p.code == code), None)

    @property
    def overall(self) -> Cell:
        """Every active product together: each person counts once per product they should hold. This is
        the "training coverage" performance measure, and the figure the dashboard shows beside each
        product's own."""
        cell = Cell()
        for product in self.products:
            cell.needed += product.total.needed
            cell.trained += product.total.trained
        return cell


def in_date_cutoff(product: TrainingProduct, today: date) -> date | None:
    """Completions after this date are in date (None: every completion is)."""
    if not product.refresher_months:
        return None
    return today - relativedelta(months=product.refresher_months)


def _catalogue() -> tuple:
    """What the report is measured against, whatever the day: active products with their audience, role
    groups, units and the establishment (four queries)."""
    products = list(TrainingProduct.objects.filter(active=True).prefetch_related("audience"))
    groups = dict(RoleGroup.objects.values_list("pk", "name"))
    units = dict(Unit.objects.values_list("pk", "name"))
    establishment = list(
        Establishment.objects.filter(headcount__gt=0).values_list("unit_id", "role_group_id", "headcount")
    )
    return products, groups, units, establishment


def _kept_catalogue() -> tuple:
    """`_catalogue()`, cached until a table it read changes (`summaries.watched_summary`): the products and
    their audience, role groups, units and establishment change far less often than training records, and
    reading them again was four of the seven queries of rebuilding the training figures after a record
    changed."""
    return summaries.watched_summary("learning-coverage-catalogue", _catalogue)[0]


def _compute(today: date, *, expiries: bool = True, catalogue: tuple | None = None) -> CoverageReport:
    """The report on `today`. Without `expiries`, lapsed and due-soon counts stay 0: the one query that reads
    every person's latest completion is left out (the coverage figures themselves are the same). A
    `catalogue` already read (`_catalogue()`) is reused."""
    catalogue = catalogue or _catalogue()
    trained = _trained_on_days(catalogue[0], [today])[today]
    lapsed, due_soon = _expiries(catalogue[0], today) if expiries else ({}, {})
    return _report(today, catalogue, trained, lapsed, due_soon)


def _trained_on_days(products, days: list[date]) -> dict[date, dict[tuple, int]]:
    """{day: {(product id, unit id, role group id): people holding the product in date on that day}} for
    every day in ONE query, whatever their number. A person is in date on a day when they completed the
    product on or before it and after the product's cutoff for the day (the latest completion up to the
    day is in date exactly when one in that window exists), and the people are counted once per cell and
    day (distinct staff numbers), however many completions they have, as one day's distinct count did.
    The rows are read in the order of the index on (product, unit, role group, staff number, completion),
    cell by cell, with no hashing of every person first: grouping every person's completions before
    counting them was most of rebuilding the training figures after a training record changed."""
    from django.db import connection

    days = sorted(set(days))
    out: dict[date, dict[tuple, int]] = {day: {} for day in days}
    if not products or not days:
        return out
    quote, as_date = connection.ops.quote_name, connection.ops.adapt_datefield_value
    product, completed, staff = quote("product_id"), quote("completed_on"), quote("staff_number")
    counted, params = [], []
    for day in days:
        windows = []
        params.append(as_date(day))
        for p in products:
            cutoff = in_date_cutoff(p, day)
            windows.append(f"({product} = %s AND {completed} > %s)" if cutoff else f"{product} = %s")
            params += [p.pk, as_date(cutoff)] if cutoff else [p.pk]
        counted.append(f"COUNT(DISTINCT CASE WHEN {completed} <= %s AND ({' OR '.join(windows)}) THEN {staff} END)")
    cells = ", ".join(quote(c) for c in ("product_id", "unit_id", "role_group_id"))
    table = quote(TrainingRecord._meta.db_table)
    where = [f"{product} IN ({', '.join(['%s'] * len(products))})", f"{completed} <= %s"]
    params += [*(p.pk for p in products), as_date(days[-1])]
    cutoffs = [in_date_cutoff(p, day) for p in products for day in days]
    if all(cutoffs):  # no completion before the earliest cutoff counts on any day
        where.append(f"{completed} > %s")
        params.append(as_date(min(cutoffs)))
    # Only quoted column and table names are formatted in: every value is a parameter.
    sql = f"SELECT {cells}, {', '.join(counted)} FROM {table} WHERE {' AND '.join(where)} GROUP BY {cells}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for product_id, unit_id, group_id, *counts in cursor.fetchall():
            for day, n in zip(days, counts, strict=True):
                if n:
                    out[day][product_id, unit_id, group_id] = int(n)
    return out


def _report(today: date, catalogue: tuple, trained: dict, lapsed: dict, due_soon: dict) -> CoverageReport:
    products, groups, units, establishment = catalogue
    report = []
    for product in products:
        audience = {g.pk for g in product.audience.all()}
        coverage = ProductCoverage(
            product_id=product.pk,
            name=product.name,
            code=product.code,
            national=product.national,
            target=product.target_percent,
            refresher_months=product.refresher_months,
            lapsed=lapsed.get(product.pk, 0),
            due_soon=due_soon.get(product.pk, 0),
        )
        for unit_id, group_id, headcount in establishment:
            if group_id not in audience:
                continue
            done = trained.get((product.pk, unit_id, group_id), 0)
            coverage.total.add(headcount, done)
            coverage.by_role_group.setdefault(groups[group_id], Cell()).add(headcount, done)
            coverage.by_unit.setdefault(units[unit_id], Cell()).add(headcount, done)
        coverage.by_unit = dict(sorted(coverage.by_unit.items(), key=lambda kv: kv[0].lower()))
        coverage.by_role_group = {
            name: coverage.by_role_group[name] for name in groups.values() if name in coverage.by_role_group
        }
        report.append(coverage)
    return CoverageReport(
        today=today,
        products=report,
        role_groups=[groups[g] for g in groups],
        units=sorted(units.values(), key=str.lower),
        headcount=sum(h for _, _, h in establishment),
    )


def _expiries(products, today: date) -> tuple[dict[int, int], dict[int, int]]:
    """{product id: people whose latest completion has lapsed} and {product id: people due within
    DUE_SOON_DAYS}, for products with a refresher interval."""
    latest = (
        TrainingRecord.objects.filter(product__in=[p for p in products if p.refresher_months])
        .values("product_id", "staff_number")
        .annotate(latest=Max("completed_on"))
        .values_list("product_id", "latest")
        .order_by()
    )
    lapsed: dict[int, int] = defaultdict(int)
    due_soon: dict[int, int] = defaultdict(int)
    by_id = {p.pk: p for p in products}
    soon = today + timedelta(days=DUE_SOON_DAYS)
    # One row per person and product, but only a few hundred distinct last dates: work each expiry out once.
    expiry: dict[tuple[int, date], date] = {}
    for product_id, last in latest:
        expires = expiry.get((product_id, last))
        if expires is None:
            expires = expiry[product_id, last] = last + relativedelta(months=by_id[product_id].refresher_months)
        if expires <= today:
            lapsed[product_id] += 1
        elif expires <= soon:
            due_soon[product_id] += 1
    return lapsed, due_soon


def coverage_report(today: date) -> tuple[CoverageReport, object]:
    """(report, as_of), recomputed only when training records, establishment or catalogue change."""
    return summaries.cached_summary(f"learning-coverage:{today}", lambda: _compute(today), models=MODELS)


def coverage_figures(today: date) -> tuple[CoverageReport, object]:
    """(report, as_of) without lapsed and due-soon counts (left 0): the dashboard card shows coverage only,
    and the query reading every person's latest completion was most of rebuilding it after a training
    record changed. Cached like the report; `expiry_counts` gives the counts where a page shows them."""
    return coverage_figures_on_days([today])[0]


def coverage_figures_on_days(days: list[date]) -> list[tuple[CoverageReport, object]]:
    """`coverage_figures` of each day, in order: the days cached are read in one round trip, and the others
    computed together in one query over the training records (`_trained_on_days`). The same entries as
    `coverage_figures`, so the training coverage measure (a value per quarter, this one to today) and the
    coverage card built after it on the dashboard share today's report rather than compute it twice."""

    def compute(indexes: list[int]) -> list[CoverageReport]:
        catalogue = _kept_catalogue()
        wanted = [days[i] for i in indexes]
        trained = _trained_on_days(catalogue[0], wanted)
        return [_report(day, catalogue, trained[day], {}, {}) for day in wanted]

    return summaries.cached_batch([(f"learning-coverage-figures:{day}", MODELS) for day in days], compute)


def expiry_counts(today: date) -> tuple[dict[int, int], dict[int, int]]:
    """({product id: people lapsed}, {product id: people due within DUE_SOON_DAYS}) on `today`, the counts
    `coverage_report` carries, cached against the same models."""

    def compute():
        lapsed, due_soon = _expiries(list(TrainingProduct.objects.filter(active=True)), today)
        return dict(lapsed), dict(due_soon)

    return summaries.cached_summary(f"learning-coverage-expiries:{today}", compute, models=MODELS)[0]


def overall_coverage(today: date) -> Cell:
    """`CoverageReport.overall` on `today` (the training coverage measure), cached like the report. It needs
    no lapsed or due-soon counts, so it skips their query: a year of monthly values costs a year of the
    cheap half of the report, not of the whole."""

    def compute() -> Cell:
        return _compute(today, expiries=False).overall

    return summaries.cached_summary(f"learning-coverage-overall:{today}", compute, models=MODELS)[0]


def overall_coverage_on_days(days: list[date]) -> list[Cell]:
    """`overall_coverage` of each day: the coverage figures of every day not cached computed in one query
    (`coverage_figures_on_days`), not one query a day."""
    return [report.overall for report, _as_of in coverage_figures_on_days(days)]
