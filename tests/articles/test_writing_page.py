"""Around the editor: the edit link on the article page (for its author and staff
only, also with the caches on), the draft preview's actions and the reading time."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.authoring_builders import find, text_of
from tests.factories import BROWSER, make_article, make_topic, make_user

pytestmark = pytest.mark.django_db


def edit_links(response, article):
    url = reverse("articles:edit", kwargs={"pk": article.pk})
    return [a for a in find(response, "a") if a.attrs.get("href") == url]


def signed_in(user):
    client = Client(headers={"user-agent": BROWSER})
    client.force_login(user)
    return client


@pytest.fixture
def anonymous():
    return Client(headers={"user-agent": BROWSER})


@pytest.fixture
def caches_on(settings):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True


def test_the_author_finds_an_edit_link_on_their_published_article(writer, article):
    response = signed_in(writer).get(article.get_absolute_url())

    assert response.status_code == 200
    assert text_of(edit_links(response, article)[0]) == "Ubah artikel ini"


def test_staff_find_the_edit_link_too(staff_user, article):
    response = signed_in(staff_user).get(article.get_absolute_url())

    assert len(edit_links(response, article)) == 1


def test_other_readers_get_no_edit_link(anonymous, user, article):
    assert edit_links(anonymous.get(article.get_absolute_url()), article) == []
    assert edit_links(signed_in(user).get(article.get_absolute_url()), article) == []


@pytest.mark.usefixtures("caches_on")
@pytest.mark.parametrize("first", ["author", "staff"])
def test_the_edit_link_never_reaches_another_reader_through_the_caches(
    first, anonymous, writer, staff_user, user, article
):
    editor = writer if first == "author" else staff_user
    urls = [article.get_absolute_url(), article.get_all_pages_url()]
    for url in urls:
        assert edit_links(signed_in(editor).get(url), article)
    for url in urls:
        # Twice: the first answer stores, the second is served from the caches.
        for _attempt in range(2):
            assert edit_links(anonymous.get(url), article) == []
            assert edit_links(signed_in(user).get(url), article) == []
    # And the author still gets theirs after others filled the caches.
    assert edit_links(signed_in(writer).get(urls[0]), article)


@pytest.fixture
def draft(writer):
    return make_article(author=writer, status=Article.Status.DRAFT, title="Catatan belum jadi")


def test_the_draft_preview_offers_continue_editing_and_publish(writer, draft):
    response = signed_in(writer).get(draft.get_absolute_url())

    assert response.status_code == 200
    (preview,) = find(response, "div", class_="preview-actions")
    assert text_of(edit_links(response, draft)[0]) == "Lanjutkan menulis"
    (form,) = [
        form
        for form in find(response, "form")
        if form.attrs.get("action") == reverse("articles:publish", kwargs={"pk": draft.pk})
    ]
    assert preview in form.parents


def test_the_preview_publish_button_publishes(writer, draft):
    response = signed_in(writer).post(reverse("articles:publish", kwargs={"pk": draft.pk}))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_the_draft_preview_has_no_comment_section(writer, staff_user, draft):
    for who in (writer, staff_user):
        response = signed_in(who).get(draft.get_absolute_url())
        assert find(response, "section", class_="comments") == []
        assert find(response, "form", class_="comment-form") == []


def test_a_published_article_keeps_its_comment_section(user, article):
    response = signed_in(user).get(article.get_absolute_url())

    assert len(find(response, "form", class_="comment-form")) == 1


# Reading time --------------------------------------------------------------------------


def words(count):
    return " ".join(["kata"] * count)


def test_the_word_count_is_kept_with_the_body(writer):
    article = make_article(author=writer, body=f"<p>{words(250)}</p><hr><p>{words(150)}</p>")

    assert article.word_count == 400
    assert article.reading_minutes == 2

    article.body = f"<p>{words(401)}</p>"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.word_count == 401
    assert article.reading_minutes == 3


@pytest.mark.parametrize("count, minutes", [(0, 1), (1, 1), (200, 1), (201, 2), (1000, 5)])
def test_reading_time_rounds_up_at_200_words_a_minute(writer, count, minutes):
    article = make_article(author=writer, body=f"<p>{words(count)}</p>")

    assert article.reading_minutes == minutes


def test_the_article_and_its_card_show_the_reading_time(anonymous, writer):
    topic = make_topic("kebijakan")
    article = make_article(author=writer, topic=topic, body=f"<p>{words(900)}</p>")

    (on_page,) = find(anonymous.get(article.get_absolute_url()), "span", class_="reading-time")
    assert text_of(on_page) == "5 menit baca"
    card_meta = find(anonymous.get(topic.get_absolute_url()), "p", class_="card-meta")
    assert "5 menit baca" in text_of(card_meta[0])


def test_the_english_page_states_minutes(anonymous, writer):
    article = make_article(author=writer, body=f"<p>{words(300)}</p>")

    response = anonymous.get("/en" + article.get_absolute_url())

    (on_page,) = find(response, "span", class_="reading-time")
    assert text_of(on_page) == "2 min read"


def test_a_list_page_reads_no_body_for_the_reading_time(
    anonymous, writer, django_assert_max_num_queries
):
    topic = make_topic("kebijakan")
    for _number in range(12):
        make_article(author=make_user(), topic=topic, body=f"<p>{words(500)}</p>")

    with django_assert_max_num_queries(8):
        response = anonymous.get(topic.get_absolute_url())

    assert response.content.decode().count("3 menit baca") == 12


# The editor in Indonesian ----------------------------------------------------------------


def test_the_editor_catalogue_is_indonesian_at_the_root_and_english_under_en(anonymous):
    indonesian = anonymous.get(reverse("articles:editor_catalogue"))
    english = anonymous.get("/en" + reverse("articles:editor_catalogue"))

    assert indonesian.status_code == english.status_code == 200
    assert indonesian["Content-Type"].startswith("text/javascript")
    body = indonesian.content.decode()
    for original, translation in [
        ("bold", "tebal"),
        ("Edit Link", "Ubah tautan"),
        ("Cancel", "Batal"),
    ]:
        assert f'"{original}": "{translation}"' in body
    assert '"tebal"' not in english.content.decode()


def test_the_write_page_loads_the_catalogue_before_the_editor(writer):
    html = signed_in(writer).get(reverse("articles:write")).content.decode()

    catalogue = html.index(reverse("articles:editor_catalogue"))
    editor = html.index("django_prose_editor/")
    assert catalogue < editor
    assert "js/editor-i18n.js" in html
