"""The benchmark: the site under gunicorn with production settings, driven by wrk.

    make bench                          # small data set (CI): 2,000 articles, 10,000 comments
    make bench ARGS="--size large"      # 1,000,000 articles, 5,000,000 comments
    .venv/bin/python bench/run.py --help

Starts PostgreSQL and Redis if they are down, loads the data set into its own
database once (kolomwarga_bench, kolomwarga_bench_large, ...; --fresh reloads),
starts gunicorn on 127.0.0.1:8765 and measures each page with wrk from a second
process, bounded in time. Prints a table, writes bench/results/latest.json and
the "Latest results" section of bench/README.md. See bench/README.md.
Standard library only; gunicorn always stops at the end, even on error.
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
README = BENCH / "README.md"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = VENV_BIN / "python"

SIZES = {
    "small": (2_000, 10_000),
    "medium": (100_000, 500_000),
    "large": (1_000_000, 5_000_000),
}
DATABASE = "kolomwarga_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432"
REDIS_DB = 14  # the test suite uses 10 and up per xdist worker, from 10
YARDSTICK_PATH = "/bench/yardstick/"
WARMUP_REQUESTS = 20


def markers(section: str, size: str) -> tuple[str, str]:
    """The comments around one generated section of bench/README.md."""
    return f"<!-- {section}:{size}:start -->", f"<!-- {section}:{size}:end -->"


def log(message: str) -> None:
    print(f"== {message}", file=sys.stderr, flush=True)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("check", True)
    return subprocess.run(command, cwd=ROOT, **kwargs)  # noqa: S603


def query(statement, params=(), database: str = "postgres") -> list[tuple]:
    """Run one statement on the local PostgreSQL server (autocommit) and return its rows."""
    import psycopg  # the project's driver, from .venv

    with psycopg.connect(f"{PG_URL}/{database}", autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


# Services -------------------------------------------------------------------------


def ensure_services() -> None:
    """PostgreSQL and Redis, started the way .ci/run starts them when they are down."""
    if run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode:
        log("starting PostgreSQL")
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"])
        wait_for(lambda: not run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode)
    ping = ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"]
    if run(ping, check=False, capture_output=True).returncode:
        log("starting Redis")
        run(
            ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1",
             "--port", "6379", "--save", "", "--appendonly", "no"]
        )  # fmt: skip
        wait_for(lambda: not run(ping, check=False, capture_output=True).returncode)


def wait_for(ready, seconds: float = 30, what: str = "a service") -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit(f"Timed out waiting for {what}.")
        time.sleep(0.3)


def find_wrk() -> str | None:
    """wrk from Debian's packages, installed when missing (as root); None if impossible."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk (apt-get install -y wrk)")
        quiet = {"capture_output": True, "check": False}
        if run(["apt-get", "install", "-y", "wrk"], **quiet).returncode:
            run(["apt-get", "update"], **quiet)
            run(["apt-get", "install", "-y", "wrk"], **quiet)
    return shutil.which("wrk")


# The data set ---------------------------------------------------------------------


