"""``manage.py seed_demo``: demo accounts and Indonesian articles, so a fresh site looks alive.

Without arguments it creates the base demo set once (``make run`` calls it on
every start; later runs only check that the demo admin exists). ``--articles N``
adds N more published articles in batches, for trying the site with a large
database.
"""

import random
import time
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries, transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag

from accounts.models import Occupation
from articles.models import Article, TaggedArticle, Topic

ADMIN_USERNAME = "admin"
MODERATOR_USERNAME = "moderator"
MODERATOR_GROUP = "Moderator"
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105  (printed for developers on purpose)
# Demo accounts' addresses: the reserved .example domain never reaches anyone,
# and it tells demo authors apart from real ones.
DEMO_EMAIL_DOMAIN = "kolomwarga.example"

BASE_ARTICLES = 60
BASE_PAGED = 9  # exactly four pages each, split by page-break markers
BASE_LONG = 4  # no marker, long enough for the automatic split
BASE_DRAFTS = 3
BASE_PICKS = 6
BASE_UPDATED = 10
BASE_DAYS = 120
COVER_SHARE = 0.8
EXCERPT_SHARE = 0.5

BATCH_SIZE = 2000
# Distinct bodies per --articles run; sanitising is the slow part of an article
# (see _clone_article), so bodies are drawn from a pool and shared.
MAX_BODY_POOL = 300
SCALE_PICK_SHARE = 0.005
SCALE_UPDATED_SHARE = 0.1

AUTHOR_OCCUPATIONS = [
    Occupation.TEACHER, Occupation.OTHER, Occupation.JOURNALIST, Occupation.ENTREPRENEUR,
    Occupation.STUDENT, Occupation.OTHER, Occupation.CIVIL_SERVANT, Occupation.HEALTH_WORKER,
    Occupation.PRIVATE_EMPLOYEE, Occupation.FARMER, Occupation.OTHER, Occupation.RETIRED,
]  # fmt: skip
# The conversation on the base articles (create_conversation).
FOLLOWS_PER_AUTHOR = 3
COMMENTS_PER_ARTICLE = [0, 0, 1, 2, 3, 4, 6, 9]
REPLY_SHARE = 0.55
DEMO_RATINGS = ["aktual", "bermanfaat", "inspiratif", "menarik", "menghibur", "unik"]
COMMENT_OPENINGS = [
    "Tulisan yang bagus, terima kasih sudah berbagi.",
    "Setuju dengan poin kedua.",
    "Di kampung saya juga begitu.",
    "Menarik, tapi saya punya pandangan lain.",
    "Terima kasih, jadi tahu sekarang.",
    "Semoga pemerintah daerah membaca ini.",
    "Bagaimana kalau dilihat dari sisi warga kecil?",
    "Ditunggu lanjutannya!",
    "Data yang disajikan cukup lengkap.",
    "Saya pernah mengalami hal serupa.",
    "Ulasan yang seimbang.",
    "Izin membagikan tulisan ini ke grup RT kami.",
]
VERIFIED_AUTHORS = 4  # the first few authors get the verified badge


