"""``manage.py seed_scale --articles N --comments M``: a large data set for bench/.

Adds N published articles (seed_demo's generator: the same Indonesian text and
pooled, sanitised-once bodies) and M threaded comments spread over the published
articles with a long tail, then makes sure the "bench article" exists: four
pages, exactly 50 threaded comments, its URL printed for bench/run.py.

It streams: articles go in seed_demo's batches, comments in chunks of articles,
and nothing outlives its batch, so memory stays flat whatever N and M.

On PostgreSQL rows go in with COPY. Primary keys are reserved from the table's
sequence first, so a comment's materialised path (built from primary keys, see
comments.models) is written with the row instead of by a second UPDATE, and
replies simply name parents whose keys are known. Elsewhere (SQLite) the same
rows go in with bulk_create (articles) and executemany (comments: bulk_create
would overwrite created_at, an auto_now_add field).
"""

import math
import random
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, TaggedArticle, Topic
from articles.sanitizer import plain_text_to_html
from comments.models import MAX_DEPTH, PATH_DIGITS, Comment, CommentStatus
from comments.services import post_comment
from demo.management.commands.seed_demo import (
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
)
from demo.management.commands.seed_demo import (
    Command as SeedDemoCommand,
)

# Commenters: their own address domain, so seed_demo --articles never picks
# them as article authors.
READER_EMAIL_DOMAIN = f"pembaca.{DEMO_EMAIL_DOMAIN}"
READERS_MIN, READERS_MAX, COMMENTS_PER_READER = 100, 2000, 2500
# The signed-in reader of the benchmark (bench/run.py opens a session for it).
BENCH_READER_USERNAME = "pembacauji"

BENCH_ARTICLE_TITLE = "Menakar Subsidi Tepat Sasaran: Catatan Warga dalam Empat Halaman"
BENCH_ARTICLE_TOPIC = "kebijakan"
BENCH_TOP_LEVEL, BENCH_REPLIES = 20, 30  # one page of threads: every comment shows

# Comments per article: a geometric "most have none to a handful" plus some
# lively articles with dozens and a few hot ones with hundreds.
WARM_SHARE, WARM_RANGE = 0.04, (8, 40)
HOT_SHARE, HOT_RANGE = 0.001, (100, 600)
# The random draw aims a little low; the rest goes to extra hot articles at
# the end, so exactly M comments are written.
UNDERSHOOT = 0.97
TOPUP_PER_ARTICLE = 300
ARTICLE_CHUNK = 5000  # articles per comment transaction (about 25,000 comments)
TOP_LEVEL_SHARE = 0.55
DELAY_MEAN_SECONDS = 2 * 24 * 3600  # a comment comes about two days after publication
DELETED_SHARE, HIDDEN_AUTHOR_SHARE, HIDDEN_MODERATOR_SHARE = 0.015, 0.005, 0.005
EDITED_SHARE = 0.03
COMMENT_BODIES = 400


