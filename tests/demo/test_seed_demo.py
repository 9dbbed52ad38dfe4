"""manage.py seed_demo: the demo set, its idempotence, --articles and the article shapes."""

import importlib
import io
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from PIL import Image

from accounts.models import Follow
from articles.models import Article, Correction, Rating, TaggedArticle, Topic
from articles.sanitizer import PAGE_BREAK, html_to_text
from comments.models import Comment, CommentLike, CommentStatus
from demo import corpus, covers
from demo import writing as demo
from demo.management.commands import seed_demo
from moderation.models import ModerationAction
from notifications.models import EmailPreference, EmailState, Notification
from readinglist.models import Bookmark

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-pass-2026"
DEMO_AUTHORS = {"email__endswith": "@kolomwarga.example", "is_staff": False}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Images go to a folder that does not exist yet, as on a fresh machine."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def seed(*args: str) -> str:
    stdout = io.StringIO()
    call_command("seed_demo", *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "emails": EmailAddress.objects.count(),
        "articles": Article.objects.count(),
        "tag_rows": TaggedArticle.objects.count(),
    }


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


class _StartTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


# The newer accounts that show the trust levels and the held queue.
TRUST_DEMO = seed_demo.TRUST_DEMO_USERNAMES


def corpus_articles():
    """The written corpus and its variations: not the trust demo's own posts."""
    return Article.objects.exclude(author__username__in=TRUST_DEMO)


def corpus_comments():
    return Comment.objects.exclude(author__username__in=TRUST_DEMO)


def start_tags(html: str) -> list[str]:
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    return parser.tags


def test_base_run_creates_staff_and_authors_who_can_sign_in(media_root):
    output = seed()

    user_model = get_user_model()
    admin = user_model.objects.get(username="admin")
    moderator = user_model.objects.get(username="moderator")
    assert admin.is_superuser and admin.is_staff
    assert moderator.is_staff and not moderator.is_superuser
    authors = list(user_model.objects.filter(**DEMO_AUTHORS).exclude(username__in=TRUST_DEMO))
    assert len(authors) == 12
    assert all(a.display_name and a.tagline and a.bio for a in authors)
    assert sum(a.occupation == user_model.Occupation.OTHER for a in authors) >= 2
    assert 0 < sum(a.is_verified for a in authors) < len(authors)
    newcomers = list(user_model.objects.filter(username__in=TRUST_DEMO))
    assert len(newcomers) == len(TRUST_DEMO)
    for user in [admin, moderator, *authors, *newcomers]:
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(
            user=user, email=user.email, verified=True, primary=True
        ).exists()
    for author in authors:
        assert author.avatar.name.startswith("avatars/")
        assert Path(author.avatar.path).is_file()
        assert Path(author.avatar.path).is_relative_to(media_root)
    assert DEMO_PASSWORD in output


def check_the_written_corpus_is_published_in_every_shape_the_site_shows():

    pieces = {piece.title: piece for piece in corpus.articles()}
    articles = list(corpus_articles().select_related("topic", "author"))
    assert len(articles) == len(pieces)
    assert len({a.title for a in articles}) == len(articles)  # every title distinct
    assert {a.title for a in articles} == set(pieces)
    shown = [a for a in articles if a.status == Article.Status.PUBLISHED]
    assert len(shown) >= 40
    drafts = [a for a in articles if a.status == Article.Status.DRAFT]
    assert drafts and all(not a.published_at for a in drafts)
    for article in articles:
        piece = pieces[article.title]
        assert article.topic.slug == piece.topic
        assert sorted(article.tags.names()) == sorted(piece.tags)
        assert article.excerpt == piece.excerpt
        assert 1 <= len(piece.tags) <= 4
    assert sum(bool(a.excerpt) for a in shown) >= 35
    assert sum(a.search_language == "en" for a in shown) >= 3  # a few in English
    assert sum(a.topic.slug == "puisi" and "<br>" in a.body_html for a in shown) >= 3

    four_pages = [a for a in shown if a.body.count(PAGE_BREAK) == 3]
    assert len(four_pages) >= 5
    assert all(len(a.pages()) == 4 for a in four_pages)
    assert any(a.topic.slug == "kebijakan" for a in four_pages)
    long_unmarked = [a for a in shown if PAGE_BREAK not in a.body and len(a.pages()) > 1]
    assert long_unmarked
    assert len({a.topic_id for a in shown}) >= 20
    assert len({a.author_id for a in articles}) >= 12

    # Realistic dates: spread over months, none in the future.
    now = timezone.now()
    ages = sorted((now - a.published_at).days for a in shown)
    assert ages[0] < 14 and ages[-1] > 150
    assert all(0 <= age <= seed_demo.BASE_DAYS for age in ages)
    assert len({(a.published_at.year, a.published_at.month) for a in shown}) >= 6
    assert 6 <= sum(a.was_updated for a in shown) <= 12
    assert sum(a.is_pick for a in shown) == 6
    assert [a.is_headline for a in shown].count(True) == 1
    assert max(shown, key=lambda a: a.published_at).is_headline
    assert any(a.view_count > 1000 for a in shown)


