"""The site under gunicorn behind a real nginx: readers are told apart by the
address nginx saw, and what a client writes in X-Forwarded-For changes nothing.

gunicorn runs as a subprocess against this test's database (committed rows: a
transactional test), with Redis when the suite has REDIS_URL; nginx from
Debian's package runs as our own process (`nginx -c FILE -p DIR`, daemon off)
with every file it writes inside tmp_path. Both listen on free loopback ports
and are stopped at the end. Every client connects from its own loopback source
address (all of 127.0.0.0/8 is loopback on Linux), which nginx appends to
X-Forwarded-For as $remote_addr.

Skipped when /usr/sbin/nginx is missing, unless CI is set: there it fails.
"""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from articles.services import flush_view_counts
from tests.factories import BROWSER, make_article

# TEST_NGINX points at another build (or at nothing, to see the skip).
NGINX = Path(os.environ.get("TEST_NGINX", "/usr/sbin/nginx"))
GUNICORN = Path(sys.executable).parent / "gunicorn"
NGINX_MISSING = "nginx is not installed (apt-get install -y nginx)"

pytestmark = [
    pytest.mark.skipif(
        not NGINX.exists() and not os.environ.get("CI"), reason=f"{NGINX_MISSING}: skipped"
    ),
    pytest.mark.django_db(transaction=True),
]

NGINX_CONFIG = """\
daemon off;
master_process on;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {dir}/nginx-access.log;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    # Run as root, nginx's workers are "nobody" and cannot enter tmp_path:
    # responses are buffered in memory only, never in a temporary file.
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The URL of this test's database, for the gunicorn process."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{db['HOST']}{port}/{quote(db['NAME'])}"


def log_tail(*paths: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in paths if p.exists())


def get(port: int, path: str, *, source: str = "127.0.0.1", headers=None):
    """One GET from a chosen loopback source address; (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_until_serving(port: int, process: subprocess.Popen, name: str, *logs: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} exited with {process.returncode}\n{log_tail(*logs)}")
        with contextlib.suppress(OSError):
            if get(port, "/robots.txt")[0] == 200:
                return
        time.sleep(0.1)
    pytest.fail(f"{name} did not answer on port {port} within 30 s\n{log_tail(*logs)}")


def stop(process: subprocess.Popen) -> None:
    """Stop a process started in its own session, and everything it started."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture
def behind_nginx(tmp_path):
    """Start gunicorn and nginx in front of it; returns a function taking the
    proxy count the app is told to trust and giving nginx's port."""
    if not NGINX.exists():
        pytest.fail(f"{NGINX_MISSING}: CI is set, so this test must run")
    started: list[subprocess.Popen] = []

    def start(trusted_proxy_count: int) -> int:
        app_port, proxy_port = free_port(), free_port()
        redis = settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "blogplatform.settings_test",
            "DATABASE_URL": database_url(),
            "DATABASE_REPLICA_URLS": "",  # the test database is the one to read
            "ALLOWED_HOSTS": "127.0.0.1",
            "TRUSTED_PROXY_COUNT": str(trusted_proxy_count),
        }
        gunicorn_log = tmp_path / "gunicorn.log"
        command = [
            str(GUNICORN), "blogplatform.wsgi",
            "--bind", f"127.0.0.1:{app_port}",
            # With the in-process cache the "seen" marks live in one process.
            "--workers", "2" if redis else "1",
            "--timeout", "30",
            "--error-logfile", str(gunicorn_log),
        ]  # fmt: skip
        gunicorn = subprocess.Popen(  # noqa: S603 - our own interpreter's gunicorn
            command, cwd=settings.BASE_DIR, env=environment, start_new_session=True
        )
        started.append(gunicorn)
        wait_until_serving(app_port, gunicorn, "gunicorn", gunicorn_log)

        config = tmp_path / "nginx.conf"
        config.write_text(NGINX_CONFIG.format(dir=tmp_path, port=proxy_port, app_port=app_port))
        nginx_log = tmp_path / "nginx-error.log"
        nginx = subprocess.Popen(  # noqa: S603 - Debian's nginx, our own configuration
            [str(NGINX), "-c", str(config), "-p", str(tmp_path), "-e", str(nginx_log)],
            start_new_session=True,
        )
        started.append(nginx)
        wait_until_serving(proxy_port, nginx, "nginx", nginx_log, gunicorn_log)
        return proxy_port

    yield start
    for process in reversed(started):
        stop(process)


def views_of(article) -> int:
    flush_view_counts()  # views buffered in Redis, if the suite runs with it
    article.refresh_from_db()
    return article.view_count


def read(port, article, source, **headers):
    status, _ = get(
        port, article.get_absolute_url(), source=source, headers={"User-Agent": BROWSER, **headers}
    )
    assert status == 200


def test_behind_nginx_each_reader_counts_once_and_a_forged_header_changes_nothing(behind_nginx):
    article = make_article()
    port = behind_nginx(1)

    readers = [f"127.0.0.{number}" for number in range(2, 7)]
    for reader in readers:
        read(port, article, reader)
    assert views_of(article) == 5  # the same browser, five addresses: five readers

    read(port, article, readers[0])
    read(port, article, readers[0])
    assert views_of(article) == 5  # a reader reloading counts once

    read(port, article, readers[0], **{"X-Forwarded-For": "1.2.3.4"})
    read(port, article, readers[1], **{"X-Forwarded-For": "1.2.3.4"})
    assert views_of(article) == 5  # still counted as who nginx saw, not as 1.2.3.4

    newcomer = "127.0.0.7"
    for forged in ("1.2.3.4", "5.6.7.8", "9.9.9.9, 8.8.8.8"):
        read(port, article, newcomer, **{"X-Forwarded-For": forged})
    assert views_of(article) == 6  # one new reader, however many addresses it claims


def test_behind_nginx_without_a_trusted_proxy_everyone_is_nginx(behind_nginx):
    """What the setting is for: told of no proxy, the app sees only nginx's
    address, and the five readers above are one."""
    article = make_article()
    port = behind_nginx(0)

    for number in range(2, 7):
        read(port, article, f"127.0.0.{number}")

    assert views_of(article) == 1
