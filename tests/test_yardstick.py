"""The benchmark's yardstick page (bench/): off by default, and free of queries when on."""

import pytest

YARDSTICK_URL = "/bench/yardstick/"

pytestmark = pytest.mark.django_db


def test_yardstick_is_not_found_when_the_benchmark_is_off(client, settings):
    settings.BENCHMARK_YARDSTICK = False

    response = client.get(YARDSTICK_URL)

    assert response.status_code == 404


def test_yardstick_serves_30_kb_without_a_query_when_the_benchmark_is_on(
    client, settings, django_assert_num_queries
):
    settings.BENCHMARK_YARDSTICK = True

    with django_assert_num_queries(0):
        response = client.get(YARDSTICK_URL)

    assert response.status_code == 200
    assert 28_000 < len(response.content) < 34_000
    assert "sessionid" not in response.cookies


def test_the_cache_counts_are_not_found_when_the_benchmark_is_off(client, settings):
    settings.BENCHMARK_YARDSTICK = False

    assert client.get("/bench/stats/").status_code == 404


def test_the_cache_counts_tell_a_page_cache_hit_from_a_miss(client, settings):
    from tests.factories import make_article

    settings.BENCHMARK_YARDSTICK = settings.PAGE_CACHE = settings.FRAGMENT_CACHE = True
    article = make_article()
    before = client.get("/bench/stats/").json()["counts"]
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    after = client.get("/bench/stats/").json()["counts"]

    assert after.get("page.miss", 0) - before.get("page.miss", 0) == 1
    assert after.get("page.hit", 0) - before.get("page.hit", 0) == 1
