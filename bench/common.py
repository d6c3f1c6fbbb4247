"""Shared benchmark harness: a seeded database, gunicorn on loopback as in production, and timing of pages.

Production runs PostgreSQL, a shared Redis cache and gunicorn with DEBUG off, so the benchmarks do too
(`BENCH_ENGINE=sqlite` runs them on a SQLite file instead, for a quick look). Absolute times drift on a
shared machine, so every page is timed against the reference page (the signed-in password-change form:
the base layout and nothing else) with the two requests *interleaved*: each sample of the page follows
one of the reference, so a burst of load elsewhere slows both alike and the ratio holds.

    with BenchServer(scale=20) as server:
        reference = server.measure("/accounts/password/", user="analyst")
        dashboard = server.measure("/", user="leader")
        print_report([("dashboard", dashboard)], reference=reference, targets={"dashboard": 1.5})

Every `print_report` (and `record`) also adds its rows to one table, which `bench/run.py` prints at the
end of `make bench` (`print_table`).

Environment:
    BENCH_ENGINE             postgres (default) or sqlite
    BENCH_POSTGRES_URL       server to seed on, default postgres://postgres@127.0.0.1:5432/postgres
    BENCH_DATABASE           database name prefix, default mshtgov_bench (-> mshtgov_bench_s20, ..._s1)
    BENCH_DATABASE_URL       an already seeded database to use as it is (skips seeding)
    BENCH_CACHE_URL          Redis for the shared cache, default redis://127.0.0.1:6379/0 (keys get a
                             prefix unique to the run and are deleted afterwards); "none" for per-process
    BENCH_REQUESTS           samples per page (default 30)
"""

import contextlib
import fcntl
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
PASSWORD = "bench-Pass-2026!"  # noqa: S105 - a throwaway database on loopback
REFERENCE_PATH = "/accounts/password/"
REFERENCE_USER = "analyst"
ENGINE = os.environ.get("BENCH_ENGINE", "postgres")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))


def _source_stamp() -> str:
    """Changes whenever migrations or demo seeders change, so a stale seeded database is brought up to date."""
    digest = hashlib.sha256()
    for pattern in ("*/migrations/*.py", "*/demo*.py", "*/demo/*.py", "mshtgov/management/commands/seed_demo.py"):
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_url() -> str | None:
    """The Redis the benchmark's web and helper processes share, or None when there is none."""
    url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/0")
    if url.lower() in {"", "none", "off"}:
        return None
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return url
    except OSError:
        pass
    print(f"  (no Redis at {url}: each worker keeps its own cache, unlike production)", flush=True)
    return None


def _env(database_url: str, cache_prefix: str | None = None) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + "k" * 50,
            "HTTPS_ONLY": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DATABASE_URL": database_url,
            "DEMO_PASSWORD": PASSWORD,
            "LOG_LEVEL": "WARNING",
            # Production settings, whatever this process has: bench_personal_data sets the test settings in
            # run.py's own environment, and every benchmark after it signed in against them and failed.
            "DJANGO_SETTINGS_MODULE": "mshtgov.settings",
            # Benchmarks sign in with a password only. With two-step sign-in on, every page reads the
            # same flag from the session it loads anyway (mshtgov.mfa.is_pending): no extra query.
            "MFA_REQUIRED": "false",
        }
    )
    env.pop("CELERY_BROKER_URL", None)  # tasks in-process: benchmarks measure the app, not the queue
    env.pop("CACHE_URL", None)
    url = cache_url() if cache_prefix else None
    if url:
        env["CACHE_URL"] = url
        env["CACHE_KEY_PREFIX"] = cache_prefix
    return env


