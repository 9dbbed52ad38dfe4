"""Settings for Kolom Warga, read from environment variables.

Defaults are safe for a laptop: SQLite, an in-process cache, mail printed to the
console. Production sets DEBUG off and provides SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and REDIS_URL (see README).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def source_digest(root: Path) -> str:
    """A short digest of the code and templates (and Django's version): it
    changes with every deploy that changes them."""
    import hashlib

    import django

    digest = hashlib.blake2b(django.get_version().encode(), digest_size=6)
    folders = [
        folder
        for folder in root.iterdir()
        if (folder / "__init__.py").exists() or folder.name == "templates"
    ]
    for folder in sorted(folders):
        for path in sorted((*folder.rglob("*.py"), *folder.rglob("*.html"))):
            digest.update(path.read_bytes())
    return digest.hexdigest()


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Production runs behind a load balancer that terminates HTTPS (see README).
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", not DEBUG)
# How many reverse proxies in front of the app append to X-Forwarded-For: behind
# them every request comes from the nearest one's address, and the client is the
# address the outermost appended (core.network.client_address; what a client
# writes there itself, to the left of it, is ignored). One, the load balancer,
# in production; none on a laptop, where the header is ignored entirely.
_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "1" if BEHIND_HTTPS_PROXY else "0").strip()
if not (_proxies.isascii() and _proxies.isdigit()):
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT must be a number of proxies, 0 or more, not {_proxies!r}."
    )
TRUSTED_PROXY_COUNT = int(_proxies)

SITE_NAME = os.environ.get("SITE_NAME", "Kolom Warga")
# The site's one public address (scheme and host, no path): every absolute link
# the site writes for elsewhere (mail, feeds, sitemaps, canonical and share
# links, the API, federation) is built on it, never on a request's Host header;
# the Sites row follows it at each migrate (core.origin). Without it: the
# development server's address under DEBUG, else the first of ALLOWED_HOSTS
# over HTTPS (check --deploy warns).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
SITE_URL_SET = bool(SITE_URL)
if not SITE_URL:
    _named_hosts = [host.lstrip(".") for host in ALLOWED_HOSTS if host not in {"*", ""}]
    if DEBUG:
        SITE_URL = "http://127.0.0.1:8000"
    elif _named_hosts:
        SITE_URL = f"https://{_named_hosts[0]}"
if SITE_URL and (
    not SITE_URL.startswith(("http://", "https://")) or "/" in SITE_URL.split("://", 1)[1]
):
    raise ImproperlyConfigured(
        f"SITE_URL must be a scheme and a host, such as https://kolomwarga.id, not {SITE_URL!r}."
    )
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    # SearchVectorField, GIN indexes and pg_trgm lookups (unused on SQLite).
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "taggit",
    "django_prose_editor",
    # Django Ninja: the public API's OpenAPI schema and its Swagger UI static files.
    "ninja",
    "rights",
    "federation",
    "api",
    "accounts",
    "articles",
    "comments",
    "readinglist",
    "search",
    "moderation",
    "trust",
    "notifications",
    "core",
    "caching",
    "demo",
    # Background tasks (django.tasks) kept in the database for `make worker`.
    "django_tasks_db",
    # The project's own system checks (blogplatform/checks.py).
    "blogplatform.apps.BlogplatformConfig",
]

MIDDLEWARE = [
    # Outermost, so that every response carries the security headers, even one
    # answered before the view (a refused Host header is answered by CommonMiddleware).
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache: an ActivityPub client asking for an author, topic or
    # article page gets JSON, never the cached HTML, and the HTML never the JSON
    # (federation/middleware.py; README "Federation").
    "federation.middleware.ActivityJsonMiddleware",
    # Before the session: a signed-out reader's cached page skips everything
    # below (caching/pages.py); signed-in responses become private.
    "caching.pages.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Refuses (400) NUL bytes in the path, parameters, cookies and form fields
    # before a query sees them; after Locale, so the 400 page is in the URL's
    # language, and after Common, so a bad Host is refused first (core/middleware.py).
    # Under /api/ the API's own middleware answers first, in problem+json, and
    # applies the API's address limit, size limit and CORS (api/middleware.py).
    "api.middleware.ApiMiddleware",
    "core.middleware.RefuseUnstorableTextMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]
# The site's own error pages under DEBUG too (core/middleware.py); Django's
# technical pages only when asked for.
TECHNICAL_ERROR_PAGES = env_bool("TECHNICAL_ERROR_PAGES")
if DEBUG and not TECHNICAL_ERROR_PAGES:
    MIDDLEWARE.append("core.middleware.FriendlyErrorPagesMiddleware")

ROOT_URLCONF = "blogplatform.urls"
WSGI_APPLICATION = "blogplatform.wsgi.application"
ASGI_APPLICATION = "blogplatform.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "blogplatform.context_processors.site",
                "articles.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]


# Database: SQLite by default, any DATABASE_URL (PostgreSQL in production).
def database(url: str) -> dict:
    return dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")), conn_health_checks=True
    )


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on SQLite: WAL lets readers run beside one writer,
    # IMMEDIATE takes the write lock at BEGIN so two writers queue behind the
    # busy timeout instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": BASE_DIR / "test-db.sqlite3"}

# Read replicas (README, "Past one machine"): DATABASE_REPLICA_URLS lists them,
# comma-separated. Page reads go to a replica, writes and the requests around
# them to the primary (blogplatform/routers.py).
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _alias = f"replica{_number}"
    DATABASES[_alias] = database(_url)
    # Under test the replica is the primary's test database, as replication makes it.
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
# How long after a write a client keeps reading from the primary (its own
# changes are then visible however far a replica lags behind).
REPLICA_LAG_SECONDS = int(os.environ.get("REPLICA_LAG_SECONDS", "10"))
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["blogplatform.routers.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "blogplatform.routers.PrimaryAfterWriteMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Cache: in-process by default; Redis (shared by every app process) when
# REDIS_URL is set. View counting and rate limits rely on it being shared.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache with short timeouts; a failure is a miss (caching.backends).
            "BACKEND": "caching.backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "kw"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "accounts.backends.SuspensionAwareModelBackend",
    "accounts.backends.SuspensionAwareAuthenticationBackend",
]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"

# django-allauth: sign up with email and username, email confirmed by a link.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# A password change keeps the session it was made in (allauth calls
# update_session_auth_hash) and ends every other: the session hash includes
# the password (accounts.User.get_session_auth_hash).
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Rate limits live in the default cache, which is Redis in production, so
# they hold across app processes (a deploy check warns when it is not shared).
# allauth keeps its defaults for the actions not named here.
ACCOUNT_RATE_LIMITS = {
    # The 7th failed sign-in within a minute from one address is refused, and
    # so is the 7th on one account within five minutes from anywhere: anyone
    # can lock the password path of an account, so its owner signs in by code.
    "login_failed": "6/m/ip,6/5m/key",
    # Sign-in codes by email: few per address (each code takes three guesses,
    # ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS), and more per email address than one
    # attacking address can use up, so the owner still gets one (SECURITY.md).
    "request_login_code": "3/10m/ip,20/h/key",
    "signup": "5/10m/ip",
    # Per address, and per email address so nobody can flood a mailbox.
    "reset_password": "5/m/ip,3/h/key",
}
# allauth asks accounts.adapter.AccountAdapter.get_client_ip, which is
# core.network.client_address (TRUSTED_PROXY_COUNT above); the same count here
# keeps allauth's own reading of the setting in step.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Sign in with a code sent by email, beside the password: it does not count
# towards (and is not refused by) the failed-password limits above, so the
# owner of an account someone keeps locked can still get in.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 5 * 60
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# Internationalisation: Indonesian first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# "2 Desember 2021 13:12": Django's stock Indonesian format abbreviates.
FORMAT_MODULE_PATH = ["blogplatform.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Data Saya exports (rights app): kept outside MEDIA_ROOT, which the web server
# serves to anyone; only the signed download view reads them. Shared storage in
# production, like MEDIA_ROOT, so any node can send what the worker wrote.
RIGHTS_EXPORT_ROOT = Path(os.environ.get("RIGHTS_EXPORT_ROOT", BASE_DIR / "private" / "exports"))
# Serve media from the app in development and in the demo; production puts
# media on shared storage behind the web server (see README).
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

# Media on S3-compatible object storage (django-storages, the "s3" dependency
# group) once a bucket is named: every app node then reads and writes the same
# uploads. Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or
# the machine's role; MEDIA_S3_ENDPOINT_URL points at a non-AWS service.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            # A CDN in front of the bucket, if any.
            "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
            # Uploads get generated names and are never rewritten: public,
            # cacheable for a year, and the bucket's policy decides access.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    SERVE_MEDIA = False

# Mail: Django 6.1 mailers. Console in development, SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kolom Warga <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Background tasks (Django 6.1 django.tasks). Production queues them in the
# database and `make worker` (django-tasks-db's db_worker) runs them; with
# DEBUG on, or TASKS_BACKEND=immediate, they run at once in the process that
# queued them, after the commit.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}
# A burst of notifications for one person becomes one email: the first one
# queues the email this many seconds later, the others join it.
NOTIFICATIONS_EMAIL_DELAY = int(os.environ.get("NOTIFICATIONS_EMAIL_DELAY", "300"))

# Security headers. HTTPS settings switch on with DEBUG off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_HTTPS_PROXY else None
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The editor positions its menus with inline styles; scripts stay nonce-only.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # Only the video players a reader starts by a click (articles.bodyimages).
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
}

# bench/: serve the yardstick page (a 30 KB template, no queries) that
# benchmark ratios are measured against. Off everywhere else.
BENCHMARK_YARDSTICK = env_bool("BENCHMARK_YARDSTICK")

# Caching (the caching app; README "Caching"). Signed-out pages are
# kept in each process's memory, checked against generations in the shared
# cache on every hit; PAGE_CACHE=false turns that off (headers stay). Off by
# default with DEBUG, so that a changed template shows at once.
PAGE_CACHE = env_bool("PAGE_CACHE", not DEBUG)
# An entry's longest life, whatever the generations say.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# Memory per process for cached pages (least recently used go first).
PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_MB", "32")) * 1024 * 1024
# Fragments and objects in the shared cache under the same generations (the
# comment section, the article, related lists, header topics).
FRAGMENT_CACHE = env_bool("FRAGMENT_CACHE", not DEBUG)
# Memory per process for fragments kept in front of the shared cache.
FRAGMENT_CACHE_MAX_BYTES = int(os.environ.get("FRAGMENT_CACHE_MAX_MB", "16")) * 1024 * 1024
# At most this many entries per process in each store, whatever their size.
PAGE_CACHE_MAX_ENTRIES = int(os.environ.get("PAGE_CACHE_MAX_ENTRIES", "5000"))
FRAGMENT_CACHE_MAX_ENTRIES = int(os.environ.get("FRAGMENT_CACHE_MAX_ENTRIES", "20000"))
# Cached fragments carry the release, so a deploy never reads the last one's
# objects: RELEASE (set it to the deployed commit), or a digest of the code.
CACHE_RELEASE = os.environ.get("RELEASE") or source_digest(BASE_DIR)
# After Redis fails, leave it alone this long (every cache read is a miss),
# and log a failure at most once per the other interval (caching.redis).
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "5"))
CACHE_ERROR_LOG_SECONDS = float(os.environ.get("CACHE_ERROR_LOG_SECONDS", "60"))
# Rate limits that refuse rather than allow while Redis is unavailable
# (sign-in, sign-up, password reset: SECURITY.md); every other one allows.
CACHE_FAIL_CLOSED_PREFIXES = ["allauth:rl:"]
# How long nginx, a CDN or a browser may reuse a signed-out page.
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "10"))

# Reading.
ARTICLES_PER_PAGE = 12
# A reader's repeated visits to one article count once per this many seconds.
VIEW_COUNT_WINDOW = int(os.environ.get("VIEW_COUNT_WINDOW", str(30 * 60)))
# With Redis, views are buffered there and written to the database by the
# worker's flush_view_counts task, queued at most once per this many seconds
# and run this long after the view that queued it (articles/viewcounts.py).
VIEW_FLUSH_SECONDS = int(os.environ.get("VIEW_FLUSH_SECONDS", "10"))
# An article body with no explicit page break is split into pages of about
# this many characters, at paragraph boundaries.
ARTICLE_PAGE_CHARS = 4000
# Reading time on articles and cards: an adult reads about 200 words of Indonesian
# prose a minute (README, "Writing").
READING_WORDS_PER_MINUTE = 200
# Photos in article bodies (README, "Writing"): per author at most this much
# stored (every rendition counts) and this many uploads an hour; per article
# at most this many photos.
BODY_IMAGE_QUOTA_MB = int(os.environ.get("BODY_IMAGE_QUOTA_MB", "200"))
BODY_IMAGE_UPLOADS_PER_HOUR = int(os.environ.get("BODY_IMAGE_UPLOADS_PER_HOUR", "30"))
BODY_IMAGES_PER_ARTICLE = 40

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"handlers": ["console"], "level": "WARNING"}},
}

# Tags are normalised to lower case before saving; matching ignores case too.
TAGGIT_CASE_INSENSITIVE = True
MAX_TAGS_PER_ARTICLE = 10

# The public API (README, "Public API"): requests a minute per client address
# (every request under /api/) and per personal access token; 0 switches one off.
API_RATE_LIMIT_ADDRESS = int(os.environ.get("API_RATE_LIMIT_ADDRESS", "300"))
API_RATE_LIMIT_TOKEN = int(os.environ.get("API_RATE_LIMIT_TOKEN", "120"))
# The largest request body a write may send.
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(512 * 1024)))
# Webhooks may call private, loopback and link-local addresses only in
# development (DEBUG) or with this on: otherwise a hook could reach our own network.
API_WEBHOOKS_ALLOW_PRIVATE = env_bool("API_WEBHOOKS_ALLOW_PRIVATE")

# Trust and spam (README, "Trust and spam"; the trust app). Levels are earned,
# never granted by hand; every threshold is here. TRUST_SCREENING off lets
# every post through unlooked-at (the test suite, except tests/trust).
TRUST_SCREENING = env_bool("TRUST_SCREENING", True)
TRUST_DASAR_DAYS = 2  # account age for Dasar (with a confirmed email and some activity)
TRUST_DASAR_ARTICLES = 1  # ... and one published article
TRUST_DASAR_COMMENTS = 3  # ... or this many comments that stayed visible
TRUST_TEPERCAYA_DAYS = 30
TRUST_TEPERCAYA_ARTICLES = 3
TRUST_TEPERCAYA_COMMENTS = 5
# Minutes spent reading others' articles (the article page's beacon): enough of
# it earns Dasar without posting; Tepercaya needs it too (0 turns either off).
TRUST_DASAR_READING_MINUTES = 10
TRUST_TEPERCAYA_READING_MINUTES = 60
# What one article counts for one reader on one day, however long the tab stays open.
TRUST_READING_CAP_SECONDS = 20 * 60
# Releasing this many held items of a Baru account makes it Dasar.
TRUST_RELEASES_FOR_DASAR = 2
# Content hidden by moderators or rejected in review: one strike caps the
# account at Dasar, this many make it Baru again.
TRUST_DEMOTE_STRIKES = 2
# Probation: a Baru account's first article and this many comments are held.
TRUST_PROBATION_COMMENTS = 3
# Links per post, by level (Baru, Dasar, Tepercaya).
TRUST_MAX_LINKS = (2, 5, 20)
# First day of an account: at most this many of each (then a translated refusal).
TRUST_FIRST_DAY_HOURS = 24
TRUST_FIRST_DAY_CAPS = {"article": 2, "comment": 10, "follow": 20, "report": 5}
# Sign-ups from one address in a day beyond which new accounts are flagged for review.
TRUST_SIGNUPS_PER_ADDRESS = 5
# A host linked from this many different accounts within a day is held (spam rings).
TRUST_REPEATED_HOST_ACCOUNTS = 3
TRUST_FINGERPRINT_HOURS = 24
# The same text from another account within this many minutes is held.
TRUST_DUPLICATE_MINUTES = 30
# Seconds between a form being shown and sent below which a person cannot have typed it.
TRUST_MIN_FORM_SECONDS = {"article": 20, "comment": 3}
TRUST_BLOCKED_HOSTS = [
    host.strip() for host in os.environ.get("TRUST_BLOCKED_HOSTS", "").split(",") if host.strip()
]
# Extra words for the list (comma-separated); trust/words.py has the shipped list.
TRUST_EXTRA_WORDS = [
    word.strip() for word in os.environ.get("TRUST_EXTRA_WORDS", "").split(",") if word.strip()
]
# The classifier holds (never for Tepercaya alone) at this spam probability.
TRUST_CLASSIFIER_THRESHOLD = float(os.environ.get("TRUST_CLASSIFIER_THRESHOLD", "0.6"))
# The worker's daily upkeep (retrain, levels) runs at this hour, site time (WIB).
TRUST_UPKEEP_HOUR = int(os.environ.get("TRUST_UPKEEP_HOUR", "3"))
# A moderator's release or reject retrains the classifier this long after (one
# retrain for a burst of decisions).
TRUST_RETRAIN_DELAY_SECONDS = 120
# Federation over ActivityPub (README, "Federation"). On by default; off, the
# discovery endpoints, actors and inboxes answer 404 and nothing is delivered.
FEDERATION = env_bool("FEDERATION", True)
# Actor and object ids are built on SITE_URL (above; core.origin).
# Remote fetches and deliveries may reach loopback and private addresses only
# with this on (development, tests and the local peer of the browser tests).
FEDERATION_ALLOW_PRIVATE = env_bool("FEDERATION_ALLOW_PRIVATE")
# The largest activity an inbox accepts, and how many one remote server may
# post a minute.
FEDERATION_MAX_BODY_BYTES = int(os.environ.get("FEDERATION_MAX_BODY_BYTES", str(256 * 1024)))
FEDERATION_INBOX_RATE = int(os.environ.get("FEDERATION_INBOX_RATE", "300"))
