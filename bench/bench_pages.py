"""Every page at scale 20 against the reference page: <= 2.5x each.

The pages are found by following links (bench/crawl.py): first as the senior leader, who sees the most,
then as every other role for the pages only they reach. Lists are measured on page 1, page 2 and their
last page, sorted and filtered wherever the page offers a link for it; detail pages on the first record
of each kind that a list links to. BENCH_PAGE_REQUESTS sets the samples per page (default 12).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable as `python bench/<file>.py`

from bench.common import REFERENCE_PATH, REFERENCE_USER, BenchServer, print_report  # noqa: E402
from bench.crawl import crawl, label  # noqa: E402

ROLES = ("leader", "analyst", "secretary", "coordinator", "pcc", "partner")
TARGET = 2.5
SAMPLES = int(os.environ.get("BENCH_PAGE_REQUESTS", "12"))


def find_pages(server: BenchServer):
    known: set[str] = set()
    pages = []
    for role in ROLES:
        found = crawl(server.get, role, known=known)
        print(f"  {role}: {len(found)} more kinds of page", flush=True)
        pages += found
    return pages


def main() -> bool:
    with BenchServer(scale=20) as server:
        reference = server.measure(REFERENCE_PATH, user=REFERENCE_USER)
        print("Finding the pages by following links...", flush=True)
        pages = find_pages(server)
        rows = []
        for page in pages:
            rows.append((label(page)[:60], server.measure(page.url, user=page.user, requests=SAMPLES, warmup=1)))
        rows.sort(key=lambda row: -row[1].ratio(reference))
        return print_report(rows, reference=reference, targets={name: TARGET for name, _ in rows}, group="pages")


if __name__ == "__main__":
    from bench.common import print_table

    main()
    print_table("bench_pages")