@contextlib.contextmanager
def _seed_lock(name: str):
    """Two benchmarks started together must not seed the same database at once."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _seed(env: dict, scale: int) -> None:
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "seed_demo", "--scale", str(scale)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _sqlite_database(scale: int) -> str:
    stamp = _source_stamp()
    path = RESULTS / f"scale-{scale}-{stamp}.sqlite3"
    url = f"sqlite:///{path}"
    with _seed_lock(f"sqlite-{scale}"):
        if not path.exists():
            for old in RESULTS.glob(f"scale-{scale}-*.sqlite3"):
                old.unlink()
            print(f"Seeding a fresh SQLite database at scale {scale} (once per source change)...", flush=True)
            started = time.perf_counter()
            tmp = path.with_suffix(f".{os.getpid()}.partial")
            _seed(_env(f"sqlite:///{tmp}"), scale)
            tmp.rename(path)
            print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)
    return url


def postgres_admin_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def postgres_url(name: str) -> str:
    parts = urllib.parse.urlsplit(postgres_admin_url())
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _pg(sql: str, *params, fetch: bool = False):
    import psycopg

    with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
        rows = conn.execute(sql, params)
        return rows.fetchall() if fetch else None


def _postgres_database(scale: int) -> str:
    """A PostgreSQL database seeded at `scale`, kept between runs. When migrations or seeders changed
    since it was seeded, it is migrated and seeded again (seeding adds only what is missing); if that
    fails (a migration was rewritten), it is dropped and seeded from scratch."""
    import psycopg
    from psycopg import sql

    name = f"{os.environ.get('BENCH_DATABASE', 'mshtgov_bench')}_s{scale}"
    url = postgres_url(name)
    stamp = _source_stamp()
    with _seed_lock(name):
        found = _pg(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", name, fetch=True
        )
        if found and found[0][0] == stamp:
            return url
        started = time.perf_counter()
        try:
            if not found:
                raise LookupError
            print(f"Bringing {name} up to date with the sources (migrate and seed at scale {scale})...", flush=True)
            _seed(_env(url), scale)
        except (LookupError, subprocess.CalledProcessError):
            print(f"Seeding a fresh PostgreSQL database {name} at scale {scale}...", flush=True)
            _pg(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)).as_string())
            _pg(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)).as_string())
            _seed(_env(url), scale)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")  # fresh statistics, as a database that has lived a while has
        _pg(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(stamp)).as_string())
        print(f"  ready in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def seeded_database(scale: int) -> str:
    """A database URL seeded at `scale`, reused between runs while the sources are unchanged."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    if ENGINE == "sqlite":
        return _sqlite_database(scale)
    return _postgres_database(scale)


def copy_database(url: str, suffix: str) -> str:
    """A throwaway copy of a seeded database for benchmarks that write (drop it with `drop_copy`)."""
    if url.startswith("sqlite:///"):
        import shutil

        source = Path(url.removeprefix("sqlite:///"))
        target = source.with_name(f"{source.stem}-{suffix}-{os.getpid()}.sqlite3")
        shutil.copy(source, target)
        return f"sqlite:///{target}"
    from psycopg import sql

    source = urllib.parse.urlsplit(url).path.lstrip("/")
    name = f"{source}_{suffix}_{os.getpid()}"
    _pg(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(source)).as_string())
    return postgres_url(name)


def drop_copy(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    from psycopg import sql

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    _pg(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)).as_string())


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
    # The reference page's samples, taken one before each sample of this page (interleaved).
    reference_ms: list[float] = field(default_factory=list)

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

    def ratio(self, reference: "Stats | None" = None) -> float:
        """Median over the reference's median: the interleaved reference when there is one."""
        if self.reference_ms:
            return self.median_ms / statistics.median(self.reference_ms)
        return self.median_ms / reference.median_ms


