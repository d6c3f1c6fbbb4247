"""Figures about the strategy and its 4P objectives."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from mshtgov import records
from mshtgov.reference import Pillar
from strategy.models import NationalStrategy, Objective, Rag


@dataclass
class AlignmentCell:
    objectives: list = field(default_factory=list)


@dataclass
class AlignmentMatrix:
    strategies: list
    rows: list  # (pillar value, pillar label, [AlignmentCell per national strategy], objective count)
    empty_pillars: list[str]
    unaligned_strategies: list
    objectives_without_measure: list
    objectives_without_owner: list

    @property
    def gap_count(self) -> int:
        return (
            len(self.empty_pillars)
            + len(self.unaligned_strategies)
            + len(self.objectives_without_measure)
            + len(self.objectives_without_owner)
        )


def alignment_matrix(strategy) -> AlignmentMatrix:
    """Pillars against national strategies for one force strategy. Three queries whatever the volume."""
    nationals = list(NationalStrategy.objects.filter(active=True))
    objectives = list(
        Objective.objects.filter(strategy=strategy)
        .select_related("owner")
        .prefetch_related(Prefetch("national_strategies", queryset=NationalStrategy.objects.only("id")))
        .annotate(measure_count=Count("measures", distinct=True))
        .order_by("pillar", "title")
    )
    objective_url = records.url_for_pk("strategy:objective-detail")  # every objective is linked, some twice
    for objective in objectives:
        objective.url = objective_url(objective.pk)
    index = {n.pk: i for i, n in enumerate(nationals)}
    rows, empty = [], []
    aligned = set()
    for pillar in Pillar:
        cells = [AlignmentCell() for _ in nationals]
        mine = [o for o in objectives if o.pillar == pillar]
        for objective in mine:
            for national in objective.national_strategies.all():
                if national.pk in index:
                    cells[index[national.pk]].objectives.append(objective)
                    aligned.add(national.pk)
        rows.append((pillar.value, pillar.label, cells, len(mine)))
        if not mine:
            empty.append(pillar.label)
    return AlignmentMatrix(
        strategies=nationals,
        rows=rows,
        empty_pillars=empty,
        unaligned_strategies=[n for n in nationals if n.pk not in aligned],
        objectives_without_measure=[o for o in objectives if not o.measure_count],
        objectives_without_owner=[o for o in objectives if o.owner_id is None],
    )


def objectives_by_pillar_and_rag(strategy) -> dict:
    """{pillar: {rag: count}} for every pillar and RAG status (zeros included). One query."""
    counts = {p.value: {r.value: 0 for r in Rag} for p in Pillar}
    if strategy is None:
        return counts
    for row in Objective.objects.filter(strategy=strategy).values("pillar", "rag").annotate(n=Count("id")):
        counts[row["pillar"]][row["rag"]] = row["n"]
    return counts
