"""Demo data for the strategy app (seeder order 30): three years of a mid-sized force's strategy,
threat register, performance and self-assessment. Idempotent; volumes grow with `ctx.scale`."""

from strategy.demo.assessments import seed_assessments
from strategy.demo.measures import seed_measures
from strategy.demo.plans import seed_strategies
from strategy.demo.threats import seed_threats


def seed(ctx) -> None:
    threats = seed_threats(ctx)
    measures = seed_measures(ctx)
    strategies = seed_strategies(ctx, threats=threats, measures=measures)
    seed_assessments(ctx, strategies=strategies, measures=measures)
    ctx.shared["strategy"] = strategies[-1] if strategies else None
