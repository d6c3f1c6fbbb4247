"""Core pages over HTTP: the dashboard frame, the access log and health, against the reference page."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable as `python bench/<file>.py`

from bench.common import BenchServer, print_report  # noqa: E402


def main() -> bool:
    with BenchServer(scale=20) as server:
        reference = server.measure("/accounts/password/", user="analyst")
        rows = [
            ("dashboard (leader)", server.measure("/", user="leader")),
            ("access log (leader)", server.measure("/audit/access-log/", user="leader")),
            ("healthz (anonymous)", server.measure("/healthz", user="leader")),
        ]
        return print_report(rows, reference=reference, targets={"dashboard (leader)": 4.0, "access log (leader)": 5.0})


if __name__ == "__main__":
    main()
