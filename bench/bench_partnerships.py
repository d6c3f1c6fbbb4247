"""The partnerships list at scale 20 as an external partner (filtered through guardian grants) and as a
coordinator (every partnership, paged), against the reference page, in one run.

Targets (the partnerships issue): each within 5x of the reference page, and the partner's page no slower
than the coordinator's by more than a fifth.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable as `python bench/<file>.py`

from bench.common import BenchServer, print_report  # noqa: E402


def main() -> bool:
    # PARTNERSHIPS_BENCH_DATABASE_URL reuses a database already seeded at scale 20 (seeding takes minutes).
    with BenchServer(scale=20, database_url=os.environ.get("PARTNERSHIPS_BENCH_DATABASE_URL")) as server:
        reference = server.measure("/accounts/password/", user="analyst")
        partner = server.measure("/partnerships/", user="partner")
        coordinator = server.measure("/partnerships/", user="coordinator")
        rows = [
            ("partnerships list (partner)", partner),
            ("partnerships list (coordinator)", coordinator),
            ("agreements list (partner)", server.measure("/partnerships/agreements/", user="partner")),
            ("agreements list (coordinator)", server.measure("/partnerships/agreements/", user="coordinator")),
        ]
        ok = print_report(
            rows,
            reference=reference,
            targets={"partnerships list (partner)": 5.0, "partnerships list (coordinator)": 5.0},
        )
        ratio = partner.median_ms / coordinator.median_ms
        met = ratio <= 1.2
        print(f"\npartner / coordinator: {ratio:.2f} (target <= 1.20) {'met' if met else 'MISSED'}")
        return ok and met


if __name__ == "__main__":
    main()
