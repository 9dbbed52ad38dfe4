"""Autosave: a draft is saved, a published article's changes are kept aside
until its author saves; a save based on an older version (another tab) is
refused with a conflict message and writes nothing; without JavaScript the form
saves as before."""

import pytest
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleAutosave
from tests.authoring_builders import article_data, edit_data, find, text_of
from tests.factories import BROWSER, make_article, make_topic

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client(headers={"user-agent": BROWSER})
    client.force_login(user)
    return client


def autosave_url(article):
    return reverse("articles:autosave", kwargs={"pk": article.pk})


def edit_url(article):
    return reverse("articles:edit", kwargs={"pk": article.pk})


def autosave_data(article, **changes):
    data = edit_data(article, **changes)
    del data["action"]
    data["edit_version"] = str(article.edit_version)
    return data


@pytest.fixture
def anonymous_client():
    return Client(headers={"user-agent": BROWSER})


@pytest.fixture
def draft(writer):
    return make_article(author=writer, status=Article.Status.DRAFT, title="Draf catatan")


def test_autosave_saves_a_draft_and_says_when(writer, draft):
    response = signed_in(writer).post(
        autosave_url(draft), autosave_data(draft, body="<p>Ketikan baru.</p>")
    )

    assert response.status_code == 200
    answer = response.json()
    assert answer["state"] == "saved"
    assert answer["message"].startswith("Tersimpan ")
    assert answer["message"][len("Tersimpan ") :].count(":") == 1  # HH:MM
    draft.refresh_from_db()
    assert draft.body == "<p>Ketikan baru.</p>"
    assert answer["version"] == draft.edit_version == 1


def test_autosave_of_a_published_article_keeps_readers_text(anonymous_client, writer, article):
    published_body = article.body
    client = signed_in(writer)

    response = client.post(
        autosave_url(article), autosave_data(article, body="<p>Setengah jadi.</p>")
    )

    assert response.status_code == 200
    assert "belum terbit" in response.json()["message"]
    article.refresh_from_db()
    assert article.body == published_body
    assert not article.was_updated
    assert ArticleAutosave.objects.get(article=article).body == "<p>Setengah jadi.</p>"
    assert "Setengah jadi." not in anonymous_client.get(article.get_absolute_url()).content.decode()

    # The author comes back: the form holds the pending text, with a notice.
    page = client.get(edit_url(article))
    (textarea,) = find(page, "textarea", name="body")
    assert "Setengah jadi." in textarea.text
    (notice,) = find(page, "div", class_="pending-notice")
    assert "WIB" in text_of(notice)

    # Saving publishes them and clears the pending record.
    client.post(edit_url(article), edit_data(article, body="<p>Setengah jadi.</p>"))
    article.refresh_from_db()
    assert article.body == "<p>Setengah jadi.</p>"
    assert not ArticleAutosave.objects.exists()


def test_the_pending_changes_can_be_discarded(writer, article):
    client = signed_in(writer)
    client.post(autosave_url(article), autosave_data(article, body="<p>Salah arah.</p>"))

    response = client.post(reverse("articles:discard_autosave", kwargs={"pk": article.pk}))

    assert response.status_code == 302
    assert not ArticleAutosave.objects.exists()
    page = client.get(edit_url(article))
    assert find(page, "div", class_="pending-notice") == []


def test_a_second_tab_gets_a_conflict_and_nothing_is_overwritten(writer, draft):
    first_tab = signed_in(writer)
    second_tab = signed_in(writer)
    opened_at = autosave_data(draft)["edit_version"]
    first = first_tab.post(autosave_url(draft), {**autosave_data(draft, body="<p>Tab satu.</p>")})
    assert first.status_code == 200

    second = second_tab.post(
        autosave_url(draft),
        {**autosave_data(draft, body="<p>Tab dua.</p>"), "edit_version": opened_at},
    )

    assert second.status_code == 200
    assert second.json()["state"] == "conflict"
    assert "tab lain" in second.json()["message"]
    draft.refresh_from_db()
    assert draft.body == "<p>Tab satu.</p>"


