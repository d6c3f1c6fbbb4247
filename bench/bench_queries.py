"""Costs that must not grow with the data, on PostgreSQL: every page's query count at scale 1 and at scale
20 (they must be equal), and the plan of every query a list page runs at scale 20 (EXPLAIN ANALYZE): no
sequential scan over a large table (at least BENCH_LARGE_ROWS rows, default 2,000) where an index would
read less. A scan is a miss when it reads at least that many rows and either keeps under a third of them
(a selective filter no index serves) or feeds a page of rows (a Limit above it: the list's sort or filter
no index serves). A scan that reads most of a table to count it (a figure over every record, which any
index would also have to read in full) is printed as a full read, not a miss; one that stops after a few
rows (`exists()`) reads no large table at all, which plain EXPLAIN could not tell.

The pages are found as in bench_pages.py (following links as each role), but in-process with Django's
test client, so each page's SQL can be captured. Run alone: `python bench/bench_queries.py`.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LARGE_ROWS = int(os.environ.get("BENCH_LARGE_ROWS", "2000"))
ROLES = ("leader", "analyst", "secretary", "coordinator", "pcc", "partner")


def _plan_scans(plan: dict, found: list, *, paged: bool = False) -> None:
    """(table, rows read, rows kept, under a Limit) of each sequential scan in an EXPLAIN ANALYZE plan."""
    paged = paged or plan.get("Node Type") == "Limit"
    if plan.get("Node Type") == "Seq Scan":
        loops = plan.get("Actual Loops", 1)
        kept = plan.get("Actual Rows", 0) * loops
        found.append((plan.get("Relation Name"), kept + plan.get("Rows Removed by Filter", 0) * loops, kept, paged))
    for child in plan.get("Plans", []):
        _plan_scans(child, found, paged=paged)


def _is_miss(read: int, kept: int, paged: bool) -> bool:
    return read >= LARGE_ROWS and (paged or kept * 3 < read)


def _child(explain: bool) -> None:
    """In the child: crawl every role's pages, count each page's queries, EXPLAIN them if asked."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mshtgov.settings")
    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.crawl import crawl

    clients: dict[str, Client] = {}
    password = os.environ["DEMO_PASSWORD"]

    def client_for(user: str) -> Client:
        if user not in clients:
            client = Client()
            signed_in = client.post("/accounts/login/", {"username": user, "password": password})
            assert signed_in.status_code == 302, user
            clients[user] = client
        return clients[user]

    def get(path: str, user: str):
        response = client_for(user).get(path)
        return response.status_code, response.content

    large = {}
    if explain:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND reltuples >= %s", [LARGE_ROWS]
            )
            large = dict(cursor.fetchall())

    known: set[str] = set()
    results = {}
    for role in ROLES:
        for page in crawl(get, role, known=known):
            client_for(page.user).get(page.url)  # warm per-process caches
            cache.clear()  # count the queries of cold figures too: a cached figure must not hide them
            with CaptureQueriesContext(connection) as ctx:
                status = client_for(page.user).get(page.url).status_code
            sqls = [q["sql"] for q in ctx.captured_queries]
            scans, full_reads = [], []
            if explain and page.is_list:
                for sql in sqls:
                    if not sql.lstrip().upper().startswith(("SELECT", "(SELECT")):
                        continue
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                        plan = cursor.fetchone()[0]
                    plan = json.loads(plan) if isinstance(plan, str) else plan
                    found: list = []
                    _plan_scans(plan[0]["Plan"], found)
                    for table, read, kept, paged in found:
                        if table not in large or read < LARGE_ROWS:
                            continue
                        line = f"{table} ({int(large[table])} rows, read {read}, kept {kept}): {sql[:300]}"
                        (scans if _is_miss(read, kept, paged) else full_reads).append(line)
            results[page.kind] = {
                "url": page.url,
                "user": page.user,
                "status": status,
                "queries": len(sqls),
                "list": page.is_list,
                "scans": scans,
                "full_reads": full_reads,
            }
    print(json.dumps(results))


def _run(url: str, explain: bool) -> dict:
    from bench.common import _env

    env = _env(url)
    env["ALLOWED_HOSTS"] = "testserver"
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child"] + (["--explain"] if explain else []),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-4000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> bool:
    from bench.common import ENGINE, record, seeded_database

    small = _run(seeded_database(1), explain=False)
    large = _run(os.environ.get("BENCH_DATABASE_URL") or seeded_database(20), explain=ENGINE != "sqlite")
    print(f"\n{'page':<70}{'user':<12}{'scale 1':>8}{'scale 20':>9}  seq scans over large tables")
    grew, scanned, compared, read_in_full = [], [], 0, []
    for kind, big in sorted(large.items()):
        little = small.get(kind)
        counts = f"{little['queries'] if little else '-':>8}{big['queries']:>9}"
        if little:
            compared += 1
            if little["queries"] != big["queries"]:
                grew.append(kind)
        print(f"{kind[:69]:<70}{big['user']:<12}{counts}  {len(big['scans']) or ''}")
        if big["scans"]:
            scanned.append(kind)
            for scan in big["scans"]:
                print(f"      {scan}")
        if big.get("full_reads"):
            read_in_full.append(kind)
            for scan in big["full_reads"]:
                print(f"      full read for a figure (not a miss): {scan}")
    lists = sum(1 for page in large.values() if page["list"])
    for kind in grew:
        record(
            "queries",
            f"grows: {kind}",
            user=large[kind]["user"],
            target="same at scale 1 and 20",
            met=False,
            note=f"{small[kind]['queries']} -> {large[kind]['queries']} queries",
        )
    record(
        "queries",
        f"query count constant, scale 1 -> 20 ({compared} pages)",
        target="all constant",
        met=not grew,
        note=f"{len(grew)} grew",
    )
    if ENGINE != "sqlite":
        for kind in scanned:
            record(
                "queries",
                f"seq scan: {kind}",
                user=large[kind]["user"],
                target="no seq scan",
                met=False,
                note=", ".join(sorted({s.split(" (")[0] for s in large[kind]["scans"]})),
            )
        record(
            "queries",
            f"list pages use indexes at scale 20 ({lists} pages)",
            target="no seq scan",
            met=not scanned,
            note=f"{len(scanned)} with a sequential scan over a table of {LARGE_ROWS}+ rows that an index would "
            f"read less of; {len(read_in_full)} read a large table in full for a figure (printed above)",
        )
    return not grew and not scanned


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child("--explain" in sys.argv)
    else:
        from bench.common import print_table

        main()
        print_table("bench_queries")
