"""The reading pages over HTTP: lists, the article page, access, redirects, languages."""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from articles import viewcounts
from articles.models import Article
from articles.sanitizer import PAGE_BREAK
from articles.services import flush_view_counts
from tests.factories import BROWSER, make_article, make_topic, make_user

PUBLISHED_AT = datetime(2021, 12, 2, 6, 12, tzinfo=UTC)  # 13:12 in Jakarta
UPDATED_AT = datetime(2021, 12, 2, 6, 34, tzinfo=UTC)  # 13:34 in Jakarta
COVER = "covers/2021/12/keamanan.jpg"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


# --- Reading the HTML ------------------------------------------------------------


class _Element:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = dict(attrs)
        self.text = ""

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def __repr__(self):
        return f"<{self.tag} {self.attrs} {self.text.strip()[:40]!r}>"


class _Document(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[_Element] = []
        self._open: list[_Element] = []

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, attrs)
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data):
        for element in self._open:
            element.text += data


# A card's title is an h2 under a page's h1, or an h3 under a section's h2 (home, author).
CARD_TITLES = ("h2", "h3")


def find(response, tag, *, class_=None, **attrs):
    """The elements of a page with this tag (or one of these tags), class and attribute values."""
    tags = (tag,) if isinstance(tag, str) else tag
    document = _Document()
    document.feed(response.content.decode())
    document.close()
    return [
        element
        for element in document.elements
        if element.tag in tags
        and (class_ is None or class_ in element.classes)
        and all(element.attrs.get(name.replace("_", "-")) == value for name, value in attrs.items())
    ]


def text_of(elements):
    return [" ".join(element.text.split()) for element in elements]


def links_to(response, url):
    return find(response, "a", href=url)


def page_language(response):
    return find(response, "html")[0].attrs["lang"]


# --- Data --------------------------------------------------------------------------


@pytest.fixture
def politik(db):
    return make_topic("politik", name="Politik")


@pytest.fixture
def kebijakan(politik):
    return make_topic("kebijakan", name="Kebijakan", parent=politik)


@pytest.fixture
def author(db):
    return make_user(
        username="penulis",
        display_name="Penulis Warga",
        tagline="Menulis tentang kebijakan publik",
        bio="Warga biasa yang suka menulis.",
    )


@pytest.fixture
def reference_article(author, kebijakan):
    """The reference page: a Kebijakan essay, three pages long, updated after publishing."""
    return make_article(
        author=author,
        topic=kebijakan,
        title="Keamanan Data Warga Perlu Dijaga",
        body=PAGE_BREAK.join(
            [
                "<p>Isi halaman pertama.</p>",
                "<p>Isi halaman kedua.</p>",
                "<p>Isi halaman ketiga.</p>",
            ]
        ),
        cover=COVER,
        cover_caption="Keamanan.",
        cover_credit="PIXABAY/Warga",
        tags=["Keamanan Siber", "Data Pribadi"],
        published_at=PUBLISHED_AT,
        updated_at=UPDATED_AT,
        view_count=576,
    )


@pytest.fixture
def related_article(author, kebijakan):
    return make_article(author=make_user(), topic=kebijakan, title="Artikel Kebijakan Lainnya")


def signed_in(client, person):
    client.force_login(person)
    return client


@pytest.fixture(params=["anonymous", "signed_in"])
def reader(request, client, other_user):
    """The same page, read signed out and signed in as someone who is not the author."""
    if request.param == "signed_in":
        client.force_login(other_user)
    return client


# --- Lists ---------------------------------------------------------------------------


def test_home_lists_latest_published_articles(reader, author, politik):
    older = make_article(author=author, topic=politik, title="Tulisan Lama")
    newer = make_article(author=author, topic=politik, title="Tulisan Baru")
    make_article(author=author, topic=politik, title="Masih Draf", status=Article.Status.DRAFT)
    make_article(author=author, topic=politik, title="Disembunyikan", status=Article.Status.HIDDEN)

    response = reader.get(reverse("articles:home"))

    assert response.status_code == 200
    titles = text_of(find(response, CARD_TITLES, class_="card-title"))
    assert titles == [newer.title, older.title]
    content = response.content.decode()
    assert "Masih Draf" not in content
    assert "Disembunyikan" not in content
    assert links_to(response, author.get_absolute_url())


