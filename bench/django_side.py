"""The Django side of bench/run.py, run in the benchmark's environment.

    python bench/django_side.py prepare [--deep-cap N]   pages to measure and a session, as JSON
    python bench/django_side.py explain                  query plans and a time split, as Markdown
    python bench/django_side.py publish-cost [--count N] what a publication costs, as Markdown

run.py starts it with the same environment as gunicorn (DATABASE_URL of the
bench database, the same SECRET_KEY, so the session it opens is valid there).
"""

import argparse
import json
import math
import os
import re
import statistics
import sys
import time
from datetime import timedelta
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blogplatform.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from taggit.models import Tag  # noqa: E402

from accounts.models import Follow  # noqa: E402
from articles.models import Article, TaggedArticle, Topic  # noqa: E402
from comments.models import Comment  # noqa: E402
from core.pagination import PAGE_PARAMETER  # noqa: E402
from demo.management.commands.seed_scale import (  # noqa: E402
    BENCH_ARTICLE_TITLE,
    BENCH_READER_USERNAME,
)
from search.engine import MAX_RESULTS  # noqa: E402

# A browser's User-Agent: views are counted only for requests that send one.
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36 KolomWargaBench"
)
EXPLAIN_RUNS = 30
# Search words from the demo corpus (demo/articles/): "warga" is in about a
# third of the bodies the articles share; "mangrove" in one article's.
SEARCH_COMMON, SEARCH_RARE = "warga", "mangrove"
SEARCH_TYPO = "manggrove"  # no article has it: the page offers SEARCH_RARE


def biggest_topic() -> tuple[Topic, int]:
    """The top-level topic whose page lists the most articles (its children's included)."""
    per_topic = dict(
        Article.objects.published().values_list("topic_id").annotate(n=Count("id")).order_by()
    )
    best, best_count = None, -1
    for topic in Topic.objects.filter(parent=None):
        count = per_topic.get(topic.pk, 0) + sum(
            per_topic.get(child, 0) for child in topic.children.values_list("pk", flat=True)
        )
        if count > best_count:
            best, best_count = topic, count
    return best, best_count


def pages(deep_cap: int) -> list[dict]:
    topic, topic_count = biggest_topic()
    last_page = max(1, math.ceil(topic_count / settings.ARTICLES_PER_PAGE))
    deep = min(last_page, deep_cap)
    tag_row = (
        TaggedArticle.objects.values("tag_id").annotate(n=Count("id")).order_by("-n", "tag_id")
    ).first()
    tag = Tag.objects.get(pk=tag_row["tag_id"])
    author_row = (
        Article.objects.published()
        .values("author_id")
        .annotate(n=Count("id"))
        .order_by("-n", "author_id")
        .first()
    )
    author = get_user_model().objects.get(pk=author_row["author_id"])
    article = Article.objects.get(title=BENCH_ARTICLE_TITLE)
    return [
        {"name": "home", "path": reverse("articles:home")},
        {"name": "topic", "path": topic.get_absolute_url(), "note": f"{topic_count:,} articles"},
        {
            "name": "topic_deep",
            "path": f"{topic.get_absolute_url()}?{PAGE_PARAMETER}={deep}",
            "note": f"page {deep:,} of {last_page:,}",
        },
        {
            "name": "tag",
            "path": reverse("articles:tag", kwargs={"slug": tag.slug}),
            "note": f"{tag_row['n']:,} articles",
        },
        {
            "name": "author",
            "path": author.get_absolute_url(),
            "note": f"{author_row['n']:,} articles",
        },
        {"name": "article", "path": article.get_absolute_url(), "note": "4 pages, 50 comments"},
        # Search (README, "Search"): a common word and a rare one.
        {
            "name": "search_common",
            "path": f"{reverse('search:search')}?q={SEARCH_COMMON}",
            "note": f"“{SEARCH_COMMON}”, relevance among the newest {MAX_RESULTS:,} matches",
            "one_reader": True,
        },
        {
            "name": "search_rare",
            "path": f"{reverse('search:search')}?q={SEARCH_RARE}",
            "note": f"“{SEARCH_RARE}”",
            "one_reader": True,
        },
        {
            "name": "search_typo",
            "path": f"{reverse('search:search')}?q={SEARCH_TYPO}",
            "note": f"“{SEARCH_TYPO}”: finds nothing, corrected to “{SEARCH_RARE}”",
            "one_reader": True,
        },
        {
            "name": "article_readers",
            "path": article.get_absolute_url(),
            "readers": 64,
            "note": "same, 64 connections, each request a new reader",
        },
        {
            "name": "article_signed_in",
            "path": article.get_absolute_url(),
            "signed_in": True,
            "note": "same, signed in",
        },
        {"name": "home_signed_in", "path": reverse("articles:home"), "signed_in": True},
        {"name": "topic_signed_in", "path": topic.get_absolute_url(), "signed_in": True},
        {
            "name": "following_signed_in",
            "path": reverse("articles:following"),
            "signed_in": True,
            "note": "Diikuti: the bench reader follows the 10 busiest authors",
        },
        # The public API (README, "Public API"): never kept by the page cache,
        # its JSON comes from the fragment cache.
        {
            "name": "api_list",
            "path": reverse("api-v1:articles"),
            "note": "JSON, newest 20 articles",
        },
        {
            "name": "api_article",
            "path": reverse("api-v1:article", kwargs={"article_id": article.pk}),
            "note": "JSON, the same article with its 4 pages",
        },
    ]


