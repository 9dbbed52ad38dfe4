"""Who may change what: every state-changing URL of the site, for every kind of person.

One table (``ACTIONS``) says, for each URL and each role, exactly what the
response is, and the test checks it: an allowed request has its effect, and a
refused one (sent to sign in, 403, or turned back with a message) changes no
row at all, compared table by table before and after. The URL list is checked
against the URL configuration, so a new write URL cannot be added without a
row here. Every write URL also refuses GET (or shows a form and changes
nothing) and refuses a POST without a CSRF token.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin import helpers
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image
from taggit.models import Tag

from accounts.models import Follow, User
from articles.models import (
    Article,
    ArticleAutosave,
    ArticleRevision,
    BodyImage,
    Correction,
    Rating,
    TaggedArticle,
)
from articles.services import save_article
from comments.models import Comment, CommentLike, CommentStatus
from comments.services import hide_comment_as_author, like_comment
from moderation import services as moderation_services
from moderation.models import Case, ModerationAction, Reason, Report
from readinglist.models import Bookmark
from rights import services as rights_services
from rights.models import (
    AccountDeletion,
    Appeal,
    ConsentChange,
    CorrectionRequest,
    DataExport,
    GovernmentOrder,
    OrderTarget,
    RightOfReply,
)
from tests.factories import make_article, make_topic
from tests.moderation.builders import (
    let_the_reply_wait_pass,
    make_comment,
    make_established_user,
    report,
)
from trust.models import ReadingTime

from .conftest import signed_in

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "another author", "the author", "moderator", "superuser"]
SIGNED_IN = ROLES[1:]


@dataclass
class World:
    """The rows every request is tried against."""

    people: dict
    article: Article  # the author's, published
    draft: Article  # the author's
    other_article: Article  # another author's, published
    own_comment: Comment  # written by the author, on another author's article
    readers_comment: Comment  # written by the reader, on the author's article
    case: Case  # a witness reported the author's article

    @property
    def author(self) -> User:
        return self.people["the author"]


@pytest.fixture
def world(people) -> World:
    topic = make_topic("kebijakan", name="Kebijakan")
    author, other = people["the author"], people["another author"]
    article = make_article(author=author, topic=topic, title="Milik Penulis", tags=["banjir"])
    other_article = make_article(author=other, topic=topic, title="Milik Penulis Lain")
    witness = make_established_user(username="saksi")
    return World(
        people=people,
        article=article,
        draft=make_article(
            author=author, topic=topic, title="Draf Penulis", status=Article.Status.DRAFT
        ),
        other_article=other_article,
        own_comment=make_comment(other_article, author=author, body="Komentar penulis."),
        readers_comment=make_comment(article, author=people["reader"], body="Komentar pembaca."),
        # The author's right-of-reply wait is over: a moderator may hide it.
        case=let_the_reply_wait_pass(report(article, reporter=witness, reason=Reason.HOAX).case),
    )


# --- What a response may be -------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: int
    # Where a redirect goes (the start of it), from the world and the URL asked.
    location: Callable[[World, str], str] | None = None
    allowed: bool = False

    def describe(self) -> str:
        return f"{self.status} {'allowed' if self.allowed else 'refused'}"


SIGN_IN = Outcome(302, lambda w, url: f"{reverse('account_login')}?next={quote(url)}")
ADMIN_SIGN_IN = Outcome(302, lambda w, url: f"{reverse('admin:login')}?next={quote(url)}")
FORBIDDEN = Outcome(403)


def allowed(location: Callable[[World, str], str]) -> Outcome:
    return Outcome(302, location, allowed=True)


def turned_back(location: Callable[[World, str], str]) -> Outcome:
    """Refused with a message on the page it came from (yourself, your own content)."""
    return Outcome(302, location)


def only(
    allowed_roles: set[str], outcome: Outcome, *, refused: Outcome = FORBIDDEN, anonymous=SIGN_IN
):
    return {
        role: anonymous if role == "anonymous" else outcome if role in allowed_roles else refused
        for role in ROLES
    }


def everyone_but_the_author(outcome: Outcome, author_outcome: Outcome):
    return only(set(SIGNED_IN) - {"the author"}, outcome, refused=author_outcome)


EDITORS = {"the author", "moderator", "superuser"}  # the author, and staff
MODERATORS = {"moderator", "superuser"}


@dataclass(frozen=True)
class Action:
    name: str  # the URL's name, with a variant after a space
    url: Callable[[World], str]
    outcomes: dict[str, Outcome]
    done: Callable[[World, User], bool]  # the allowed request's effect, seen in the database
    data: Callable[[World], dict] = field(default=lambda w: {})
    setup: Callable[[World], None] = field(default=lambda w: None)
    get_shows_a_form: bool = False  # GET answers 200 with a form instead of 405


def _reload(instance):
    instance.refresh_from_db()
    return instance


def _follow_all(w: World) -> None:
    for role in SIGNED_IN:
        if role != "the author":
            Follow.objects.create(follower=w.people[role], author=w.author)


def _profile_done(w: World, actor: User) -> bool:
    mine = _reload(actor).display_name == "Nama Baru"
    authors_intact = actor == w.author or _reload(w.author).display_name == "Penulis"
    return mine and authors_intact


def _revise(w: World) -> None:
    """Give the author's article a revision to restore (its text before the change)."""
    data = {
        "title": w.article.title,
        "topic": w.article.topic,
        "excerpt": "",
        "body": "<p>Diubah untuk revisi.</p>",
        "cover_caption": "",
        "cover_credit": "",
    }
    save_article(w.article, author=w.author, data=data, tags=["banjir"])


