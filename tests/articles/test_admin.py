"""The article and topic admin: status and publication time change only through the
services (the list's actions), and a moved topic takes its articles along."""

import pytest
from django import forms
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.services import follow_author
from articles.models import Article
from notifications.models import Notification
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
Kind = Notification.Kind


@pytest.fixture
def superuser(db):
    return make_user(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def change_form_data(response) -> dict:
    """What the change form sends back as it was shown: every editable field's value
    and the inlines' management forms."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue  # no new file
        value = form[name].value()
        if isinstance(field, forms.SplitDateTimeField):  # the admin's date and time boxes
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        else:
            data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    return data


def run_action(client, action, articles):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_the_change_form_shows_status_and_publication_time_but_cannot_change_them(
    admin_client, writer
):
    draft = make_article(author=writer, status=Article.Status.DRAFT, published_at=None)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    page = admin_client.get(url)
    data = change_form_data(page)
    data.update(
        title="Judul baru dari redaksi",
        status=Article.Status.PUBLISHED,
        published_at_0="2024-01-02",
        published_at_1="10:00:00",
        published_at="2024-01-02 10:00:00",
    )

    response = admin_client.post(url, data)

    assert 'name="status"' not in page.content.decode()
    assert 'name="published_at' not in page.content.decode()
    assert response.status_code == 302  # the form was valid and saved
    draft.refresh_from_db()
    assert draft.title == "Judul baru dari redaksi"
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None


def test_the_change_form_cannot_take_a_published_article_off_the_site(admin_client, writer):
    article = make_article(author=writer)
    published_at = article.published_at
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(admin_client.get(url))
    data.update(title="Judul yang diperbaiki", status=Article.Status.HIDDEN)

    response = admin_client.post(url, data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Judul yang diperbaiki"
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == published_at


def test_the_publish_action_publishes_as_the_service_does(admin_client, writer, reader):
    follow_author(reader, author=writer)
    draft = make_article(author=writer, status=Article.Status.DRAFT, published_at=None)
    empty = make_article(author=writer, status=Article.Status.DRAFT, published_at=None, body="")
    published = make_article(author=writer)

    response = run_action(admin_client, "publish_article", [draft, empty, published])

    html = response.content.decode()
    assert "1 artikel diterbitkan." in html
    assert "1 artikel tidak berisi apa pun untuk dibaca dan tetap menjadi draf." in html
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and draft.published_at is not None
    empty.refresh_from_db()
    assert empty.status == Article.Status.DRAFT
    # The followers are told, as publish_article tells them.
    notices = Notification.objects.filter(recipient=reader, kind=Kind.NEW_ARTICLE)
    assert [n.article for n in notices] == [draft]


def test_the_unpublish_action_withdraws_the_notices_as_the_service_does(
    admin_client, writer, reader
):
    follow_author(reader, author=writer)
    draft = make_article(author=writer, status=Article.Status.DRAFT, published_at=None)
    run_action(admin_client, "publish_article", [draft])
    assert Notification.objects.filter(recipient=reader, article=draft).exists()

    response = run_action(admin_client, "unpublish_article", [draft])

    assert "1 artikel dikembalikan menjadi draf." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is not None  # kept: publishing again is not news
    assert not Notification.objects.filter(recipient=reader, article=draft).exists()


def test_hiding_is_left_to_the_moderation_queue(admin_client):
    response = admin_client.get(CHANGELIST)

    actions = response.context["action_form"].fields["action"].choices
    names = {name for name, _label in actions}
    assert {"publish_article", "unpublish_article"} <= names
    assert not any("hide" in name or "restore" in name for name in names)


def test_staff_who_may_only_view_articles_cannot_publish(writer):
    staff = make_user(username="staf", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(staff)
    draft = make_article(author=writer, status=Article.Status.DRAFT, published_at=None)

    run_action(client, "publish_article", [draft])

    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_moving_a_topic_in_the_admin_takes_its_articles_along(admin_client):
    politik = make_topic("politik-uji")
    ekonomi = make_topic("ekonomi-uji")
    pajak = make_topic("pajak-uji", name="Pajak", parent=politik)
    article = make_article(topic=pajak)

    response = admin_client.post(
        reverse("admin:articles_topic_change", args=[pajak.pk]),
        {
            "name": "Pajak",
            "slug": "pajak-uji",
            "parent": ekonomi.pk,
            "description": "",
            "position": 0,
        },
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.section_id == ekonomi.pk
    assert list(Article.objects.in_topic(ekonomi)) == [article]


# --- Staff edits are revisions (README, "Writing") ----------------------------------


def edit_in_admin(client, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    return response


def test_an_admin_edit_is_a_revision_by_the_staff_member_and_can_be_restored(
    admin_client, superuser, writer
):
    from articles import services
    from articles.models import ArticleRevision

    article = make_article(author=writer, body="<p>Jembatan selesai tahun 2025.</p>")
    version = article.edit_version

    edit_in_admin(admin_client, article, body="<p>Jembatan selesai tahun 2026.</p>")

    revisions = list(ArticleRevision.objects.filter(article=article).order_by("created_at", "id"))
    # The text before the first revision, then the staff member's save.
    assert [r.created_by for r in revisions] == [writer, superuser]
    assert revisions[-1].kind == ArticleRevision.Kind.SAVE
    assert revisions[-1].body == "<p>Jembatan selesai tahun 2026.</p>"
    assert article.edit_version == version + 1  # an editor tab opened before gets a conflict
    assert article.was_updated

    history = admin_client.get(reverse("articles:revisions", args=[article.pk]))
    assert superuser.name in history.content.decode()

    assert services.restore_revision(article, revisions[0], by=writer)
    article.refresh_from_db()
    assert article.body == "<p>Jembatan selesai tahun 2025.</p>"


def test_an_admin_save_that_changes_no_text_makes_no_revision(admin_client, writer):
    from articles.models import ArticleRevision

    article = make_article(author=writer)
    version = article.edit_version

    edit_in_admin(admin_client, article, cover_credit="Dokumentasi redaksi")

    assert not ArticleRevision.objects.filter(article=article).exists()
    assert article.edit_version == version
    assert article.cover_credit == "Dokumentasi redaksi"


def test_an_author_tab_opened_before_an_admin_edit_cannot_write_over_it(admin_client, writer):
    from articles import services

    article = make_article(author=writer, body="<p>Versi penulis.</p>")
    opened_at = article.edit_version
    edit_in_admin(admin_client, article, body="<p>Versi redaksi.</p>")

    data = {field: getattr(article, field) for field in services.ARTICLE_FIELDS}
    with pytest.raises(services.EditConflict):
        services.save_article(
            article,
            author=writer,
            data={**data, "body": "<p>Tab lama.</p>"},
            tags=[],
            expected_version=opened_at,
        )
    article.refresh_from_db()
    assert article.body == "<p>Versi redaksi.</p>"
