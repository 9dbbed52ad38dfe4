"""Invalidation in proportion: which cached pages survive a publication, a comment,
a profile edit and a topic rename (README, "Caching": generations)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.services import update_profile
from articles import services as article_services
from articles.models import Article
from caching import memory
from comments import services as comment_services
from tests.factories import BROWSER, edit_article, make_article, make_topic, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings, db):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    ekonomi, kebijakan = make_topic("ekonomi"), make_topic("kebijakan")
    ani = make_user(username="ani", display_name="Ani")
    budi = make_user(username="budi", display_name="Budi")
    return {
        "ekonomi": ekonomi,
        "kebijakan": kebijakan,
        "ani": ani,
        "budi": budi,
        "ani_article": make_article(author=ani, topic=ekonomi, title="Harga beras"),
        "budi_article": make_article(author=budi, topic=kebijakan, title="Aturan parkir"),
    }


def urls(site):
    return {
        "home": "/",
        "ekonomi": site["ekonomi"].get_absolute_url(),
        "kebijakan": site["kebijakan"].get_absolute_url(),
        "ani": site["ani"].get_absolute_url(),
        "budi": site["budi"].get_absolute_url(),
        "ani's article": site["ani_article"].get_absolute_url(),
        "budi's article": site["budi_article"].get_absolute_url(),
    }


def warm(site):
    reader = Client(headers={"user-agent": BROWSER})
    for url in urls(site).values():
        assert reader.get(url).status_code == 200


def still_cached(site) -> set[str]:
    """The pages served from the page cache: no template rendered, no query."""
    reader = Client(headers={"user-agent": BROWSER})
    cached = set()
    for name, url in urls(site).items():
        with CaptureQueriesContext(connection) as queries:
            response = reader.get(url)
        assert response.status_code == 200
        if not response.templates:
            assert len(queries) <= 1  # at most the view count's UPDATE
            cached.add(name)
    return cached


def test_every_warm_page_is_served_from_the_cache(site):
    warm(site)
    assert still_cached(site) == set(urls(site))


def test_a_publication_leaves_the_pages_it_does_not_appear_on(site):
    warm(site)
    draft = make_article(
        author=site["ani"], topic=site["ekonomi"], status=Article.Status.DRAFT, title="Baru"
    )
    article_services.publish_article(draft, by=site["ani"])

    assert still_cached(site) == {"kebijakan", "budi", "budi's article"}


def test_a_comment_refreshes_only_its_article(site):
    warm(site)
    comment_services.post_comment(
        site["ani_article"], author=site["budi"], body="Setuju sekali.", enforce_limits=False
    )

    assert still_cached(site) == set(urls(site)) - {"ani's article"}


def test_a_bio_edit_refreshes_only_what_shows_that_author(site):
    warm(site)
    data = {f: getattr(site["budi"], f) for f in ("display_name", "occupation", "tagline")}
    update_profile(site["budi"], data={**data, "bio": "Penulis kebijakan kota."})

    assert still_cached(site) == set(urls(site)) - {"budi", "budi's article"}


def test_a_save_that_changes_nothing_refreshes_nothing(site):
    warm(site)
    data = {f: getattr(site["budi"], f) for f in ("display_name", "occupation", "tagline", "bio")}
    update_profile(site["budi"], data=data)

    assert still_cached(site) == set(urls(site))


def test_a_topic_rename_refreshes_every_page(site):
    from django.contrib.admin.sites import site as admin_site

    from articles.admin import TopicAdmin

    warm(site)
    topic = site["kebijakan"]
    topic.name = "Kebijakan Publik"
    TopicAdmin(type(topic), admin_site).save_model(None, topic, None, change=True)

    assert still_cached(site) == set()


def test_moving_an_article_refreshes_the_topic_it_left(site):
    from articles.forms import ArticleForm

    warm(site)
    article = site["ani_article"]
    data = {
        "title": article.title,
        "topic": site["kebijakan"].pk,
        "excerpt": article.excerpt,
        "body": article.body,
        "cover_caption": "",
        "cover_credit": "",
        "tags": "",
    }
    form = ArticleForm(data, instance=article)  # puts the new topic on the instance
    assert form.is_valid(), form.errors
    article_services.save_article(
        article, author=site["ani"], data=form.cleaned_data, tags=form.cleaned_data["tags"]
    )

    cached = still_cached(site)
    assert "ekonomi" not in cached  # the topic it left
    assert "kebijakan" not in cached
    assert cached == {"budi"}  # the related list of budi's article (same topic) changed too


@pytest.fixture
def neighbour(site):
    """Budi's article in Ani's topic: its related list shows Ani's articles."""
    return make_article(author=site["budi"], topic=site["ekonomi"], title="Pasar pagi")


def neighbour_page(neighbour) -> tuple[str, bool]:
    """The neighbour's page, and whether it came from the page cache."""
    response = Client(headers={"user-agent": BROWSER}).get(neighbour.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), not response.templates


def test_a_publication_joins_its_topics_related_lists_without_refreshing_their_pages(
    site, neighbour
):
    neighbour_page(neighbour)
    draft = make_article(
        author=site["ani"], topic=site["ekonomi"], status=Article.Status.DRAFT, title="Kedai baru"
    )
    article_services.publish_article(draft, by=site["ani"])

    page, cached = neighbour_page(neighbour)
    assert cached and "Kedai baru" not in page  # left as it was: no refresh for an addition

    memory.clear()  # what the caches' time limit does (PAGE_CACHE_SECONDS)
    cache.clear()
    page, cached = neighbour_page(neighbour)
    assert not cached and "Kedai baru" in page


def test_hiding_or_retitling_an_article_takes_it_off_related_lists_at_once(site, neighbour):
    assert "Harga beras" in neighbour_page(neighbour)[0]

    edit_article(site["ani_article"], title="Harga beras naik lagi")
    page, cached = neighbour_page(neighbour)
    assert not cached and "Harga beras naik lagi" in page

    article_services.hide_article(site["ani_article"])
    page, cached = neighbour_page(neighbour)
    assert not cached and "Harga beras" not in page


def test_an_edit_that_keeps_the_title_leaves_the_related_lists(site, neighbour):
    neighbour_page(neighbour)

    edit_article(site["ani_article"], body="<p>Harga beras turun sedikit minggu ini.</p>")

    page, cached = neighbour_page(neighbour)
    assert cached and "Harga beras" in page