def test_home_shows_headline_picks_and_most_read(reader, politik):
    headline = make_article(topic=politik, title="Berita Utama", is_headline=True)
    pick = make_article(topic=politik, title="Pilihan Redaksi", is_pick=True)
    popular = make_article(topic=politik, title="Paling Banyak Dibaca", view_count=999)

    response = reader.get(reverse("articles:home"))

    assert response.status_code == 200
    for article in (headline, pick, popular):
        assert links_to(response, article.get_absolute_url())
    assert "Berita Utama" in text_of(find(response, "section", class_="headline"))[0]


def test_home_paginates_twelve_a_page(client, politik):
    articles = [make_article(topic=politik) for _ in range(settings.ARTICLES_PER_PAGE + 3)]

    first = client.get(reverse("articles:home"))
    second = client.get(reverse("articles:home"), {"halaman": 2})

    assert len(find(first, CARD_TITLES, class_="card-title")) == settings.ARTICLES_PER_PAGE
    oldest_first = [article.title for article in reversed(articles[:3])]
    assert text_of(find(second, CARD_TITLES, class_="card-title")) == oldest_first
    assert text_of(find(second, "span", aria_current="page")) == ["2"]
    assert find(first, "a", href="?halaman=2")


def test_topic_page_includes_articles_of_child_topics(reader, politik, kebijakan):
    in_child = make_article(topic=kebijakan, title="Di Kebijakan")
    in_parent = make_article(topic=politik, title="Di Politik")
    elsewhere = make_article(topic=make_topic("teknologi"), title="Di Teknologi")

    response = reader.get(reverse("articles:topic", kwargs={"slug": "politik"}))

    assert response.status_code == 200
    titles = text_of(find(response, CARD_TITLES, class_="card-title"))
    assert in_child.title in titles
    assert in_parent.title in titles
    assert elsewhere.title not in titles
    assert find(response, "h1")[0].text.strip() == "Politik"
    assert links_to(response, kebijakan.get_absolute_url())


def test_child_topic_page_lists_only_its_own_articles(reader, politik, kebijakan):
    make_article(topic=politik, title="Di Politik")
    in_child = make_article(topic=kebijakan, title="Di Kebijakan")

    response = reader.get(reverse("articles:topic", kwargs={"slug": "kebijakan"}))

    assert response.status_code == 200
    assert text_of(find(response, CARD_TITLES, class_="card-title")) == [in_child.title]
    assert links_to(response, politik.get_absolute_url())


def test_tag_page_lists_published_articles_with_the_tag(reader, politik):
    tagged = make_article(topic=politik, title="Bertanda", tags=["Pemilu"])
    make_article(topic=politik, title="Tanpa Tanda", tags=["Ekonomi"])
    make_article(topic=politik, title="Draf Bertanda", tags=["Pemilu"], status="draft")

    response = reader.get(reverse("articles:tag", kwargs={"slug": "pemilu"}))

    assert response.status_code == 200
    assert text_of(find(response, CARD_TITLES, class_="card-title")) == [tagged.title]
    assert "#Pemilu" in text_of(find(response, "h1"))


def test_a_later_page_of_a_section_lists_the_next_articles_newest_first(reader, politik):
    """Past page 1 the list reads the page's keys first (core.pagination)."""
    kebijakan = make_topic("kebijakan", parent=politik)
    articles = [make_article(topic=(politik, kebijakan)[n % 2]) for n in range(30)]
    make_article(topic=politik, status="draft")
    newest_first = [article.title for article in reversed(articles)]

    pages = [
        text_of(find(reader.get(f"{politik.get_absolute_url()}?halaman={n}"), CARD_TITLES,
                     class_="card-title"))
        for n in (1, 2, 3)
    ]  # fmt: skip

    assert pages == [newest_first[:12], newest_first[12:24], newest_first[24:]]


