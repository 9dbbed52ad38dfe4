"""Feeds, sitemaps, robots.txt and share metadata."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.contrib.sites.models import Site
from django.urls import reverse

from articles.models import Article
from core import origin
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def published():
    author = make_user(username="penulis", display_name="Penulis <b>Satu</b>")
    topic = make_topic(name="Kebijakan Uji", slug="kebijakan-uji")
    return make_article(
        author=author,
        topic=topic,
        title='Judul "kutip" & <script>alert(1)</script>',
        body="<p>Halaman pertama.</p><hr><p>Halaman kedua rahasia.</p>",
        tags=["pendidikan"],
    )


def test_site_feed_is_xml_with_the_first_page_of_published_articles(client, published):
    draft = make_article(
        author=published.author, topic=published.topic, status="draft", title="Draf tersembunyi"
    )
    response = client.get(reverse("articles:feed"))
    assert response.status_code == 200
    channel = ElementTree.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert published.title in titles
    assert draft.title not in titles
    description = channel.find("item").findtext("description")
    assert "Halaman pertama." in description
    assert "Halaman kedua" not in description
    assert "<script" not in description


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("articles:topic_feed", {"slug": "kebijakan-uji"}),
        ("articles:tag_feed", {"slug": "pendidikan"}),
        ("articles:author_feed", {"username": "penulis"}),
    ],
)
def test_topic_tag_and_author_feeds_list_the_article(client, published, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    channel = ElementTree.fromstring(response.content).find("channel")
    assert [item.findtext("title") for item in channel.findall("item")] == [published.title]


def test_feed_of_an_unknown_topic_is_404(client):
    assert (
        client.get(reverse("articles:topic_feed", kwargs={"slug": "tidak-ada"})).status_code == 404
    )


def test_hidden_and_draft_articles_stay_out_of_the_sitemap(client, published):
    hidden = make_article(author=published.author, topic=published.topic, title="Disembunyikan")
    Article.objects.filter(pk=hidden.pk).update(status=Article.Status.HIDDEN)
    draft = make_article(author=published.author, topic=published.topic, status="draft")
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP_NS}loc")]
    assert any(url.endswith("/sitemap-articles.xml") for url in sections)
    urls = ElementTree.fromstring(client.get("/sitemap-articles.xml").content)
    locations = [loc.text for loc in urls.iter(f"{SITEMAP_NS}loc")]
    assert any(url.endswith(published.get_absolute_url()) for url in locations)
    assert not any(f"/artikel/{hidden.pk}/" in url for url in locations)
    assert not any(f"/artikel/{draft.pk}/" in url for url in locations)
    assert all(url.find(f"{SITEMAP_NS}lastmod") is not None for url in urls)


def sitemap_locations(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return [loc.text for loc in ElementTree.fromstring(response.content).iter(f"{SITEMAP_NS}loc")]


def test_article_sitemap_pages_are_ranges_of_keys(client, monkeypatch):
    monkeypatch.setattr("articles.sitemaps.ArticleSitemap.limit", 3)
    articles = [make_article() for _ in range(7)]
    Article.objects.filter(pk=articles[4].pk).update(status=Article.Status.DRAFT)
    # Keys start wherever the sequence is: the pages cover 1..largest in steps of 3.
    expected_pages = -(-articles[-1].pk // 3)

    index = sitemap_locations(client, "/sitemap.xml")
    article_pages = [url for url in index if "sitemap-articles.xml" in url]
    assert len(article_pages) == expected_pages

    listed = []
    for number in range(1, expected_pages + 1):
        urls = sitemap_locations(client, f"/sitemap-articles.xml?p={number}")
        assert len(urls) <= 3
        listed += urls
    assert [url.partition("/artikel/")[2] for url in listed] == [
        article.get_absolute_url().removeprefix("/artikel/")
        for article in articles
        if article.pk != articles[4].pk
    ]


@pytest.mark.parametrize("page", ["0", "99999", "dua"])
def test_a_sitemap_page_out_of_range_is_404(client, published, page):
    assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_the_sitemap_index_takes_the_same_queries_whatever_the_number_of_articles(
    client, django_assert_max_num_queries, count
):
    for _ in range(count):
        make_article(tags=["sama"])

    # The newest publication, the largest key, topics/tags/authors pages and
    # their counts: never one query per article, never a scan of every article.
    with django_assert_max_num_queries(6) as captured:
        response = client.get("/sitemap.xml")

    assert response.status_code == 200
    # Nothing reads the articles row by row: each query on them is bounded.
    for query in captured.captured_queries:
        sql = query["sql"].upper()
        if 'FROM "ARTICLES_ARTICLE"' in sql:
            assert any(word in sql for word in ("LIMIT", "MAX(", "COUNT(")), query["sql"]
    lastmod = ElementTree.fromstring(response.content).find(f".//{SITEMAP_NS}lastmod")
    assert lastmod is not None


def test_robots_txt_points_at_the_sitemap_and_closes_private_pages(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /tulis/" in text
    assert re.search(r"^Sitemap: https://example.com/sitemap\.xml$", text, re.MULTILINE)


def test_article_page_has_escaped_share_cards_and_structured_data(client, published):
    html = client.get(published.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Judul &quot;kutip&quot; &amp; &lt;script&gt;' in html
    first_page = published.get_absolute_url()
    assert f'<link rel="canonical" href="https://example.com{first_page}">' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<script>" not in block
    data = json.loads(block)
    assert data["@type"] == "Article"
    assert data["headline"] == published.title
    assert data["author"]["name"] == "Penulis <b>Satu</b>"


def test_second_page_is_its_own_canonical_and_show_all_points_at_the_first(client, published):
    page_two = published.get_page_url(2)
    html = client.get(page_two).content.decode()
    assert f'<link rel="canonical" href="https://example.com{page_two}">' in html
    html = client.get(published.get_all_pages_url()).content.decode()
    first_page = published.get_absolute_url()
    assert f'<link rel="canonical" href="https://example.com{first_page}">' in html


def test_share_links_are_plain_links_to_the_canonical_url(client, published):
    html = client.get(published.get_absolute_url()).content.decode()
    for host in (
        "https://wa.me/",
        "https://www.facebook.com/sharer/",
        "https://x.com/intent/",
        "https://t.me/share/",
    ):
        assert f'href="{host}' in html
    assert "data-copy-link" in html


def test_list_pages_link_their_feed_and_neighbouring_pages(client, published, settings):
    settings.ARTICLES_PER_PAGE = 1
    make_article(author=published.author, topic=published.topic, title="Kedua")
    html = client.get(reverse("articles:topic", kwargs={"slug": "kebijakan-uji"})).content.decode()
    assert 'type="application/rss+xml" href="/topik/kebijakan-uji/feed/"' in html
    assert '<link rel="next" href="?halaman=2">' in html


# Atom, hreflang and the site's one public address (core.origin)

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("articles:atom_feed", {}),
        ("articles:topic_atom_feed", {"slug": "kebijakan-uji"}),
        ("articles:tag_atom_feed", {"slug": "pendidikan"}),
        ("articles:author_atom_feed", {"username": "penulis"}),
    ],
)
def test_every_feed_is_also_atom_with_absolute_links(client, published, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == published.title
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"https://example.com{published.get_absolute_url()}"
    author = entry.find(f"{ATOM}author").findtext(f"{ATOM}uri")
    assert author == f"https://example.com{published.author.get_absolute_url()}"
    assert feed.findtext(f"{ATOM}subtitle")


def test_list_pages_link_their_atom_feed_beside_the_rss_one(client, published):
    html = client.get(reverse("articles:topic", args=["kebijakan-uji"])).content.decode()

    assert 'type="application/rss+xml" href="/topik/kebijakan-uji/feed/"' in html
    assert 'type="application/atom+xml" href="/topik/kebijakan-uji/feed/atom/"' in html
    assert 'type="application/atom+xml" title="Kolom Warga" href="/feed/atom/"' in html


def test_pages_name_their_other_language_with_hreflang_and_x_default(client, published):
    path = published.get_absolute_url()

    for url in (path, f"/en{path}"):
        html = client.get(url).content.decode()
        site = "https://example.com"
        assert f'<link rel="alternate" hreflang="id" href="{site}{path}">' in html
        assert f'<link rel="alternate" hreflang="en" href="{site}/en{path}">' in html
        assert f'<link rel="alternate" hreflang="x-default" href="{site}{path}">' in html


def test_absolute_links_follow_site_url_whatever_host_the_request_used(client, published, settings):
    settings.SITE_URL = "https://kolomwarga.example"
    settings.ALLOWED_HOSTS = ["kolomwarga.example", "other.example"]
    origin.sync_site()  # as the next migrate does

    page = client.get(published.get_absolute_url(), HTTP_HOST="other.example").content.decode()
    feed = client.get(reverse("articles:feed"), HTTP_HOST="other.example").content.decode()
    sitemap = client.get("/sitemap-articles.xml", HTTP_HOST="other.example").content.decode()
    robots = client.get("/robots.txt", HTTP_HOST="other.example").content.decode()

    canonical = f"https://kolomwarga.example{published.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f"<link>{canonical}</link>" in feed
    assert f"<loc>{canonical}</loc>" in sitemap
    assert "Sitemap: https://kolomwarga.example/sitemap.xml" in robots
    for text in (page, feed, sitemap, robots):
        assert "other.example" not in text
    assert Site.objects.get_current().domain == "kolomwarga.example"
