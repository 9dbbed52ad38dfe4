"""Revisions: every save of a published article, a draft's saves as throttled
checkpoints, bounded storage, a readable escaped diff, restore as a new revision,
the pages' permissions and query counts, and the moderation case."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleRevision
from articles.revisions import ADDED, REMOVED, SAME, compare, diff_words, paragraphs
from tests.authoring_builders import edit_data, find, text_of
from tests.factories import BROWSER, edit_article, make_article
from tests.moderation.builders import make_moderator, report

pytestmark = pytest.mark.django_db

Kind = ArticleRevision.Kind


def signed_in(user):
    client = Client(headers={"user-agent": BROWSER})
    client.force_login(user)
    return client


save = edit_article


def kinds(article):
    return list(
        ArticleRevision.objects.filter(article=article)
        .order_by("created_at", "id")
        .values_list("kind", flat=True)
    )


def age(article, minutes):
    """Make the article's revisions look ``minutes`` older."""
    for revision in ArticleRevision.objects.filter(article=article):
        revision.created_at -= timedelta(minutes=minutes)
        revision.save(update_fields=["created_at"])


@pytest.fixture
def draft(writer):
    return make_article(author=writer, status=Article.Status.DRAFT, title="Draf awal")


# Recording --------------------------------------------------------------------------


def test_every_save_of_a_published_article_is_a_revision(article):
    original = article.body
    save(article, body="<p>Versi dua.</p>")
    save(article, body="<p>Versi tiga.</p>")

    # The text from before revisions existed comes first, dated at publication.
    assert kinds(article) == [Kind.PUBLICATION, Kind.SAVE, Kind.SAVE]
    earliest, second, third = ArticleRevision.objects.filter(article=article).order_by(
        "created_at", "id"
    )
    assert earliest.created_at == article.published_at
    assert earliest.body == original
    assert (second.body, third.body) == ("<p>Versi dua.</p>", "<p>Versi tiga.</p>")
    assert third.created_by == article.author


def test_a_save_that_changes_nothing_is_no_revision(article):
    save(article)

    assert kinds(article) == []


def test_a_drafts_saves_within_ten_minutes_update_one_checkpoint(draft):
    save(draft, body="<p>Satu.</p>")
    save(draft, body="<p>Dua.</p>")
    assert kinds(draft) == [Kind.CHECKPOINT, Kind.CHECKPOINT]  # the earliest, then the window
    assert ArticleRevision.objects.filter(article=draft).first().body == "<p>Dua.</p>"

    age(draft, 11)
    save(draft, body="<p>Tiga.</p>")

    assert kinds(draft) == [Kind.CHECKPOINT] * 3


def test_checkpoints_are_thinned_to_the_newest(monkeypatch, draft):
    monkeypatch.setattr(services, "KEEP_CHECKPOINTS", 3)
    for number in range(6):
        save(draft, body=f"<p>Versi {number}.</p>")
        age(draft, 11)

    bodies = list(ArticleRevision.objects.filter(article=draft).values_list("body", flat=True))
    assert bodies == ["<p>Versi 5.</p>", "<p>Versi 4.</p>", "<p>Versi 3.</p>"]


def test_other_revisions_are_bounded_too(monkeypatch, article):
    monkeypatch.setattr(services, "KEEP_REVISIONS", 4)
    for number in range(7):
        save(article, body=f"<p>Versi {number}.</p>")

    assert ArticleRevision.objects.filter(article=article).count() == 4
    assert ArticleRevision.objects.filter(article=article).first().body == "<p>Versi 6.</p>"


def test_publication_and_correction_are_revisions(writer, draft):
    services.publish_article(draft, by=writer)
    services.correct_article(
        draft,
        by=writer,
        note="Tanggal yang benar 3 Mei.",
        author=writer,
        data={
            "title": draft.title,
            "topic": draft.topic,
            "excerpt": "",
            "body": "<p>Tanggal 3 Mei.</p>",
            "cover_caption": "",
            "cover_credit": "",
        },
        tags=[],
    )

    assert kinds(draft) == [Kind.PUBLICATION, Kind.CORRECTION]


def test_restoring_brings_back_the_text_as_a_new_revision(writer, staff_user, article):
    original_title, original_body = article.title, article.body
    save(article, title="Judul keliru", body="<p>Isi keliru.</p>")
    earliest = ArticleRevision.objects.filter(article=article).last()

    assert services.restore_revision(article, earliest, by=staff_user) is True

    article.refresh_from_db()
    assert (article.title, article.body) == (original_title, original_body)
    assert kinds(article) == [Kind.PUBLICATION, Kind.SAVE, Kind.RESTORE]
    assert ArticleRevision.objects.filter(article=article).first().created_by == staff_user
    # Restoring what the article already reads changes nothing.
    assert services.restore_revision(article, earliest, by=writer) is False
    assert len(kinds(article)) == 3


# The diff ----------------------------------------------------------------------------


def test_paragraphs_are_plain_text_of_the_sanitised_body():
    body = "<p>Satu <b>dua</b>.</p><script>alert(1)</script><h2>Judul</h2><p>&lt;i&gt;</p>"

    assert paragraphs(body) == ["Satu dua.", "Judul", "<i>"]