def test_a_tag_lists_its_newest_articles_on_a_capped_number_of_pages(reader, politik, monkeypatch):
    monkeypatch.setattr("articles.views.TAG_PAGES", 2)
    for _ in range(30):
        make_article(topic=politik, tags=["pemilu"])
    url = reverse("articles:tag", kwargs={"slug": "pemilu"})

    first, last = reader.get(url), reader.get(f"{url}?halaman=2")

    assert len(find(last, CARD_TITLES, class_="card-title")) == 12
    assert "Search</a> to find older ones" not in first.content.decode()
    assert reverse("search:search") in last.content.decode()
    assert "older" in last.content.decode() or "lebih lama" in last.content.decode()
    assert reader.get(f"{url}?halaman=3").status_code == 404


@pytest.mark.parametrize(("articles", "capped"), [(24, False), (25, True)])
def test_a_capped_tag_counts_no_further_than_one_article_past_its_pages(
    reader, politik, monkeypatch, articles, capped
):
    monkeypatch.setattr("articles.views.TAG_PAGES", 2)
    for _ in range(articles):
        make_article(topic=politik, tags=["pilkada"])
    url = reverse("articles:tag", kwargs={"slug": "pilkada"})

    with CaptureQueriesContext(connection) as queries:
        last = reader.get(f"{url}?halaman=2").content.decode()

    [count] = [
        q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "article" in q["sql"]
    ]
    assert "LIMIT 25" in count  # two pages of 12, and one more to know there are more
    assert ("list-end" in last) is capped  # "only the newest are listed: search"


def test_author_page_lists_their_published_articles(reader, author, politik):
    own = make_article(author=author, topic=politik, title="Tulisan Sendiri")
    make_article(author=author, topic=politik, title="Draf Sendiri", status="draft")
    make_article(topic=politik, title="Tulisan Orang Lain")

    response = reader.get(reverse("articles:author", kwargs={"username": author.username}))

    assert response.status_code == 200
    assert text_of(find(response, CARD_TITLES, class_="card-title")) == [own.title]
    content = response.content.decode()
    assert "Penulis Warga" in content
    assert "Menulis tentang kebijakan publik" in content
    assert "Draf Sendiri" not in content


def test_author_page_of_an_inactive_user_is_404(client, author):
    author.is_active = False
    author.save(update_fields=["is_active"])
    response = client.get(reverse("articles:author", kwargs={"username": author.username}))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("articles:topic", {"slug": "tidak-ada"}),
        ("articles:tag", {"slug": "tidak-ada"}),
        ("articles:author", {"username": "tidak-ada"}),
        ("articles:detail", {"pk": 999999, "slug": "tidak-ada"}),
        ("articles:page", {"pk": 999999, "slug": "tidak-ada", "page": 2}),
        ("articles:all_pages", {"pk": 999999, "slug": "tidak-ada"}),
        ("articles:detail", {"pk": 10**20, "slug": "terlalu-besar"}),
    ],
)
def test_unknown_object_is_404(client, db, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 404


LIST_PAGES = [
    ("articles:home", {}),
    ("articles:topic", {"slug": "politik"}),
    ("articles:tag", {"slug": "pemilu"}),
    ("articles:author", {"username": "penulis"}),
]


@pytest.mark.parametrize(("name", "kwargs"), LIST_PAGES)
@pytest.mark.parametrize("number", ["abc", "0", "-1", "999", "1.5", "", "2"])
def test_a_list_page_that_does_not_exist_is_404(client, author, politik, name, kwargs, number):
    # Five articles fit on one page, so page 2 does not exist either.
    for _ in range(5):
        make_article(author=author, topic=politik, tags=["Pemilu"])
    response = client.get(reverse(name, kwargs=kwargs), {"halaman": number})
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), LIST_PAGES)
def test_an_empty_list_still_has_its_first_page(client, author, politik, name, kwargs):
    make_article(author=author, topic=politik, tags=["Pemilu"], status="draft")
    response = client.get(reverse(name, kwargs=kwargs), {"halaman": 1})
    assert response.status_code == 200
    assert not find(response, CARD_TITLES, class_="card-title")


# --- The article page ----------------------------------------------------------------