def check_every_cover_is_a_drawing_of_its_own_topics_scene(media_root):

    articles = list(corpus_articles().select_related("topic__parent"))
    assert all(a.cover and a.cover_caption and a.cover_credit for a in articles)
    for article in articles:
        parent = article.topic.parent.slug if article.topic.parent_id else ""
        scene = covers.scene_for(article.topic.slug, parent)
        assert article.cover.name in {
            covers.cover_name(scene.key, variant) for variant in range(covers.VARIANTS)
        }, article.title
        assert article.cover_caption == scene.caption
        assert "Ilustrasi" not in article.cover_credit  # the page already says "Sumber gambar"
    # What is stored is the scene's own drawing, made from the seed.
    for name in {a.cover.name for a in articles}:
        scene_key, variant = name.removeprefix("covers/demo/").removesuffix(".jpg").rsplit("-", 1)
        stored = (media_root / name).read_bytes()
        assert stored == covers.cover_jpeg(scene_key, int(variant) - 1, demo.SEED), name


def test_no_topic_family_wears_another_familys_cover():
    families: dict[str, set[str]] = {}
    topics = Topic.objects.select_related("parent")
    assert topics.count() >= 20
    for topic in topics:
        family = topic.parent.slug if topic.parent_id else topic.slug
        parent = topic.parent.slug if topic.parent_id else ""
        families.setdefault(family, set()).add(covers.scene_for(topic.slug, parent).key)
    for family, scenes in families.items():
        others = set().union(*(s for f, s in families.items() if f != family))
        assert not scenes & others, family
    assert covers.scene_for("gaya-hidup").key != covers.scene_for("kuliner", "gaya-hidup").key


def test_scenes_differ_in_palette_and_draw_no_words():
    """Each scene's picture has its own colours: the average colours of two
    scenes' covers are far apart, and a cover is not a flat card with a caption."""
    means = {}
    for key in covers.SCENES:
        image = Image.open(io.BytesIO(covers.cover_jpeg(key, 0, demo.SEED)))
        assert image.size == covers.SIZE
        small = image.convert("RGB").resize((32, 18))
        pixels = list(small.get_flattened_data())
        means[key] = tuple(sum(channel) / len(pixels) for channel in zip(*pixels, strict=True))
        assert len(set(pixels)) > 100  # shapes, light and grain, not a flat colour
    keys = list(means)
    for index, first in enumerate(keys):
        for second in keys[index + 1 :]:
            pairs = zip(means[first], means[second], strict=True)
            distance = sum((a - b) ** 2 for a, b in pairs) ** 0.5
            assert distance > 12, (first, second)
    source = Path(covers.__file__).read_text()
    assert ".text(" not in source and "font" not in source.lower()


def test_second_run_creates_nothing_new(media_root):
    seed()
    before, files_before = counts(), files_under(media_root)

    output = seed()
    output += seed("--comments", "5")

    assert counts() == before
    assert files_under(media_root) == files_before
    assert "already there" in output
    assert "comments" in output


