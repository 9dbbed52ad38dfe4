from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from articles.models import TEASER_CHARS, Article, Topic
from articles.sanitizer import PAGE_BREAK
from articles.services import save_topic
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db


def test_save_fills_body_html_with_the_sanitised_body():
    article = make_article(body='<p onclick="x()">Halo</p><script>alert(1)</script>')
    article.refresh_from_db()
    assert article.body_html == "<p>Halo</p>"
    assert article.body == '<p onclick="x()">Halo</p><script>alert(1)</script>'


def test_save_cleans_again_after_an_edit():
    article = make_article(body="<p>Awal</p>")
    article.body = "<p>Ubah</p><img src=x onerror=alert(1)>"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body_html == "<p>Ubah</p>"  # an image the site did not store is dropped
    assert article.teaser == "Ubah"


def test_teaser_comes_from_the_excerpt_when_there_is_one():
    article = make_article(excerpt="Ringkasan <b>singkat</b>.", body="<p>Isi panjang.</p>")
    assert article.teaser == "Ringkasan singkat."


def test_teaser_falls_back_to_the_body_text():
    article = make_article(excerpt="", body="<h2>Judul</h2>\n<p>Isi   pertama.</p>")
    assert article.teaser == "Judul Isi pertama."


def test_teaser_is_truncated():
    article = make_article(excerpt="", body="<p>" + "kata " * 200 + "</p>")
    assert len(article.teaser) <= TEASER_CHARS
    assert article.teaser.endswith("…")
    assert article.teaser.startswith("kata kata")


def test_teaser_never_carries_script_text_from_the_body():
    article = make_article(excerpt="", body="<script>alert(1)</script><p>Isi.</p>")
    assert article.teaser == "Isi."


def test_slug_comes_from_the_title():
    assert make_article(title="Keamanan Data Warga, Perlu!").slug == "keamanan-data-warga-perlu"


def test_slug_falls_back_when_the_title_has_no_letters():
    assert make_article(title="!!! ???").slug == "artikel"


def test_slug_follows_the_title_while_the_article_is_a_draft():
    article = make_article(title="Judul Pertama", status=Article.Status.DRAFT)
    article.title = "Judul Kedua"
    article.save()
    assert article.slug == "judul-kedua"


def test_slug_is_kept_when_a_published_title_changes():
    article = make_article(title="Judul Pertama")
    article.title = "Judul Kedua"
    article.save()
    assert article.slug == "judul-pertama"


def test_long_title_gives_a_slug_that_fits():
    article = make_article(title="kata " * 40)
    assert len(article.slug) <= 200


def test_urls_carry_the_key_and_the_slug():
    article = make_article(title="Judul")
    assert article.get_absolute_url() == f"/artikel/{article.pk}/judul/"
    assert article.get_page_url(1) == article.get_absolute_url()
    assert article.get_page_url(3) == f"/artikel/{article.pk}/judul/halaman/3/"
    assert article.get_all_pages_url() == f"/artikel/{article.pk}/judul/semua/"


def test_pages_split_the_sanitised_body_at_markers():
    article = make_article(body=f"<p>Satu</p>{PAGE_BREAK}<p>Dua</p><script>x</script>")
    assert article.pages() == ["<p>Satu</p>", "<p>Dua</p>"]


def test_unknown_status_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(status="bogus")


def test_published_article_needs_a_published_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(status=Article.Status.PUBLISHED, published_at=None)


def test_hidden_article_needs_a_published_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(status=Article.Status.HIDDEN, published_at=None)


def test_draft_needs_no_published_time():
    assert make_article(status=Article.Status.DRAFT).published_at is None


def test_was_updated_only_when_changed_after_publishing():
    now = timezone.now()
    assert not make_article(published_at=now, updated_at=None).was_updated
    assert not make_article(published_at=now, updated_at=now).was_updated
    assert make_article(published_at=now, updated_at=now + timedelta(minutes=1)).was_updated


def test_only_published_articles_are_public():
    assert make_article().is_public
    assert not make_article(status=Article.Status.DRAFT).is_public
    assert not make_article(status=Article.Status.HIDDEN).is_public


