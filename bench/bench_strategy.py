"""Strategy pages over HTTP at seed scale 20, against the reference page measured in the same run.

Targets (issue 3): the dashboard's median latency within 4x of the reference page, every list within 5x.
Detail pages are printed for information. Set BENCH_DATABASE_URL to reuse an already seeded database.
"""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable as `python bench/<file>.py`

from bench.common import BenchServer, print_report  # noqa: E402

LISTS = {
    "strategy overview": "/strategy/",
    "strategy versions": "/strategy/versions/",
    "4P alignment matrix": "/strategy/alignment/",
    "threat register": "/strategy/threats/",
    "threat heat map": "/strategy/threats/matrix/",
    "measures": "/strategy/measures/",
    "self-assessments": "/strategy/self-assessment/",
    "national strategies": "/strategy/national-strategies/",
}


def _first_link(server, list_path, pattern):
    _status, body = server.get(list_path, "leader")
    match = re.search(pattern, body.decode())
    return match.group(0) if match else None


def main() -> bool:
    with BenchServer(scale=20, database_url=os.environ.get("BENCH_DATABASE_URL")) as server:
        reference = server.measure("/accounts/password/", user="analyst")
        rows = [
            ("dashboard (leader)", server.measure("/", user="leader")),
            ("dashboard (pcc)", server.measure("/", user="pcc")),
        ]
        rows += [(name, server.measure(path, user="leader")) for name, path in LISTS.items()]
        details = {
            "strategy detail": _first_link(server, "/strategy/versions/", r"/strategy/versions/\d+/"),
            "threat detail": _first_link(server, "/strategy/threats/", r"/strategy/threats/\d+/"),
            "measure detail": _first_link(server, "/strategy/measures/", r"/strategy/measures/\d+/"),
            "assessment detail": _first_link(server, "/strategy/self-assessment/", r"/strategy/self-assessment/\d+/"),
        }
        rows += [(name, server.measure(path, user="leader", requests=20)) for name, path in details.items() if path]
        targets = {"dashboard (leader)": 4.0, "dashboard (pcc)": 4.0, **{name: 5.0 for name in LISTS}}
        return print_report(rows, reference=reference, targets=targets)


if __name__ == "__main__":
    main()