def open_session() -> str:
    """A signed-in session for the bench reader, as a Cookie header value."""
    user = get_user_model().objects.get(username=BENCH_READER_USERNAME)
    # The Diikuti row: the reader follows the ten authors with the most articles.
    busiest = (
        Article.objects.published()
        .values("author_id")
        .annotate(n=Count("id"))
        .order_by("-n", "author_id")[:10]
    )
    for row in busiest:
        Follow.objects.get_or_create(follower=user, author_id=row["author_id"])
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def prepare(deep_cap: int) -> dict:
    return {
        "pages": pages(deep_cap),
        "cookie": open_session(),
        "logout_path": reverse("account_logout"),
        "user_agent": USER_AGENT,
        "articles": Article.objects.count(),
        "comments": Comment.objects.count(),
    }


# explain ------------------------------------------------------------------------


def _client(cookie: str | None = None) -> Client:
    client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT=USER_AGENT)
    if cookie:
        name, _, value = cookie.partition("=")
        client.cookies[name] = value
    return client


def _is_key_query(sql: str) -> bool:
    """The queries whose plans matter at scale: article lists, their counts, comments."""
    return (
        sql.startswith("SELECT")
        and ("LIMIT" in sql or "COUNT(" in sql or '"comments_comment"' in sql)
        and '"django_session"' not in sql
    )


def short_sql(sql: str) -> str:
    """The SQL with a long select list elided, to read the FROM, WHERE and ORDER BY."""
    return re.sub(r"^SELECT (.{60,}?) FROM ", "SELECT … FROM ", sql, count=1)


def explain(deep_cap: int) -> str:
    # The views themselves: a page-cache hit would answer from memory.
    with override_settings(PAGE_CACHE=False):
        return _explain(deep_cap)