def test_words_diff_shows_what_went_and_came():
    pieces = diff_words("Anggaran Rp 20 miliar tahun ini", "Anggaran Rp 2 miliar tahun ini")

    assert [(piece.kind, piece.text) for piece in pieces] == [
        (SAME, "Anggaran Rp"),
        (REMOVED, "20"),
        (ADDED, "2"),
        (SAME, "miliar tahun ini"),
    ]


def test_the_body_diff_collapses_unchanged_paragraphs(writer):
    old = ArticleRevision(title="A", body="<p>satu</p><p>dua</p><p>tiga</p><p>empat</p>")
    new = ArticleRevision(title="A", body="<p>satu</p><p>dua</p><p>tiga</p><p>lima</p><p>enam</p>")

    diff = compare(old, new)

    assert not diff.title_changed
    assert [row.kind for row in diff.body] == [SAME, REMOVED, ADDED, ADDED]
    assert diff.body[0].skipped == 3


def test_the_revision_page_shows_the_diff_escaped(writer, article):
    save(article, title="Judul <baru>", body="<p>Isi &lt;script&gt;alert(1)&lt;/script&gt;.</p>")
    newest = ArticleRevision.objects.filter(article=article).first()

    response = signed_in(writer).get(newest.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "<ins>Judul &lt;baru&gt;</ins>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert find(response, "del")  # the old text, struck through


# Pages and permissions --------------------------------------------------------------------


def revisions_url(article):
    return reverse("articles:revisions", kwargs={"pk": article.pk})


def restore_url(revision):
    return reverse(
        "articles:restore_revision", kwargs={"pk": revision.article_id, "revision": revision.pk}
    )


def test_the_author_and_staff_see_the_list(
    writer, staff_user, article, django_assert_max_num_queries
):
    for number in range(25):
        save(article, body=f"<p>Versi {number}.</p>")
    save(article, by=staff_user, body="<p>Disunting redaksi.</p>")

    for who in (writer, staff_user):
        client = signed_in(who)
        with django_assert_max_num_queries(12):
            response = client.get(revisions_url(article))
        assert response.status_code == 200
        rows = find(response, "tr")
        assert len(rows) == 21  # the header and a page of 20
        assert "Redaksi" in text_of(rows[1])


def test_the_revision_page_reads_a_bounded_number_of_queries(
    writer, article, django_assert_max_num_queries
):
    save(article, body="<p>Versi dua.</p>")
    newest = ArticleRevision.objects.filter(article=article).first()
    client = signed_in(writer)

    with django_assert_max_num_queries(10):
        response = client.get(newest.get_absolute_url())

    assert response.status_code == 200


def test_other_users_cannot_see_or_restore_revisions(user, article):
    save(article, body="<p>Versi dua.</p>")
    earliest = ArticleRevision.objects.filter(article=article).last()
    client = signed_in(user)

    assert client.get(revisions_url(article)).status_code == 403
    assert client.get(earliest.get_absolute_url()).status_code == 403
    assert client.post(restore_url(earliest)).status_code == 403
    article.refresh_from_db()
    assert article.body == "<p>Versi dua.</p>"


def test_a_revision_of_another_article_is_404(writer, article):
    other = make_article(author=writer)
    save(other, body="<p>Lain.</p>")
    foreign = ArticleRevision.objects.filter(article=other).first()
    url = reverse("articles:revision", kwargs={"pk": article.pk, "revision": foreign.pk})

    assert signed_in(writer).get(url).status_code == 404
    restore = reverse(
        "articles:restore_revision", kwargs={"pk": article.pk, "revision": foreign.pk}
    )
    assert signed_in(writer).post(restore).status_code == 404


def test_the_author_restores_from_the_revision_page(writer, article):
    client = signed_in(writer)
    original = article.body
    client.post(
        reverse("articles:edit", kwargs={"pk": article.pk}),
        edit_data(article, body="<p>Terhapus tak sengaja.</p>"),
    )
    earliest = ArticleRevision.objects.filter(article=article).last()

    response = client.post(restore_url(earliest))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == original
    assert ArticleRevision.objects.filter(article=article).first().kind == Kind.RESTORE


def test_restore_takes_post_only(writer, article):
    save(article, body="<p>Versi dua.</p>")
    earliest = ArticleRevision.objects.filter(article=article).last()

    assert signed_in(writer).get(restore_url(earliest)).status_code == 405


def test_a_restore_shows_at_once_to_readers_with_the_caches_on(settings, writer, article):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    original = article.body
    save(article, body="<p>Versi yang keliru.</p>")
    anonymous = Client(headers={"user-agent": BROWSER})
    anonymous.get(article.get_absolute_url())
    assert "Versi yang keliru." in anonymous.get(article.get_absolute_url()).content.decode()

    services.restore_revision(
        article, ArticleRevision.objects.filter(article=article).last(), by=writer
    )

    assert original in anonymous.get(article.get_absolute_url()).content.decode()


def test_moderators_see_the_revisions_in_the_case(client, writer, article):
    save(article, body="<p>Versi dua.</p>")
    case = report(article).case
    moderator = make_moderator(username="moderator2")
    client.force_login(moderator)

    response = client.get(reverse("admin:moderation_case_change", args=[case.pk]))

    html = response.content.decode()
    for revision in ArticleRevision.objects.filter(article=article):
        assert f'data-revision="{revision.pk}"' in html
        assert revision.get_absolute_url() in html
    # And the moderator, staff, may open the diff.
    newest = ArticleRevision.objects.filter(article=article).first()
    assert client.get(newest.get_absolute_url()).status_code == 200
