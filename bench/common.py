"""Shared benchmark harness: a seeded database, gunicorn on loopback, and timing of pages.

Absolute times drift on shared machines, so every figure is also printed as a ratio of the reference
page (the signed-in password-change form: the base layout and nothing else) measured in the same run.

    with BenchServer(scale=20) as server:
        reference = server.measure("/accounts/password/", user="analyst")
        dashboard = server.measure("/", user="leader")
        print_report([("dashboard", dashboard)], reference=reference, targets={"dashboard": 4.0})
"""

import hashlib
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
PASSWORD = "bench-Pass-2026!"  # noqa: S105 - a throwaway database on loopback


def _source_stamp() -> str:
    """Changes whenever migrations or demo seeders change, so a stale seeded database is rebuilt."""
    digest = hashlib.sha256()
    for pattern in ("*/migrations/*.py", "*/demo*.py", "*/demo/*.py", "mshtgov/management/commands/seed_demo.py"):
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + "k" * 50,
            "HTTPS_ONLY": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "DEMO_PASSWORD": PASSWORD,
            "LOG_LEVEL": "WARNING",
            # Benchmarks sign in with a password only. With two-step sign-in on, every page costs the
            # same one session lookup (mshtgov.mfa.is_pending), so leaving it off changes no ratio.
            "MFA_REQUIRED": "false",
        }
    )
    env.pop("CELERY_BROKER_URL", None)  # tasks in-process: benchmarks measure the app, not the queue
    return env


def seeded_database(scale: int) -> str:
    """A database URL seeded at `scale`, reused between runs while the sources are unchanged."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = _source_stamp()
    path = RESULTS / f"scale-{scale}-{stamp}.sqlite3"
    url = f"sqlite:///{path}"
    if not path.exists():
        for old in RESULTS.glob(f"scale-{scale}-*.sqlite3"):
            old.unlink()
        env = _env(url)
        print(f"Seeding a fresh database at scale {scale} (once per source change)...", flush=True)
        started = time.perf_counter()
        tmp = path.with_suffix(f".{os.getpid()}.partial")  # two benchmarks seeding at once must not collide
        env["DATABASE_URL"] = f"sqlite:///{tmp}"
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [PYTHON, "manage.py", "seed_demo", "--scale", str(scale)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tmp.rename(path)
        print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)
    return url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stats:
    path: str
    user: str
    samples_ms: list[float]
    total_s: float
    status: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p90_ms(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[int(0.9 * (len(ordered) - 1))]

    @property
    def rps(self) -> float:
        return len(self.samples_ms) / self.total_s


class BenchServer:
    def __init__(self, scale: int = 20, workers: int = 2, database_url: str | None = None):
        self.scale = scale
        self.workers = workers
        self.database_url = database_url
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._openers: dict[str, urllib.request.OpenerDirector] = {}

    def __enter__(self):
        url = self.database_url or seeded_database(self.scale)
        self.env = _env(url)
        self.proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "mshtgov.wsgi",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.proc.kill()
        raise RuntimeError("gunicorn did not start within 60 s")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def opener(self, user: str) -> urllib.request.OpenerDirector:
        """A cookie-keeping client signed in as `user` through the real login form."""
        if user in self._openers:
            return self._openers[user]
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{self.base}/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": user, "password": PASSWORD}).encode()
        request = urllib.request.Request(f"{self.base}/accounts/login/", data=body, headers={"Referer": self.base})
        response = opener.open(request)
        if "/accounts/login/" in response.geturl():
            raise RuntimeError(f"could not sign in as {user}")
        self._openers[user] = opener
        return opener

    def get(self, path: str, user: str) -> tuple[int, bytes]:
        with self.opener(user).open(f"{self.base}{path}", timeout=60) as response:
            return response.status, response.read()

    def measure(self, path: str, user: str = "leader", requests: int = 40, warmup: int = 3) -> Stats:
        for _ in range(warmup):
            self.get(path, user)
        samples = []
        started = time.perf_counter()
        status = 0
        for _ in range(requests):
            t0 = time.perf_counter()
            status, _body = self.get(path, user)
            samples.append((time.perf_counter() - t0) * 1000)
        return Stats(path, user, samples, time.perf_counter() - started, status)


def print_report(rows: list[tuple[str, Stats]], *, reference: Stats, targets: dict[str, float] | None = None) -> bool:
    """Print median, p90, requests per second and the ratio to the reference page. True if all targets met."""
    targets = targets or {}
    ok = True
    print(f"\n{'page':<34}{'user':<13}{'median ms':>10}{'p90 ms':>9}{'req/s':>8}{'ratio':>7}  target")
    print(
        f"{'reference (password form)':<34}{reference.user:<13}{reference.median_ms:>10.1f}{reference.p90_ms:>9.1f}"
        f"{reference.rps:>8.1f}{1.0:>7.2f}"
    )
    for name, stats in rows:
        ratio = stats.median_ms / reference.median_ms
        target = targets.get(name)
        verdict = ""
        if target is not None:
            met = ratio <= target
            ok &= met
            verdict = f"<= {target:.2f}x {'met' if met else 'MISSED'}"
        figures = f"{stats.median_ms:>10.1f}{stats.p90_ms:>9.1f}{stats.rps:>8.1f}{ratio:>7.2f}"
        print(f"{name:<34}{stats.user:<13}{figures}  {verdict}")
    return ok