def test_article_page_shows_every_part_of_the_reference_page(
    reader, reference_article, related_article, kebijakan, politik
):
    article = reference_article

    response = reader.get(article.get_absolute_url())

    assert response.status_code == 200
    assert text_of(find(response, "h1")) == [article.title]
    topic_links = text_of(links_to(response, kebijakan.get_absolute_url()))
    assert "Kebijakan" in topic_links
    # "Lihat Konten Kebijakan Selengkapnya": a second link to the topic.
    assert len(topic_links) >= 2
    assert links_to(response, politik.get_absolute_url())
    assert "2 Desember 2021 13:12" in text_of(find(response, "time"))
    assert find(response, "time", datetime="2021-12-02T13:12:00+07:00")
    assert re.search(r"\b576\b", text_of(find(response, "span", class_="views"))[0])
    assert "Penulis Warga" in text_of(links_to(response, article.author.get_absolute_url()))
    # The disclaimer: the content is the blogger's responsibility.
    assert settings.SITE_NAME in text_of(find(response, "p", class_="disclaimer"))[0]
    # Cover, caption, credit and "Lihat foto" opening it full size.
    cover_url = settings.MEDIA_URL + COVER
    assert find(response, "img", src=cover_url)
    assert text_of(links_to(response, cover_url)) == ["Lihat foto"]
    caption = text_of(find(response, "figcaption"))[0]
    assert "Keamanan." in caption
    assert "PIXABAY/Warga" in caption
    # Tags link to their tag pages.
    assert text_of(links_to(response, reverse("articles:tag", args=["keamanan-siber"]))) == [
        "#Keamanan Siber"
    ]
    assert links_to(response, reverse("articles:tag", args=["data-pribadi"]))
    # Related articles of the same topic.
    assert text_of(links_to(response, related_article.get_absolute_url())) == [
        related_article.title
    ]
    # Report links, and the comment section under the article.
    assert links_to(response, reverse("moderation:report_article", args=[article.pk]))
    assert links_to(response, reverse("moderation:report_account", args=["penulis"]))
    assert find(response, "section", id="komentar")


def body_text(response):
    return text_of(find(response, "div", class_="article-body"))[0]


def test_article_page_shows_only_its_page_of_the_body(reader, reference_article):
    response = reader.get(reference_article.get_absolute_url())

    content = body_text(response)
    assert "Isi halaman pertama." in content
    assert "Isi halaman kedua." not in content
    assert "Isi halaman ketiga." not in content


def test_article_page_links_every_page_and_marks_the_current_one(reader, reference_article):
    article = reference_article

    response = reader.get(article.get_absolute_url())

    nav = find(response, "nav", class_="article-pages")
    assert len(nav) == 1
    assert re.match(r"HALAMAN\s*:", text_of(nav)[0])
    assert text_of(find(response, "span", aria_current="page")) == ["1"]
    assert text_of(links_to(response, article.get_page_url(2))) == ["2"]
    assert text_of(links_to(response, article.get_page_url(3))) == ["3"]
    assert links_to(response, article.get_all_pages_url())


def test_later_page_shows_its_part_and_links_back_to_the_first(reader, reference_article):
    article = reference_article

    response = reader.get(article.get_page_url(2))

    assert response.status_code == 200
    content = body_text(response)
    assert "Isi halaman kedua." in content
    assert "Isi halaman pertama." not in content
    assert text_of(find(response, "span", aria_current="page")) == ["2"]
    assert text_of(links_to(response, article.get_absolute_url())) == ["1"]
    assert text_of(links_to(response, article.get_page_url(3))) == ["3"]


def test_show_all_renders_every_page(reader, reference_article):
    article = reference_article

    response = reader.get(article.get_all_pages_url())

    assert response.status_code == 200
    content = body_text(response)
    for part in ("pertama", "kedua", "ketiga"):
        assert f"Isi halaman {part}." in content
    assert PAGE_BREAK not in response.content.decode()
    current = find(response, "span", aria_current="page")
    assert len(current) == 1
    assert "show-all" in current[0].classes
    assert text_of(links_to(response, article.get_absolute_url())) == ["1"]


def test_one_page_article_has_no_page_links(client, politik):
    article = make_article(topic=politik, body="<p>Pendek saja.</p>")

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert not find(response, "nav", class_="article-pages")
    assert client.get(article.get_all_pages_url()).status_code == 200
    assert (
        client.get(reverse("articles:page", args=[article.pk, article.slug, 2])).status_code == 404
    )