def _like_all(w: World) -> None:
    for role, person in w.people.items():
        if role not in ("anonymous", "reader"):
            like_comment(w.readers_comment, reader=person)


def _photo(w: World) -> dict:
    """The upload form without JavaScript: a small PNG with its description."""
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(buffer, format="PNG")
    upload = SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")
    return {"photo-image": upload, "photo-alt": "Sawah", "photo-caption": ""}


def _earliest_revision(w: World) -> ArticleRevision:
    return ArticleRevision.objects.filter(article=w.article).order_by("created_at", "id").first()


def _case_url(w: World, url: str) -> str:
    return reverse("admin:moderation_case_change", args=[w.case.pk])


def _act(kind: str) -> Callable[[World], str]:
    return lambda w: reverse("admin:moderation_case_act", args=[w.case.pk, kind])


def _article_url(w: World, url: str) -> str:
    return w.article.get_absolute_url()


def _dashboard(w: World, url: str) -> str:
    return reverse("articles:dashboard")


def _author_page(w: World, url: str) -> str:
    return w.author.get_absolute_url()


ACTIONS = [
    # accounts
    Action(
        "accounts:follow",
        lambda w: reverse("accounts:follow", args=[w.author.username]),
        everyone_but_the_author(allowed(_author_page), turned_back(_author_page)),
        lambda w, actor: Follow.objects.filter(follower=actor, author=w.author).exists(),
    ),
    Action(
        "accounts:follow unfollow",
        lambda w: reverse("accounts:follow", args=[w.author.username]),
        everyone_but_the_author(allowed(_author_page), turned_back(_author_page)),
        lambda w, actor: not Follow.objects.filter(follower=actor, author=w.author).exists(),
        data=lambda w: {"action": "unfollow"},
        setup=_follow_all,
    ),
    Action(
        "accounts:edit_profile",
        lambda w: reverse("accounts:edit_profile"),
        only(set(SIGNED_IN), allowed(lambda w, url: "/penulis/")),
        _profile_done,
        data=lambda w: {
            "display_name": "Nama Baru",
            "occupation": "other",
            "tagline": "",
            "bio": "",
        },
        get_shows_a_form=True,
    ),
    # articles
    Action(
        "articles:write",
        lambda w: reverse("articles:write"),
        only(set(SIGNED_IN), allowed(lambda w, url: "/tulis/")),
        lambda w, actor: Article.objects.filter(author=actor, title="Tulisan Baru").exists(),
        data=lambda w: {
            "title": "Tulisan Baru",
            "topic": str(w.article.topic_id),
            "body": "<p>Isi.</p>",
            "tags": "baru",
            "action": "draft",
        },
        get_shows_a_form=True,
    ),
    Action(
        "articles:edit",
        lambda w: reverse("articles:edit", args=[w.article.pk]),
        only(EDITORS, allowed(_article_url)),
        lambda w, actor: _reload(w.article).title == "Judul Diubah",
        data=lambda w: {
            "title": "Judul Diubah",
            "topic": str(w.article.topic_id),
            "body": w.article.body,
            "tags": "banjir",
            "action": "save",
        },
        get_shows_a_form=True,
    ),
    Action(
        "articles:publish",
        lambda w: reverse("articles:publish", args=[w.draft.pk]),
        only(EDITORS, allowed(lambda w, url: w.draft.get_absolute_url())),
        lambda w, actor: _reload(w.draft).status == Article.Status.PUBLISHED,
    ),
    Action(
        "articles:unpublish",
        lambda w: reverse("articles:unpublish", args=[w.article.pk]),
        only(EDITORS, allowed(_dashboard)),
        lambda w, actor: _reload(w.article).status == Article.Status.DRAFT,
    ),
    Action(
        "articles:delete",
        lambda w: reverse("articles:delete", args=[w.article.pk]),
        only(EDITORS, allowed(_dashboard)),
        lambda w, actor: _reload(w.article).status == Article.Status.DELETED,
        get_shows_a_form=True,
    ),
    Action(
        "articles:autosave",
        lambda w: reverse("articles:autosave", args=[w.article.pk]),
        only(EDITORS, Outcome(200, allowed=True)),
        lambda w, actor: ArticleAutosave.objects.filter(
            article=w.article, body="<p>Tersimpan otomatis.</p>"
        ).exists(),
        data=lambda w: {
            "title": w.article.title,
            "topic": str(w.article.topic_id),
            "body": "<p>Tersimpan otomatis.</p>",
            "tags": "banjir",
        },
    ),
    Action(
        "articles:autosave_new",
        lambda w: reverse("articles:autosave_new"),
        only(set(SIGNED_IN), Outcome(200, allowed=True)),
        lambda w, actor: Article.objects.filter(author=actor, title="Otomatis").exists(),
        data=lambda w: {"title": "Otomatis", "topic": str(w.article.topic_id), "body": "<p>x</p>"},
    ),
    Action(
        "articles:discard_autosave",
        lambda w: reverse("articles:discard_autosave", args=[w.article.pk]),
        only(EDITORS, allowed(lambda w, url: reverse("articles:edit", args=[w.article.pk]))),
        lambda w, actor: not ArticleAutosave.objects.filter(article=w.article).exists(),
        setup=lambda w: ArticleAutosave.objects.create(
            article=w.article, title="x", body="", saved_by=w.author, saved_at=timezone.now()
        ),
    ),
    Action(
        "articles:upload_image",
        lambda w: reverse("articles:upload_image", args=[w.article.pk]),
        only(EDITORS, allowed(lambda w, url: reverse("articles:edit", args=[w.article.pk]))),
        lambda w, actor: (
            BodyImage.objects.filter(article=w.article, owner=actor).exists()
            and "<figure><img " in _reload(w.article).body
        ),
        data=_photo,
        get_shows_a_form=True,
    ),
    Action(
        "articles:upload_image_new",
        lambda w: reverse("articles:upload_image_new"),
        only(set(SIGNED_IN), Outcome(200, allowed=True)),
        lambda w, actor: BodyImage.objects.filter(owner=actor, article=None).exists(),
        data=_photo,
        get_shows_a_form=True,
    ),
    Action(
        "articles:restore_revision",
        lambda w: reverse(
            "articles:restore_revision", args=[w.article.pk, _earliest_revision(w).pk]
        ),
        only(EDITORS, allowed(lambda w, url: reverse("articles:revisions", args=[w.article.pk]))),
        lambda w, actor: _reload(w.article).body == _earliest_revision(w).body,
        setup=_revise,
    ),
    Action(
        "articles:rate",
        lambda w: reverse("articles:rate", args=[w.article.pk]),
        everyone_but_the_author(
            allowed(lambda w, url: f"{w.article.get_absolute_url()}#nilai"),
            turned_back(lambda w, url: f"{w.article.get_absolute_url()}#nilai"),
        ),
        lambda w, actor: Rating.objects.filter(article=w.article, user=actor).exists(),
        data=lambda w: {"label": Rating.Label.BERMANFAAT},
    ),
    # comments
    Action(
        "comments:post",
        lambda w: reverse("comments:post", args=[w.article.pk]),
        only(set(SIGNED_IN), allowed(_article_url)),
        lambda w, actor: Comment.objects.filter(author=actor, body="Komentar baru.").exists(),
        data=lambda w: {"body": "Komentar baru."},
    ),
    Action(
        "comments:post reply",
        lambda w: reverse("comments:post", args=[w.article.pk]),
        only(set(SIGNED_IN), allowed(_article_url)),
        lambda w, actor: Comment.objects.filter(
            author=actor, reply_to=w.readers_comment, body="Balasan."
        ).exists(),
        data=lambda w: {"body": "Balasan.", "reply_to": str(w.readers_comment.pk)},
    ),
    Action(
        "comments:edit",
        lambda w: reverse("comments:edit", args=[w.own_comment.pk]),
        only({"the author"}, allowed(lambda w, url: w.other_article.get_absolute_url())),
        lambda w, actor: _reload(w.own_comment).body == "Komentar diubah.",
        data=lambda w: {"body": "Komentar diubah."},
        get_shows_a_form=True,
    ),
    Action(
        "comments:delete",
        lambda w: reverse("comments:delete", args=[w.own_comment.pk]),
        only({"the author"}, allowed(lambda w, url: w.other_article.get_absolute_url())),
        lambda w, actor: _reload(w.own_comment).status == CommentStatus.DELETED,
        get_shows_a_form=True,
    ),
    Action(
        "comments:hide",
        lambda w: reverse("comments:hide", args=[w.readers_comment.pk]),
        only(EDITORS, allowed(_article_url)),
        lambda w, actor: _reload(w.readers_comment).status == CommentStatus.HIDDEN_BY_AUTHOR,
        get_shows_a_form=True,  # the confirmation with the optional reason (#17)
    ),
    Action(
        "comments:unhide",
        lambda w: reverse("comments:unhide", args=[w.readers_comment.pk]),
        only(EDITORS, allowed(_article_url)),
        lambda w, actor: _reload(w.readers_comment).status == CommentStatus.VISIBLE,
        setup=lambda w: hide_comment_as_author(w.readers_comment, by=w.author),
    ),
    Action(
        "comments:like",
        lambda w: reverse("comments:like", args=[w.readers_comment.pk]),
        only(set(SIGNED_IN) - {"reader"}, allowed(_article_url), refused=turned_back(_article_url)),
        lambda w, actor: CommentLike.objects.filter(
            reader=actor, comment=w.readers_comment
        ).exists(),
        data=lambda w: {"action": "like"},
        get_shows_a_form=True,
    ),
    Action(
        "comments:like unlike",
        lambda w: reverse("comments:like", args=[w.readers_comment.pk]),
        only(set(SIGNED_IN), allowed(_article_url)),
        lambda w, actor: (
            not CommentLike.objects.filter(reader=actor, comment=w.readers_comment).exists()
        ),
        data=lambda w: {"action": "unlike"},
        setup=_like_all,
        get_shows_a_form=True,
    ),
    # readinglist
    Action(
        "readinglist:toggle",
        lambda w: reverse("readinglist:toggle", args=[w.other_article.pk]),
        only(set(SIGNED_IN), allowed(lambda w, url: w.other_article.get_absolute_url())),
        lambda w, actor: Bookmark.objects.filter(reader=actor, article=w.other_article).exists(),
        data=lambda w: {"action": "save"},
        get_shows_a_form=True,
    ),
    Action(
        "readinglist:toggle remove",
        lambda w: reverse("readinglist:toggle", args=[w.other_article.pk]),
        only(set(SIGNED_IN), allowed(lambda w, url: w.other_article.get_absolute_url())),
        lambda w, actor: (
            not Bookmark.objects.filter(reader=actor, article=w.other_article).exists()
        ),
        data=lambda w: {"action": "remove"},
        setup=lambda w: [
            Bookmark.objects.create(reader=person, article=w.other_article)
            for role, person in w.people.items()
            if role != "anonymous"
        ],
        get_shows_a_form=True,
    ),
    # moderation: reports
    Action(
        "moderation:report_article",
        lambda w: reverse("moderation:report_article", args=[w.article.pk]),
        everyone_but_the_author(allowed(_article_url), turned_back(_article_url)),
        lambda w, actor: Report.objects.filter(reporter=actor, article=w.article).exists(),
        data=lambda w: {"reason": Reason.SPAM},
        get_shows_a_form=True,
    ),
    Action(
        "moderation:report_comment",
        lambda w: reverse("moderation:report_comment", args=[w.own_comment.pk]),
        everyone_but_the_author(
            allowed(lambda w, url: w.own_comment.get_absolute_url()),
            turned_back(lambda w, url: w.own_comment.get_absolute_url()),
        ),
        lambda w, actor: Report.objects.filter(reporter=actor, comment=w.own_comment).exists(),
        data=lambda w: {"reason": Reason.HARASSMENT},
        get_shows_a_form=True,
    ),
    Action(
        "moderation:report_account",
        lambda w: reverse("moderation:report_account", args=[w.author.username]),
        everyone_but_the_author(allowed(_author_page), turned_back(_author_page)),
        lambda w, actor: Report.objects.filter(reporter=actor, account=w.author).exists(),
        data=lambda w: {"reason": Reason.IMPERSONATION},
        get_shows_a_form=True,
    ),
    # moderation: the admin's actions
    Action(
        "admin:moderation_case_act hide",
        _act(ModerationAction.Kind.HIDE),
        only(MODERATORS, allowed(_case_url), refused=ADMIN_SIGN_IN, anonymous=ADMIN_SIGN_IN),
        lambda w, actor: _reload(w.article).status == Article.Status.HIDDEN,
        data=lambda w: {"rule": Reason.HOAX, "public_reason": "Kabar bohong."},
    ),
    Action(
        "admin:moderation_case_act dismiss",
        _act(ModerationAction.Kind.DISMISS),
        only(MODERATORS, allowed(_case_url), refused=ADMIN_SIGN_IN, anonymous=ADMIN_SIGN_IN),
        lambda w, actor: not w.case.reports.open().exists(),
        data=lambda w: {"public_reason": "Tidak melanggar."},
    ),
    Action(
        "admin:moderation_case_act warn",
        _act(ModerationAction.Kind.WARN),
        only(MODERATORS, allowed(_case_url), refused=ADMIN_SIGN_IN, anonymous=ADMIN_SIGN_IN),
        lambda w, actor: ModerationAction.objects.filter(kind="warn", moderator=actor).exists(),
        data=lambda w: {"rule": Reason.HOAX, "public_reason": "Peringatan."},
    ),
    Action(
        "admin:moderation_case_act suspend",
        _act(ModerationAction.Kind.SUSPEND),
        only(MODERATORS, allowed(_case_url), refused=ADMIN_SIGN_IN, anonymous=ADMIN_SIGN_IN),
        lambda w, actor: _reload(w.author).is_suspended,
        data=lambda w: {"rule": Reason.HOAX, "public_reason": "Berulang kali."},
    ),
    Action(
        "admin:moderation_case_changelist bulk hide",
        lambda w: reverse("admin:moderation_case_changelist"),
        only(
            MODERATORS,
            allowed(lambda w, url: url),
            refused=ADMIN_SIGN_IN,
            anonymous=ADMIN_SIGN_IN,
        ),
        lambda w, actor: _reload(w.article).status == Article.Status.HIDDEN,
        data=lambda w: {
            "action": "hide_selected",
            helpers.ACTION_CHECKBOX_NAME: [w.case.pk],
            "apply": "1",
            "rule": Reason.HOAX,
            "public_reason": "Kabar bohong.",
        },
        get_shows_a_form=True,  # GET is the queue itself
    ),
    # trust: the reading-time beacon counts signed-in readers of others' articles
    # and answers 204 either way (nobody reads the answer).
    Action(
        "trust:reading",
        lambda w: reverse("trust:reading", args=[w.article.pk]),
        {
            role: Outcome(204)
            if role in {"anonymous", "the author"}
            else Outcome(204, allowed=True)
            for role in ROLES
        },
        lambda w, actor: ReadingTime.objects.filter(user=actor, article=w.article).exists(),
        data=lambda w: {"seconds": "90"},
    ),
]


