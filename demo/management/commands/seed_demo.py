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

from accounts.models import Follow, Occupation
from articles.models import Article, TaggedArticle, Topic
from rights.models import REPLY_WAIT, RightOfReply

ADMIN_USERNAME = "admin"
MODERATOR_USERNAME = "moderator"
MODERATOR_GROUP = "Moderator"
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105  (printed for developers on purpose)
# Demo accounts' addresses: the reserved .example domain never reaches anyone,
# and it tells demo authors apart from real ones.
DEMO_EMAIL_DOMAIN = "kolomwarga.example"

# The base set is the corpus in demo/articles/ (demo/corpus.py), published
# over about eight months.
BASE_DAYS = 240
BASE_PICKS = 6
BASE_UPDATED = 8
COVER_CREDITS = ["Redaksi Kolom Warga", "Tim grafis Kolom Warga"]  # after "Sumber gambar:"

BATCH_SIZE = 2000
SCALE_PICK_SHARE = 0.005
SCALE_UPDATED_SHARE = 0.1

AUTHOR_OCCUPATIONS = [
    Occupation.TEACHER, Occupation.OTHER, Occupation.JOURNALIST, Occupation.ENTREPRENEUR,
    Occupation.STUDENT, Occupation.OTHER, Occupation.CIVIL_SERVANT, Occupation.HEALTH_WORKER,
    Occupation.PRIVATE_EMPLOYEE, Occupation.FARMER, Occupation.OTHER, Occupation.RETIRED,
]  # fmt: skip
# The conversation on the base articles (create_conversation): each article's
# own comments from the corpus, over the days after it came out.
FOLLOWS_PER_AUTHOR = 3
COMMENT_DAYS = 12  # the latest a first comment comes; most come within two days
UNREAD_PER_AUTHOR = (1, 5)  # a handful left unread, the newest
LIKES_PER_COMMENT = (0, 0, 1, 1, 2, 3)  # how many readers like a comment, picked at random
SAVED_PER_AUTHOR = 3  # articles each demo author saved to read later
DEMO_RATINGS = ["aktual", "bermanfaat", "inspiratif", "menarik", "menghibur", "unik"]
# What the moderators did (moderate_demo_content). The hidden articles come
# from accounts of their own, by the rule they broke: no address (so they are
# never demo authors, never emailed), no password (nobody signs in as them).
OFFENDERS = {
    "spam": ("danacepatcair", "Dana Cepat Cair"),
    "hoax": ("infosehatalami", "Info Sehat Alami"),
}
SPAM_COMMENT_ARTICLE = "Jerat Pinjol Berawal dari Satu Pesan Singkat"
SPAM_COMMENT = (
    "Butuh dana cepat? Pinjaman cair 5 menit tanpa jaminan, bunga 0 persen. "
    "Hubungi admin kami lewat pesan pribadi, slot terbatas hari ini!"
)
REPORT_DETAILS = {
    "hoax": "Klaim pengobatan demam berdarah tanpa dasar, berbahaya kalau dipercaya.",
    "spam": "Iklan pinjaman yang meminta biaya administrasi di muka.",
}
HIDE_REASONS = {  # the page already names the rule
    "hoax": "Tulisan ini menyebarkan klaim kesehatan yang keliru dan dapat membahayakan pembaca.",
    "spam": "Iklan pinjaman yang tidak diminta dan meminta biaya di muka.",
}
# create_trust_demo's accounts: one of each trust level below Tepercaya.
TRUST_DEMO_USERNAMES = ("dimas_dasar", "sari_baru", "promo_gacor88")
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
        """The corpus (demo/articles/), published over the last months by the demo authors.

        Each article keeps its topic, tags and excerpt; its cover is a scene of
        its topic's family (demo/covers.py). A few are the shapes the reading
        pages need: four pages, long without page breaks, drafts, the headline
        and editor's picks, updated ones; a few carry a correction (Ralat).
        """
        from demo import corpus
        from demo import covers as cover_art

        rng = writer.random
        now = timezone.now()
        by_slug = {topic.slug: topic for topic in topics}
        pieces = list(corpus.articles())
        missing = sorted({piece.topic for piece in pieces} - set(by_slug))
        if missing:
            raise CommandError(f"Demo articles name unknown topics: {', '.join(missing)}.")
        offenders = self.create_offenders()
        # Oldest first, so pk order follows publication like on a real site.
        rng.shuffle(pieces)
        ages = sorted((rng.uniform(0.4, BASE_DAYS) for _ in pieces), reverse=True)
        pick_author = _author_picker(rng, authors)
        variants: dict[str, int] = {}

        articles = []
        for piece, age in zip(pieces, ages, strict=True):
            topic = by_slug[piece.topic]
            if piece.hide_rule in offenders:
                author = offenders[piece.hide_rule]
            else:
                author = pick_author(piece.occupation)
            if piece.hide_rule:
                age = min(age, rng.uniform(2, 6))  # reported and hidden recently
            article = Article(
                author=author,
                topic=topic,
                title=piece.title,
                excerpt=piece.excerpt,
                body=piece.body,
                status=Article.Status.DRAFT if piece.draft else Article.Status.PUBLISHED,
                published_at=None if piece.draft else now - timedelta(days=age),
                view_count=0 if piece.draft else _skewed_view_count(rng),
            )
            scene = cover_art.scene_for(topic.slug, topic.parent.slug if topic.parent_id else "")
            variant = variants.get(scene.key, rng.randrange(cover_art.VARIANTS))
            variants[scene.key] = (variant + 1) % cover_art.VARIANTS
            article.cover.name, article.cover_card.name = covers[scene.key, variant]
            article.cover_caption = scene.caption
            article.cover_credit = rng.choice(COVER_CREDITS)
            articles.append((article, piece))

        shown = sorted(
            (a for a, piece in articles if a.published_at and not piece.hide_rule),
            key=lambda a: a.published_at,
        )
        headline = shown[-1]  # the newest article
        headline.is_headline = True
        headline.view_count += 1500
        for article in rng.sample(shown[:-1], min(BASE_PICKS, len(shown) - 1)):
            article.is_pick = True
            article.view_count += 800
        for article in rng.sample(shown, min(BASE_UPDATED, len(shown))):
            edited = article.published_at + timedelta(hours=rng.uniform(2, 72))
            article.updated_at = min(edited, now)

        for article, piece in articles:
            article._pending_tag_names = list(piece.tags)  # searched by their names
            article.save()  # fills body_html, teaser, slug and the search fields
            article.tags.add(*(tags[name] for name in piece.tags))
        # created_at is auto_now_add: move it back to when the article came out.
        Article.objects.filter(pk__in=[a.pk for a in shown]).update(created_at=F("published_at"))
        Article.objects.filter(pk__in=[a.pk for a, p in articles if p.hide_rule]).update(
            created_at=F("published_at")
        )
        for article, piece in articles:
            if piece.correction and article.published_at:
                self.correct(article, piece, rng)
        return len(articles)

    @staticmethod
    def create_offenders() -> dict:
        """The accounts behind what the moderators hid, by rule (OFFENDERS)."""
        user_model = get_user_model()
        offenders = {}
        for rule, (username, display_name) in OFFENDERS.items():
            offender = user_model(username=username, email="", display_name=display_name)
            offender.set_unusable_password()
            offender.save()
            offenders[rule] = offender
        return offenders

    @staticmethod
    def correct(article, piece, rng) -> None:
        """The author's Ralat, through the service, dated a few days after publication."""
        from articles.models import ArticleRevision, Correction
        from articles.services import correct_article

        body = article.body
        if piece.correction_change:
            wrong, right = piece.correction_change
            body = body.replace(wrong, right, 1)
        data = {
            "title": article.title,
            "topic": article.topic,
            "excerpt": article.excerpt,
            "body": body,
            "cover_caption": article.cover_caption,
            "cover_credit": article.cover_credit,
        }
        correction = correct_article(
            article, by=article.author, note=piece.correction, author=article.author,
            data=data, tags=list(piece.tags),
        )  # fmt: skip
        when = min(article.published_at + timedelta(days=rng.uniform(1, 4)), timezone.now())
        Correction.objects.filter(pk=correction.pk).update(created_at=when)
        Article.objects.filter(pk=article.pk).update(updated_at=when)
        ArticleRevision.objects.filter(article=article, created_at__gt=when).update(created_at=when)

    # Shared pieces --------------------------------------------------------------

    def create_conversation(self, writer, authors) -> int:
        """What a living site has: authors following each other, the corpus's own
        comment threads posted over the days after each article came out, and
        ratings, made through the services so that counts and notifications are
        the real thing. Then moderation and the notifications' read state
        (moderate_demo_content, settle_notifications). The demo accounts are not
        emailed about any of it: their email queue is held while it happens and
        the notifications count as already told. Returns the comments made.
        """
        from accounts.services import follow_author
        from articles.services import rate_article
        from demo import corpus
        from notifications.models import EmailPreference, EmailState, Notification

        rng = writer.random
        now = timezone.now()
        people = authors
        EmailPreference.objects.bulk_create(
            [
                EmailPreference(user=person, email_due_at=now + timedelta(days=1))
                for person in people
            ],
            ignore_conflicts=True,
        )
        for author in authors:
            for other in rng.sample([a for a in authors if a != author], FOLLOWS_PER_AUTHOR):
                follow_author(author, author=other)
        # Followers came over the months, not at the load minute.
        for notification in Notification.objects.filter(recipient__in=authors, kind="follower"):
            when = now - timedelta(days=rng.uniform(1, BASE_DAYS))
            Notification.objects.filter(pk=notification.pk).update(created_at=when)
            Follow.objects.filter(
                follower_id=notification.actor_id, author_id=notification.recipient_id
            ).update(created_at=when)

        pieces = {piece.title: piece for piece in corpus.articles()}
        made = 0
        articles = Article.objects.published().select_related("author").order_by("pk")
        for article in articles:
            piece = pieces.get(article.title)
            if piece is None:
                continue
            others = [a for a in authors if a != article.author]
            for thread in piece.comments:
                made += self.post_thread(article, thread, others, rng)
            for reader in rng.sample(others, rng.randint(0, 4)):
                rate_article(article, user=reader, label=rng.choice(DEMO_RATINGS))

        self.like_and_save(authors, rng)
        self.moderate_demo_content(writer, authors)
        self.settle_notifications(writer, authors)
        Notification.objects.filter(recipient__in=people, email_state=EmailState.PENDING).update(
            email_state=EmailState.SKIPPED
        )
        EmailPreference.objects.filter(user__in=people).update(email_due_at=None)
        return made

    @staticmethod
    def post_thread(article, thread, others, rng) -> int:
        """One comment and its replies, each after the one it answers (a first comment
        mostly within two days of the article, at the latest COMMENT_DAYS after it).

        A reply marked ``penulis`` is the article's author's; a reader answering
        the author is the one the author had answered; other replies come from
        readers other than the one answered.
        """
        from comments.models import Comment
        from comments.services import post_comment
        from notifications.models import Notification

        latest = timezone.now() - timedelta(minutes=5)
        first = article.published_at + timedelta(hours=0.3 + rng.expovariate(1 / 18))
        first = min(first, article.published_at + timedelta(days=COMMENT_DAYS), latest)
        posted = []

        def post(node, *, when, reply_to=None, answered=None):
            if node.by_author:
                writer = article.author
            elif reply_to is not None and reply_to.author_id == article.author_id and answered:
                writer = answered
            else:
                choices = [o for o in others if reply_to is None or o.pk != reply_to.author_id]
                writer = rng.choice(choices or others)
            body = node.body
            if reply_to is not None and reply_to.author_id != writer.pk and rng.random() < 0.3:
                body = f"@{reply_to.author.username} {body}"  # as readers answer each other
            comment = post_comment(
                article,
                author=writer,
                body=body,
                reply_to=reply_to,
                enforce_limits=False,
                screen=False,  # demo accounts are not spammers
            )
            posted.append((comment, when))
            for reply in node.replies:
                when = min(when + timedelta(hours=0.2 + rng.expovariate(1 / 9)), latest)
                parent_writer = reply_to.author if reply_to is not None else None
                post(reply, when=when, reply_to=comment, answered=parent_writer)

        post(thread, when=first)
        for comment, when in posted:
            Comment.objects.filter(pk=comment.pk).update(created_at=when)
            Notification.objects.filter(comment=comment).update(created_at=when)
        return len(posted)

    @staticmethod
    def like_and_save(authors, rng) -> None:
        """Readers liked some comments in the hours after they were posted, and saved a
        few articles to read later (Bacaan Saya), through the services."""
        from comments.models import Comment, CommentLike
        from comments.services import like_comment
        from notifications.models import Notification
        from readinglist import services as reading_list
        from readinglist.models import Bookmark

        now = timezone.now()
        for comment in Comment.objects.visible().select_related("article").order_by("pk"):
            likers = [a for a in authors if a.pk != comment.author_id]
            for reader in rng.sample(likers, min(len(likers), rng.choice(LIKES_PER_COMMENT))):
                like_comment(comment, reader=reader)
                when = min(comment.created_at + timedelta(hours=rng.uniform(0.5, 30)), now)
                CommentLike.objects.filter(comment=comment, reader=reader).update(created_at=when)
                Notification.objects.filter(comment=comment, kind="comment_like").update(
                    created_at=when
                )
        published = list(Article.objects.published().order_by("pk"))
        for reader in authors:
            others = [a for a in published if a.author_id != reader.pk]
            for article in rng.sample(others, min(len(others), SAVED_PER_AUTHOR)):
                reading_list.save(reader, article)
                when = min(article.published_at + timedelta(days=rng.uniform(0.1, 5)), now)
                Bookmark.objects.filter(reader=reader, article=article).update(created_at=when)

    def moderate_demo_content(self, writer, authors) -> None:
        """What the moderators did, through moderation.services as a moderator would:
        the articles the corpus marks (sembunyikan) reported by readers and hidden,
        and a spam comment under the article about online loans."""
        from demo import corpus
        from moderation import services as moderation

        rng = writer.random
        moderator = get_user_model().objects.filter(username=MODERATOR_USERNAME).first()
        if moderator is None:
            return
        marked = {piece.title: piece for piece in corpus.articles() if piece.hide_rule}
        for article in Article.objects.published().filter(title__in=marked).order_by("pk"):
            piece = marked[article.title]
            reporters = rng.sample([a for a in authors if a != article.author], 2)
            for reporter in reporters:
                report = moderation.report_article(
                    article, reporter=reporter, reason=piece.hide_rule,
                    details=REPORT_DETAILS[piece.hide_rule], enforce_limits=False,
                )  # fmt: skip
            # The author was invited to give their side and let the wait pass
            # (rights app; no mail: _backdate_case dates it).
            RightOfReply.objects.get_or_create(
                case=report.case, defaults={"author": article.author, "wait_until": timezone.now()}
            )
            moderation.hide_target(
                report.case, moderator=moderator, rule=piece.hide_rule,
                public_reason=HIDE_REASONS[piece.hide_rule],
            )  # fmt: skip
            _backdate_case(report.case, after=article.published_at, rng=rng)
        offender = get_user_model().objects.filter(username=OFFENDERS["spam"][0]).first()
        target = Article.objects.published().filter(title=SPAM_COMMENT_ARTICLE).first()
        if offender is None or target is None:
            return
        from comments.models import Comment
        from comments.services import post_comment
        from notifications.models import Notification

        spam = post_comment(
            target, author=offender, body=SPAM_COMMENT, enforce_limits=False, screen=False
        )  # the rules would hold it: here it is a comment moderators hid after reports
        posted = min(target.published_at + timedelta(days=rng.uniform(2, 6)), timezone.now())
        Comment.objects.filter(pk=spam.pk).update(created_at=posted)
        Notification.objects.filter(comment=spam).update(created_at=posted)
        report = moderation.report_comment(
            spam, reporter=target.author, reason="spam",
            details=REPORT_DETAILS["spam"], enforce_limits=False,
        )  # fmt: skip
        moderation.hide_target(
            report.case, moderator=moderator, rule="spam", public_reason=HIDE_REASONS["spam"]
        )
        _backdate_case(report.case, after=posted, rng=rng)

    @staticmethod
    def settle_notifications(writer, authors) -> None:
        """A handful of unread notifications per author (the newest ones), the rest
        read, through notifications.services as if the author had opened them."""
        from notifications.models import Notification
        from notifications.services import mark_read

        rng = writer.random
        for author in authors:
            unread = list(
                Notification.objects.filter(recipient=author, read_at__isnull=True)
                .order_by("-created_at", "-pk")
                .values_list("pk", flat=True)
            )
            for pk in unread[rng.randint(*UNREAD_PER_AUTHOR) :]:
                mark_read(author, notification_id=pk)
            # Read in the hours and days after each arrived, not at the load minute.
            now = timezone.now()
            read = Notification.objects.filter(recipient=author, read_at__isnull=False)
            for pk, created in read.values_list("pk", "created_at"):
                when = min(created + timedelta(hours=rng.uniform(0.2, 48)), now)
                Notification.objects.filter(pk=pk).update(read_at=when)

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
        self.create_reading_time(rng, authors, people, now)
        if classifier.can_train():
            classifier.train()
        for person in [*authors, *people.values()]:
            services.recompute_level(person)
        return list(people)

    def create_reading_time(self, rng, authors, people, now) -> None:
        """What the article page's beacon would have recorded (README, "Trust and
        spam"): the authors read each other for months, mostly past Tepercaya's
        hour; the Dasar account a little; the newcomers almost nothing."""
        from trust.models import ReadingTime

        published = list(
            Article.objects.filter(status=Article.Status.PUBLISHED, published_at__isnull=False)
            .order_by("pk")
            .values_list("pk", "author_id", "published_at")
        )
        plan = [(author, rng.randint(4, 30), (3, 15)) for author in authors]
        plan += [(people["dimas_dasar"], 4, (3, 5)), (people["sari_baru"], 1, (1, 2))]
        rows = {}
        for reader, count, (low, high) in plan:
            others = [row for row in published if row[1] != reader.pk]
            for pk, _author, published_at in rng.sample(others, min(count, len(others))):
                start = max(published_at, reader.date_joined)
                if start >= now:
                    continue
                when = start + (now - start) * rng.random()
                day = timezone.localtime(when).date()
                rows[(reader.pk, pk, day)] = ReadingTime(
                    user=reader, article_id=pk, day=day, seconds=rng.randint(low, high) * 60
                )
        ReadingTime.objects.bulk_create(rows.values(), ignore_conflicts=True)

    def ensure_covers(self) -> dict[tuple[str, int], tuple[str, str]]:
        """Each demo cover stored once under covers/demo/, with the card rendition an
        uploaded cover gets (articles.services.set_cover); (scene, variant) -> names."""
        from demo import covers as cover_art
        from demo import writing as demo

        storage = Article._meta.get_field("cover").storage
        names = {}
        for scene in cover_art.SCENES:
            for variant in range(cover_art.VARIANTS):
                name = cover_art.cover_name(scene, variant)
                card = cover_art.card_name(scene, variant)
                if not storage.exists(name) or not storage.exists(card):
                    jpeg = cover_art.cover_jpeg(scene, variant, demo.SEED)
                    if not storage.exists(name):
                        name = storage.save(name, ContentFile(jpeg))
                    if not storage.exists(card):
                        card = storage.save(card, ContentFile(cover_art.card_jpeg(jpeg)))
                names[scene, variant] = (name, card)
        return names

    @staticmethod
    def ensure_tags() -> dict[str, Tag]:
        from demo import corpus

        names = corpus.all_tags()
        return {name: Tag.objects.get_or_create(name=name)[0] for name in sorted(names)}

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

        Each is a variation on a corpus article: its body, excerpt, topic, tags
        and a cover of its topic's scene, under a title of its own. Yields
        ``(articles, tag_id_sets)``; derived fields are filled, primary keys and
        created_at are left to the writer. comments' seed_scale writes the same
        batches with PostgreSQL's COPY.
        """
        from demo import covers as cover_art
        from demo import writing as demo

        user_model = get_user_model()
        authors = list(
            user_model.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}", is_staff=False)
            # The trust demo's newcomers stay as they are: new, with a held post or two.
            .exclude(username__in=TRUST_DEMO_USERNAMES)
            .order_by("pk")
        )
        if not authors:
            raise CommandError(
                f"No demo authors (users with an @{DEMO_EMAIL_DOMAIN} address) to write "
                "the articles: seed a fresh database."
            )
        topics = {topic.slug: topic for topic in Topic.objects.select_related("parent")}
        # A different but reproducible stream for each run, so repeated runs
        # do not add the same articles again.
        writer = demo.DemoWriter(demo.SEED + Article.objects.count())
        rng = writer.random
        covers = self.ensure_covers()
        tag_ids = {name: tag.pk for name, tag in self.ensure_tags().items()}
        prototypes = self.body_pool(topics)
        # A year per ~20,000 articles, at least the base set's span.
        span_days = max(BASE_DAYS, count // 55)
        now = timezone.now()

        self.stdout.write(f"Adding {count} articles ({len(prototypes)} distinct bodies)...")
        done = 0
        while done < count:
            size = min(BATCH_SIZE, count - done)
            batch, batch_tags = [], []
            for _ in range(size):
                prototype, piece = rng.choice(prototypes)
                topic = prototype.topic
                published_at = now - timedelta(days=rng.uniform(0, span_days))
                article = _clone_article(
                    prototype,
                    author=rng.choice(authors),
                    topic=topic,
                    title=_variant_title(piece, writer),
                    status=Article.Status.PUBLISHED,
                    published_at=published_at,
                    view_count=_skewed_view_count(rng),
                    is_pick=rng.random() < SCALE_PICK_SHARE,
                )
                if rng.random() < SCALE_UPDATED_SHARE:
                    article.updated_at = min(
                        published_at + timedelta(hours=rng.uniform(2, 72)), now
                    )
                scene = cover_art.scene_for(
                    topic.slug, topic.parent.slug if topic.parent_id else ""
                )
                article.cover.name, article.cover_card.name = covers[
                    scene.key, rng.randrange(cover_art.VARIANTS)
                ]
                article.cover_caption = scene.caption
                article.cover_credit = rng.choice(COVER_CREDITS)
                # The body's search fields are the prototype's; title and tags its own.
                article.fill_search_fields(tag_names=list(piece.tags), body=False)
                batch.append(article)
                batch_tags.append({tag_ids[name] for name in piece.tags})
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
    def body_pool(topics: dict) -> list[tuple[Article, object]]:
        """One prototype per published corpus article (hidden ones aside), its body
        sanitised once; the new articles share them (see _clone_article)."""
        from demo import corpus

        pool = []
        for piece in corpus.articles():
            if piece.draft or piece.hide_rule or piece.topic not in topics:
                continue
            prototype = Article(topic=topics[piece.topic], body=piece.body, excerpt=piece.excerpt)
            prototype.fill_derived_fields()
            pool.append((prototype, piece))
        return pool

    def progress(self, done: int, total: int) -> None:
        line = f"\r  {done}/{total} articles ({done * 100 // total}%)"
        self.stderr.write(line, ending="", style_func=str)
        self.stderr.flush()


def _backdate_case(case, *, after, rng: random.Random) -> None:
    """A moderation case as it happened: reported hours after the content came out,
    decided within a day, the notifications about it dated with the decision."""
    from moderation.models import Case, ModerationAction
    from notifications.models import Notification

    now = timezone.now()
    reported = min(after + timedelta(hours=rng.uniform(2, 20)), now)
    invitation = RightOfReply.objects.filter(case=case)
    # An article waits for its author's side before the decision.
    wait = REPLY_WAIT if invitation.exists() else timedelta(0)
    decided = min(reported + wait + timedelta(hours=rng.uniform(1, 20)), now)
    invitation.update(invited_at=reported, wait_until=min(reported + wait, now))
    Case.objects.filter(pk=case.pk).update(
        created_at=reported, last_reported_at=reported, updated_at=decided
    )
    case.reports.update(created_at=reported, resolved_at=decided)
    ModerationAction.objects.filter(case=case).update(created_at=decided)
    Notification.objects.filter(action__case=case).update(created_at=decided)


def _author_picker(rng: random.Random, authors: list):
    """Who writes a corpus article: an author of the occupation it asks for when
    there is one, otherwise the authors in turn (the first ones a little more often)."""
    weights = [len(authors) * 2 - rank for rank in range(len(authors))]
    queue: list = []

    def pick(occupation: str = ""):
        fitting = [a for a in authors if occupation and a.occupation == occupation]
        if fitting:
            return rng.choice(fitting)
        if not queue:
            queue.extend(authors)
            queue.extend(rng.choices(authors, weights, k=len(authors) // 2))
            rng.shuffle(queue)
        return queue.pop()

    return pick


def _variant_title(piece, writer) -> str:
    """A corpus title made a new article's: a place and a month after it, as a
    writer's series of notes would be titled."""
    from demo import writing as demo

    month = writer.random.choice(demo.MONTHS)
    if piece.language == "en":
        return f"{piece.title} ({writer.city()}, {month})"
    return f"{piece.title}: Catatan dari {writer.city()}, {month}"


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
    article.word_count = prototype.word_count
    for field in ("search_document", "search_language", "search_body_terms"):
        setattr(article, field, getattr(prototype, field))
    return article


def _skewed_view_count(rng: random.Random) -> int:
    """Most articles read a few hundred times, a few thousands: a log-normal, capped."""
    return min(int(rng.lognormvariate(5.0, 1.2)), 5000)