def django_env(database: str) -> dict[str, str]:
    """Production settings (DEBUG off) against the bench database and Redis."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="blogplatform.settings",
        DEBUG="false",
        SECRET_KEY="bench-only-not-a-secret-7c1f0e5a9b",  # noqa: S106
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"{PG_URL}/{database}",
        REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
        CACHE_KEY_PREFIX="bench",
        SECURE_SSL_REDIRECT="false",
        BEHIND_HTTPS_PROXY="false",
        EMAIL_HOST="localhost",
        BENCHMARK_YARDSTICK="true",
        MEDIA_ROOT=str(RESULTS / "media"),
        LOG_LEVEL="WARNING",
        # wrk sends everything from one address: the API's per-address limit
        # stays on (its cost is measured) but high enough never to answer 429.
        API_RATE_LIMIT_ADDRESS="1000000000",
    )
    return env


def database_exists(database: str) -> bool:
    return bool(query("SELECT 1 FROM pg_database WHERE datname = %s", [database]))


def table_exists(table: str, database: str) -> bool:
    return query("SELECT to_regclass(%s) IS NOT NULL", [table], database)[0][0]


def recreate_database(database: str) -> None:
    from psycopg import sql

    log(f"creating database {database}")
    name = sql.Identifier(database)
    query(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    query(sql.SQL("CREATE DATABASE {}").format(name))


def loaded_marker(database: str) -> dict | None:
    """What run.py recorded after loading this database, or None if it never finished."""
    if not table_exists("bench_dataset", database):
        return None
    rows = query(
        "SELECT row_to_json(d) FROM bench_dataset d ORDER BY loaded_at DESC LIMIT 1",
        database=database,
    )
    return rows[0][0] if rows else None


def load_dataset(args, env: dict[str, str], database: str) -> dict:
    """Migrate, and load the data set unless this database already holds it."""
    articles, comments = SIZES[args.size]
    if args.fresh or not database_exists(database):
        recreate_database(database)
    marker = loaded_marker(database)
    if marker is None and table_exists("articles_article", database):
        log(f"{database} holds an unfinished load: starting it again")
        recreate_database(database)
    log("migrate")
    run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"], env=env)
    if marker is not None:
        log(
            f"data set already loaded ({marker['articles']:,} articles, "
            f"{marker['comments']:,} comments, in {marker['load_seconds']:.0f}s); --fresh reloads"
        )
        marker["loaded_now"] = False
        return marker

    log(f"loading {articles:,} articles and {comments:,} comments (seed_scale)")
    started = time.monotonic()
    command = [str(PYTHON), "manage.py", "seed_scale", f"--articles={articles}"]
    process = subprocess.Popen(  # noqa: S603
        [*command, f"--comments={comments}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    summary = []
    for line in process.stdout:
        print(line, end="", file=sys.stderr)
        summary.append(line.strip())
    if process.wait():
        raise SystemExit("seed_scale failed")
    seconds = time.monotonic() - started
    marker = {
        "size": args.size,
        "articles": articles,
        "comments": comments,
        "load_seconds": round(seconds, 1),
        "seed_summary": next((line for line in summary if line.startswith("Done in")), ""),
    }
    query(
        "CREATE TABLE IF NOT EXISTS bench_dataset (size text, articles bigint, comments bigint, "
        "load_seconds real, seed_summary text, loaded_at timestamptz DEFAULT now())",
        database=database,
    )
    query(
        "INSERT INTO bench_dataset (size, articles, comments, load_seconds, seed_summary) "
        "VALUES (%(size)s, %(articles)s, %(comments)s, %(load_seconds)s, %(seed_summary)s)",
        marker,
        database,
    )
    marker["loaded_now"] = True
    return marker


# gunicorn ---------------------------------------------------------------------------


def serves_yardstick(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + YARDSTICK_PATH, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class Server:
    """gunicorn in its own process group, so stopping it stops its workers too."""

    def __init__(self, args, env: dict[str, str]):
        self.args, self.env = args, env
        self.process: subprocess.Popen | None = None
        self.log_path = RESULTS / "gunicorn.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.args.port}"

    def start(self) -> None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.args.port)) == 0:
                raise SystemExit(f"Something already listens on 127.0.0.1:{self.args.port}.")
        command = [
            str(VENV_BIN / "gunicorn"), "blogplatform.wsgi",
            "--workers", str(self.args.workers),
            "--worker-class", self.args.worker_class,
            "--bind", f"127.0.0.1:{self.args.port}",
            "--backlog", "2048",
            "--timeout", "60",
            "--log-level", "warning",
            "--error-logfile", str(self.log_path),
        ]  # fmt: skip
        log(f"starting gunicorn ({self.args.workers} {self.args.worker_class} workers)")
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self.env, start_new_session=True
        )
        wait_for(self.ready, 60, "gunicorn")
        wait_for(lambda: len(self.worker_pids()) == self.args.workers, 30, "gunicorn's workers")

    def ready(self) -> bool:
        if self.process.poll() is not None:
            tail = self.log_path.read_text()[-3000:] if self.log_path.exists() else ""
            raise SystemExit(f"gunicorn exited with {self.process.returncode}:\n{tail}")
        return serves_yardstick(self.base_url)

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return sorted(int(child) for child in children)

    def worker_rss_kb(self) -> dict[str, int]:
        rss = {}
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                rss[str(pid)] = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))
        return rss

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        log("stopping gunicorn")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


NGINX = Path(os.environ.get("BENCH_NGINX", "/usr/sbin/nginx"))
NGINX_CONFIG = """\
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    proxy_max_temp_file_size 0;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"""


class Proxy:
    """nginx in front of gunicorn, as in production: it reads each request whole before
    handing it to a worker, so a client that connects and waits (wrk pacing its writes
    with delay()) holds no sync worker."""

    def __init__(self, server: Server, port: int):
        self.server, self.port = server, port
        self.folder = RESULTS / "nginx"
        self.errors = self.folder / "error.log"
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if not NGINX.exists():
            raise SystemExit(f"--mix needs nginx at {NGINX} (apt-get install nginx)")
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "nginx.conf"
        config.write_text(
            NGINX_CONFIG.format(dir=self.folder, port=self.port, app_port=self.server.args.port)
        )
        log("starting nginx in front of gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 - Debian's nginx, our own configuration
            [str(NGINX), "-c", str(config), "-p", str(self.folder), "-e", str(self.errors)],
            start_new_session=True,
        )
        wait_for(self.ready, 30, "nginx")

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise SystemExit(f"nginx exited with {self.process.returncode}: see {self.errors}")
        return serves_yardstick(self.base_url)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


# Load generation -----------------------------------------------------------------------


def headers_for(page: dict, prepared: dict) -> dict[str, str]:
    headers = {"User-Agent": prepared["user_agent"], "Accept-Language": "id-ID,id;q=0.9"}
    if page.get("signed_in"):
        headers["Cookie"] = prepared["cookie"]
    return headers


def check_page(server: Server, page: dict, prepared: dict) -> int:
    """Fetch a page a few times: it must answer 200, and show the right reader. Returns bytes."""
    size = 0
    for _ in range(WARMUP_REQUESTS):
        request = urllib.request.Request(  # noqa: S310
            server.base_url + page["path"], headers=headers_for(page, prepared)
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{page['path']} answered {error.code}") from error
        size = len(body)
    if page["name"] != "yardstick":
        signed_in = prepared["logout_path"].encode() in body
        if signed_in != bool(page.get("signed_in")):
            state = "signed in" if signed_in else "signed out"
            raise SystemExit(f"{page['name']}: the page shows a {state} reader.")
    return size


def wrk(
    args,
    wrk_path: str,
    url: str,
    headers: dict[str, str],
    seconds: int,
    *,
    readers: int = 0,
    connections: int = 0,
) -> dict:
    """``readers``: that many connections, every request as a new reader (readers.lua);
    ``connections``: that many instead of ``--connections`` (one: a reader at a time)."""
    connections = readers or connections or args.connections
    command = [
        wrk_path, f"-t{min(args.threads, connections)}", f"-c{connections}", f"-d{seconds}s",
        "--timeout", "10s", "-s", str(BENCH / ("readers.lua" if readers else "report.lua")),
    ]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = run([*command, url], capture_output=True, text=True, timeout=seconds + 60)
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    errors = raw["errors"]
    return {
        "requests": raw["requests"],
        "seconds": raw["duration_us"] / 1e6,
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["latency_us"]["p50"] / 1000,
        "p90_ms": raw["latency_us"]["p90"] / 1000,
        "p95_ms": raw["latency_us"]["p95"] / 1000,
        "p99_ms": raw["latency_us"]["p99"] / 1000,
        "max_ms": raw["latency_us"]["max"] / 1000,
        "non2xx": raw["non2xx"],
        "socket_errors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        "bytes_per_response": raw["bytes"] // max(raw["requests"], 1),
    }


def python_load(
    args,
    wrk_path,
    url: str,
    headers: dict[str, str],
    seconds: int,
    *,
    readers: int = 0,
    connections: int = 0,
) -> dict:
    """A bounded threaded load generator, for machines without wrk.

    Much weaker than wrk (it shares the GIL and the two cores with the server),
    so its numbers are only comparable with its own. It sends one reader's
    requests only (``readers`` is ignored).
    """
    host, port = "127.0.0.1", int(url.split(":")[2].split("/")[0])
    path = "/" + url.split("/", 3)[3]
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    counters = {"non2xx": 0, "errors": 0, "bytes": 0}
    lock = threading.Lock()

    def worker():
        mine, non2xx, errors, received = [], 0, 0, 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(host, port, timeout=10)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                received += len(response.read())
                connection.close()
            except OSError:
                errors += 1
                continue
            mine.append(time.perf_counter() - started)
            non2xx += not 200 <= response.status < 300
        with lock:
            latencies.extend(mine)
            counters["non2xx"] += non2xx
            counters["errors"] += errors
            counters["bytes"] += received

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections or args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(0.5),
        "p90_ms": percentile(0.9),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "max_ms": latencies[-1] * 1000 if latencies else 0,
        "non2xx": counters["non2xx"],
        "socket_errors": counters["errors"],
        "bytes_per_response": counters["bytes"] // max(len(latencies), 1),
    }


# Reporting -----------------------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    memory = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    return {
        "nproc": os.cpu_count(),
        "cpu": model.group(1).strip() if model else platform.processor(),
        "ram_gb": round(int(memory.group(1)) / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": query("SHOW server_version")[0][0],
    }


def load_average() -> float:
    """The machine's one-minute load average: other work competing for the cores."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def git_state() -> dict:
    commit = run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = run(["git", "status", "--porcelain"], capture_output=True, text=True)
    return {"commit": commit.stdout.strip(), "dirty": bool(dirty.stdout.strip())}


