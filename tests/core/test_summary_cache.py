"""Cached figures are never older than the last committed change (issue 10, item 6)."""

import pytest
from django.core.cache import cache
from django.db import transaction

from mshtgov import summaries
from strategy.models import Threat

pytestmark = pytest.mark.django_db


def test_a_reader_between_write_and_commit_does_not_pin_the_old_figure(django_capture_on_commit_callbacks):
    summaries.cached_summary("t-commit", lambda: "before", models=[Threat])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        summaries.bump(Threat)  # the write
        # Another process recomputes now: it cannot see the uncommitted row, and stores what it saw.
        seen, _ = summaries.cached_summary("t-commit", lambda: "before (read before the commit)", models=[Threat])
        assert seen == "before (read before the commit)"
    # After the commit the next reader recomputes.
    value, _ = summaries.cached_summary("t-commit", lambda: "after", models=[Threat])
    assert value == "after"


def test_a_saved_record_moves_the_version_again_when_its_transaction_commits(django_capture_on_commit_callbacks):
    from tests.strategy.factories import ThreatFactory

    key = summaries._version_key(Threat)
    summaries.cached_summary("t-save", lambda: 0, models=[Threat])
    start = cache.get(key)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ThreatFactory()
        during = cache.get(key)
    assert start < during < cache.get(key)


def test_a_lost_version_counter_does_not_revive_an_old_entry():
    key = summaries._version_key(Threat)
    old, _ = summaries.cached_summary("t-evict", lambda: "old", models=[Threat])
    stored_under = cache.get(key)
    summaries.bump(Threat)
    assert summaries.cached_summary("t-evict", lambda: "new", models=[Threat])[0] == "new"
    # The counter is evicted (or the cache restarts) while the old entry survives.
    cache.delete(key)
    value, _ = summaries.cached_summary("t-evict", lambda: "recomputed", models=[Threat])
    assert value == "recomputed"
    assert cache.get(key) > stored_under + 1
    # Nor does a counter lost before it was ever bumped fall back to a guessable first value.
    cache.set("summary:t-first:1", ("stale", None))
    cache.delete(key)
    assert summaries.cached_summary("t-first", lambda: "fresh", models=[Threat])[0] == "fresh"


def test_a_figure_with_a_long_name_keeps_a_portable_key_and_stays_apart_from_its_neighbours():
    """Names listing many models and dates (the measures card's groups) passed the 250 characters a cache key
    may portably have; two names alike in their first part still keep their own figures."""
    import warnings

    first = "measure-card-rows:" + "+".join(["strategy.measure", "learning.trainingrecord"] * 6) + ":2025-12-03:one"
    second = first.replace(":one", ":two")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django's CacheKeyWarning for a key over 250 characters
        assert summaries.cached_summary(first, lambda: 1, models=[Threat])[0] == 1
        assert summaries.cached_summary(second, lambda: 2, models=[Threat])[0] == 2
        assert summaries.cached_summary(first, lambda: "recomputed", models=[Threat])[0] == 1
