"""Redis may fail: refused, hanging, or stopped in the middle of a run. Every page
still renders (uncached), a comment can still be posted, and when Redis comes
back, pages are cached again and fresh (README, "Caching"; caching.redis)."""

import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.test.signals import template_rendered

from caching import memory, redis
from comments.models import Comment
from tests.factories import BROWSER, make_article, make_topic, make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_at(settings):
    """Point the shared cache at a URL (a fresh client, and a fresh Django backend)."""

    def point(url):
        settings.CACHES = {
            "default": {
                "BACKEND": "caching.backends.ResilientRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "outage",
            }
        }
        caches._settings = caches.settings = settings.CACHES
        caches._connections.__dict__.pop("default", None)
        redis._client.cache_clear()
        redis.health.reset()

    yield point
    redis._client.cache_clear()
    redis.health.reset()
    caches._connections.__dict__.pop("default", None)


class OwnRedis:
    """A redis-server of this test's own, to stop, pause and start again."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.send_signal(signal.SIGCONT)  # a paused one too
        self.process.terminate()
        self.process.wait(timeout=10)

    def pause(self):
        """The server hangs: connections stay open, nothing answers, the data stays."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def own_redis():
    server = OwnRedis()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def hung_redis():
    """A socket that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


@pytest.fixture
def site(settings, db):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    topic = make_topic("kebijakan")
    writer = make_user(username="penulisredis")
    article = make_article(author=writer, topic=topic, tags=["subsidi"], title="Air bersih desa")
    return {"article": article, "writer": writer, "topic": topic}


def page_urls(site):
    return [
        "/",
        "/en/",
        site["topic"].get_absolute_url(),
        "/tag/subsidi/",
        site["writer"].get_absolute_url(),
        site["article"].get_absolute_url(),
        "/cari/?q=air",
        "/akun/login/",
        "/tidak-ada/",
    ]


def assert_every_page_renders(site, *, signed_in=None):
    client = Client(headers={"user-agent": BROWSER})
    if signed_in:
        client.force_login(signed_in)
    for url in page_urls(site):
        response = client.get(url)
        expected = {"/tidak-ada/": 404, "/akun/login/": 302 if signed_in else 200}.get(url, 200)
        assert response.status_code == expected, url


def post_comment(site, user, body):
    client = Client(headers={"user-agent": BROWSER})
    client.force_login(user)
    return client.post(
        f"/komentar/artikel/{site['article'].pk}/", {"body": body}, headers={"user-agent": BROWSER}
    )


@pytest.mark.parametrize("where", ["nothing listens", "hangs"])
def test_every_page_renders_and_a_comment_posts_while_redis_is_unavailable(
    site, redis_at, hung_redis, where, settings
):
    redis_at(f"redis://127.0.0.1:{free_port()}/0" if where == "nothing listens" else hung_redis)
    settings.CACHE_RETRY_SECONDS = 600  # longer than the test: no second attempt
    reader = make_user(username="pembacaredis")
    failures = redis.health.failures

    assert_every_page_renders(site)
    assert_every_page_renders(site, signed_in=reader)
    response = post_comment(site, reader, "Semoga air bersih segera mengalir.")

    assert response.status_code in (200, 302)
    assert Comment.objects.filter(body="Semoga air bersih segera mengalir.").exists()
    assert len(memory.pages) == 0  # nothing stored under tokens nobody can check
    # A hanging Redis costs one timeout per retry interval, not one per call.
    assert redis.health.failures - failures == 1


def test_caching_resumes_by_itself_when_redis_comes_back(site, redis_at, own_redis, settings):
    redis_at(own_redis.url)
    settings.CACHE_RETRY_SECONDS = 0
    reader = make_user(username="pembacakembali")
    article_url = site["article"].get_absolute_url()

    assert_every_page_renders(site)
    assert len(memory.pages) > 0  # cached while Redis is up

    own_redis.stop()
    memory.pages.clear()
    memory.fragments.clear()
    assert_every_page_renders(site)
    assert_every_page_renders(site, signed_in=reader)
    response = post_comment(site, reader, "Komentar saat Redis mati.")
    assert response.status_code in (200, 302)
    assert len(memory.pages) == 0

    own_redis.start()
    assert_every_page_renders(site)
    assert len(memory.pages) > 0  # cached again
    # ... and fresh: the comment written during the outage shows.
    assert "Komentar saat Redis mati." in Client().get(article_url).content.decode()


@pytest.fixture
def outage_when_rendering(own_redis):
    """Stop or pause the test's redis-server when the first template whose name
    starts with a prefix begins to render: Redis goes away in the middle of a request."""
    armed = {}

    def on_render(sender, template, **kwargs):
        name = getattr(template, "name", None) or ""
        if armed.get("fired") is False and name.startswith(armed["prefix"]):
            armed["fired"] = True
            own_redis.stop() if armed["how"] == "stopped" else own_redis.pause()

    def arm(prefix, how):
        armed.update(prefix=prefix, how=how, fired=False)
        return armed

    template_rendered.connect(on_render)
    yield arm
    template_rendered.disconnect(on_render)


@pytest.mark.parametrize("how", ["stopped", "hangs"])
@pytest.mark.parametrize("signed_in", [False, True], ids=["signed out", "signed in"])
def test_a_page_renders_whole_when_redis_dies_while_it_renders(
    site, redis_at, own_redis, outage_when_rendering, settings, how, signed_in
):
    redis_at(own_redis.url)
    settings.CACHE_RETRY_SECONDS = 30  # one timeout, then every call is a miss at once
    make_comment = post_comment(site, site["writer"], "Komentar sebelum Redis mati.")
    assert make_comment.status_code in (200, 302)
    client = Client(headers={"user-agent": BROWSER})
    if signed_in:
        client.force_login(make_user(username="pembacatengah"))
    memory.pages.clear()
    memory.fragments.clear()
    armed = outage_when_rendering("comments/", how)

    failures = redis.health.failures
    response = client.get(site["article"].get_absolute_url())

    assert armed["fired"]  # Redis went away after the page had started
    assert response.status_code == 200
    page = response.content.decode()
    assert "Air bersih desa" in page
    assert "Komentar sebelum Redis mati." in page
    assert page.rstrip().endswith("</html>")
    assert len(memory.pages) == 0  # a page that saw the outage is not stored
    assert redis.health.failures - failures == 1  # one timeout, not one per call


def test_a_bump_missed_while_redis_hangs_makes_everything_stale_when_it_answers(
    site, redis_at, own_redis, settings
):
    """A hanging Redis keeps its data: the pages cached before are still there when
    it answers again, so the bump the comment's write could not make must not be lost."""
    redis_at(own_redis.url)
    settings.CACHE_RETRY_SECONDS = 0.2
    reader = make_user(username="pembacajeda")
    article_url = site["article"].get_absolute_url()
    assert "Komentar saat Redis diam." not in Client().get(article_url).content.decode()
    assert len(memory.pages) > 0  # cached, in this process and in Redis

    own_redis.pause()
    try:
        response = post_comment(site, reader, "Komentar saat Redis diam.")
    finally:
        own_redis.resume()
    assert response.status_code in (200, 302)
    assert Comment.objects.filter(body="Komentar saat Redis diam.").exists()

    time.sleep(0.3)  # past the retry interval: the next call reaches Redis
    assert "Komentar saat Redis diam." in Client().get(article_url).content.decode()
    assert len(memory.pages) > 0  # and caching goes on


@pytest.mark.parametrize(
    ("prefix", "words"), [("", "Terlalu banyak percobaan"), ("/en", "Too many attempts")]
)
def test_signing_in_while_redis_is_down_is_refused_with_a_page_that_says_why(
    site, redis_at, prefix, words
):
    """Sign-in limits fail closed (SECURITY.md): the refusal is the site's own page,
    in the language of the URL, not allauth's bare English one."""
    redis_at(f"redis://127.0.0.1:{free_port()}/0")
    make_user(username="pembacamasuk", password="kata-sandi-2026")

    response = Client().post(
        f"{prefix}/akun/login/", {"login": "pembacamasuk", "password": "kata-sandi-2026"}
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert words in page
    assert '<header class="site-header">' in page  # the site's layout
