"""Operations register pages at scale 20 (800 operations, about a thousand disruptions) against the
reference page, measured in the same run.

Targets (issue 12): the register list, an operation page and the review queue each within 2.5x the
reference page; the dashboard (which gains the operations panel) within 1.5x.

The pages are served from the cache once built, per reader, until what they read changes (operations.views.
cached); the "after a change" rows time the page built again after one committed change of the kind it reads
(no target: for the record, beside the warm figures).
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_core import Changer  # noqa: E402
from bench.common import BenchServer, print_report  # noqa: E402

SCALE = 20


def main() -> bool:
    with BenchServer(scale=SCALE) as server:
        _status, body = server.get("/operations/?sort=-priority", "leader")
        found = re.search(rb'href="/operations/(\d+)/"', body)
        operation = f"/operations/{int(found.group(1))}/" if found else "/operations/"
        reference = server.measure("/accounts/password/", user="analyst")
        rows = [
            ("register list (analyst)", server.measure("/operations/", user="analyst")),
            (
                "register filtered (leader)",
                server.measure("/operations/?status=concluded&debrief_overdue=no&sort=-priority", user="leader"),
            ),
            ("operation page (leader)", server.measure(operation, user="leader")),
            ("review queue (leader)", server.measure("/operations/disruptions/review/", user="leader")),
            ("disruption log (analyst)", server.measure("/operations/disruptions/", user="analyst")),
            ("dashboard (leader)", server.measure("/", user="leader")),
            ("dashboard (pcc)", server.measure("/", user="pcc")),
        ]
        changer = Changer(server.env)
        try:
            for name, path, user, kind in (
                ("register list, after an operation change", "/operations/", "analyst", "operations.Operation"),
                ("operation page, after a disruption change", operation, "leader", "operations.Disruption"),
            ):
                cold = server.measure(path, user=user, requests=10, warmup=1, before_each=lambda k=kind: changer(k))
                rows.append((f"{name} ({user})", cold))
        finally:
            changer.close()
        return print_report(
            rows,
            reference=reference,
            targets={
                "register list (analyst)": 2.5,
                "register filtered (leader)": 2.5,
                "operation page (leader)": 2.5,
                "review queue (leader)": 2.5,
                "disruption log (analyst)": 2.5,
                "dashboard (leader)": 1.5,
                "dashboard (pcc)": 1.5,
            },
        )


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