class BenchServer:
    def __init__(self, scale: int = 20, workers: int = 2, database_url: str | None = None):
        self.scale = scale
        self.workers = workers
        self.database_url = database_url or os.environ.get("BENCH_DATABASE_URL")
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.cache_prefix = f"bench{os.getpid()}x{self.port}"
        self._openers: dict[str, urllib.request.OpenerDirector] = {}

    def __enter__(self):
        self.url = self.database_url or seeded_database(self.scale)
        self.env = _env(self.url, self.cache_prefix)
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
                "--backlog",
                "256",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.proc.kill()
        raise RuntimeError("gunicorn did not start within 120 s")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._forget_cache()

    def _forget_cache(self) -> None:
        """Delete this run's keys from the shared Redis (they carry the run's own prefix)."""
        url = self.env.get("CACHE_URL")
        if not url:
            return
        try:
            import redis

            client = redis.Redis.from_url(url)
            keys = list(client.scan_iter(match=f"{self.cache_prefix}:*", count=1000))
            for start in range(0, len(keys), 500):
                client.delete(*keys[start : start + 500])
        except Exception as exc:  # noqa: BLE001 - cleaning up is best effort
            print(f"  (could not delete the run's cache keys: {exc})")

    def sign_in(self, user: str) -> urllib.request.OpenerDirector:
        """A new cookie-keeping client signed in as `user` through the real sign-in form."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.jar = jar
        page = opener.open(f"{self.base}/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": user, "password": PASSWORD}).encode()
        request = urllib.request.Request(f"{self.base}/accounts/login/", data=body, headers={"Referer": self.base})
        response = opener.open(request)
        if "/accounts/login/" in response.geturl():
            raise RuntimeError(f"could not sign in as {user}")
        return opener

    def opener(self, user: str | None) -> urllib.request.OpenerDirector:
        """The client signed in as `user` (one per user, kept); None: a client with no session."""
        key = user or ""
        if key not in self._openers:
            self._openers[key] = self.sign_in(user) if user else urllib.request.build_opener()
        return self._openers[key]

    def cookie_header(self, user: str) -> str:
        opener = self.sign_in(user)
        return "; ".join(f"{c.name}={c.value}" for c in opener.jar)

    def get(self, path: str, user: str | None) -> tuple[int, bytes]:
        try:
            with self.opener(user).open(f"{self.base}{path}", timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def _timed(self, path: str, user: str | None) -> tuple[float, int]:
        t0 = time.perf_counter()
        status, _body = self.get(path, user)
        return (time.perf_counter() - t0) * 1000, status

    def measure(
        self,
        path: str,
        user: str | None = "leader",
        requests: int | None = None,
        warmup: int = 3,
        interleave: bool = True,
        before_each=None,
    ) -> Stats:
        """Median and spread of `requests` sequential GETs of `path` as `user` (None: no session).

        With `interleave`, a request for the reference page precedes each sample, and the Stats keep
        those timings too, so the page's ratio compares like with like. `before_each()` runs before
        every sample (untimed), e.g. to make a change that invalidates cached figures."""
        requests = requests or REQUESTS
        interleave = interleave and (path, user) != (REFERENCE_PATH, REFERENCE_USER)
        for _ in range(warmup):
            self.get(path, user)
            if interleave:
                self.get(REFERENCE_PATH, REFERENCE_USER)
        samples, reference, statuses = [], [], set()
        busy = 0.0
        for _ in range(requests):
            if interleave:
                reference.append(self._timed(REFERENCE_PATH, REFERENCE_USER)[0])
            if before_each is not None:
                before_each()
            elapsed, status = self._timed(path, user)
            samples.append(elapsed)
            busy += elapsed / 1000
            statuses.add(status)
        status = statuses.pop() if len(statuses) == 1 else 0
        return Stats(path, user or "anonymous", samples, busy, status, reference)


@dataclass
class Row:
    """One line of the final table."""

    group: str
    name: str
    user: str
    median_ms: float | None
    ratio: float | None
    target: str
    met: bool | None
    note: str = ""


TABLE: list[Row] = []


def record(group: str, name: str, *, user="", median_ms=None, ratio=None, target="", met=None, note="") -> None:
    """Add a figure that is not a page timing (a build time, a throughput) to the final table."""
    TABLE.append(Row(group, name, user, median_ms, ratio, target, met, note))


def print_report(
    rows: list[tuple[str, Stats]],
    *,
    reference: Stats,
    targets: dict[str, float] | None = None,
    group: str | None = None,
) -> bool:
    """Print median, p90, requests per second and the ratio to the reference page. True if all targets met."""
    targets = targets or {}
    group = group or Path(sys.argv[0]).stem
    ok = True
    print(f"\n{'page':<44}{'user':<12}{'median ms':>10}{'p90 ms':>9}{'ratio':>7}  target")
    print(f"{'reference (password form)':<44}{reference.user:<12}{reference.median_ms:>10.1f}{reference.p90_ms:>9.1f}")
    for name, stats in rows:
        ratio = stats.ratio(reference)
        target = targets.get(name)
        met = None
        verdict = ""
        if stats.status != 200:
            met = False
            verdict = f"answered {stats.status or 'mixed statuses'}"
        if target is not None:
            met = ratio <= target and stats.status == 200
            verdict = f"<= {target:.2f}x {'met' if met else 'MISSED'}" + (f" ({verdict})" if verdict else "")
        if met is False:
            ok = False
        print(f"{name:<44}{stats.user:<12}{stats.median_ms:>10.1f}{stats.p90_ms:>9.1f}{ratio:>7.2f}  {verdict}")
        TABLE.append(Row(group, name, stats.user, stats.median_ms, ratio, f"<= {target:.2f}x" if target else "", met))
    return ok


def print_table(title: str = "make bench") -> bool:
    """The one table: every figure gathered in this process, with its target and whether it was met."""
    engine = "SQLite" if ENGINE == "sqlite" else "PostgreSQL"
    print(
        f"\n{'=' * 118}\n{title}: {engine}, gunicorn 2 workers, DEBUG off, loopback; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n{'=' * 118}"
    )
    print(f"{'group':<18}{'page / figure':<46}{'user':<12}{'median':>9}{'ratio':>7}  {'target':<14}result")
    missed = 0
    for row in TABLE:
        median = f"{row.median_ms:.1f}" if row.median_ms is not None else ""
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        result = "" if row.met is None else ("met" if row.met else "MISSED")
        missed += row.met is False
        note = f"  {row.note}" if row.note else ""
        print(f"{row.group:<18}{row.name[:45]:<46}{row.user:<12}{median:>9}{ratio:>7}  {row.target:<14}{result}{note}")
    judged = sum(row.met is not None for row in TABLE)
    print(f"\n{judged - missed} of {judged} targets met" + (f", {missed} MISSED" if missed else ""))
    return missed == 0
