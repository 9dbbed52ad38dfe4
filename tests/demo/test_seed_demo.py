"""manage.py seed_demo: the demo set, its idempotence, --articles and the article shapes."""

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from accounts.models import Follow
from articles.models import Article, Rating, TaggedArticle
from articles.sanitizer import PAGE_BREAK
from comments.models import Comment
from demo import writing as demo
from notifications.models import EmailPreference, EmailState, Notification

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-pass-2026"


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
TRUST_DEMO = ("dimas_dasar", "sari_baru", "promo_gacor88")


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
    authors = list(user_model.objects.filter(is_staff=False).exclude(username__in=TRUST_DEMO))
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


def test_base_run_creates_articles_of_every_shape_the_site_shows(media_root):
    seed()

    articles = list(Article.objects.select_related("topic"))
    published = [a for a in articles if a.status == Article.Status.PUBLISHED]
    assert len(published) >= 55
    assert 2 <= len(articles) - len(published) <= 3
    assert all(not a.published_at for a in articles if a not in published)

    four_pages = [a for a in published if a.body.count(PAGE_BREAK) == 3]
    assert len(four_pages) >= 8
    assert all(len(a.pages()) == 4 for a in four_pages)
    assert any(a.topic.slug == "kebijakan" for a in four_pages)
    long_unmarked = [a for a in published if PAGE_BREAK not in a.body and len(a.body) > 12_000]
    assert long_unmarked
    assert all(len(a.pages()) > 1 for a in long_unmarked)

    now = timezone.now()
    assert all(
        timezone.is_aware(a.published_at) and (now - a.published_at).days <= 120 for a in published
    )
    assert 8 <= sum(a.was_updated for a in published) <= 12
    assert sum(a.is_pick for a in published) == 6
    assert sum(a.is_headline for a in published) == 1
    assert any(a.view_count > 1000 for a in published)
    assert 20 <= sum(bool(a.excerpt) for a in articles) <= 40
    assert len({a.topic_id for a in articles}) >= 15
    assert sum(a.topic.slug == "kebijakan" for a in articles) >= 3
    for article in articles:
        assert 1 <= article.tags.count() <= 4

    covered = [a for a in articles if a.cover]
    assert len(articles) / 2 < len(covered) < len(articles)
    assert all(a.cover_caption and a.cover_credit for a in covered)
    cover_names = {a.cover.name for a in covered}
    assert len(cover_names) <= len(demo.COVER_THEMES)
    for name in cover_names:
        assert name.startswith("covers/demo/")
        assert (media_root / name).is_file()


def test_second_run_creates_nothing_new(media_root):
    seed()
    before, files_before = counts(), files_under(media_root)

    output = seed()
    output += seed("--comments", "5")

    assert counts() == before
    assert files_under(media_root) == files_before
    assert "already there" in output
    assert "comments" in output


def test_articles_option_adds_exactly_that_many_published_articles():
    seed()
    before = set(Article.objects.values_list("pk", flat=True))
    authors = set(get_user_model().objects.filter(is_staff=False).values_list("pk", flat=True))

    seed("--articles", "500")

    added = Article.objects.exclude(pk__in=before)
    assert added.count() == 500
    assert added.published().count() == 500
    assert not added.filter(body_html="").exists()
    assert not added.filter(teaser="").exists()
    assert not added.filter(slug="").exists()
    assert set(added.values_list("author_id", flat=True)) <= authors
    tagged = TaggedArticle.objects.filter(content_object__in=added)
    assert set(tagged.values_list("content_object_id", flat=True)) == set(
        added.values_list("pk", flat=True)
    )
    for article in added.order_by("?")[:25]:
        assert 1 <= article.tags.count() <= 4


def test_articles_option_on_an_empty_database_creates_the_base_set_first():
    seed("--articles", "20")

    assert get_user_model().objects.filter(username="admin").exists()
    assert Article.objects.published().count() >= 55 + 20


def test_generated_bodies_keep_their_structure_through_sanitising():
    seed("--articles", "60")

    for article in Article.objects.all():
        assert start_tags(article.body_html) == start_tags(article.body), article.title
        assert article.body_html.count(PAGE_BREAK) == article.body.count(PAGE_BREAK)


def test_demo_text_is_the_same_on_every_machine():
    first, second = demo.DemoWriter(demo.SEED), demo.DemoWriter(demo.SEED)
    other = get_user_model().Occupation.OTHER

    assert first.title("dana desa") == second.title("dana desa")
    assert first.body("dana desa", demo.PAGED) == second.body("dana desa", demo.PAGED)
    assert first.people([other]) == second.people([other])


def test_the_demo_has_conversations_whose_counts_add_up_and_sends_no_email(mailoutbox):
    seed()

    comments = Comment.objects.all()
    assert comments.count() > 60
    assert comments.filter(depth=3).exists()  # replies reach the deepest level
    for article in Article.objects.published():
        assert article.comment_count == comments.filter(article=article).visible().count()
    assert not comments.exclude(article__status=Article.Status.PUBLISHED).exists()
    assert Follow.objects.count() == 12 * 3
    assert Rating.objects.exists()
    assert not Rating.objects.filter(user=F("article__author")).exists()  # nobody rates their own

    notified = Notification.objects.all()
    assert {"comment", "reply", "follower"} <= set(notified.values_list("kind", flat=True))
    assert not notified.filter(email_state=EmailState.PENDING).exists()
    assert not EmailPreference.objects.filter(email_due_at__isnull=False).exists()
    assert mailoutbox == []