def test_updated_time_shows_only_when_changed_after_publishing(client, reference_article):
    response = client.get(reference_article.get_absolute_url())
    assert find(response, "time", datetime="2021-12-02T13:34:00+07:00")
    assert "2 Desember 2021 13:34" in text_of(find(response, "time"))
    assert "Diperbarui:" in text_of(find(response, "div", class_="article-meta"))[0]

    reference_article.updated_at = None
    reference_article.save(update_fields=["updated_at"])
    response = client.get(reference_article.get_absolute_url())
    assert find(response, "time", datetime="2021-12-02T13:12:00+07:00")
    assert len(find(response, "time")) == 1
    content = response.content.decode()
    assert "Diperbarui" not in content
    assert "Updated:" not in content


def test_english_page_labels_the_updated_time_pages_and_photo_in_english(client, reference_article):
    with translation.override("en"):
        url = reference_article.get_absolute_url()

    response = client.get(url)

    assert "Updated:" in text_of(find(response, "div", class_="article-meta"))[0]
    assert re.match(r"PAGE\s*:", text_of(find(response, "nav", class_="article-pages"))[0])
    assert text_of(links_to(response, settings.MEDIA_URL + COVER)) == ["View photo"]
    content = response.content.decode()
    assert "Diperbarui" not in content
    assert "HALAMAN" not in content


def test_updated_time_equal_to_published_time_is_not_shown(client, politik):
    article = make_article(topic=politik, published_at=PUBLISHED_AT, updated_at=PUBLISHED_AT)
    response = client.get(article.get_absolute_url())
    assert len(find(response, "time")) == 1


def test_wrong_slug_redirects_permanently_to_the_canonical_url(client, reference_article):
    article = reference_article
    kwargs = {"pk": article.pk, "slug": "judul-lama"}

    detail = client.get(reverse("articles:detail", kwargs=kwargs))
    page = client.get(reverse("articles:page", kwargs={**kwargs, "page": 3}))
    all_pages = client.get(reverse("articles:all_pages", kwargs=kwargs))

    assert (detail.status_code, detail["Location"]) == (301, article.get_absolute_url())
    assert (page.status_code, page["Location"]) == (301, article.get_page_url(3))
    assert (all_pages.status_code, all_pages["Location"]) == (301, article.get_all_pages_url())


def test_page_one_redirects_permanently_to_the_article_url(client, reference_article):
    article = reference_article
    response = client.get(reverse("articles:page", args=[article.pk, article.slug, 1]))
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize("number", [0, 4, 99])
def test_page_that_does_not_exist_is_404(client, reference_article, number):
    article = reference_article
    response = client.get(reverse("articles:page", args=[article.pk, article.slug, number]))
    assert response.status_code == 404


# --- Who sees what ---------------------------------------------------------------------


@pytest.fixture
def draft(author, politik):
    return make_article(
        author=author, topic=politik, title="Draf Rahasia", status=Article.Status.DRAFT
    )


@pytest.mark.parametrize("view", ["articles:detail", "articles:all_pages"])
def test_draft_is_404_for_anonymous_readers(client, draft, view):
    response = client.get(reverse(view, args=[draft.pk, draft.slug]))
    assert response.status_code == 404


def test_draft_is_404_for_other_users(client, draft, other_user):
    signed_in(client, other_user)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_all_pages_url()).status_code == 404


def test_draft_is_shown_to_its_author(client, draft, author):
    response = signed_in(client, author).get(draft.get_absolute_url())
    assert response.status_code == 200
    assert text_of(find(response, "h1")) == ["Draf Rahasia"]
    assert find(response, "meta", name="robots", content="noindex")


def test_draft_is_shown_to_staff(client, draft, staff_user):
    response = signed_in(client, staff_user).get(draft.get_absolute_url())
    assert response.status_code == 200
    assert text_of(find(response, "h1")) == ["Draf Rahasia"]


@pytest.fixture
def hidden(author, politik):
    return make_article(
        author=author,
        topic=politik,
        title="Artikel Disembunyikan",
        body="<p>Isi yang dilaporkan.</p>",
        status=Article.Status.HIDDEN,
    )


def test_hidden_article_shows_the_notice_with_410_to_the_public(reader, hidden):
    response = reader.get(hidden.get_absolute_url())

    assert response.status_code == 410
    content = response.content.decode()
    assert "Isi yang dilaporkan." not in content
    assert find(response, "section", class_="notice-page")
    assert find(response, "meta", name="robots", content="noindex")
    hidden.refresh_from_db()
    assert hidden.view_count == 0