class Progress:
    """A one-line progress bar on stderr, redrawn at most twice a second."""

    def __init__(self, stream, label: str, total: int):
        self.stream, self.label, self.total = stream, label, max(total, 1)
        self.started = self.drawn = time.monotonic()
        self.done = 0

    def update(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if now - self.drawn >= 0.5:
            self.drawn = now
            self.draw(now)

    def draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0
        width = 30
        filled = width * self.done // self.total
        self.stream.write(
            f"\r  {self.label:<9}[{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done:,}/{self.total:,} {rate:,.0f}/s ETA {left:4.0f}s ",
            ending="",
            style_func=str,
        )
        self.stream.flush()

    def finish(self) -> float:
        self.draw(time.monotonic())
        self.stream.write("", style_func=str)
        return time.monotonic() - self.started


class CommentPlan:
    """How many comments an article gets, with the given mean and a long tail."""

    def __init__(self, mean: float, rng: random.Random):
        self.rng = rng
        scale = min(1.0, mean / 5)
        self.hot, self.warm = HOT_SHARE * scale, WARM_SHARE * scale
        tail = self.hot * sum(HOT_RANGE) / 2 + self.warm * sum(WARM_RANGE) / 2
        rest_mean = max(0.0, (mean - tail) / (1 - self.hot - self.warm))
        # Geometric on 0, 1, 2, ... with that mean.
        self.log_q = math.log(rest_mean / (1 + rest_mean)) if rest_mean else 0.0

    def draw(self) -> int:
        roll = self.rng.random()
        if roll < self.hot:
            return self.rng.randint(*HOT_RANGE)
        if roll < self.hot + self.warm:
            return self.rng.randint(*WARM_RANGE)
        if not self.log_q:
            return 0
        return int(math.log(1.0 - self.rng.random()) / self.log_q)


class Command(BaseCommand):
    help = (
        "Add N published articles and M threaded comments in bulk (COPY on PostgreSQL) "
        "and make sure the benchmark's four-page article with 50 comments exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=0, metavar="N")
        parser.add_argument("--comments", type=int, default=0, metavar="M")
        parser.add_argument(
            "--no-vacuum",
            action="store_true",
            help="Skip VACUUM ANALYZE at the end (PostgreSQL).",
        )

    def handle(self, *args, articles: int, comments: int, no_vacuum: bool, **options):
        if articles < 0 or comments < 0:
            raise CommandError("--articles and --comments take a number of 0 or more.")
        self.postgres = connection.vendor == "postgresql"
        self.rng = random.Random(f"seed_scale-{Article.objects.count()}-{Comment.objects.count()}")
        timings: dict[str, float] = {}
        started = time.monotonic()

        # The demo authors, staff, topics' covers and tags (once).
        call_command("seed_demo", stdout=self.stdout, stderr=self.stderr)
        if articles:
            timings["articles"] = self.load_articles(articles)
        wanted_readers = min(READERS_MAX, max(READERS_MIN, comments // COMMENTS_PER_READER))
        readers = self.ensure_readers(wanted_readers)
        bench = Article.objects.filter(title=BENCH_ARTICLE_TITLE).first()
        if comments:
            timings["comments"] = self.load_comments(
                comments, readers, exclude_pk=bench.pk if bench else None
            )
        if bench is None:
            bench = self.create_bench_article(readers)
        mark = time.monotonic()
        self.recount_comments()
        timings["recount"] = time.monotonic() - mark
        if not no_vacuum:
            mark = time.monotonic()
            self.vacuum()
            timings["vacuum"] = time.monotonic() - mark

        total = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {total:.1f}s ("
                + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items())
                + f"). Now {Article.objects.count():,} articles, "
                f"{Comment.objects.count():,} comments."
            )
        )
        self.stdout.write(f"Bench article: {bench.get_absolute_url()}")

    # Articles -----------------------------------------------------------------

    def load_articles(self, count: int) -> float:
        seeder = SeedDemoCommand(stdout=self.stdout, stderr=self.stderr)
        progress = Progress(self.stderr, "articles", count)
        done = 0
        with CopyWriter(enabled=self.postgres) as writer:
            for batch, batch_tags in seeder.article_batches(count):
                if self.postgres:
                    writer.submit(self.article_copies(batch, batch_tags))
                else:
                    seeder.write_article_batch(batch, batch_tags)
                done += len(batch)
                progress.update(done)
        return progress.finish()

    def article_copies(self, batch: list[Article], batch_tags: list[set[int]]) -> list:
        """seed_demo.write_article_batch's rows for COPY, created_at set at once."""
        fields = Article._meta.concrete_fields
        pks = _reserve_pks(Article, len(batch))
        rows = []
        for article, pk in zip(batch, pks, strict=True):
            article.pk = pk
            article.created_at = article.published_at
            rows.append(
                [
                    field.get_db_prep_save(getattr(article, field.attname), connection)
                    for field in fields
                ]
            )
        tag_rows = [
            (tag_id, pk) for pk, tag_ids in zip(pks, batch_tags, strict=True) for tag_id in tag_ids
        ]
        return [
            (Article, [field.column for field in fields], rows),
            (TaggedArticle, ["tag_id", "content_object_id"], tag_rows),
        ]

    # People -------------------------------------------------------------------

    def ensure_readers(self, count: int) -> list[int]:
        """Primary keys of at least ``count`` commenters (created in bulk when missing),
        and the benchmark's signed-in reader."""
        from demo import writing as demo

        user_model = get_user_model()
        readers = user_model.objects.filter(email__endswith=f"@{READER_EMAIL_DOMAIN}")
        missing = count - readers.count()
        password = None
        if missing > 0:
            password = make_password(DEMO_PASSWORD)  # one hash: hashing is slow on purpose
            fake = demo.DemoWriter(demo.SEED + readers.count()).fake
            taken = set(user_model.objects.values_list("username", flat=True))
            new = []
            for _ in range(missing):
                first, last = fake.first_name(), fake.last_name()
                base = slugify(f"{first}{last}").replace("-", "")[:24] or "pembaca"
                username, suffix = base, 2
                while username in taken:
                    username, suffix = f"{base}{suffix}", suffix + 1
                taken.add(username)
                new.append(
                    user_model(
                        username=username,
                        email=f"{username}@{READER_EMAIL_DOMAIN}",
                        password=password,
                        first_name=first,
                        last_name=last,
                        display_name=f"{first} {last}",
                    )
                )
            user_model.objects.bulk_create(new, batch_size=1000)
        if not user_model.objects.filter(username=BENCH_READER_USERNAME).exists():
            reader = user_model.objects.create(
                username=BENCH_READER_USERNAME,
                email=f"{BENCH_READER_USERNAME}@{READER_EMAIL_DOMAIN}",
                password=password or make_password(DEMO_PASSWORD),
                display_name="Pembaca Uji",
            )
            EmailAddress.objects.create(
                user=reader, email=reader.email, verified=True, primary=True
            )
        return list(readers.order_by("pk").values_list("pk", flat=True))

    # Comments -----------------------------------------------------------------

    def load_comments(self, total: int, readers: list[int], *, exclude_pk: int | None) -> float:
        """``total`` comments over the published articles, chunk by chunk of articles."""
        published = Article.objects.published()
        if exclude_pk:
            published = published.exclude(pk=exclude_pk)
        article_count = published.count()
        if not article_count:
            raise CommandError("No published articles to comment on: add --articles.")
        self.bodies = self.comment_bodies()
        self.readers = readers
        self.extra_values = _extra_column_values(Comment, COMMENT_COLUMNS)
        self.now = timezone.now()
        plan = CommentPlan(UNDERSHOOT * total / article_count, self.rng)
        progress = Progress(self.stderr, "comments", total)
        self.writer = CopyWriter(enabled=self.postgres)
        with self.writer:
            self.plan_comments(published, plan, progress, total)
        return progress.finish()

    def plan_comments(self, published, plan: CommentPlan, progress: Progress, total: int) -> None:
        """Walk the articles by key, drawing each one's number of comments, then top up."""
        assigned, last_pk = 0, 0
        while assigned < total:
            chunk = list(
                published.filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", "published_at")[:ARTICLE_CHUNK]
            )
            if not chunk:
                break
            last_pk = chunk[-1][0]
            planned = []
            for pk, published_at in chunk:
                count = min(plan.draw(), total - assigned)
                if count:
                    planned.append((pk, published_at, count))
                    assigned += count
            self.write_comments(planned)
            progress.update(assigned)

        # What the random draw left over goes to a few more hot articles.
        bounds = published.aggregate(low=Min("pk"), high=Max("pk"))
        while assigned < total:
            wanted = math.ceil((total - assigned) / TOPUP_PER_ARTICLE)
            population = range(bounds["low"], bounds["high"] + 1)
            sample = self.rng.sample(population, min(len(population), wanted * 3))
            planned = []
            rows = published.filter(pk__in=sample).values_list("pk", "published_at")[:wanted]
            for pk, published_at in rows:
                count = min(TOPUP_PER_ARTICLE, total - assigned)
                planned.append((pk, published_at, count))
                assigned += count
            self.write_comments(planned)
            progress.update(assigned)

    def comment_bodies(self) -> list[tuple[str, str]]:
        """A pool of comment texts with their HTML, each rendered (linkified) once:
        the demo corpus's comments, a few with a second paragraph or a link."""
        from demo import corpus
        from demo import writing as demo

        rng = random.Random(demo.SEED + 7)
        texts = corpus.comment_texts()
        bodies = []
        for index in range(COMMENT_BODIES):
            text = texts[index % len(texts)]
            if rng.random() < 0.2:
                text += "\n\n" + rng.choice(texts)
            if rng.random() < 0.05:
                text += f" Data lengkapnya: https://example.com/data/{index}"
            bodies.append((text, plain_text_to_html(text)))
        return bodies

    def write_comments(self, planned: list[tuple[int, object, int]]) -> None:
        count = sum(item[2] for item in planned)
        if not count:
            return
        if self.postgres:
            rows = list(self.comment_rows(planned, _reserve_pks(Comment, count)))
            self.writer.submit([(Comment, self.column_names, rows)])
            return
        with transaction.atomic(), connection.cursor() as cursor:
            # Holding the write lock (IMMEDIATE transactions), nobody else takes keys.
            start = (Comment.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
            pks = range(start, start + count)
            placeholders = ", ".join(["%s"] * len(self.column_names))
            cursor.executemany(
                f"{_insert_sql(Comment, self.column_names)} VALUES ({placeholders})",
                list(self.comment_rows(planned, pks)),
            )

    @property
    def column_names(self) -> list[str]:
        return [*COMMENT_COLUMNS, *self.extra_values]

    def comment_rows(self, planned, pks):
        """Rows in COMMENT_COLUMNS order: each article's comments in the order they were
        written (ascending keys and times), replies under earlier visible comments."""
        rng, bodies, readers, now = self.rng, self.bodies, self.readers, self.now
        extras = tuple(self.extra_values.values())
        visible = CommentStatus.VISIBLE.value
        keys = iter(pks)
        for article_pk, published_at, count in planned:
            span = max((now - published_at).total_seconds(), 1.0)
            offsets = sorted(
                min(rng.expovariate(1 / DELAY_MEAN_SECONDS), span) for _ in range(count)
            )
            # Per comment: key, path, depth, index of its parent, thread key, visible.
            nodes: list[tuple[int, str, int, int, int, bool]] = []
            for offset in offsets:
                pk = next(keys)
                created = published_at + timedelta(seconds=offset)
                segment = str(pk).zfill(PATH_DIGITS)
                target_index = rng.randrange(len(nodes)) if nodes else -1
                target = nodes[target_index] if nodes else None
                if target is None or not target[5] or rng.random() < TOP_LEVEL_SHARE:
                    parent_index, parent_pk, reply_to, depth = -1, None, None, 0
                    path, thread = segment, pk
                else:
                    reply_to = target[0]
                    # Below the deepest level a reply becomes its target's sibling.
                    parent_index = target_index if target[2] < MAX_DEPTH else target[3]
                    parent = nodes[parent_index]
                    parent_pk, depth, thread = parent[0], parent[2] + 1, parent[4]
                    path = f"{parent[1]}/{segment}"
                status, changed, edited = visible, None, None
                roll = rng.random()
                if roll < DELETED_SHARE + HIDDEN_AUTHOR_SHARE + HIDDEN_MODERATOR_SHARE:
                    if roll < DELETED_SHARE:
                        status = CommentStatus.DELETED.value
                    elif roll < DELETED_SHARE + HIDDEN_AUTHOR_SHARE:
                        status = CommentStatus.HIDDEN_BY_AUTHOR.value
                    else:
                        status = CommentStatus.HIDDEN_BY_MODERATOR.value
                    changed = min(created + timedelta(hours=rng.uniform(0.1, 48)), now)
                elif roll > 1 - EDITED_SHARE:
                    edited = min(created + timedelta(minutes=rng.uniform(1, 60)), now)
                nodes.append((pk, path, depth, parent_index, thread, status == visible))
                body, body_html = bodies[rng.randrange(len(bodies))]
                yield (
                    pk,
                    article_pk,
                    readers[rng.randrange(len(readers))],
                    parent_pk,
                    reply_to,
                    thread,
                    path,
                    depth,
                    body,
                    body_html,
                    status,
                    created,
                    edited,
                    changed,
                    *extras,
                )

    # The benchmark's article ----------------------------------------------------

    def create_bench_article(self, readers: list[int]) -> Article:
        """Four pages in Kebijakan with exactly 50 threaded comments, through the services."""
        from demo import corpus
        from demo import covers as cover_art
        from demo import writing as demo

        seeder = SeedDemoCommand(stdout=self.stdout, stderr=self.stderr)
        user_model = get_user_model()
        author = (
            user_model.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}", is_staff=False)
            .order_by("pk")
            .first()
        )
        topic = Topic.objects.filter(slug=BENCH_ARTICLE_TOPIC).first() or Topic.objects.first()
        rng = random.Random(demo.SEED + 50)
        # The corpus's four-page policy article, under the benchmark's own title.
        piece = next(
            p for p in corpus.articles() if p.topic == BENCH_ARTICLE_TOPIC and p.pages == 4
        )
        covers = seeder.ensure_covers()
        scene = cover_art.scene_for(topic.slug, topic.parent.slug if topic.parent_id else "")
        article = Article(
            author=author,
            topic=topic,
            title=BENCH_ARTICLE_TITLE,
            excerpt=piece.excerpt,
            body=piece.body,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
            view_count=576,
            cover_caption=scene.caption,
            cover_credit="Redaksi Kolom Warga",
        )
        article.cover.name, article.cover_card.name = covers[scene.key, 0]
        article.save()
        tags = seeder.ensure_tags()
        article.tags.add(*(tags[name] for name in piece.tags))
        if len(article.pages()) != 4:
            raise CommandError("The bench article should have exactly four pages.")

        people = list(user_model.objects.filter(pk__in=rng.sample(readers, 30)))
        texts = corpus.comment_texts()
        kinds = [True] * (BENCH_TOP_LEVEL - 1) + [False] * BENCH_REPLIES
        rng.shuffle(kinds)
        posted = []
        for top_level in [True, *kinds]:
            text = rng.choice(texts)
            posted.append(
                post_comment(
                    article,
                    author=author if not top_level and rng.random() < 0.2 else rng.choice(people),
                    body=text,
                    reply_to=None if top_level else rng.choice(posted),
                    enforce_limits=False,
                    screen=False,
                )
            )
        return article

    # Finishing ------------------------------------------------------------------

    def recount_comments(self) -> None:
        """Article.comment_count from the visible comments, in one UPDATE."""
        article_table = connection.ops.quote_name(Article._meta.db_table)
        comment_table = connection.ops.quote_name(Comment._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {article_table} SET comment_count = counted.n "  # noqa: S608
                f"FROM (SELECT article_id, COUNT(*) AS n FROM {comment_table} "
                "WHERE status = %s GROUP BY article_id) AS counted "
                f"WHERE {article_table}.id = counted.article_id "
                f"AND {article_table}.comment_count <> counted.n",
                [CommentStatus.VISIBLE.value],
            )

    def vacuum(self) -> None:
        """Fresh statistics and visibility maps, as autovacuum would leave them later."""
        models = [Article, TaggedArticle, Comment, get_user_model()]
        with connection.cursor() as cursor:
            if self.postgres:
                for model in models:
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"VACUUM (ANALYZE) {table}")
            else:
                cursor.execute("ANALYZE")


COMMENT_COLUMNS = (
    "id",
    "article_id",
    "author_id",
    "parent_id",
    "reply_to_id",
    "thread_id",
    "path",
    "depth",
    "body",
    "body_html",
    "status",
    "created_at",
    "edited_at",
    "status_changed_at",
)


def _extra_column_values(model, known) -> dict[str, object]:
    """Columns added to the model since this loader was written, with their defaults."""
    return {
        field.column: field.get_db_prep_save(field.get_default(), connection)
        for field in model._meta.concrete_fields
        if field.column not in known
    }


class CopyWriter:
    """COPYs batches of rows in a thread, on its own connection, one batch in flight.

    The database parses, indexes, checks the deferred foreign keys of and
    commits one batch while Python builds the next, which on two cores nearly
    halves a load. Memory holds two batches at most. Disabled (for SQLite),
    it is never used.
    """

    def __init__(self, *, enabled: bool):
        self.executor = ThreadPoolExecutor(max_workers=1) if enabled else None
        self.pending: Future | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.executor is None:
            return
        try:
            if exc_info[0] is None:
                self.wait()
        finally:
            # Django's connections are per thread: close the writer thread's own.
            self.executor.submit(connections.close_all).result()
            self.executor.shutdown()

    def submit(self, copies: list[tuple]) -> None:
        """Queue ``[(model, columns, rows), ...]``, written in one transaction."""
        self.wait()
        self.pending = self.executor.submit(self._copy, copies)

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    @staticmethod
    def _copy(copies: list[tuple]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for model, columns, rows in copies:
                with cursor.copy(_copy_sql(model, columns)) as copy:
                    for row in rows:
                        copy.write_row(row)


def _reserve_pks(model, count: int) -> list[int]:
    """``count`` fresh primary keys from the table's sequence, ascending.

    Sequences are not transactional: the keys are this caller's even before
    its rows are written, whoever else inserts meanwhile.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _copy_sql(model, columns) -> str:
    quote = connection.ops.quote_name
    return f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"


def _insert_sql(model, columns) -> str:
    quote = connection.ops.quote_name
    return f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))})"