def test_published_queryset_leaves_out_drafts_and_hidden():
    published = make_article()
    make_article(status=Article.Status.DRAFT)
    make_article(status=Article.Status.HIDDEN)
    assert list(Article.objects.published()) == [published]


def test_in_topic_includes_direct_child_topics():
    politik = make_topic("politik")
    kebijakan = make_topic("kebijakan", parent=politik)
    mine = make_article(topic=politik)
    child = make_article(topic=kebijakan)
    make_article(topic=make_topic("teknologi"))
    assert set(Article.objects.in_topic(politik)) == {mine, child}
    assert set(Article.objects.in_topic(kebijakan)) == {child}


def test_newest_first_orders_by_published_time():
    older = make_article()
    newer = make_article()
    assert list(Article.objects.newest_first()) == [newer, older]


def test_topic_url_and_name():
    topic = make_topic("kebijakan", name="Kebijakan")
    assert str(topic) == "Kebijakan"
    assert topic.get_absolute_url() == "/topik/kebijakan/"


def test_topic_with_articles_cannot_be_deleted():
    topic = make_topic()
    make_article(topic=topic)
    with pytest.raises(ProtectedError), transaction.atomic():
        topic.delete()
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_author_with_articles_cannot_be_deleted():
    author = make_user()
    make_article(author=author)
    with pytest.raises(ProtectedError), transaction.atomic():
        author.delete()


def test_tags_attach_to_articles():
    article = make_article(tags=["Keamanan Siber", "Pemilu"])
    assert sorted(article.tags.values_list("slug", flat=True)) == ["keamanan-siber", "pemilu"]


# Sections: the top-level topic each article stores for the topic pages' index


def test_an_article_stores_its_topics_section_and_follows_a_change_of_topic():
    politik = make_topic("politik-uji")
    kebijakan = make_topic("kebijakan-uji", parent=politik)
    hiburan = make_topic("hiburan-uji")
    article = make_article(topic=kebijakan)
    assert Article.objects.get(pk=article.pk).section_id == politik.pk

    article.topic = hiburan
    article.save(update_fields=["topic"])

    assert Article.objects.get(pk=article.pk).section_id == hiburan.pk


def test_a_section_lists_its_own_and_its_subtopics_articles_and_a_subtopic_only_its_own():
    politik = make_topic("politik-uji")
    kebijakan = make_topic("kebijakan-uji", parent=politik)
    on_section = make_article(topic=politik)
    on_subtopic = make_article(topic=kebijakan)
    elsewhere = make_article(topic=make_topic("hiburan-uji"))

    assert set(Article.objects.in_topic(politik)) == {on_section, on_subtopic}
    assert set(Article.objects.in_topic(kebijakan)) == {on_subtopic}
    assert elsewhere not in Article.objects.in_topic(politik)


def test_a_topic_moved_to_another_section_takes_its_articles_along():
    politik = make_topic("politik-uji")
    ekonomi = make_topic("ekonomi-uji")
    pajak = make_topic("pajak-uji", parent=politik)
    article = make_article(topic=pajak)

    pajak.parent = ekonomi
    save_topic(pajak)

    assert list(Article.objects.in_topic(ekonomi)) == [article]
    assert not Article.objects.in_topic(politik).exists()
    pajak.parent = None
    save_topic(pajak)
    assert Article.objects.get(pk=article.pk).section_id == pajak.pk


def test_topics_have_two_levels():
    politik = make_topic("politik-uji")
    kebijakan = make_topic("kebijakan-uji", parent=politik)

    with pytest.raises(ValidationError) as third_level:
        Topic(name="Pajak", slug="pajak-uji", parent=kebijakan).full_clean()
    politik.parent = make_topic("hiburan-uji")
    with pytest.raises(ValidationError) as with_children:
        politik.full_clean()

    assert "dua tingkat" in str(third_level.value)  # the site speaks Indonesian first
    assert "subtopik" in str(with_children.value)
