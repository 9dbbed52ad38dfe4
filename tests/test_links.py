"""core.links: the same links as reverse(), in every language and under a script prefix."""

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix
from django.utils import translation

from core import links

ONE_KEY_VIEWS = [
    "comments:permalink",
    "comments:like",
    "comments:hide",
    "moderation:report_comment",
]


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("name", ONE_KEY_VIEWS)
def test_a_link_with_a_key_is_the_reversed_one(name, language):
    with translation.override(language):
        for pk in (1, 42, 987654321, 10**15):
            assert links.pk_url(name, pk) == reverse(name, kwargs={"pk": pk})


def test_the_english_link_has_its_prefix():
    with translation.override("en"):
        english = links.pk_url("comments:like", 7)
    with translation.override("id"):
        indonesian = links.pk_url("comments:like", 7)
    assert english == "/en" + indonesian


def test_a_script_prefix_is_kept(script_prefix):
    links.pk_url("comments:like", 3)  # remembered without a prefix first
    links.url("articles:author", username="citra")
    script_prefix("/warga/")
    assert links.pk_url("comments:like", 3) == reverse("comments:like", kwargs={"pk": 3})
    assert links.pk_url("comments:like", 3).startswith("/warga/")
    assert links.url("articles:author", username="citra").startswith("/warga/")


def test_a_key_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        links.pk_url("comments:like", "1/../../admin")


@pytest.mark.parametrize("username", ["citra", "nur.aini", "ade+1", "siti_rahma"])
def test_other_links_are_the_reversed_ones(username):
    assert links.url("articles:author", username=username) == reverse(
        "articles:author", kwargs={"username": username}
    )
    assert links.url("comments:like_status") == reverse("comments:like_status")


def test_the_template_tag_writes_the_same_links_as_url():
    template = engines["django"].from_string(
        "{% load links %}{% link 'comments:like' 5 %} {% link 'comments:like_status' %}"
    )
    assert template.render({}) == (
        f"{reverse('comments:like', kwargs={'pk': 5})} {reverse('comments:like_status')}"
    )
