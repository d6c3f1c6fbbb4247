"""Governance figures: the busiest demo meeting's board pack at scale 20, and the action log's latency.

The pack is built in a child process against the benchmark's seeded database, through the same
service the Celery task calls (`board_pack_build`). In the same process and on the same HTML, it then
times WeasyPrint alone, so the cost of gathering data and drawing charts shows as the difference.

Targets (the governance issue): whole build within 1.25x of WeasyPrint alone, at most 0.3 s per page,
at most 250 MB peak for a pack of about 40 pages; the action log within 5x of the reference page.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _pack_child() -> None:
    """Runs inside the child: build the pack, then WeasyPrint alone, and print the figures as JSON."""
    import resource
    import time

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mshtgov.settings")
    django.setup()
    from django.db.models import Count, Q

    from governance.models import OPEN_STATUSES, BoardPack, Meeting
    from governance.packs.compose import compose_pack
    from governance.services.packs import board_pack_build
    from mshtgov.pdf import html_to_pdf

    # Warm WeasyPrint (fonts, CSS parser) so neither timing below pays the one-off start-up.
    html_to_pdf('<!DOCTYPE html><html lang="en-GB"><head><title>w</title></head><body><p>w</p></body></html>')

    meeting = (
        Meeting.objects.annotate(
            items=Count("agenda_items", distinct=True),
            board_open=Count("board__actions", filter=Q(board__actions__status__in=OPEN_STATUSES), distinct=True),
        )
        .order_by("-board_open", "-items", "-starts_at")
        .select_related("board")
        .first()
    )

    def build() -> tuple[BoardPack, float, float]:
        BoardPack.objects.filter(meeting=meeting, status__in=["queued", "rendering"]).update(status="failed")
        pack = BoardPack(meeting=meeting, requested_by=meeting.board.secretary, sections=[])
        pack._history_user = pack.requested_by
        pack.save()
        started = time.perf_counter()
        board_pack_build(pack_id=pack.pk)
        elapsed = time.perf_counter() - started
        pack.refresh_from_db()
        assert pack.status == "ready", pack.failure_reason
        return pack, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # The first build in a fresh process also pays for loading fonts and filling the panels' cached
    # summaries; a worker that has built one pack (or served the dashboard) has paid that already.
    _, cold, _ = build()
    pack, whole, peak = build()

    started = time.perf_counter()
    html = compose_pack(pack).html
    gather = time.perf_counter() - started
    started = time.perf_counter()
    alone = html_to_pdf(html)
    weasy = time.perf_counter() - started
    print(
        json.dumps(
            {
                "meeting": str(meeting),
                "pages": pack.pages,
                "whole_s": whole,
                "cold_s": cold,
                "weasy_s": weasy,
                "gather_s": gather,
                "weasy_pages": alone.pages,
                "peak_mb": peak,
                "bytes": pack.size,
                "html_kb": len(html) / 1024,
                "load": os.getloadavg()[0],
            }
        )
    )


def build_pack_figures(env: dict) -> dict:
    with tempfile.TemporaryDirectory() as private:
        child_env = {**env, "PRIVATE_STORAGE_ROOT": private, "DJANGO_SETTINGS_MODULE": "mshtgov.settings"}
        out = subprocess.run(
            [sys.executable, "-m", "bench.bench_governance", "--pack-child"],
            cwd=ROOT,
            env=child_env,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def print_pack_report(figures: dict) -> bool:
    per_page = figures["whole_s"] / figures["pages"]
    ratio = figures["whole_s"] / figures["weasy_s"]
    print(f"\nBoard pack of the busiest meeting: {figures['meeting']}")
    print(f"  pages                     {figures['pages']}")
    print(
        f"  whole build               {figures['whole_s']:.2f} s "
        f"(gathering data and charts: {figures['gather_s']:.2f} s; first build in a fresh process "
        f"{figures['cold_s']:.2f} s)"
    )
    print(f"  WeasyPrint alone          {figures['weasy_s']:.2f} s on the same HTML ({figures['html_kb']:.0f} KB)")
    print(f"  build / WeasyPrint        {ratio:.2f}x   target <= 1.25x {'met' if ratio <= 1.25 else 'MISSED'}")
    print(f"  seconds per page          {per_page:.3f}   target <= 0.3 {'met' if per_page <= 0.3 else 'MISSED'}")
    print(
        f"  peak memory (RSS)         {figures['peak_mb']:.0f} MB   target <= 250 MB "
        f"{'met' if figures['peak_mb'] <= 250 else 'MISSED'}"
    )
    print(f"  PDF size                  {figures['bytes'] / 1024:.0f} KB")
    print(f"  machine load (1 min)      {figures['load']:.1f}")
    return ratio <= 1.25 and per_page <= 0.3 and figures["peak_mb"] <= 250


def main() -> bool:
    from bench.common import BenchServer, print_report

    with BenchServer(scale=20) as server:
        reference = server.measure("/accounts/password/", user="analyst")
        rows = [
            ("action log (leader)", server.measure("/governance/actions/", user="leader")),
            ("action log, overdue (leader)", server.measure("/governance/actions/?overdue=on", user="leader")),
            ("my actions (analyst)", server.measure("/governance/actions/mine/", user="analyst")),
            ("boards (leader)", server.measure("/governance/", user="leader")),
        ]
        pages_ok = print_report(
            rows, reference=reference, targets={"action log (leader)": 5.0, "action log, overdue (leader)": 5.0}
        )
        pack_ok = print_pack_report(build_pack_figures(server.env))
    return pages_ok and pack_ok


if __name__ == "__main__":
    if "--pack-child" in sys.argv:
        _pack_child()
    else:
        main()
