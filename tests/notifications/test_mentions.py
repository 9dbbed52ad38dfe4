"""@username mentions: linked to the profile, told once, never a storm (README, "Mentions")."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import mentions
from articles.services import publish_article
from comments.services import edit_comment, hide_comment_as_moderator
from notifications.models import Notification
from notifications.services import MENTION_LIMIT
from tests.comments.builders import make_comment
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture
def devi():
    return make_user(username="devipertiwi", display_name="Devi Pertiwi")


def mentions_of(person):
    return Notification.objects.filter(recipient=person, kind=Kind.MENTION)


def test_a_mention_in_a_comment_links_and_tells_once(devi):
    comment = make_comment(make_article(), body="Setuju dengan @devipertiwi, dan @tidakada juga.")

    assert '<a href="/penulis/devipertiwi/" class="mention">@devipertiwi</a>' in comment.body_html
    assert "@tidakada" in comment.body_html and 'href="/penulis/tidakada/"' not in comment.body_html
    notice = mentions_of(devi).get()
    assert notice.comment == comment and notice.actor == comment.author

    edit_comment(comment, editor=comment.author, body=comment.body + " Sekali lagi @devipertiwi.")
    assert mentions_of(devi).count() == 1


def test_emails_and_code_are_not_mentions(devi):
    html = mentions.link(
        "<p>Tulis ke warga@devipertiwi.id atau lihat <code>@devipertiwi</code> dan "
        '<a href="https://x.example/">@devipertiwi</a></p>'
    )
    assert 'class="mention"' not in html
    assert mentions.mentioned_names("kirim ke a@devipertiwi dan /@devipertiwi") == []


def test_an_edit_tells_only_people_newly_named(devi):
    comment = make_comment(make_article(), body="Belum menyebut siapa pun.")
    assert not mentions_of(devi).exists()
    edit_comment(comment, editor=comment.author, body="Kini menyebut @devipertiwi.")
    assert mentions_of(devi).count() == 1


def test_fifty_names_tell_only_the_first_few_in_few_queries(django_assert_max_num_queries):
    people = [make_user(username=f"warga_sebut_{number}") for number in range(50)]
    body = " ".join(f"@{person.username}" for person in people)
    article = make_article()
    with django_assert_max_num_queries(25):
        make_comment(article, body=body)
    told = Notification.objects.filter(kind=Kind.MENTION).values_list("recipient", flat=True)
    assert sorted(told) == sorted(person.pk for person in people[:MENTION_LIMIT])


def test_a_reply_notice_is_not_doubled_by_a_mention(devi):
    article = make_article()
    first = make_comment(article, author=devi, body="Pendapat saya.")
    make_comment(article, reply_to=first, body="@devipertiwi saya tidak setuju.")
    assert Notification.objects.filter(recipient=devi).values_list("kind", flat=True).get() == (
        Kind.REPLY
    )


def test_hidden_comments_tell_nobody_and_their_notice_goes(devi):
    comment = make_comment(make_article(), body="Hai @devipertiwi.")
    hide_comment_as_moderator(comment)
    assert not mentions_of(devi).exists()


def test_switched_off_mentions_are_not_recorded(devi):
    client = Client()
    client.force_login(devi)
    client.post(reverse("notifications:preferences"), {"email_reply": "on"})
    make_comment(make_article(), body="Hai @devipertiwi.")
    assert not mentions_of(devi).exists()


def test_an_inactive_account_is_neither_linked_nor_told(devi):
    devi.is_active = False
    devi.save()
    comment = make_comment(make_article(), body="Hai @devipertiwi.")
    assert 'class="mention"' not in comment.body_html
    assert not mentions_of(devi).exists()


def test_an_article_mention_tells_on_publication(devi):
    from articles.models import Article

    draft = make_article(
        status=Article.Status.DRAFT, body="<p>Terima kasih kepada @devipertiwi atas datanya.</p>"
    )
    assert 'class="mention"' in draft.body_html
    assert not mentions_of(devi).exists()
    publish_article(draft, by=draft.author)
    notice = mentions_of(devi).get()
    assert notice.article == draft and notice.comment is None
    page = Client()
    page.force_login(devi)
    listing = page.get(reverse("notifications:list")).content.decode()
    assert "menyebut Anda dalam tulisan" in listing