# --- rights (#17): every write URL of the app, and the admin's order and appeal routes


def _my_data(w: World, url: str) -> str:
    return reverse("rights:my_data")


def _hide_readers_comment(w: World) -> None:
    hide_comment_as_author(w.readers_comment, by=w.author, reason="Tidak relevan.")


def _hidden_by_moderator(w: World) -> None:
    moderation_services.hide_target(
        w.case,
        moderator=w.people["moderator"],
        rule=Reason.HOAX,
        public_reason="Tidak berdasar.",
    )


def _the_hide(w: World) -> ModerationAction:
    return ModerationAction.objects.get(case=w.case, kind="hide")


def _invite(w: World) -> None:
    rights_services.invite_reply(w.case.pk)


def _invitation(w: World) -> RightOfReply:
    return RightOfReply.objects.get(case=w.case)


def _open_order(w: World) -> None:
    order = GovernmentOrder(
        source="ministry",
        authority="Kementerian Komunikasi dan Digital",
        legal_basis="Permenkominfo 5/2020 Pasal 14",
        reference="MATRIKS-1",
        received_at=timezone.now(),
        targets=w.article.get_absolute_url(),
    )
    rights_services.receive_order(order, by=w.people["superuser"])


def _appeal_filed(w: World) -> None:
    _hidden_by_moderator(w)
    rights_services.file_appeal(_the_hide(w), by=w.author, text="Sumber saya BPS.")