class Command(BaseCommand):
    help = "Load the demo content once; with --articles N, add N more published articles."
    # `make run` calls this right after `migrate`, which has just run the checks,
    # and before `runserver`, which runs them again: skipping them here keeps
    # the usual "already there" run quick.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=0,
            metavar="N",
            help="Add N more published articles by the demo authors.",
        )
        parser.add_argument(
            "--comments",
            type=int,
            default=0,
            metavar="N",
            help="Large comment sets come from `manage.py seed_scale --comments N`.",
        )

    def handle(self, *args, articles: int, comments: int, **options):
        if articles < 0 or comments < 0:
            raise CommandError("--articles and --comments take a number of 0 or more.")
        user_model = get_user_model()
        if user_model.objects.filter(username=ADMIN_USERNAME).exists():
            self.stdout.write(
                f"Demo content is already there (user {ADMIN_USERNAME!r} exists). "
                f"Demo password: {DEMO_PASSWORD}"
            )
        else:
            self.create_base_set()
        if articles:
            self.add_articles(articles)
        if comments:
            self.stdout.write(
                self.style.WARNING(
                    "--comments: the demo set has its own comments; for N more, "
                    "run `manage.py seed_scale --comments N`."
                )
            )

    # Base demo set ------------------------------------------------------------

    def create_base_set(self) -> None:
        # Imported here, not at the top: Faker and Pillow take a noticeable
        # moment to load, and `make run` calls this command on every start.
        from demo import writing as demo

        topics = list(Topic.objects.select_related("parent"))
        if not topics:
            raise CommandError("No topics: run `manage.py migrate` first.")
        started = time.monotonic()
        writer = demo.DemoWriter(demo.SEED)
        covers = self.ensure_covers()
        with transaction.atomic():
            tags = self.ensure_tags()
            # One hash for every demo account: hashing is deliberately slow.
            password = make_password(DEMO_PASSWORD)
            self.create_staff(password)
            authors = self.create_authors(writer, password)
            created = self.create_base_articles(writer, authors, topics, covers, tags)
            talk = self.create_conversation(writer, authors)
            newcomers = self.create_trust_demo(writer, authors, topics, tags, password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content created in {time.monotonic() - started:.1f}s: "
                f"{len(authors)} authors, {created} articles, {talk} comments."
            )
        )
        self.stdout.write(
            f"Sign in as {ADMIN_USERNAME} (superuser), {MODERATOR_USERNAME} (moderator) or an "
            f"author ({', '.join(author.username for author in authors)}); newer accounts "
            f"({', '.join(newcomers)}) show the trust levels and the held queue; "
            f"password for all: {DEMO_PASSWORD}"
        )

    def create_staff(self, password: str) -> None:
        user_model = get_user_model()
        for username, display_name, is_superuser in [
            (ADMIN_USERNAME, "Admin Kolom Warga", True),
            (MODERATOR_USERNAME, "Moderator Kolom Warga", False),
        ]:
            user = user_model.objects.create(
                username=username,
                email=f"{username}@{DEMO_EMAIL_DOMAIN}",
                password=password,
                display_name=display_name,
                is_staff=True,
                is_superuser=is_superuser,
            )
            self.verify_email(user)
            if not is_superuser:
                # The group comes from a moderation migration; looked up by name
                # so this lower app does not import moderation.
                moderators = Group.objects.filter(name=MODERATOR_GROUP).first()
                if moderators:
                    user.groups.add(moderators)

    def create_authors(self, writer, password: str) -> list:
        from demo import writing as demo

        user_model = get_user_model()
        authors = []
        for index, person in enumerate(writer.people(AUTHOR_OCCUPATIONS)):
            author = user_model(
                username=person.username,
                email=f"{person.username}@{DEMO_EMAIL_DOMAIN}",
                password=password,
                first_name=person.first_name,
                last_name=person.last_name,
                display_name=f"{person.first_name} {person.last_name}",
                occupation=person.occupation,
                tagline=person.tagline,
                bio=person.bio,
                is_verified=index < VERIFIED_AUTHORS,
            )
            colour = demo.AVATAR_COLOURS[index % len(demo.AVATAR_COLOURS)]
            author.avatar.save(
                f"{author.username}.png",
                ContentFile(demo.avatar_png(author.initials, colour)),
                save=False,
            )
            author.save()
            self.verify_email(author)
            authors.append(author)
        return authors

    @staticmethod
    def verify_email(user) -> None:
        """A verified primary address, so the account can sign in with verification mandatory."""
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    def create_base_articles(self, writer, authors, topics, covers, tags) -> int:
        """About 60 articles over every topic, with the shapes the reading pages need to show."""
        from demo import writing as demo

        rng = writer.random
        now = timezone.now()
        by_slug = {topic.slug: topic for topic in topics}

        # Every topic twice, Kebijakan a few more times, the rest at random.
        plan_topics = topics * 2
        if "kebijakan" in by_slug:
            plan_topics += [by_slug["kebijakan"]] * 3
        plan_topics += rng.choices(topics, k=max(0, BASE_ARTICLES - len(plan_topics)))
        plan_topics = plan_topics[:BASE_ARTICLES]
        rng.shuffle(plan_topics)

        kinds = [demo.POEM if topic.slug == "puisi" else demo.SHORT for topic in plan_topics]
        prose = [index for index, kind in enumerate(kinds) if kind == demo.SHORT]
        rng.shuffle(prose)
        # The product wants a four-page article in Kebijakan among them.
        policy = [index for index in prose if plan_topics[index].slug == "kebijakan"][:1]
        paged = policy + [index for index in prose if index not in policy][: BASE_PAGED - 1]
        long = [index for index in prose if index not in paged][:BASE_LONG]
        for index in paged:
            kinds[index] = demo.PAGED
        for index in long:
            kinds[index] = demo.LONG
        short = [index for index, kind in enumerate(kinds) if kind == demo.SHORT]
        drafts = set(rng.sample(short, BASE_DRAFTS))

        # Every author writes at least one; the first ones write more.
        weights = [len(authors) - rank for rank in range(len(authors))]
        plan_authors = authors + rng.choices(authors, weights, k=BASE_ARTICLES - len(authors))

        articles = []
        for index, topic in enumerate(plan_topics):
            family = topic.parent.slug if topic.parent_id else topic.slug
            subject = writer.subject(topic.slug, family)
            is_draft = index in drafts
            article = Article(
                author=plan_authors[index],
                topic=topic,
                title=writer.title(subject, fiction=family == "fiksiana"),
                excerpt=writer.excerpt(subject) if rng.random() < EXCERPT_SHARE else "",
                body=writer.body(subject, kinds[index]),
                status=Article.Status.DRAFT if is_draft else Article.Status.PUBLISHED,
                published_at=None if is_draft else now - timedelta(days=rng.uniform(0, BASE_DAYS)),
                view_count=0 if is_draft else _skewed_view_count(rng),
            )
            theme = writer.cover_theme_key(topic.slug, family)
            if theme in covers and rng.random() < COVER_SHARE:
                article.cover.name = covers[theme]
                article.cover_caption = writer.cover_caption(subject)
                article.cover_credit = writer.cover_credit()
            articles.append((article, writer.tags(family)))

        published = [article for article, _ in articles if article.published_at]
        with_cover = sorted(
            (article for article in published if article.cover), key=lambda a: a.published_at
        )
        if with_cover:
            headline = with_cover[-1]  # the newest article with a picture
            headline.is_headline = True
            headline.view_count += 1500
        for article in rng.sample(with_cover[:-1], min(BASE_PICKS, len(with_cover) - 1)):
            article.is_pick = True
            article.view_count += 800
        for article in rng.sample(published, min(BASE_UPDATED, len(published))):
            edited = article.published_at + timedelta(hours=rng.uniform(2, 72))
            article.updated_at = min(edited, now)

        for article, tag_names in articles:
            article._pending_tag_names = tag_names  # searched by their names
            article.save()  # fills body_html, teaser, slug and the search fields
            article.tags.add(*(tags[name] for name in tag_names))
        # created_at is auto_now_add: move it back to when the article came out.
        Article.objects.filter(pk__in=[article.pk for article in published]).update(
            created_at=F("published_at")
        )
        return len(articles)

    # Shared pieces --------------------------------------------------------------

    def create_conversation(self, writer, authors) -> int:
        """What a living site has: authors following each other, comment threads
        (replies up to the deepest level) and ratings, made through the services
        so that counts and notifications are the real thing. The demo accounts
        are not emailed about it: their email queue is held while it happens
        and the notifications count as already told. Returns the comments made.
        """
        from accounts.services import follow_author
        from articles.services import rate_article
        from comments.services import post_comment
        from notifications.models import EmailPreference, EmailState, Notification

        rng = writer.random
        EmailPreference.objects.bulk_create(
            [
                EmailPreference(user=author, email_due_at=timezone.now() + timedelta(days=1))
                for author in authors
            ],
            ignore_conflicts=True,
        )
        for author in authors:
            for other in rng.sample([a for a in authors if a != author], FOLLOWS_PER_AUTHOR):
                follow_author(author, author=other)

        made = 0
        articles = Article.objects.published().select_related("author").order_by("pk")
        for article in articles:
            others = [a for a in authors if a != article.author]
            posted = []
            for _ in range(rng.choice(COMMENTS_PER_ARTICLE)):
                reply_to = rng.choice(posted) if posted and rng.random() < REPLY_SHARE else None
                if reply_to is not None and rng.random() < 0.3:
                    commenter = article.author  # the author answers
                else:
                    commenter = rng.choice(others)
                posted.append(
                    post_comment(
                        article,
                        author=commenter,
                        body=_demo_comment(writer),
                        reply_to=reply_to,
                        enforce_limits=False,
                        screen=False,  # demo accounts are not spammers
                    )
                )
            made += len(posted)
            for reader in rng.sample(others, rng.randint(0, 4)):
                rate_article(article, user=reader, label=rng.choice(DEMO_RATINGS))

        Notification.objects.filter(recipient__in=authors, email_state=EmailState.PENDING).update(
            email_state=EmailState.SKIPPED
        )
        EmailPreference.objects.filter(user__in=authors).update(email_due_at=None)
        return made

    def create_trust_demo(self, writer, authors, topics, tags, password: str) -> list[str]:
        """Every trust level to look at (README, "Trust and spam"): the authors get
        join dates from months to years ago, so most are Tepercaya or Dasar; two
        new accounts post through the real rules, so the held queue has a new
        writer's first article and comment (probation) and a gambling promoter's
        article (word list). The classifier is trained on the seed set."""
        from articles.services import publish_article
        from comments.services import post_comment
        from notifications.models import EmailPreference, EmailState, Notification
        from trust import classifier, services

        rng = writer.random
        now = timezone.now()
        for author in authors:
            first = (
                Article.objects.filter(author=author, published_at__isnull=False)
                .order_by("published_at")
                .values_list("published_at", flat=True)
                .first()
            ) or now
            author.date_joined = first - timedelta(days=rng.uniform(10, 900))
            author.save(update_fields=["date_joined"])
        user_model = get_user_model()
        people = {}
        for username, display_name, joined in [
            ("dimas_dasar", "Dimas Pratama", now - timedelta(days=9)),
            ("sari_baru", "Sari Wulandari", now - timedelta(hours=3)),
            ("promo_gacor88", "Info Cuan Harian", now - timedelta(minutes=40)),
        ]:
            person = user_model.objects.create(
                username=username,
                email=f"{username}@{DEMO_EMAIL_DOMAIN}",
                password=password,
                display_name=display_name,
                date_joined=joined,
            )
            self.verify_email(person)
            people[username] = person
        EmailPreference.objects.bulk_create(
            [
                EmailPreference(user=person, email_due_at=now + timedelta(days=1))
                for person in people.values()
            ],
            ignore_conflicts=True,
        )
        topic = topics[0]
        older = Article.objects.create(
            author=people["dimas_dasar"],
            topic=topic,
            title="Belajar menanam sayur di lahan sempit",
            body="<p>Polybag bekas dan pupuk kompos dari dapur cukup untuk memulai.</p>",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(days=6),
        )
        older.tags.add(tags[rng.choice(sorted(tags))])
        posts = [
            (
                people["sari_baru"],
                "Perkenalan: saya pengajar PAUD dari Magelang",
                "<p>Saya ingin menulis tentang anak-anak dan permainan tradisional.</p>",
            ),
            (
                people["promo_gacor88"],
                "Info cuan malam ini",
                '<p>Situs s l o t g4c0r maxwin, daftar di <a href="https://cuan88.example/">'
                "sini</a>, bonus new member!</p>",
            ),
        ]
        for author, title, body in posts:
            draft = Article.objects.create(author=author, topic=topic, title=title, body=body)
            draft.tags.add(tags[rng.choice(sorted(tags))])
            publish_article(draft, by=author)
        post_comment(
            older,
            author=people["sari_baru"],
            body="Terima kasih, saya jadi ingin mencoba di teras rumah.",
            enforce_limits=False,
        )
        # As in create_conversation: the demo sends nobody an email.
        Notification.objects.filter(
            recipient__in=people.values(), email_state=EmailState.PENDING
        ).update(email_state=EmailState.SKIPPED)
        EmailPreference.objects.filter(user__in=people.values()).update(email_due_at=None)
        if classifier.available():
            classifier.train()
        for person in [*authors, *people.values()]:
            services.recompute_level(person)
        return list(people)

    def ensure_covers(self) -> dict[str, str]:
        """Each demo cover stored once under covers/demo/; theme key -> stored name."""
        from demo import writing as demo

        storage = Article._meta.get_field("cover").storage
        names = {}
        for theme in demo.COVER_THEMES:
            name = f"covers/demo/{theme.key}.jpg"
            if not storage.exists(name):
                name = storage.save(name, ContentFile(demo.cover_jpeg(theme)))
            names[theme.key] = name
        return names

    @staticmethod
    def ensure_tags() -> dict[str, Tag]:
        from demo import writing as demo

        return {name: Tag.objects.get_or_create(name=name)[0] for name in demo.ALL_TAGS}

    # --articles N ------------------------------------------------------------------

    def add_articles(self, count: int) -> None:
        """Add ``count`` published articles in batches, never holding them all in memory."""
        started = time.monotonic()
        done = 0
        for batch, batch_tags in self.article_batches(count):
            self.write_article_batch(batch, batch_tags)
            done += len(batch)
            self.progress(done, count)
        self.stderr.write("", style_func=str)
        self.stdout.write(
            self.style.SUCCESS(f"Added {count} articles in {time.monotonic() - started:.1f}s.")
        )

    def article_batches(self, count: int):
        """Unsaved published articles in batches of BATCH_SIZE, each with its tags' ids.

        Yields ``(articles, tag_id_sets)``; derived fields are filled, primary
        keys and created_at are left to the writer. comments' seed_scale
        writes the same batches with PostgreSQL's COPY.
        """
        from demo import writing as demo

        user_model = get_user_model()
        authors = list(
            user_model.objects.filter(
                email__endswith=f"@{DEMO_EMAIL_DOMAIN}", is_staff=False
            ).order_by("pk")
        )
        if not authors:
            raise CommandError(
                f"No demo authors (users with an @{DEMO_EMAIL_DOMAIN} address) to write "
                "the articles: seed a fresh database."
            )
        topics = list(Topic.objects.select_related("parent"))
        # A different but reproducible stream for each run, so repeated runs
        # do not add the same articles again.
        writer = demo.DemoWriter(demo.SEED + Article.objects.count())
        rng = writer.random
        covers = self.ensure_covers()
        tag_ids = {name: tag.pk for name, tag in self.ensure_tags().items()}
        prose_pool, poem_pool = self.body_pools(writer, count)
        # A year per ~20,000 articles, at least the base set's span.
        span_days = max(BASE_DAYS, count // 55)
        now = timezone.now()

        self.stdout.write(
            f"Adding {count} articles ({len(prose_pool) + len(poem_pool)} distinct bodies)..."
        )
        done = 0
        while done < count:
            size = min(BATCH_SIZE, count - done)
            batch, batch_tags = [], []
            for _ in range(size):
                topic = rng.choice(topics)
                family = topic.parent.slug if topic.parent_id else topic.slug
                subject = writer.subject(topic.slug, family)
                prototype = rng.choice(poem_pool if topic.slug == "puisi" else prose_pool)
                published_at = now - timedelta(days=rng.uniform(0, span_days))
                article = _clone_article(
                    prototype,
                    author=rng.choice(authors),
                    topic=topic,
                    title=writer.title(subject, fiction=family == "fiksiana"),
                    status=Article.Status.PUBLISHED,
                    published_at=published_at,
                    view_count=_skewed_view_count(rng),
                    is_pick=rng.random() < SCALE_PICK_SHARE,
                )
                if rng.random() < SCALE_UPDATED_SHARE:
                    article.updated_at = min(
                        published_at + timedelta(hours=rng.uniform(2, 72)), now
                    )
                theme = writer.cover_theme_key(topic.slug, family)
                if theme in covers and rng.random() < COVER_SHARE:
                    article.cover.name = covers[theme]
                    article.cover_caption = writer.cover_caption(subject)
                    article.cover_credit = writer.cover_credit()
                tag_names = writer.tags(family)
                # The body's search fields are the prototype's; title and tags its own.
                article.fill_search_fields(tag_names=tag_names, body=False)
                batch.append(article)
                batch_tags.append({tag_ids[name] for name in tag_names})
            yield batch, batch_tags
            done += size

    @staticmethod
    def write_article_batch(batch: list[Article], batch_tags: list[set[int]]) -> None:
        with transaction.atomic():
            # SQLite and PostgreSQL return the new primary keys.
            created = Article.objects.bulk_create(batch)
            TaggedArticle.objects.bulk_create(
                TaggedArticle(tag_id=tag_id, content_object_id=article.pk)
                for article, ids in zip(created, batch_tags, strict=True)
                for tag_id in ids
            )
            Article.objects.filter(pk__in=[article.pk for article in created]).update(
                created_at=F("published_at")
            )
        # manage.py runs with DEBUG on, which keeps every query's SQL.
        reset_queries()

    @staticmethod
    def body_pools(writer, count: int) -> tuple[list[Article], list[Article]]:
        """Prototype articles whose bodies the new articles share, sanitised once each.

        Mostly ordinary bodies; a few four-page and long ones, as on the real site.
        """
        from demo import writing as demo

        size = min(MAX_BODY_POOL, max(30, count // 20))
        kinds = [demo.SHORT] * 20 + [demo.PAGED] * 2 + [demo.LONG]
        prose = [
            _prototype(writer, writer.random.choice(kinds), with_excerpt=index % 2 == 0)
            for index in range(size)
        ]
        poems = [_prototype(writer, demo.POEM, with_excerpt=False) for _ in range(size // 10 + 3)]
        return prose, poems

    def progress(self, done: int, total: int) -> None:
        line = f"\r  {done}/{total} articles ({done * 100 // total}%)"
        self.stderr.write(line, ending="", style_func=str)
        self.stderr.flush()


def _demo_comment(writer) -> str:
    opening = writer.random.choice(COMMENT_OPENINGS)
    sentences = " ".join(writer.lorem_sentence() for _ in range(writer.random.randint(1, 3)))
    return f"{opening} {sentences}"


def _prototype(writer, kind: str, *, with_excerpt: bool) -> Article:
    subject = writer.subject("", "")
    article = Article(
        body=writer.body(subject, kind),
        excerpt=writer.excerpt(subject) if with_excerpt else "",
    )
    article.fill_derived_fields()
    return article


def _clone_article(prototype: Article, **fields) -> Article:
    """A new article with its own fields and the prototype's body, excerpt and their derived fields.

    bulk_create skips save(), so derived fields must be filled here. Sanitising
    is the slow part of fill_derived_fields() (bleach takes about 12 ms for a 5 kB
    body: 20 minutes for 100,000 articles), so each pooled body went through
    fill_derived_fields() once, on its prototype, and the copies reuse the
    result. fill_derived_fields() still runs on each copy before the body goes
    in, cheaply, for the fields that depend on the title (the slug); the caller
    fills the search fields of the title and tags (fill_search_fields(body=False)).
    """
    article = Article(**fields)
    article.fill_derived_fields(search=False)
    article.body, article.body_html = prototype.body, prototype.body_html
    article.excerpt, article.teaser = prototype.excerpt, prototype.teaser
    for field in ("search_document", "search_language", "search_body_terms"):
        setattr(article, field, getattr(prototype, field))
    return article


def _skewed_view_count(rng: random.Random) -> int:
    """Most articles read a few hundred times, a few thousands: a log-normal, capped."""
    return min(int(rng.lognormvariate(5.0, 1.2)), 5000)