def test_articles_option_adds_that_many_variations_on_the_corpus_after_the_base_set():
    seed("--articles", "500")  # an empty database: the base set comes first

    assert get_user_model().objects.filter(username="admin").exists()
    base = Article.objects.filter(title__in=[p.title for p in corpus.articles()])
    assert base.count() == len(corpus.articles())
    authors = set(get_user_model().objects.filter(**DEMO_AUTHORS).values_list("pk", flat=True))
    added = corpus_articles().exclude(pk__in=base).select_related("topic__parent")
    assert added.count() == 500
    assert added.published().count() == 500
    assert not added.filter(body_html="").exists()
    assert not added.filter(teaser="").exists()
    assert not added.filter(slug="").exists()
    assert not added.filter(word_count=0).exists()
    assert set(added.values_list("author_id", flat=True)) <= authors
    tagged = TaggedArticle.objects.filter(content_object__in=added)
    assert set(tagged.values_list("content_object_id", flat=True)) == set(
        added.values_list("pk", flat=True)
    )
    bodies = {p.body: p for p in corpus.articles() if not p.hide_rule}
    for article in added.order_by("?")[:40]:
        piece = bodies[article.body]  # a corpus body, under a title of its own
        assert article.title.startswith(piece.title) and article.title != piece.title
        assert article.topic.slug == piece.topic
        assert sorted(article.tags.names()) == sorted(piece.tags)
        parent = article.topic.parent.slug if article.topic.parent_id else ""
        scene = covers.scene_for(article.topic.slug, parent)
        assert article.cover.name.startswith(f"covers/demo/{scene.key}-")
    for article in corpus_articles():
        assert start_tags(article.body_html) == start_tags(article.body), article.title
        assert article.body_html.count(PAGE_BREAK) == article.body.count(PAGE_BREAK)


def test_demo_content_is_the_same_on_every_machine():
    first, second = demo.DemoWriter(demo.SEED), demo.DemoWriter(demo.SEED)
    other = get_user_model().Occupation.OTHER

    assert first.people([other]) == second.people([other])
    assert covers.cover_jpeg("sea", 1, demo.SEED) == covers.cover_jpeg("sea", 1, demo.SEED)
    assert covers.cover_jpeg("sea", 1, demo.SEED) != covers.cover_jpeg("sea", 2, demo.SEED)


def test_the_corpus_is_written_text_with_its_own_conversations():
    pieces = corpus.articles()
    readable = [p for p in pieces if not p.hide_rule and not p.draft]
    assert len(readable) >= 40
    assert len({p.title for p in pieces}) == len(pieces)
    assert len({p.body for p in pieces}) == len(pieces)
    assert sum(p.language == "en" for p in readable) >= 3
    assert all(len(p.comments) >= 2 for p in readable)
    assert all(p.correction_change[0] in p.body for p in pieces if p.correction_change)
    known = set(Topic.objects.values_list("slug", flat=True))
    assert {p.topic for p in pieces} <= known
    # Prose, not generated word salad: sentences end, words repeat like a language.
    words = " ".join(html_to_text(p.body) for p in readable).split()
    assert len(words) > 12_000
    assert len(set(words)) / len(words) < 0.35


def test_corpus_text_becomes_escaped_editor_html():
    article = corpus.parse(
        "judul: Uji\ntopik: puisi\ntag: Puisi, Laut\n\nbaris *satu* & <dua>\nbaris tiga\n\n"
        "---\n\n## Judul\n\n> kutipan\n\n- satu\n- dua\n"
        "%% komentar\n- Bagus.\n  - penulis: Terima kasih.\n    - Sama-sama.\n",
        "uji",
    )

    assert article.tags == ("puisi", "laut")
    assert article.body == (
        "<p>baris <em>satu</em> &amp; &lt;dua&gt;<br>baris tiga</p>\n"
        f"{PAGE_BREAK}\n<h2>Judul</h2>\n<blockquote><p>kutipan</p></blockquote>\n"
        "<ul><li>satu</li><li>dua</li></ul>"
    )
    (thread,) = article.comments
    assert thread.body == "Bagus." and not thread.by_author
    (answer,) = thread.replies
    assert answer.by_author and answer.body == "Terima kasih."
    assert answer.replies[0].body == "Sama-sama."
    with pytest.raises(corpus.CorpusError):
        corpus.parse("judul: Uji\ntopik: puisi\nwarna: biru\n\nteks", "uji")
    with pytest.raises(corpus.CorpusError):
        corpus.parse("judul: Uji\ntopik: puisi\ntag: a\n\nteks\n%% komentar\n  - x\n", "uji")


