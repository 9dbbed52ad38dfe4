from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core import links
from core.fulltext import PostgresOnlyGinIndex


class Occupation(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher or lecturer")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    PRIVATE_EMPLOYEE = "private_employee", _("Private employee")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur")
    JOURNALIST = "journalist", _("Journalist or writer")
    HEALTH_WORKER = "health_worker", _("Health worker")
    FARMER = "farmer", _("Farmer or fisher")
    RETIRED = "retired", _("Retired")
    OTHER = "other", _("Other")


class User(AbstractUser):
    """The one user model: a reader, an author, a moderator are all users."""

    # Nested name for callers (User.Occupation.OTHER); defined at module level
    # so Meta's constraint can read its values.
    Occupation = Occupation

    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    occupation = models.CharField(
        _("occupation"), max_length=32, choices=Occupation, default=Occupation.OTHER
    )
    tagline = models.CharField(_("tagline"), max_length=140, blank=True)
    bio = models.TextField(_("bio"), max_length=2000, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True)
    is_verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Shows a verified badge next to the name.")
    )
    # Moderation: a suspended account cannot sign in until the date, or at all
    # when indefinite. Set only through accounts.services.
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    suspended_indefinitely = models.BooleanField(_("suspended indefinitely"), default=False)
    # Part of the session hash: raising it signs the account out everywhere.
    session_version = models.PositiveIntegerField(default=0, editable=False)
    # The language of every email to this person: the one they signed up in,
    # changeable on the profile form. Empty for accounts older than the choice:
    # the site's language.
    language = models.CharField(
        _("language of emails"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occupation__in=Occupation.values),
                name="accounts_user_occupation_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=["", *dict(settings.LANGUAGES)]),
                name="accounts_user_language_valid",
            ),
        ]
        # Search: authors whose name is like the query (pg_trgm, README "Search").
        indexes = [
            PostgresOnlyGinIndex(
                OpClass("display_name", name="gin_trgm_ops"), name="accounts_user_name_trgm"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return links.url("articles:author", username=self.username)

    def get_session_auth_hash(self):
        """Sessions stay valid while the password and the session version are unchanged."""
        return self._session_hash(secret=None)

    def get_session_auth_fallback_hash(self):
        # Sessions signed with an older key (SECRET_KEY_FALLBACKS) stay valid.
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)

    def _session_hash(self, *, secret) -> str:
        return salted_hmac(
            "accounts.User.session_hash",
            f"{self.password}:{self.session_version}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_suspended(self) -> bool:
        if self.suspended_indefinitely:
            return True
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def name(self) -> str:
        """What readers see: the display name, else the username."""
        return self.display_name or self.username

    @property
    def mail_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE

    @property
    def initials(self) -> str:
        return "".join(part[0] for part in self.name.split()[:2]).upper() or "?"


# What pages show of a person. Whatever is cached about people (a page's author,
# a card's) carries only these fields: no password hash, no email, nothing a
# session depends on (README, "Caching").
PUBLIC_FIELDS = (
    "id",
    "username",
    "display_name",
    "occupation",
    "tagline",
    "bio",
    "avatar",
    "is_verified",
    "is_active",
    "date_joined",
)


def private_fields(prefix: str = "") -> list[str]:
    """The user's other fields, to ``defer()`` (``prefix`` for a related user: "author__")."""
    return [
        f"{prefix}{field.name}"
        for field in User._meta.concrete_fields
        if field.name not in PUBLIC_FIELDS
    ]


class Follow(models.Model):
    """A reader following an author (the + next to the author's name)."""

    follower = models.ForeignKey(
        User, verbose_name=_("follower"), on_delete=models.CASCADE, related_name="following"
    )
    author = models.ForeignKey(
        User, verbose_name=_("author"), on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["follower", "author"], name="accounts_follow_unique"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("author")),
                name="accounts_follow_not_self",
            ),
        ]
        # The unique constraint's index serves "whom do I follow"; this one
        # serves "who follows this author" (follower counts).
        indexes = [models.Index(fields=["author", "-created_at"], name="accounts_follow_author")]

    def __str__(self):
        return f"{self.follower} → {self.author}"