def test_the_same_tab_keeps_saving_with_the_version_it_was_given(writer, draft):
    client = signed_in(writer)
    data = autosave_data(draft, body="<p>Satu.</p>")
    version = client.post(autosave_url(draft), data).json()["version"]

    response = client.post(
        autosave_url(draft), {**data, "body": "<p>Dua.</p>", "edit_version": str(version)}
    )

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.body == "<p>Dua.</p>"


def test_the_form_refuses_a_save_based_on_an_older_version(writer, article):
    client = signed_in(writer)
    stale = str(article.edit_version)
    client.post(autosave_url(article), autosave_data(article, body="<p>Dari tab lain.</p>"))
    services.save_article(
        article,
        author=writer,
        data={**{f: getattr(article, f) for f in services.ARTICLE_FIELDS}, "body": "<p>Lain.</p>"},
        tags=[],
    )

    response = client.post(
        edit_url(article), {**edit_data(article, body="<p>Tab lama.</p>"), "edit_version": stale}
    )

    assert response.status_code == 400
    assert "tab lain" in response.content.decode()
    (textarea,) = find(response, "textarea", name="body")
    assert "Tab lama." in textarea.text  # the text typed here is still on the page
    article.refresh_from_db()
    assert article.body == "<p>Lain.</p>"


def test_without_javascript_the_form_saves_as_before(writer, draft):
    data = edit_data(draft, body="<p>Tanpa skrip.</p>")  # no edit_version: no check
    draft.edit_version = 7
    draft.save(update_fields=["edit_version"])

    response = signed_in(writer).post(edit_url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "<p>Tanpa skrip.</p>"


def test_the_first_autosave_of_a_new_article_creates_the_draft(writer):
    topic = make_topic("kebijakan")
    data = article_data(topic, body="<p>Baru mulai.</p>")
    del data["action"]

    response = signed_in(writer).post(reverse("articles:autosave_new"), data)

    assert response.status_code == 200
    article = Article.objects.get(author=writer)
    assert article.status == Article.Status.DRAFT
    assert response.json()["edit_url"] == edit_url(article)
    assert response.json()["autosave_url"] == autosave_url(article)


def test_a_new_article_without_a_title_is_not_saved_yet(writer):
    topic = make_topic("kebijakan")
    data = article_data(topic, title="")
    del data["action"]

    response = signed_in(writer).post(reverse("articles:autosave_new"), data)

    assert response.status_code == 200
    assert response.json()["state"] == "invalid"
    assert response.json()["message"].startswith("Belum tersimpan: ")
    assert not Article.objects.exists()


def test_autosave_never_removes_the_cover_or_publishes(writer, draft):
    data = {**autosave_data(draft), "remove_cover": "on", "action": "publish"}

    response = signed_in(writer).post(autosave_url(draft), data)

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_other_users_cannot_autosave(user, draft, article):
    client = signed_in(user)
    for target in (draft, article):
        body = target.body
        response = client.post(autosave_url(target), autosave_data(target, body="<p>Usil.</p>"))
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.body == body
    assert not ArticleAutosave.objects.exists()


def test_autosave_takes_post_only(writer, draft):
    assert signed_in(writer).get(autosave_url(draft)).status_code == 405


@pytest.mark.parametrize("version", ["abc", "-1", "١٢", "9" * 30])
def test_an_odd_version_means_no_check(writer, draft, version):
    data = {**autosave_data(draft, body="<p>Aneh.</p>"), "edit_version": version}

    response = signed_in(writer).post(autosave_url(draft), data)

    assert response.status_code == 200


def test_the_write_page_carries_the_autosave_hooks(writer, draft):
    page = signed_in(writer).get(edit_url(draft))

    (form,) = find(page, "form", class_="write-form")
    assert form.attrs["data-autosave-url"] == autosave_url(draft)
    (version,) = find(page, "input", name="edit_version")
    assert version.attrs["value"] == "0"
    assert find(page, "p", class_="autosave-state")
    assert any("autosave" in (s.attrs.get("src") or "") for s in find(page, "script"))
