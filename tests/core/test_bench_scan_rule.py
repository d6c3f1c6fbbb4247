"""The rule bench_queries uses to call a sequential scan a miss (issue 15 item 4), on plans shaped as
PostgreSQL's EXPLAIN (ANALYZE, FORMAT JSON) prints them."""

from bench.bench_queries import _is_miss, _plan_scans


def scan(rows, removed, loops=1):
    return {
        "Node Type": "Seq Scan",
        "Relation Name": "governance_action",
        "Actual Rows": rows,
        "Rows Removed by Filter": removed,
        "Actual Loops": loops,
    }


def misses(plan):
    found = []
    _plan_scans(plan, found)
    return [_is_miss(read, kept, paged) for _table, read, kept, paged in found]


def test_a_page_of_rows_sorted_from_a_whole_table_scan_is_a_miss():
    plan = {"Node Type": "Limit", "Plans": [{"Node Type": "Sort", "Plans": [scan(9000, 0)]}]}
    assert misses(plan) == [True]


def test_a_selective_filter_read_from_the_whole_table_is_a_miss():
    assert misses({"Node Type": "Aggregate", "Plans": [scan(800, 8200)]}) == [True]


def test_a_figure_counting_most_of_a_table_is_a_full_read_not_a_miss():
    assert misses({"Node Type": "Aggregate", "Plans": [scan(7000, 2000)]}) == [False]


def test_exists_stopping_after_a_few_rows_reads_no_large_table():
    plan = {"Node Type": "Limit", "Plans": [scan(1, 10)]}
    assert misses(plan) == [False]


def test_rows_read_in_a_loop_add_up():
    plan = {"Node Type": "Nested Loop", "Plans": [scan(10, 90, loops=30)]}
    found = []
    _plan_scans(plan, found)
    assert found == [("governance_action", 3000, 300, False)]
    assert misses(plan) == [True]