def without_mention(body: str) -> str:
    """A demo reply's corpus text: some start by naming the reader they answer."""
    return re.sub(r"^@[\w.-]+ ", "", body)


def check_conversations_happened_over_the_days_after_each_article(mailoutbox):

    texts = set(corpus.comment_texts())
    comments = list(corpus_comments().select_related("article", "parent", "reply_to", "author"))
    assert len(comments) > 150
    # Written for their article; some replies name the reader they answer first.
    bodies = {without_mention(c.body) for c in comments if c.is_visible}
    assert bodies <= texts
    assert any(c.body.startswith("@") and 'class="mention"' in c.body_html for c in comments)
    assert any(c.depth == 3 for c in comments)  # replies reach the deepest level
    assert any(c.author_id == c.article.author_id for c in comments)  # authors answer
    now = timezone.now()
    for comment in comments:
        assert comment.article.published_at < comment.created_at < now
        if comment.parent:
            assert comment.parent.created_at < comment.created_at
            assert comment.author_id != comment.reply_to.author_id
    old = [c for c in comments if now - c.article.published_at > timedelta(days=60)]
    assert old and all(now - c.created_at > timedelta(days=30) for c in old)
    assert len({c.created_at.date() for c in comments}) > 60  # not stamped at the load minute
    for article in Article.objects.published():
        visible = Comment.objects.filter(article=article, status=CommentStatus.VISIBLE)
        assert article.comment_count == visible.count()
    assert not Comment.objects.exclude(article__status=Article.Status.PUBLISHED).exists()
    assert Follow.objects.count() == 12 * 3
    assert Rating.objects.exists()
    assert not Rating.objects.filter(user=F("article__author")).exists()  # nobody rates their own

    notified = Notification.objects.all()
    assert {"comment", "reply", "follower", "moderation", "report_outcome"} <= set(
        notified.values_list("kind", flat=True)
    )
    written = (
        notified.filter(comment__isnull=False)
        .exclude(comment__author__username__in=TRUST_DEMO)
        .exclude(kind="comment_like")  # a like comes after the comment (checked below)
    )
    for notification in written.select_related("comment"):
        assert notification.created_at == notification.comment.created_at
    assert not notified.filter(email_state=EmailState.PENDING).exists()
    assert not EmailPreference.objects.filter(email_due_at__isnull=False).exists()
    assert mailoutbox == []


def check_each_author_starts_with_a_handful_of_unread_notifications():

    for author in get_user_model().objects.filter(**DEMO_AUTHORS).exclude(username__in=TRUST_DEMO):
        mine = Notification.objects.filter(recipient=author)
        unread = mine.filter(read_at__isnull=True)
        assert 1 <= unread.count() <= 5, author.username
        assert mine.count() > unread.count()
        newest_read = mine.filter(read_at__isnull=False).order_by("-created_at").first()
        assert all(n.created_at >= newest_read.created_at for n in unread)


def check_follows_likes_saves_and_reading_happened_over_time():
    now = timezone.now()
    follows = Follow.objects.filter(follower__in=get_user_model().objects.filter(**DEMO_AUTHORS))
    assert follows.count() > 10
    assert max(f.created_at for f in follows) - min(f.created_at for f in follows) > timedelta(
        days=30
    )
    read = Notification.objects.filter(read_at__isnull=False)
    assert all(n.created_at <= n.read_at <= now for n in read)
    assert len({n.read_at.date() for n in read}) > 10  # not all read at the load minute
    liked = Comment.objects.filter(like_count__gt=0)
    assert liked.count() > 20
    assert all(
        like.created_at >= like.comment.created_at
        for like in CommentLike.objects.select_related("comment")
    )
    assert Bookmark.objects.filter(article__status=Article.Status.PUBLISHED).count() >= 20