def test_hidden_article_is_shown_to_its_author(client, hidden, author):
    response = signed_in(client, author).get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert "Isi yang dilaporkan." in response.content.decode()


def test_hidden_article_is_shown_to_staff(client, hidden, staff_user):
    response = signed_in(client, staff_user).get(hidden.get_all_pages_url())
    assert response.status_code == 200
    assert "Isi yang dilaporkan." in response.content.decode()


@pytest.fixture
def deleted(author, politik):
    return make_article(
        author=author, topic=politik, title="Sudah Dihapus", status=Article.Status.DELETED
    )


@pytest.mark.parametrize("who", ["anonymous", "author", "staff"])
@pytest.mark.parametrize("view", ["articles:detail", "articles:all_pages"])
def test_deleted_article_is_404_for_everyone(client, deleted, author, staff_user, who, view):
    if who != "anonymous":
        signed_in(client, author if who == "author" else staff_user)
    response = client.get(reverse(view, args=[deleted.pk, deleted.slug]))
    assert response.status_code == 404


def test_unpublished_articles_are_left_out_of_every_list(client, hidden, draft, deleted, politik):
    make_article(author=hidden.author, topic=politik, title="Terbit", tags=["Pemilu"])
    for article in (hidden, draft, deleted):
        article.tags.add("Pemilu")
    for name, kwargs in LIST_PAGES:
        content = client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert "Terbit" in content
        assert "Artikel Disembunyikan" not in content
        assert "Draf Rahasia" not in content
        assert "Sudah Dihapus" not in content


def test_related_articles_leave_out_the_article_itself_and_unpublished_ones(
    client, reference_article, related_article, kebijakan
):
    make_article(topic=kebijakan, title="Draf Terkait", status="draft")
    make_article(topic=kebijakan, title="Tersembunyi Terkait", status="hidden")

    response = client.get(reference_article.get_absolute_url())

    related = text_of(find(response, "ul", class_="compact-list"))[0]
    assert related_article.title in related
    assert reference_article.title not in related
    assert "Draf Terkait" not in related
    assert "Tersembunyi Terkait" not in related


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        *LIST_PAGES,
        ("articles:detail", None),
        ("articles:page", None),
        ("articles:all_pages", None),
    ],
)
def test_post_to_a_read_only_page_is_405(client, reference_article, name, kwargs):
    if kwargs is None:
        kwargs = {"pk": reference_article.pk, "slug": reference_article.slug}
        if name == "articles:page":
            kwargs["page"] = 2
    response = client.post(reverse(name, kwargs=kwargs))
    assert response.status_code == 405
    reference_article.refresh_from_db()
    assert reference_article.view_count == 576


# --- Escaping ------------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script>'


def test_hostile_fields_are_escaped_on_the_article_page(client, politik):
    person = make_user(display_name=f"{HOSTILE} Nama", tagline=HOSTILE, bio=HOSTILE)
    article = make_article(
        author=person,
        topic=politik,
        title=f"{HOSTILE} Judul",
        excerpt=f"{HOSTILE} ringkasan",
        body=f"<p>Isi</p>{HOSTILE}",
        cover=COVER,
        cover_caption=f"{HOSTILE} keterangan",
        cover_credit=f"{HOSTILE} sumber",
        tags=[f"{HOSTILE}"],
    )

    content = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Judul" in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; keterangan" in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; sumber" in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Nama" in content


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("articles:home", {}),
        ("articles:topic", {"slug": "politik"}),
        ("articles:tag", {"slug": "pemilu"}),
        ("articles:author", None),
    ],
)
def test_hostile_fields_are_escaped_on_list_cards(client, politik, name, kwargs):
    person = make_user(display_name=f"{HOSTILE} Nama")
    make_article(
        author=person,
        topic=politik,
        title=f"{HOSTILE} Judul",
        excerpt=f"{HOSTILE} ringkasan",
        tags=["Pemilu"],
        is_pick=True,
    )
    kwargs = {"username": person.username} if kwargs is None else kwargs

    content = client.get(reverse(name, kwargs=kwargs)).content.decode()

    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Judul" in content


# --- Languages and dates -----------------------------------------------------------------