def _order_changelist(w: World, url: str) -> str:
    return reverse("admin:rights_governmentorder_changelist")


STAFF_ONLY = {"refused": ADMIN_SIGN_IN, "anonymous": ADMIN_SIGN_IN}
ONLY_THE_AUTHOR_404 = Outcome(404)

ACTIONS += [
    Action(
        "rights:contest_hide",
        lambda w: reverse("rights:contest_hide", args=[w.readers_comment.pk]),
        only(
            {"reader"},
            allowed(lambda w, url: reverse("comments:hidden_notice", args=[w.readers_comment.pk])),
        ),
        lambda w, actor: Report.objects.filter(reporter=actor, account=w.author).exists(),
        data=lambda w: {"details": "Komentar saya sopan dan relevan."},
        setup=_hide_readers_comment,
        get_shows_a_form=True,
    ),
    Action(
        "rights:request_export",
        lambda w: reverse("rights:request_export"),
        only(set(SIGNED_IN), allowed(_my_data)),
        lambda w, actor: DataExport.objects.filter(user=actor).exists(),
    ),
    Action(
        "rights:save_consent",
        lambda w: reverse("rights:save_consent"),
        only(set(SIGNED_IN), allowed(_my_data)),
        lambda w, actor: ConsentChange.objects.filter(user=actor, granted=False).exists(),
        data=lambda w: {},  # every switch off
    ),
    Action(
        "rights:request_correction",
        lambda w: reverse("rights:request_correction"),
        only(set(SIGNED_IN), allowed(_my_data)),
        lambda w, actor: CorrectionRequest.objects.filter(user=actor).exists(),
        data=lambda w: {"what": "Tanggal bergabung saya salah."},
    ),
    Action(
        "rights:delete_account",
        lambda w: reverse("rights:delete_account"),
        # Staff accounts are closed by an administrator: the form says so (400).
        only(
            {"reader", "another author", "the author"},
            allowed(lambda w, url: reverse("articles:home")),
            refused=Outcome(400),
        ),
        lambda w, actor: AccountDeletion.objects.filter(user=actor).exists(),
        data=lambda w: {"password": "kata-sandi-uji", "writing": "keep"},
        get_shows_a_form=True,
    ),
    Action(
        "rights:appeal",
        lambda w: reverse("rights:appeal", args=[_the_hide(w).pk]),
        # Nobody else learns the decision exists.
        only(
            {"the author"},
            allowed(lambda w, url: reverse("rights:appeal", args=[_the_hide(w).pk])),
            refused=ONLY_THE_AUTHOR_404,
        ),
        lambda w, actor: Appeal.objects.filter(appellant=actor).exists(),
        data=lambda w: {"text": "Sumber saya data BPS 2025."},
        setup=_hidden_by_moderator,
        get_shows_a_form=True,
    ),
    Action(
        "rights:reply",
        lambda w: reverse("rights:reply", args=[_invitation(w).pk]),
        only(
            {"the author"},
            allowed(lambda w, url: reverse("rights:reply", args=[_invitation(w).pk])),
            refused=ONLY_THE_AUTHOR_404,
        ),
        lambda w, actor: _invitation(w).replied_at is not None,
        data=lambda w: {"text": "Sumber saya data BPS 2025."},
        setup=_invite,
        get_shows_a_form=True,
    ),
    Action(
        "admin:rights_governmentorder_add",
        lambda w: reverse("admin:rights_governmentorder_add"),
        only(MODERATORS, allowed(_order_changelist), **STAFF_ONLY),
        lambda w, actor: GovernmentOrder.objects.filter(created_by=actor).exists(),
        data=lambda w: {
            "source": "court",
            "authority": "PN Jakarta Pusat",
            "legal_basis": "UU ITE Pasal 26",
            "reference": "12/Pdt.P/2026",
            "kind": "takedown",
            "urgency": "normal",
            "received_at_0": "2026-12-02",
            "received_at_1": "23:30:00",
            "targets": w.article.get_absolute_url(),
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
        get_shows_a_form=True,
    ),
    Action(
        "admin:rights_governmentorder_changelist carry_out",
        lambda w: reverse("admin:rights_governmentorder_changelist"),
        only(MODERATORS, allowed(lambda w, url: url), **STAFF_ONLY),
        lambda w, actor: _reload(w.article).status == Article.Status.WITHHELD,
        data=lambda w: {
            "action": "carry_out",
            helpers.ACTION_CHECKBOX_NAME: [GovernmentOrder.objects.get().pk],
        },
        setup=_open_order,
        get_shows_a_form=True,  # GET is the list of orders
    ),
    Action(
        "admin:rights_appeal_change",
        lambda w: reverse("admin:rights_appeal_change", args=[Appeal.objects.get().pk]),
        # The moderator decided the hide, so a different one decides the appeal:
        # the moderator is turned back with a message, the superuser decides.
        {
            **only({"superuser"}, allowed(lambda w, url: "/admin/rights/appeal/"), **STAFF_ONLY),
            "moderator": turned_back(lambda w, url: "/admin/rights/appeal/"),
        },
        lambda w, actor: Appeal.objects.filter(status="upheld", decided_by=actor).exists(),
        data=lambda w: {"status": "upheld", "outcome_reason": "Tidak ada sumber."},
        setup=_appeal_filed,
        get_shows_a_form=True,
    ),
]

ACTION_BY_NAME = {action.name: action for action in ACTIONS}


# --- The database, table by table ---------------------------------------------------

TABLES = [
    User,
    Follow,
    EmailAddress,
    Group.user_set.through,
    Article,
    ArticleAutosave,
    ArticleRevision,
    BodyImage,
    Correction,
    Tag,
    TaggedArticle,
    Rating,
    Comment,
    CommentLike,
    Bookmark,
    Report,
    Case,
    ModerationAction,
    DataExport,
    ConsentChange,
    CorrectionRequest,
    AccountDeletion,
    Appeal,
    RightOfReply,
    GovernmentOrder,
    OrderTarget,
    ReadingTime,
]


def database() -> dict[str, list[dict]]:
    """Every row of every table a request could touch (sessions aside)."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in TABLES}


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def send(client: Client, action: Action, world: World, method: str = "post"):
    url = action.url(world)
    if method == "get":
        return url, client.get(url)
    return url, client.post(url, action.data(world))


# --- The matrix -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action_name", "role"),
    [(action.name, role) for action in ACTIONS for role in ROLES],
    ids=[f"{action.name} as {role}" for action in ACTIONS for role in ROLES],
)
def test_each_role_gets_exactly_what_it_should(world, action_name, role):
    action = ACTION_BY_NAME[action_name]
    expected = action.outcomes[role]
    actor = world.people[role]
    client = signed_in(actor)  # signing in writes last_login: before the snapshot
    action.setup(world)
    before = database()

    url, response = send(client, action, world)

    assert response.status_code == expected.status, (expected.describe(), response)
    if expected.location is not None:
        assert response["Location"].startswith(expected.location(world, url)), response["Location"]
    if expected.allowed:
        assert action.done(world, actor), "the allowed request had no effect"
    else:
        assert changed_tables(before, database()) == [], "a refused request changed rows"


def test_the_matrix_covers_every_state_changing_url():
    """Every URL of our apps is either in the matrix or known to change nothing."""
    read_only = {
        "accounts": set(),
        "articles": {
            "home", "feed", "topic_feed", "tag_feed", "author_feed", "topic", "tag", "atom_feed",
            "topic_atom_feed", "tag_atom_feed", "author_atom_feed",
            "tag_suggestions", "author", "detail", "page", "all_pages", "dashboard", "following",
            "search", "revisions", "revision", "editor_catalogue",
        },
        "comments": {"permalink", "reply", "hidden_notice", "like_status"},
        "readinglist": {"list", "status"},
        "moderation": {"my_reports"},
        "rights": {
            "my_data", "download_export", "transparency", "transparency_month",
            "transparency_csv",
        },
        "trust": set(),
    }  # fmt: skip
    in_matrix = {action.name.split()[0] for action in ACTIONS}
    found = set()
    for namespace in read_only:
        found |= {f"{namespace}:{name}" for name in _names(namespace)}
    classified = in_matrix | {f"{ns}:{name}" for ns, names in read_only.items() for name in names}

    assert found <= classified, f"not in the matrix: {sorted(found - classified)}"
    assert {name for name in in_matrix if not name.startswith("admin:")} <= found
    # The moderation admin's own write URL is in the matrix too.
    assert "moderation_case_act" in _names("admin")


def _names(namespace: str) -> set[str]:
    """The URL names under a namespace, found by walking the URL configuration."""
    names = set()

    def walk(patterns, current):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or current)
            elif isinstance(pattern, URLPattern) and pattern.name and current == namespace:
                names.add(pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


# --- GET and CSRF ---------------------------------------------------------------------


def _an_allowed_role(action: Action) -> str:
    return next(role for role in ROLES if action.outcomes[role].allowed)


@pytest.mark.parametrize("action_name", ACTION_BY_NAME)
def test_get_never_changes_anything(world, action_name):
    """POST-only URLs answer 405; the others show their form and change nothing."""
    action = ACTION_BY_NAME[action_name]
    client = signed_in(world.people[_an_allowed_role(action)])
    action.setup(world)
    before = database()

    _, response = send(client, action, world, method="get")

    assert response.status_code == (200 if action.get_shows_a_form else 405)
    assert changed_tables(before, database()) == []


@pytest.mark.parametrize("action_name", ACTION_BY_NAME)
def test_a_post_without_the_csrf_token_is_refused(world, action_name):
    action = ACTION_BY_NAME[action_name]
    client = signed_in(world.people[_an_allowed_role(action)], enforce_csrf_checks=True)
    action.setup(world)
    before = database()

    _, response = send(client, action, world)

    assert response.status_code == 403
    assert changed_tables(before, database()) == []


# --- Extra form fields never reach protected columns ----------------------------------
# (Articles: tests/articles/test_authoring_views.py; profiles: tests/accounts/test_profile.py.)


def test_a_comment_ignores_fields_the_form_does_not_show(world):
    reader, other = world.people["reader"], world.people["another author"]

    response = signed_in(reader).post(
        reverse("comments:post", args=[world.article.pk]),
        {
            "body": "Komentar jujur.",
            "author": other.pk,
            "article": world.other_article.pk,
            "status": CommentStatus.HIDDEN_BY_MODERATOR,
            "parent": world.readers_comment.pk,
            "thread": world.readers_comment.pk,
            "depth": "3",
            "path": "000000000001",
            "body_html": "<script>alert(1)</script>",
            "edited_at": "2020-01-01 08:00",
            "created_at": "2020-01-01 08:00",
        },
    )

    assert response.status_code == 302
    comment = Comment.objects.get(body="Komentar jujur.")
    assert comment.author == reader
    assert comment.article == world.article
    assert comment.status == CommentStatus.VISIBLE
    assert comment.parent is None and comment.depth == 0 and comment.thread_id == comment.pk
    assert comment.body_html == "<p>Komentar jujur.</p>"
    assert comment.edited_at is None


def test_a_comment_edit_ignores_fields_the_form_does_not_show(world):
    comment = world.own_comment

    response = signed_in(world.author).post(
        reverse("comments:edit", args=[comment.pk]),
        {
            "body": "Diubah.",
            "status": CommentStatus.HIDDEN_BY_MODERATOR,
            "author": world.people["reader"].pk,
            "article": world.article.pk,
            "body_html": "<script>alert(1)</script>",
        },
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.body, comment.status) == ("Diubah.", CommentStatus.VISIBLE)
    assert comment.author == world.author and comment.article == world.other_article
    assert comment.body_html == "<p>Diubah.</p>"


def test_a_report_ignores_fields_the_form_does_not_show(world):
    reader = world.people["reader"]

    response = signed_in(reader).post(
        reverse("moderation:report_article", args=[world.article.pk]),
        {
            "reason": Reason.SPAM,
            "details": "Iklan.",
            "reporter": world.people["another author"].pk,
            "status": Report.Status.ACTION_TAKEN,
            "severity": "0",
            "case": world.case.pk + 1,
            "article": world.other_article.pk,
            "snapshot_title": "Palsu",
            "snapshot_html": "<script>alert(1)</script>",
        },
    )

    assert response.status_code == 302
    mine = Report.objects.get(reporter=reader)
    assert mine.article == world.article and mine.case == world.case
    assert mine.status == Report.Status.RECEIVED
    assert mine.severity > 0
    assert (mine.snapshot_title, mine.snapshot_html) == (
        world.article.title,
        world.article.body_html,
    )


def test_a_moderation_action_records_the_moderator_who_sent_it(world):
    moderator = world.people["moderator"]

    signed_in(moderator).post(
        reverse("admin:moderation_case_act", args=[world.case.pk, "warn"]),
        {
            "rule": Reason.HOAX,
            "public_reason": "Peringatan.",
            "moderator": world.people["superuser"].pk,
            "case": world.case.pk + 1,
            "kind": ModerationAction.Kind.SUSPEND,
        },
    )

    (action,) = ModerationAction.objects.all()
    assert (action.moderator, action.case, action.kind) == (moderator, world.case, "warn")
    assert not _reload(world.author).is_suspended