def table(results: dict) -> str:
    lines = [
        "| page | path | req/s | ratio | p50 ms | p99 ms | non-2xx | KB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page in results["pages"]:
        note = f" ({page['note']})" if page.get("note") else ""
        path = page["path"] if len(page["path"]) <= 40 else page["path"][:36] + "…"
        lines.append(
            f"| {page['name']} | `{path}`{note} | {page['rps']:,.0f} | "
            f"{page['ratio']:.2f} | {page['p50_ms']:.1f} | {page['p99_ms']:.1f} | "
            f"{page['non2xx'] + page['socket_errors']} | {page['bytes_per_response'] / 1024:.0f} |"
        )
    return "\n".join(lines)


def one_reader_table(results: dict) -> list[str]:
    """The pages also measured one request at a time: the latency a single reader sees."""
    rows = [page for page in results["pages"] if "alone" in page]
    if not rows:
        return []
    lines = [
        "",
        "One request at a time (wrk -c1, the same duration), the latency a reader sees:",
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for page in rows:
        alone = page["alone"]
        lines.append(
            f"| {page['name']} | {alone['rps']:,.0f} | {alone['p50_ms']:.1f} | "
            f"{alone['p95_ms']:.1f} | {alone['p99_ms']:.1f} | {alone['max_ms']:.1f} |"
        )
    return lines


def summary(results: dict) -> str:
    m, c, d = results["machine"], results["config"], results["dataset"]
    rss = results["worker_rss_mb"]
    runs = ", ".join(f"{value:,.0f}" for value in results["yardstick_runs"])
    git = results["git"]
    return "\n".join(
        [
            f"Taken {results['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, "
            f"Linux {m['kernel']}, Python {m['python']}, PostgreSQL {m['postgresql']}; "
            f"commit {git['commit']}{' with uncommitted changes' if git['dirty'] else ''}.",
            "",
            f"Data set `{c['size']}`: {d['articles']:,} articles, {d['comments']:,} comments. "
            f"gunicorn: {c['workers']} {c['worker_class']} workers; load: {c['load_generator']} "
            f"-t{c['threads']} -c{c['connections']} -d{c['duration']}s per page, "
            f"same machine, over 127.0.0.1.",
            "",
            table(results),
            "",
            f"Yardstick runs (first and last of each server): {runs} req/s; ratios use their "
            "mean. Rows marked (page cache) ran with PAGE_CACHE on, (no cache) with PAGE_CACHE "
            "and FRAGMENT_CACHE off (every request renders the page and runs its queries), "
            "the others with the page cache off. "
            "non-2xx counts socket errors too. Load average just before the run "
            f"{results['load_average']['before']:.1f} (well above 0: other work shared the "
            f"machine), at its end {results['load_average']['end_of_run']:.1f} (the benchmark "
            "itself accounts for about 3).",
            *(
                f"\n{page['name']}: {page['requests']:,} responses "
                f"({page['non2xx'] + page['socket_errors']} not 2xx), "
                f"{page['views_counted']:,} views counted (the difference, "
                f"{page['views_counted'] - page['requests']:+,}, is requests in flight when wrk "
                f"stopped: at most the {page['readers']} connections; none may be lost)."
                for page in results["pages"]
                if "views_counted" in page
            ),
            *one_reader_table(results),
            "",
            "Worker RSS (MB), after warm-up -> end: "
            + ", ".join(
                f"{rss['warm'].get(pid, 0):.0f} -> {rss['end'].get(pid, 0):.0f}"
                for pid in rss["end"]
            )
            + f" (at boot: {', '.join(f'{value:.0f}' for value in rss['boot'].values())}).",
        ]
    )


def replace_section(text: str, start: str, end: str, body: str) -> str:
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        return text.rstrip() + f"\n\n{start}\n{body}\n{end}\n"
    return pattern.sub(lambda _: f"{start}\n{body}\n{end}", text)


def update_readme(section: str, size: str, body: str) -> None:
    start, end = markers(section, size)
    text = README.read_text() if README.exists() else "# Benchmark\n"
    README.write_text(replace_section(text, start, end, body))


# Main ------------------------------------------------------------------------------------


def views_of(page: dict, env: dict[str, str]) -> int | None:
    """For a page measured with distinct readers: its article's view count, once the
    counts buffered in Redis are written (manage.py flush_view_counts)."""
    if not page.get("readers"):
        return None
    run([str(PYTHON), "manage.py", "flush_view_counts"], env=env, capture_output=True)
    pk = int(page["path"].split("/")[2])
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    return query("SELECT view_count FROM articles_article WHERE id = %s", (pk,), database)[0][0]


# The mixed run ---------------------------------------------------------------------------

MIX = RESULTS / "mix"


def cache_counts(server: Server) -> dict[int, dict[str, int]]:
    """Each worker's cache counts (caching.stats): asked until every worker answered."""
    found: dict[int, dict[str, int]] = {}
    for _ in range(60):
        with urllib.request.urlopen(server.base_url + "/bench/stats/", timeout=5) as response:  # noqa: S310
            data = json.loads(response.read())
        found[data["pid"]] = data["counts"]
        if len(found) >= server.args.workers:
            break
    return found


def hit_rates(before: dict, after: dict) -> dict[str, float | None]:
    totals: dict[str, int] = {}
    for pid, counts in after.items():
        for name, value in counts.items():
            totals[name] = totals.get(name, 0) + value - before.get(pid, {}).get(name, 0)

    def rate(hits: list[str], misses: list[str]) -> float | None:
        hit = sum(totals.get(name, 0) for name in hits)
        everything = hit + sum(totals.get(name, 0) for name in misses)
        return hit / everything if everything else None

    def share(part: str, whole: list[str]) -> float | None:
        everything = sum(totals.get(name, 0) for name in whole)
        return totals.get(part, 0) / everything if everything else None

    return {
        "page cache (signed out)": rate(["page.hit"], ["page.miss"]),
        "signed-out pages from Redis (another worker's render)": share(
            "page.shared", ["page.hit", "page.miss"]
        ),
        "shared signed-in page": rate(["reader_page.hit"], ["reader_page.miss"]),
        "signed-in copies from Redis": share(
            "reader_page.shared", ["reader_page.hit", "reader_page.miss"]
        ),
        "fragments from memory": rate(
            ["fragment.memory"], ["fragment.shared", "fragment.computed"]
        ),
        "fragments from memory or Redis": rate(
            ["fragment.memory", "fragment.shared"], ["fragment.computed"]
        ),
    }


def mix_streams(args, wrk_path: str, base: str, seconds: int) -> list[tuple[str, list[str]]]:
    """The wrk commands of the mixed run, one per kind of request, run at once."""
    agent = ["-H", "User-Agent: Mozilla/5.0 (X11; Linux x86_64) KolomWargaMix"]
    timeout = ["--timeout", "10s", "-d", f"{seconds}s"]
    reads, readers = str(MIX / "reads.txt"), str(MIX / "readers.txt")
    targets, labels = str(MIX / "targets.txt"), str(MIX / "labels.txt")
    read, write = str(BENCH / "mix_read.lua"), str(BENCH / "mix_write.lua")

    def command(threads: int, connections: int, script: str, *arguments: str) -> list[str]:
        return [wrk_path, f"-t{threads}", f"-c{connections}", *timeout, *agent, "-s", script,
                base, "--", *arguments]  # fmt: skip

    files = (readers, targets, labels)
    return [
        ("signed-out reads", command(1, 8, read, reads)),
        ("signed-in reads", command(1, 6, read, reads, readers)),
        ("comments (post + check)", command(2, 2, write, "comment", *files, "400")),
        ("ratings (post + check)", command(1, 1, write, "rating", *files, "300")),
        ("follows (post + check)", command(1, 1, write, "follow", *files, "1000")),
    ]


def parse_wrk(stdout: str) -> dict:
    result = {}
    for line in stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            raw = json.loads(line.removeprefix("BENCH_JSON "))
            seconds = raw["duration_us"] / 1e6
            result.update(
                requests=raw["requests"],
                rps=raw["requests"] / seconds,
                p50_ms=raw["latency_us"]["p50"] / 1000,
                p99_ms=raw["latency_us"]["p99"] / 1000,
                non2xx=raw["non2xx"],
                socket_errors=sum(
                    raw["errors"][name] for name in ("connect", "read", "write", "timeout")
                ),
            )
        elif line.startswith("MIX_JSON "):
            result.update(json.loads(line.removeprefix("MIX_JSON ")))
    return result


def run_mix(args, env, wrk_path, prepared, yardstick) -> None:
    """Readers (a long tail of articles and lists, signed out and 300 signed-in
    readers), comments and ratings by signed-in readers, each checked on the
    writer's next request, and a publication or edit every 3 s, all at once."""
    if not wrk_path:
        raise SystemExit("--mix needs wrk (apt-get install wrk)")
    log("preparing the mixed run's readers and pages")
    run(
        [str(PYTHON), str(BENCH / "django_side.py"), "mix-prepare", f"--folder={MIX}"],
        env=env,
        stdout=subprocess.PIPE,
    )
    (MIX / "reads.txt").write_text(
        (MIX / "lists.txt").read_text() + (MIX / "articles.txt").read_text()
    )
    server = Server(args, {**env, "PAGE_CACHE": "true"})
    proxy = Proxy(server, args.port + 1)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        server.start()
        proxy.start()
        log("yardstick alone, 10 s")
        yard = wrk(args, wrk_path, proxy.base_url + YARDSTICK_PATH, {}, 10)
        log(f"the readers alone, {args.mix_warmup} s, from empty caches")
        warming = [
            subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
            for _name, command in mix_streams(args, wrk_path, proxy.base_url, args.mix_warmup)[:2]
        ]
        warmup = [parse_wrk(process.communicate(timeout=args.mix_warmup + 60)[0])
                  for process in warming]  # fmt: skip
        before = cache_counts(server)
        log(f"the mixed run, {args.mix_seconds} s")
        publisher = subprocess.Popen(  # noqa: S603
            [str(PYTHON), str(BENCH / "django_side.py"), "mix-publish",
             f"--seconds={args.mix_seconds}", "--every=3"],
            env=env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        streams = [
            (name, subprocess.Popen(command, stdout=subprocess.PIPE, text=True))  # noqa: S603
            for name, command in mix_streams(args, wrk_path, proxy.base_url, args.mix_seconds)
        ]
        results = [(name, parse_wrk(process.communicate(timeout=args.mix_seconds + 60)[0]))
                   for name, process in streams]  # fmt: skip
        published = json.loads(publisher.communicate(timeout=args.mix_seconds + 60)[0])
        after = cache_counts(server)
    finally:
        proxy.stop()
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    rates = hit_rates(before, after)
    reads = sum(result["rps"] for name, result in results if "reads" in name)
    read_p99 = max(result["p99_ms"] for name, result in results if "reads" in name)
    publish_ms = sorted(published["ms"]) or [0.0]
    m, git = machine(), git_state()
    lines = [
        f"Taken {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {m['nproc']} cores "
        f"({m['cpu']}), PostgreSQL {m['postgresql']}; commit {git['commit']}"
        f"{' with uncommitted changes' if git['dirty'] else ''}. {prepared['articles']:,} "
        f"articles. nginx, then gunicorn: {args.workers} sync workers, page cache on. Load "
        f"average at the start {load_average():.1f}.",
        "",
        f"Yardstick alone just before: {yard['rps']:,.0f} req/s, p99 {yard['p99_ms']:.1f} ms.",
        "",
        f"First, the readers alone for {args.mix_warmup} s from empty caches (a restart): "
        f"{sum(r['rps'] for r in warmup):,.0f} req/s, "
        f"{sum(r['rps'] for r in warmup) / yard['rps']:.2f} of the yardstick, p99 "
        f"{max(r['p99_ms'] for r in warmup):.1f} ms, "
        f"{sum(r['non2xx'] + r['socket_errors'] for r in warmup)} errors. Then everything at "
        f"once for {args.mix_seconds} s:",
        "",
        "| stream | requests | req/s | p50 ms | p99 ms | non-2xx | writes | write p50 / p99 ms "
        "| refused | lost |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, result in results:
        write_ms = (
            f"{result['write_p50_ms']:.1f} / {result['write_p99_ms']:.1f}"
            if "write_p99_ms" in result
            else ""
        )
        lines.append(
            f"| {name} | {result['requests']:,} | {result['rps']:,.0f} | {result['p50_ms']:.1f} "
            f"| {result['p99_ms']:.1f} | {result['non2xx'] + result['socket_errors']} "
            f"| {result.get('writes', '')} | {write_ms} | {result.get('refused', '')} "
            f"| {result.get('lost', '')} |"
        )
    lines += [
        f"| publications and edits (services, every 3 s) | {published['published']} + "
        f"{published['edited']} | | {statistics.median(publish_ms):.1f} | {publish_ms[-1]:.1f} "
        "(max) | | | | | |",
        "",
        f"Reads: {reads:,.0f} req/s together, {reads / yard['rps']:.2f} of the yardstick; "
        f"read p99 at most {read_p99:.1f} ms, {read_p99 / max(yard['p99_ms'], 0.1):.1f} times the "
        "yardstick's. Hit rates during the run: "
        + "; ".join(
            f"{name} {rate:.0%}" if rate is not None else f"{name} (none)"
            for name, rate in rates.items()
        )
        + ".",
    ]
    body = "\n".join(lines)
    print("\n" + body + "\n")
    (RESULTS / f"mix-{args.size}.json").write_text(
        json.dumps(
            {
                "yardstick": yard,
                "warmup": warmup,
                "streams": results,
                "published": published,
                "rates": rates,
            }
        )
    )
    if not args.no_readme:
        update_readme("mixed-run", args.size, body)
    failures = sum(r["non2xx"] + r["socket_errors"] + r.get("lost", 0) for _, r in results)
    failures += sum(r["non2xx"] + r["socket_errors"] for r in warmup)
    if failures:
        raise SystemExit(f"{failures} errors or lost writes in the mixed run")


def measure_phase(
    args, env, wrk_path, generator, prepared, yardstick, pages, suffix, *,
    measured, yardstick_runs, rss,
) -> None:  # fmt: skip
    """Start gunicorn with ``env``, warm every page, measure the yardstick first
    and last and each page in between; append to ``measured`` and ``yardstick_runs``."""
    server = Server(args, env)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        server.start()
        rss["boot"].update(server.worker_rss_kb())
        log(f"warming up ({args.warmup}s of wrk per page){suffix}")
        for page in [yardstick, *pages]:
            page["bytes"] = check_page(server, page, prepared)
            if args.warmup:
                generator(
                    args, wrk_path, server.base_url + page["path"],
                    headers_for(page, prepared), args.warmup,
                )  # fmt: skip
        rss["warm"].update(server.worker_rss_kb())
        runs = 0
        for page in [yardstick, *pages, yardstick]:
            log(f"measuring {page['name']}{suffix} {page['path']} for {args.duration}s")
            views_before = views_of(page, env)
            result = generator(
                args, wrk_path, server.base_url + page["path"],
                headers_for(page, prepared), args.duration, readers=page.get("readers", 0),
            )  # fmt: skip
            if views_before is not None:
                time.sleep(1)  # what was in flight when wrk stopped
                result["views_counted"] = views_of(page, env) - views_before
            if page.get("one_reader") and env.get("PAGE_CACHE") != "true":
                log(f"measuring {page['name']}{suffix} one request at a time")
                alone = generator(
                    args, wrk_path, server.base_url + page["path"],
                    headers_for(page, prepared), args.duration, connections=1,
                )  # fmt: skip
                result["alone"] = {
                    key: alone[key] for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "max_ms")
                }
            if page is yardstick:
                yardstick_runs.append(result["rps"])
                runs += 1
                if runs == 2 or measured:
                    continue
                measured.append({**page, **result})
                continue
            measured.append({**page, **result, "name": page["name"] + suffix})
        rss["end"].update(server.worker_rss_kb())
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--fresh", action="store_true", help="drop and reload the data set")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (10)")
    parser.add_argument("--warmup", type=int, default=3, help="wrk seconds per page first (3)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pages", help="comma-separated page names to measure (default: all)")
    parser.add_argument("--deep-cap", type=int, default=5000, help="deepest topic page (5000)")
    parser.add_argument("--explain", action="store_true", help="also write query plans")
    parser.add_argument("--load-only", action="store_true", help="load the data set and stop")
    parser.add_argument(
        "--mix", action="store_true", help="the mixed run instead of the pages (bench/README.md)"
    )
    parser.add_argument("--mix-seconds", type=int, default=30, help="length of the mixed run (30)")
    parser.add_argument(
        "--mix-warmup", type=int, default=60, help="readers alone before the mixed run (60 s)"
    )
    parser.add_argument("--no-readme", action="store_true", help="leave bench/README.md alone")
    parser.add_argument("--python-load", action="store_true", help="use the Python generator")
    parser.add_argument(
        "--page-cache",
        choices=["both", "off", "on"],
        default="both",
        help="measure without the page cache, with it, or both in turn (both)",
    )
    parser.add_argument(
        "--cache",
        choices=["on", "off"],
        default="on",
        help="off: every page fully uncached, the page and the fragment caches both off (on)",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    database = DATABASE if args.size == "small" else f"{DATABASE}_{args.size}"
    env = django_env(database)
    ensure_services()
    wrk_path = None if args.python_load else find_wrk()
    generator = wrk if wrk_path else python_load
    if not wrk_path:
        log("wrk is not available: using the Python load generator (weaker; see README)")

    dataset = load_dataset(args, env, database)
    if args.load_only:
        return
    log("collectstatic")
    run([str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], env=env)
    # A cache left by an earlier run (or an earlier version of the code) must not
    # answer this one; sessions survive in the database (cached_db).
    run(["redis-cli", "-n", str(REDIS_DB), "FLUSHDB"], capture_output=True)
    log("finding the pages and opening a signed-in session")
    prepared = json.loads(
        run(
            [str(PYTHON), str(BENCH / "django_side.py"), "prepare", f"--deep-cap={args.deep_cap}"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    )
    if args.explain:
        log("query plans (EXPLAIN ANALYZE)")
        plans = run(
            [str(PYTHON), str(BENCH / "django_side.py"), "explain", f"--deep-cap={args.deep_cap}"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        (RESULTS / f"plans-{args.size}.md").write_text(plans)
        if not args.no_readme:
            update_readme("query-plans", args.size, plans.strip())

    yardstick = {"name": "yardstick", "path": YARDSTICK_PATH, "note": "30 KB template, no query"}
    if args.mix:
        run_mix(args, env, wrk_path, prepared, yardstick)
        return
    wanted = set(args.pages.split(",")) if args.pages else None
    pages = [page for page in prepared["pages"] if not wanted or page["name"] in wanted]

    load_before = load_average()
    if load_before > 1.0:
        log(f"load average {load_before:.1f} before starting: other work will skew the numbers")
    phases = {"both": ["off", "on"], "off": ["off"], "on": ["on"]}[args.page_cache]
    if args.cache == "off":
        phases = ["cold"]
    measured, yardstick_runs, rss = [], [], {"boot": {}, "warm": {}, "end": {}}
    for phase in phases:
        # The signed-in page never comes from the page cache: measured once.
        once = phase == "off" or len(phases) == 1
        phase_pages = [page for page in pages if once or not page.get("signed_in")]
        server_env = {**env, "PAGE_CACHE": "true" if phase == "on" else "false"}
        if phase == "cold":
            server_env["FRAGMENT_CACHE"] = "false"
        suffix = {"on": " (page cache)", "cold": " (no cache)"}.get(phase, "")
        if phase == "on" and len(phases) == 1:
            suffix = ""
        measure_phase(
            args, server_env, wrk_path, generator, prepared, yardstick, phase_pages, suffix,
            measured=measured, yardstick_runs=yardstick_runs, rss=rss,
        )  # fmt: skip
    load_during = load_average()
    rss_boot, rss_warm, rss_end = rss["boot"], rss["warm"], rss["end"]

    yardstick_rps = statistics.mean(yardstick_runs)
    measured[0].update(rps=yardstick_rps, note=yardstick["note"], name="yardstick")
    for page in measured:
        page["ratio"] = page["rps"] / yardstick_rps if yardstick_rps else 0.0
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "git": git_state(),
        "config": {
            "size": args.size,
            "duration": args.duration,
            "warmup": args.warmup,
            "threads": args.threads,
            "connections": args.connections,
            "workers": args.workers,
            "worker_class": args.worker_class,
            "load_generator": "wrk" if wrk_path else "python (threads)",
            "page_cache": args.page_cache,
            "cache": args.cache,
        },
        "dataset": {
            "articles": prepared["articles"],
            "comments": prepared["comments"],
            "load_seconds": dataset.get("load_seconds"),
            "loaded_now": dataset.get("loaded_now"),
            "seed_summary": dataset.get("seed_summary"),
        },
        "load_average": {"before": load_before, "end_of_run": load_during},
        "yardstick_rps": yardstick_rps,
        "yardstick_runs": yardstick_runs,
        "pages": measured,
        "worker_rss_mb": {
            stage: {pid: kb / 1024 for pid, kb in values.items()}
            for stage, values in (("boot", rss_boot), ("warm", rss_warm), ("end", rss_end))
        },
    }
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"latest-{args.size}.json").write_text(json.dumps(results, indent=2) + "\n")
    report = summary(results)
    print("\n" + report)
    if not args.no_readme:
        update_readme("latest-results", args.size, report)
    failures = [page["name"] for page in measured if page["non2xx"] or page["socket_errors"]]
    if failures:
        raise SystemExit(f"Responses outside 2xx or socket errors on: {', '.join(failures)}")
    lost = [
        page["name"]
        for page in measured
        if "views_counted" in page and page["views_counted"] < page["requests"]
    ]
    if lost:
        raise SystemExit(f"Fewer views counted than readers served on: {', '.join(lost)}")


if __name__ == "__main__":
    main()