def _explain(deep_cap: int) -> str:
    cookie = open_session()
    # One reader's view is counted once: the many-readers row adds nothing here.
    chosen = [page for page in pages(deep_cap) if not page.get("readers")]
    data = f"Data: {Article.objects.count():,} articles, {Comment.objects.count():,} comments"
    out = [
        f"{data}; {connection.vendor} {'.'.join(map(str, divmod(connection.pg_version, 10000)))}"
        if connection.vendor == "postgresql"
        else f"{data}; {connection.vendor}.",
        "",
        "### Where the time goes",
        "",
        f"In process, no HTTP: the median of {EXPLAIN_RUNS} requests through Django's test client "
        "(so the middleware, the view, the templates and the queries; not gunicorn), without the "
        "page cache and with the fragment cache warm as in production; then one request with "
        "the fragment cache off (what a miss costs: every query the page can issue, listed and "
        "explained below).",
        "",
        "| page | queries | SQL ms | total ms | SQL share | queries, cache off | "
        "SQL ms, cache off | total ms, cache off |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    per_query, plans = [], []
    for page in chosen:
        client = _client(cookie if page.get("signed_in") else None)
        totals, sql_times, runs = [], [], []
        for _ in range(EXPLAIN_RUNS):
            with CaptureQueriesContext(connection) as context:
                started = time.perf_counter()
                response = client.get(page["path"])
                totals.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{page['path']} answered {response.status_code}")
            sql_times.append(sum(float(query["time"]) for query in context.captured_queries) * 1000)
            runs.append(context.captured_queries)
        total, sql = statistics.median(totals), statistics.median(sql_times)
        with override_settings(FRAGMENT_CACHE=False), CaptureQueriesContext(connection) as cold:
            started = time.perf_counter()
            client.get(page["path"])
            cold_total = (time.perf_counter() - started) * 1000
        cold_sql = sum(float(query["time"]) for query in cold.captured_queries) * 1000
        out.append(
            f"| {page['name']} | {len(runs[-1])} | {sql:.1f} | {total:.1f} | {sql / total:.0%} | "
            f"{len(cold)} | {cold_sql:.1f} | {cold_total:.1f} |"
        )
        per_query.append(f"**{page['name']}** `{page['path']}`, fragment cache off")
        per_query += ["", "| ms | query |", "|---:|---|"]
        for query in cold.captured_queries:
            text = short_sql(query["sql"]).replace("|", "\\|")
            per_query.append(f"| {float(query['time']) * 1000:.1f} | `{text[:160]}` |")
        per_query.append("")
        if page["name"] == "article_signed_in" or connection.vendor != "postgresql":
            continue
        for query in cold.captured_queries:
            if _is_key_query(query["sql"]):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                plans.append((page, query["sql"], plan))
    out += ["", "### Queries per page (median ms)", "", *per_query]
    out += ["### Plans of the list, count and comment queries", ""]
    for page, sql, plan in plans:
        out += [f"**{page['name']}**", "", "```", short_sql(sql), "", plan, "```", ""]
    return "\n".join(out)


# mix ----------------------------------------------------------------------------

MIX_READERS = 300  # distinct signed-in readers (pembacamix001 ...)


def _session_for(user) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def mix_prepare(folder: Path) -> dict:
    """Files for bench/mix_*.lua: a long tail of article paths, list paths, and
    signed-in readers, each a Cookie header and a CSRF token for their forms."""
    from django.middleware.csrf import _mask_cipher_secret
    from django.utils.crypto import get_random_string

    from articles.models import Rating

    folder.mkdir(parents=True, exist_ok=True)
    newest = list(
        Article.objects.published()
        .order_by("-published_at", "-id")
        .values_list("pk", "slug", "author__username")[:1500]
    )
    older = list(
        Article.objects.published()
        .filter(pk__lt=newest[-1][0])
        .order_by("pk")
        .values_list("pk", "slug")[::997][:500]
    )
    articles = [reverse("articles:detail", args=[pk, slug]) for pk, slug, *_ in [*newest, *older]]
    topic, _ = biggest_topic()
    lists = [reverse("articles:home"), topic.get_absolute_url()] + [
        reverse("articles:tag", kwargs={"slug": slug})
        for slug in Tag.objects.order_by("pk").values_list("slug", flat=True)[:20]
    ]
    from allauth.account.models import EmailAddress

    from trust.models import ReadingTime

    users = get_user_model()
    lines = []
    # Readers of some standing (trust level Dasar: three months old, a confirmed
    # address, a quarter of an hour of reading), so their comments are not held
    # and no first-day limit applies; following nobody at the start.
    joined = timezone.now() - timedelta(days=90)
    read_on, read_article = (joined + timedelta(days=1)).date(), newest[-1][0]
    for number in range(1, MIX_READERS + 1):
        user, _ = users.objects.get_or_create(
            username=f"pembacamix{number:03d}",
            defaults={"email": f"pembacamix{number:03d}@pembaca.kolomwarga.example"},
        )
        if user.date_joined > joined:
            users.objects.filter(pk=user.pk).update(date_joined=joined)
            user.date_joined = joined
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        ReadingTime.objects.get_or_create(
            user=user, article_id=read_article, day=read_on, defaults={"seconds": 15 * 60}
        )
        Follow.objects.filter(follower=user).delete()
        secret = get_random_string(32)
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={_session_for(user)}; "
            f"{settings.CSRF_COOKIE_NAME}={secret}"
        )
        lines.append(f"{cookie}\t{_mask_cipher_secret(secret)}\t{user.pk}")
    # Comments, ratings and follows go to the newest 200 articles (pk, path, author).
    targets = [
        f"{pk}\t{reverse('articles:detail', args=[pk, slug])}\t{username}"
        for pk, slug, username in newest[:200]
    ]
    (folder / "articles.txt").write_text("\n".join(articles) + "\n")
    (folder / "lists.txt").write_text("\n".join(lists) + "\n")
    (folder / "readers.txt").write_text("\n".join(lines) + "\n")
    (folder / "targets.txt").write_text("\n".join(targets) + "\n")
    (folder / "labels.txt").write_text("\n".join(Rating.Label.values) + "\n")
    return {"articles": len(articles), "lists": len(lists), "readers": len(lines)}