def test_indonesian_pages_are_at_the_root_with_lang_id(client, reference_article):
    response = client.get(reference_article.get_absolute_url(), headers={"accept-language": "en"})
    assert response.status_code == 200
    assert page_language(response) == "id"


def test_english_pages_are_under_en_with_lang_en(client, reference_article):
    with translation.override("en"):
        url = reference_article.get_absolute_url()
    assert url.startswith("/en/")

    response = client.get(url)

    assert response.status_code == 200
    assert page_language(response) == "en"


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("articles:home", {}), ("articles:topic", {"slug": "kebijakan"})],
)
def test_english_list_pages_render_with_lang_en(client, reference_article, name, kwargs):
    with translation.override("en"):
        url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 200
    assert page_language(response) == "en"


def test_published_time_reads_in_indonesian_in_jakarta_time(client, reference_article):
    response = client.get(reference_article.get_absolute_url())
    assert "2 Desember 2021 13:12" in text_of(find(response, "time"))


def test_published_time_reads_in_english_on_the_english_page(client, reference_article):
    with translation.override("en"):
        url = reference_article.get_absolute_url()
    response = client.get(url)
    assert "2 December 2021 13:12" in text_of(find(response, "time"))


def test_list_cards_use_the_same_date_format(client, reference_article):
    response = client.get(reverse("articles:topic", kwargs={"slug": "kebijakan"}))
    assert "2 Desember 2021 13:12" in text_of(find(response, "time"))


# --- View counting through the page ---------------------------------------------------------


def test_reading_the_article_counts_one_view_per_reader(client, reference_article, other_user):
    url = reference_article.get_absolute_url()
    browser = {"user-agent": BROWSER}

    client.get(url, headers=browser)
    client.get(url, headers=browser)
    client.get(reference_article.get_page_url(2), headers=browser)
    flush_view_counts()  # with Redis, views reach the database in batches
    reference_article.refresh_from_db()
    assert reference_article.view_count == 577

    signed_in(client, other_user).get(url, headers=browser)
    flush_view_counts()
    reference_article.refresh_from_db()
    assert reference_article.view_count == 578


def test_the_author_reading_their_own_article_does_not_count(client, reference_article, author):
    signed_in(client, author).get(
        reference_article.get_absolute_url(), headers={"user-agent": BROWSER}
    )
    reference_article.refresh_from_db()
    assert reference_article.view_count == 576


def test_staff_reading_a_draft_does_not_count(client, draft, staff_user):
    signed_in(client, staff_user).get(draft.get_absolute_url(), headers={"user-agent": BROWSER})
    draft.refresh_from_db()
    assert draft.view_count == 0


def test_a_page_that_does_not_exist_does_not_count(client, reference_article):
    url = reverse("articles:page", args=[reference_article.pk, reference_article.slug, 9])
    assert client.get(url, headers={"user-agent": BROWSER}).status_code == 404
    reference_article.refresh_from_db()
    assert reference_article.view_count == 576


# --- Query counts ------------------------------------------------------------------------------


def build_catalogue(count, *, authors=10):
    """Articles by several authors across parent and child topics, with tags and covers.

    Every other article belongs to the first author, so the author page has more
    than one page too. Returns the first author and one article with everything.
    """
    politik = make_topic("politik", name="Politik")
    topics = [
        politik,
        make_topic("kebijakan", name="Kebijakan", parent=politik),
        make_topic("hukum", name="Hukum", parent=politik),
        make_topic("teknologi", name="Teknologi"),
    ]
    people = [make_user(username=f"penulis{i}") for i in range(authors)]
    add_articles(count, people=people, topics=topics)
    return people, topics


def add_articles(count, *, people, topics):
    start = Article.objects.count()
    for i in range(start, start + count):
        make_article(
            author=people[0] if i % 2 == 0 else people[i % len(people)],
            topic=topics[i % len(topics)],
            tags=["Pemilu", f"Tema {i % 3}"],
            cover=f"covers/2021/12/{i}.jpg" if i % 2 else "",
            is_pick=i % 5 == 0,
            is_headline=i % 7 == 0,
            view_count=i,
        )