def check_a_few_articles_carry_a_dated_correction():

    corrected = {p.title: p for p in corpus.articles() if p.correction}
    corrections = list(Correction.objects.select_related("article"))
    assert len(corrections) == len(corrected) >= 3
    for correction in corrections:
        article, piece = correction.article, corrected[correction.article.title]
        wrong, right = piece.correction_change
        assert wrong not in article.body and right in article.body
        assert correction.note == piece.correction
        assert article.published_at < correction.created_at < timezone.now()
        assert article.updated_at == correction.created_at


def check_a_few_are_hidden_by_a_moderator_with_a_record(client):

    moderator = get_user_model().objects.get(username="moderator")
    hidden = list(Article.objects.filter(status=Article.Status.HIDDEN))
    assert {a.title for a in hidden} == {p.title for p in corpus.articles() if p.hide_rule}
    assert len(hidden) >= 2
    for article in hidden:
        action = ModerationAction.objects.get(case__article=article, kind="hide")
        assert action.moderator == moderator and action.rule and action.public_reason
        assert action.case.reports.filter(status="action_taken").count() == 2
        assert not article.author.email  # never a demo author, never emailed
        response = client.get(article.get_absolute_url())  # readers see a notice, not the text
        assert response.status_code in (200, 404, 410)
        assert article.body_html[:80] not in response.content.decode()
    spam = Comment.objects.get(status="hidden_moderator")
    assert ModerationAction.objects.filter(case__comment=spam, kind="hide").exists()
    assert spam.body == seed_demo.SPAM_COMMENT


def test_base_run_publishes_a_site_worth_reading(media_root):
    seed()

    check_the_written_corpus_is_published_in_every_shape_the_site_shows()
    check_every_cover_is_a_drawing_of_its_own_topics_scene(media_root)


def test_base_run_has_the_life_of_a_site_over_months(mailoutbox, client):
    seed()

    check_conversations_happened_over_the_days_after_each_article(mailoutbox)
    check_each_author_starts_with_a_handful_of_unread_notifications()
    check_follows_likes_saves_and_reading_happened_over_time()
    check_a_few_articles_carry_a_dated_correction()
    check_a_few_are_hidden_by_a_moderator_with_a_record(client)


# seed_scale writes from a second connection on PostgreSQL (COPY in a thread):
# its rows must be committed for the first one to see them. An earlier
# transactional test may have flushed the topics the migrations made.
@pytest.mark.django_db(transaction=True)
def test_seed_scale_builds_its_bench_article_from_the_corpus():
    from django.apps import apps

    from demo.management.commands import seed_scale

    if not Topic.objects.exists():
        importlib.import_module("articles.migrations.0002_topics").create_topics(apps, None)
    call_command(
        "seed_scale", "--articles", "60", "--comments", "200", "--no-vacuum",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip

    bench = Article.objects.get(title=seed_scale.BENCH_ARTICLE_TITLE)
    policy = next(p for p in corpus.articles() if p.title.startswith("Subsidi Tepat Sasaran"))
    assert bench.body == policy.body and len(bench.pages()) == 4
    assert bench.cover.name.startswith("covers/demo/hall-")
    texts = set(corpus.comment_texts())
    bench_comments = Comment.objects.filter(article=bench)
    assert bench_comments.count() == 50
    assert {without_mention(c.body) for c in bench_comments} <= texts
    others = corpus_comments().exclude(article=bench).exclude(body__in=[seed_demo.SPAM_COMMENT])
    assert others.count() >= 200
    assert all(
        without_mention(c.body.split("\n\n")[0].split(" Data lengkapnya:")[0]) in texts
        for c in others
    )