def mix_publish(seconds: float, every: float) -> dict:
    """Publish a new article, then edit one, in turn, every ``every`` seconds for
    ``seconds``, through the services the write page uses (notices, bumps)."""
    from articles import services

    author = Article.objects.select_related("author").get(title=BENCH_ARTICLE_TITLE).author
    topic = Topic.objects.filter(parent=None).order_by("pk").first()
    done = {"published": 0, "edited": 0, "ms": []}
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        number += 1
        data = {
            "title": f"Catatan warga pukul {time.strftime('%H:%M:%S')} nomor {number}",
            "topic": topic,
            "excerpt": "",
            "body": f"<p>Laporan singkat dari lingkungan kami, bagian {number}.</p>",
            "cover_caption": "",
            "cover_credit": "",
        }
        if number % 2:
            article = services.save_article(Article(), author=author, data=data, tags=["warga"])
            services.publish_article(article, by=author, screen=False)
            done["published"] += 1
        else:
            article = Article.objects.filter(author=author).published().order_by("-pk").first()
            data["title"] = article.title
            data["body"] = f"{article.body}<p>Tambahan {number}.</p>"
            services.save_article(article, author=author, data=data, tags=["warga"])
            done["edited"] += 1
        done["ms"].append((time.monotonic() - started) * 1000)
        time.sleep(max(0.0, every - (time.monotonic() - started)))
    return done


PUBLISH_COST_TITLE = "Ukur biaya indeks cari"  # the measured articles, deleted after


def publish_cost(count: int) -> str:
    """Publish ``count`` articles with the corpus's bodies through the services
    the write page uses, and time each publication: in all, the search terms made
    in Python (``Article.fill_search_fields``), and the statements writing the
    article row with its stored vector (and so its GIN index). The articles are
    deleted after. Markdown, for bench/README.md."""
    from articles import services
    from demo import corpus

    pieces = [piece for piece in corpus.articles() if not piece.draft]
    author = Article.objects.select_related("author").get(title=BENCH_ARTICLE_TITLE).author
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    fill = Article.fill_search_fields
    spent = {"terms": 0.0}

    def timed_fill(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return fill(self, *args, **kwargs)
        finally:
            spent["terms"] += time.perf_counter() - started

    Article.fill_search_fields = timed_fill
    totals, terms, writes, created = [], [], [], []
    try:
        for number in range(count):
            piece = pieces[number % len(pieces)]
            data = {
                "title": f"{PUBLISH_COST_TITLE} {number}: {piece.title}"[:200],
                "topic": topics[piece.topic],
                "excerpt": piece.excerpt,
                "body": piece.body,
                "cover_caption": "",
                "cover_credit": "",
            }
            spent["terms"] = 0.0
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                article = services.save_article(
                    Article(), author=author, data=data, tags=list(piece.tags)
                )
                services.publish_article(article, by=author, screen=False)
                totals.append((time.perf_counter() - started) * 1000)
            created.append(article.pk)
            terms.append(spent["terms"] * 1000)
            writes.append(
                sum(
                    float(query["time"])
                    for query in queries.captured_queries
                    if re.match(r'(INSERT INTO|UPDATE) "articles_article"', query["sql"])
                )
                * 1000
            )
    finally:
        Article.fill_search_fields = fill
        Article.objects.filter(pk__in=created).delete()

    def row(name: str, values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        return f"| {name} | {statistics.median(ordered):.1f} | {p95:.1f} | {ordered[-1]:.1f} |"

    return "\n".join(
        [
            f"{count} publications of corpus articles (save, then publish, as the write page "
            f"does) on {Article.objects.count():,} articles:",
            "",
            "| part | median ms | p95 ms | max ms |",
            "|---|---:|---:|---:|",
            row("the whole publication", totals),
            row("search terms, in Python", terms),
            row("article INSERT/UPDATE (row, vector, GIN and other indexes)", writes),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "action", choices=["prepare", "explain", "mix-prepare", "mix-publish", "publish-cost"]
    )
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--deep-cap", type=int, default=5000)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--every", type=float, default=3)
    args = parser.parse_args()
    if args.action == "prepare":
        print(json.dumps(prepare(args.deep_cap)))
    elif args.action == "mix-prepare":
        print(json.dumps(mix_prepare(args.folder)))
    elif args.action == "mix-publish":
        print(json.dumps(mix_publish(args.seconds, args.every)))
    elif args.action == "publish-cost":
        print(publish_cost(args.count))
    else:
        print(explain(args.deep_cap))


if __name__ == "__main__":
    main()
