"""Under load: 8 and then 32 clients at once, each signed in with a session of its own, requesting one page
as fast as the server answers, for BENCH_LOAD_SECONDS (default 8) or BENCH_LOAD_MAX requests (default
3,000), whichever comes first, on loopback only.

Reports requests per second, p50 and p99 for the reference page, the dashboard, the action log, a lesson
search and a partner's partnership list. Targets: no page below half the reference page's throughput at
the same concurrency, no error or timeout (5 s), p99 under 1 s at 8 clients.

The client is plain Python threads over http.client (no install; about 0.3 ms of client CPU per
request against 10-50 ms of server time, so it takes little from the server on 2 cores).
"""

import http.client
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable as `python bench/<file>.py`

from bench.common import REFERENCE_PATH, REFERENCE_USER, BenchServer, record  # noqa: E402

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "8"))
MAX_REQUESTS = int(os.environ.get("BENCH_LOAD_MAX", "3000"))
TIMEOUT = 5.0
CONCURRENCY = (8, 32)
SESSIONS_PER_USER = 8  # clients beyond this share sessions round-robin (each sign-in costs an Argon2 hash)

PAGES = [
    ("reference (password form)", REFERENCE_PATH, REFERENCE_USER),
    ("dashboard", "/", "leader"),
    ("action log", "/governance/actions/", "leader"),
    ("lesson search", "/learning/lessons/?q=interpreter+suspects", "analyst"),
    ("partnership list (partner)", "/partnerships/", "partner"),
]


@dataclass
class LoadResult:
    clients: int
    latencies_ms: list[float]
    errors: int
    seconds: float

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("inf")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run_load(port: int, path: str, cookies: list[str], clients: int) -> LoadResult:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    budget = [MAX_REQUESTS]
    deadline = time.perf_counter() + SECONDS
    start = threading.Barrier(clients + 1)

    def client(cookie: str) -> None:
        start.wait()
        while time.perf_counter() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            t0 = time.perf_counter()
            try:
                # gunicorn's sync workers close the connection after each response, so one per request.
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = response.status == 200
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client, args=(cookies[i % len(cookies)],)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return LoadResult(clients, latencies, errors[0], time.perf_counter() - began)


def main() -> bool:
    ok = True
    with BenchServer(scale=20) as server:
        sessions: dict[str, list[str]] = {}
        for _name, _path, user in PAGES:
            if user not in sessions:
                sessions[user] = [server.cookie_header(user) for _ in range(SESSIONS_PER_USER)]
        print(f"\n{'page':<30}{'clients':>8}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}  vs reference")
        for clients in CONCURRENCY:
            reference_rps = None
            for name, path, user in PAGES:
                run_load(server.port, path, sessions[user], clients=2)  # warm both workers
                result = run_load(server.port, path, sessions[user], clients)
                share = result.rps / reference_rps if reference_rps else 1.0
                if reference_rps is None:
                    reference_rps = result.rps
                share_ok = share >= 0.5
                p99_ok = clients != 8 or result.percentile(99) < 1000
                met = share_ok and p99_ok and result.errors == 0
                ok &= met
                print(
                    f"{name:<30}{clients:>8}{result.rps:>8.1f}{result.percentile(50):>9.0f}"
                    f"{result.percentile(99):>9.0f}{result.errors:>8}  {share:.2f} {'met' if met else 'MISSED'}",
                    flush=True,
                )
                target = ">= 0.5x req/s" + (", p99<1s" if clients == 8 else "")
                record(
                    "load",
                    f"{name}, {clients} clients",
                    user=user,
                    median_ms=result.percentile(50),
                    ratio=share,
                    target=target,
                    met=met,
                    note=f"{result.rps:.1f} req/s, p99 {result.percentile(99):.0f} ms, {result.errors} errors",
                )
        print(
            f"(ratio column in the table: req/s as a share of the reference page's; median = p50; load "
            f"average {os.getloadavg()[0]:.1f})"
        )
    return ok


if __name__ == "__main__":
    from bench.common import print_table

    main()
    print_table("bench_load")
