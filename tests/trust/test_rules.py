"""Every rule, through the services a writer's post goes through."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Article
from articles.services import publish_article
from comments import services as comment_services
from comments.models import Comment
from core import screening
from tests.factories import make_article
from trust.models import HeldItem

from .conftest import make_account, make_trusted

pytestmark = pytest.mark.django_db


def draft(author, body="<p>Cerita tentang pasar pagi di kampung kami.</p>", **kwargs):
    return make_article(author=author, status=Article.Status.DRAFT, body=body, **kwargs)


def basic_account(**kwargs):
    """Dasar: three days old, email confirmed, one published article."""
    user = make_account(days=3, **kwargs)
    make_article(author=user)
    return user


def publish(author, body, **kwargs):
    article = draft(author, body=body, **kwargs)
    publish_article(article, by=author)
    article.refresh_from_db()
    return article


def post_comment(article, **kwargs):
    """Past the flood limit (comments.services), which is not what these test."""
    return comment_services.post_comment(article, enforce_limits=False, **kwargs)


def held_rule(article):
    assert article.status == Article.Status.HELD
    return HeldItem.objects.get(article=article).rule


def test_first_article_of_a_new_account_is_held_for_probation(newcomer):
    article = publish(newcomer, "<p>Perkenalan: saya warga baru di sini.</p>")
    assert held_rule(article) == "probation"
    assert article.published_at is None
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_first_comments_of_a_new_account_are_held_then_no_longer(newcomer, article, settings):
    settings.TRUST_PROBATION_COMMENTS = 2
    first = post_comment(article, author=newcomer, body="Tulisan yang bagus sekali.")
    assert first.status == Comment.Status.HELD
    article.refresh_from_db()
    assert article.comment_count == 0
    # Two comments that stayed visible end the probation.
    for number in range(2):
        Comment.objects.create(
            article=article, author=newcomer, body=f"lama {number}", path=f"9{number:011d}"
        )
    later = post_comment(article, author=newcomer, body="Saya setuju dengan penulis.")
    assert later.status == Comment.Status.VISIBLE


@pytest.mark.parametrize(
    "body",
    [
        "<p>Daftar di situs slot gacor, maxwin tiap hari!</p>",
        "<p>main s l o t  g a c o r sekarang</p>",
        "<p>Bandar T0G3L resmi, diskon besar</p>",
        "<p>Butuh dana? P1NJ0L cair 5 menit</p>",
        "<p>Ѕlοt gасоr terpercaya</p>",  # noqa: RUF001 (look-alikes on purpose)
        "<p>Layanan open BO Jakarta</p>",
    ],
)
def test_word_list_holds_obfuscated_indonesian_spam(body):
    article = publish(basic_account(), body)
    item = HeldItem.objects.get(article=article)
    assert item.rule == "word_list"
    assert item.detail  # names the words


def test_a_trusted_writers_normal_article_is_never_held():
    writer = make_trusted()
    body = (
        "<p>Warga kampung kami membersihkan selokan setiap Minggu. "
        '<a href="https://data.example.org/banjir">Data banjir</a> menunjukkan '
        "genangan berkurang sejak kerja bakti rutin dimulai.</p>"
    )
    article = publish(writer, body, title="Kerja bakti mengurangi banjir")
    assert article.status == Article.Status.PUBLISHED
    assert not HeldItem.objects.exists()


def test_a_trusted_writer_may_write_about_gambling_without_links():
    article = publish(make_trusted(), "<p>Judi online dan slot gacor merusak keluarga miskin.</p>")
    assert article.status == Article.Status.PUBLISHED


def test_too_many_links_are_held_by_level(settings):
    settings.TRUST_MAX_LINKS = (1, 2, 20)
    links = "".join(f'<a href="https://situs{n}.example/">tautan {n}</a> ' for n in range(3))
    article = publish(basic_account(), f"<p>Bacaan lain: {links}</p>")
    assert held_rule(article) == "too_many_links"
    assert publish(make_trusted(), f"<p>Bacaan lain: {links}</p>").status == "published"


def test_a_blocked_host_is_held_even_from_a_subdomain():
    body = '<p>Lihat <a href="https://www.promo.judi-terlarang.example/x">ini</a></p>'
    article = publish(basic_account(), body)
    item = HeldItem.objects.get(article=article)
    assert (item.rule, item.detail) == ("blocked_host", "promo.judi-terlarang.example")


def test_a_host_linked_by_several_new_accounts_is_held(article, settings):
    settings.TRUST_REPEATED_HOST_ACCOUNTS = 3
    settings.TRUST_PROBATION_COMMENTS = 0
    text = "Info lengkap di https://cuan-kilat.com/daftar ya"
    first = post_comment(article, author=basic_account(), body=text + " satu")
    second = post_comment(article, author=basic_account(), body=text + " dua")
    third = post_comment(article, author=basic_account(), body=text + " tiga")
    assert [first.status, second.status] == ["visible", "visible"]
    assert third.status == "held"
    assert HeldItem.objects.get(comment=third).rule == "repeated_host"


def test_the_same_text_from_another_account_is_held(article, settings):
    settings.TRUST_PROBATION_COMMENTS = 0
    text = "Halo semua, kunjungi profil saya untuk info menarik setiap hari"
    assert post_comment(article, author=basic_account(), body=text).status == "visible"
    copy = post_comment(article, author=basic_account(), body=text.upper())
    assert HeldItem.objects.get(comment=copy).rule == "duplicate_text"


def test_a_form_sent_faster_than_a_person_types_is_held(article, settings):
    settings.TRUST_PROBATION_COMMENTS = 0
    comment = post_comment(article, author=basic_account(), body="Komentar kilat", form_seconds=0.4)
    item = HeldItem.objects.get(comment=comment)
    assert item.rule == "too_fast"


def test_a_filled_honeypot_is_held(article, settings):
    settings.TRUST_PROBATION_COMMENTS = 0
    comment = post_comment(
        article, author=basic_account(), body="Komentar biasa", honeypot_filled=True
    )
    assert HeldItem.objects.get(comment=comment).rule == "honeypot"


def test_first_day_comment_cap_refuses_and_changes_nothing(newcomer, article, settings):
    settings.TRUST_FIRST_DAY_CAPS = {"comment": 2, "article": 2}
    post_comment(article, author=newcomer, body="pertama")
    post_comment(article, author=newcomer, body="kedua")
    with pytest.raises(ValidationError) as refused:
        post_comment(article, author=newcomer, body="ketiga")
    assert "hari pertama" in refused.value.messages[0]
    assert Comment.objects.filter(author=newcomer).count() == 2


def test_first_day_article_cap_leaves_the_draft_a_draft(newcomer, settings):
    settings.TRUST_FIRST_DAY_CAPS = {"article": 1}
    publish(newcomer, "<p>Artikel pertama saya.</p>")
    second = draft(newcomer, body="<p>Artikel kedua saya.</p>")
    with pytest.raises(ValidationError):
        publish_article(second, by=newcomer)
    second.refresh_from_db()
    assert second.status == Article.Status.DRAFT


def test_staff_are_never_screened(staff_user):
    article = publish(staff_user, "<p>Contoh spam untuk pelatihan: slot gacor maxwin</p>")
    assert article.status == Article.Status.PUBLISHED


def test_the_rules_are_off_when_screening_is(settings, newcomer):
    settings.TRUST_SCREENING = False
    assert publish(newcomer, "<p>slot gacor</p>").status == Article.Status.PUBLISHED


def test_the_comment_form_carries_the_signals_and_the_view_reads_them(client, article, settings):
    settings.TRUST_PROBATION_COMMENTS = 0
    author = basic_account()
    client.force_login(author)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="ditampilkan"' in page and 'name="situs_web"' in page
    url = reverse("comments:post", args=[article.pk])
    client.post(url, {"body": "Terisi oleh robot", "situs_web": "http://robot.example"})
    assert HeldItem.objects.get(comment__body="Terisi oleh robot").rule == "honeypot"
    cache.clear()  # the flood limit
    client.post(url, {"body": "Kiriman kilat", "ditampilkan": screening.form_stamp()})
    assert HeldItem.objects.get(comment__body="Kiriman kilat").rule == "too_fast"
    cache.clear()
    forged = screening.form_stamp()[:-3] + "abc"
    client.post(url, {"body": "Cap waktu palsu", "ditampilkan": forged})
    assert Comment.objects.get(body="Cap waktu palsu").status == Comment.Status.VISIBLE


def test_first_day_follow_cap_refuses_with_a_message(client, newcomer, settings):
    settings.TRUST_FIRST_DAY_CAPS = {"follow": 1}
    first, second = make_account(username="satu"), make_account(username="dua")
    client.force_login(newcomer)
    client.post(reverse("accounts:follow", args=[first.username]), {"following": "1"})
    response = client.post(
        reverse("accounts:follow", args=[second.username]), {"following": "1"}, follow=True
    )
    assert "hari pertama" in response.content.decode()
    assert list(newcomer.following.values_list("author__username", flat=True)) == ["satu"]


def test_first_day_report_cap_refuses(newcomer, settings):
    from moderation import services as moderation_services

    settings.TRUST_FIRST_DAY_CAPS = {"report": 1}
    articles = [make_article() for _ in range(2)]
    moderation_services.report_article(articles[0], reporter=newcomer, reason="spam", details="")
    with pytest.raises(moderation_services.ReportRateLimited):
        moderation_services.report_article(
            articles[1], reporter=newcomer, reason="spam", details=""
        )


def test_a_trusted_writers_links_lose_nofollow_and_a_new_ones_keep_it(newcomer):
    from trust.services import recompute_level

    writer = make_trusted()
    recompute_level(writer)
    body = '<p><a href="https://contoh.id/">sumber</a></p>'
    assert 'rel="noopener"' in make_article(author=writer, body=body).body_html
    assert 'rel="nofollow ugc noopener"' in make_article(author=newcomer, body=body).body_html