def page_urls(people):
    # The article page: a Kebijakan article (topic with a parent) with tags,
    # a cover and related articles.
    # The newest row, so a second measurement visits an article not yet counted.
    article = Article.objects.filter(topic__slug="kebijakan").order_by("-pk").first()
    return {
        "home": reverse("articles:home"),
        "home page 2": reverse("articles:home") + "?halaman=2",
        "topic": reverse("articles:topic", kwargs={"slug": "politik"}),
        "tag": reverse("articles:tag", kwargs={"slug": "pemilu"}),
        "author": reverse("articles:author", kwargs={"username": people[0].username}),
        "article": article.get_absolute_url(),
    }


# Pinned query counts per page, (signed out, signed in). Signed in adds one
# query for the user (the session comes from the cache), one for the header's
# notification bell (the unread count), and on the author and article pages
# one more for "do I follow this author"; on the article page one more for
# "have I saved it" (Bacaan Saya).
#
# home:        count + page of cards (author and topic joined) + headline
#              + editor's picks + most read + header topics                 = 6
# home page 2: the same (the headline is looked up to leave it out of the list) = 6
# topic:       topic (parent joined) + count + page + child topics
#              + header topics                                              = 5
# tag:         tag + count + page + header topics                           = 4
# author:      person + count + page + follower count + header topics
#              + the newest corrections (Ralat) of the author's articles    = 6
# article:     article (author, topic, parent joined) + its tags
#              + its corrections (Ralat)
#              + the view count UPDATE + related articles + header topics
#              + the ratings per label (one GROUP BY, the reader's own too)
#              + the count of comment threads (no comments here, so the
#              threads page and their replies are never fetched)            = 8
#              + federation's fediverse:creator: the author's fediverse
#              choice (only while the head fragment is built)               = 9
#              + federation's likes and boosts (one GROUP BY, only while the
#              article fragment is built)                                   = 10
QUERIES = {
    "home": (6, 8),
    "home page 2": (6, 8),
    "topic": (5, 7),
    "tag": (4, 6),
    "author": (7, 10),
    "article": (11, 15),
}


@pytest.fixture
def catalogue(db):
    # 30 articles by 10 authors: three list pages, enough for an N+1 to show.
    return build_catalogue(30)


@pytest.mark.parametrize("page", QUERIES)
@pytest.mark.parametrize("is_signed_in", [False, True], ids=["signed_out", "signed_in"])
def test_page_query_count_is_pinned(
    client, catalogue, other_user, django_assert_max_num_queries, page, is_signed_in
):
    people, _ = catalogue
    if is_signed_in:
        client.force_login(other_user)
    url = page_urls(people)[page]

    with django_assert_max_num_queries(QUERIES[page][is_signed_in]):
        response = client.get(url, headers={"user-agent": BROWSER})

    assert response.status_code == 200


@pytest.mark.parametrize("is_signed_in", [False, True], ids=["signed_out", "signed_in"])
def test_query_counts_do_not_grow_with_the_data(client, db, other_user, is_signed_in):
    if is_signed_in:
        client.force_login(other_user)

    def measure(people):
        counts = {}
        for page, url in page_urls(people).items():
            if page == "home page 2":
                continue  # five articles have no second page
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, headers={"user-agent": BROWSER})
            assert response.status_code == 200, page
            counts[page] = len(queries)
        return counts

    people, topics = build_catalogue(5, authors=3)
    small = measure(people)
    add_articles(35, people=people, topics=topics)
    large = measure(people)

    assert Article.objects.count() == 40
    assert small == large
    expected = {
        page: counts[is_signed_in] for page, counts in QUERIES.items() if page != "home page 2"
    }
    if viewcounts.is_buffered():
        expected["article"] -= 1  # the view goes to Redis, not an UPDATE
    assert small == expected


def test_counts_are_grouped_the_same_way_everywhere_in_each_language(client, db):
    from tests.factories import make_article

    article = make_article(title="Pasar malam kembali ramai")
    Article.objects.filter(pk=article.pk).update(view_count=2012, comment_count=1500)

    home = client.get("/").content.decode()
    page = client.get(article.get_absolute_url()).content.decode()
    english = client.get("/en/").content.decode()

    assert "2.012 kali dibaca" in home and "2012 kali" not in home
    assert "Dibaca 2.012 kali" in page
    assert "1.500 komentar" in page
    assert "2,012 views" in english
