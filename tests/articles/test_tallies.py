"""Topic tallies (articles.tallies): the published articles of each topic, kept by
triggers whatever writes the article, and the list totals read from them."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.db.models import Count
from django.urls import reverse

from articles import selectors, services
from articles.models import Article, TopicTally
from tests.factories import make_article, make_topic, make_user

TRIGGERS = {
    "sqlite": {"articles_tally_insert", "articles_tally_update", "articles_tally_delete"},
    "postgresql": {"articles_tally"},
}

pytestmark = pytest.mark.django_db


def tallies() -> dict[int, int]:
    return {row.topic_id: row.published for row in TopicTally.objects.all() if row.published}


def counted() -> dict[int, int]:
    rows = Article.objects.published().values("topic").annotate(n=Count("pk"))
    return {row["topic"]: row["n"] for row in rows}


def installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall()}


def test_the_triggers_are_there_after_every_migration():
    """A later migration that rebuilds articles_article on SQLite drops them."""
    assert TRIGGERS[connection.vendor] <= installed_triggers()


def test_publishing_unpublishing_hiding_and_deleting_move_the_tally():
    topic, author = make_topic(), make_user()
    draft = make_article(topic=topic, author=author, status=Article.Status.DRAFT)
    kept = make_article(topic=topic, author=author)
    assert tallies().get(topic.pk) == 1

    services.publish_article(draft, by=author, screen=False)
    assert tallies()[topic.pk] == 2
    services.unpublish_article(draft, by=author)
    assert tallies()[topic.pk] == 1
    services.hide_article(kept)
    assert topic.pk not in tallies()
    services.restore_article(kept)
    assert tallies()[topic.pk] == 1
    services.delete_article(kept, by=author)
    assert topic.pk not in tallies()
    assert tallies() == counted()


def test_a_view_count_or_an_edit_leaves_the_tally_alone():
    article = make_article()
    Article.objects.filter(pk=article.pk).update(view_count=500)
    article.title = "Judul yang diperbaiki"
    article.save()
    assert tallies() == counted() == {article.topic_id: 1}


def test_moving_an_article_to_another_topic_moves_its_count():
    old, new = make_topic(), make_topic()
    article = make_article(topic=old)
    make_article(topic=old)
    article.topic = new
    article.save()
    assert tallies() == counted() == {old.pk: 1, new.pk: 1}


def test_bulk_updates_and_deletes_are_counted_too():
    """The admin's bulk actions and QuerySet.update() skip save(): the triggers do not."""
    topics = [make_topic() for _ in range(3)]
    for number in range(9):
        make_article(topic=topics[number % 3])
    Article.objects.filter(topic=topics[0]).update(status=Article.Status.HIDDEN)
    Article.objects.filter(topic=topics[1]).update(topic=topics[2])
    Article.objects.filter(topic=topics[2]).first().delete()
    assert tallies() == counted() == {topics[2].pk: 5}


def test_a_section_total_holds_its_subtopics():
    section = make_topic()
    child, other = make_topic(parent=section), make_topic()
    make_article(topic=section)
    make_article(topic=child)
    make_article(topic=child)
    make_article(topic=other)
    make_article(topic=child, status=Article.Status.DRAFT)
    assert selectors.published_in(section) == Article.objects.published().in_topic(section).count()
    assert selectors.published_in(section) == 3
    assert selectors.published_in(child) == 2
    assert selectors.published_total() == 4


def test_the_topic_and_home_pages_count_from_the_tally(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    topic = make_topic()
    for _ in range(5):
        make_article(topic=topic)
    make_article(topic=topic, status=Article.Status.DRAFT)
    page = client.get(topic.get_absolute_url())
    assert page.context["page"].paginator.num_pages == 3
    assert client.get(topic.get_absolute_url() + "?halaman=3").status_code == 200
    assert client.get(topic.get_absolute_url() + "?halaman=4").status_code == 404
    # A publication shows on the last page at once: no count is kept from before.
    make_article(topic=topic)
    assert client.get(topic.get_absolute_url() + "?halaman=3").context["page"].has_next() is False
    assert client.get(topic.get_absolute_url()).context["page"].paginator.count == 6
    assert client.get(reverse("articles:home")).context["page"].paginator.count == 6


def test_the_home_total_leaves_out_the_headline(client):
    make_article()
    make_article(is_headline=True)
    page = client.get(reverse("articles:home")).context["page"]
    assert page.paginator.count == 1
    assert len(page.object_list) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_publications_in_one_topic_are_all_counted():
    topic = make_topic()
    author = make_user()
    drafts = [
        make_article(topic=topic, author=author, status=Article.Status.DRAFT) for _ in range(12)
    ]

    def publish(article):
        try:
            services.publish_article(article, by=author, screen=False)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(publish, drafts))
    assert tallies() == counted() == {topic.pk: 12}
