"""Settings for the test suite: the real settings with a throwaway key.

Tests run with DEBUG off, as production does. DATABASE_URL and REDIS_URL
switch the suite to PostgreSQL and Redis (the CI's second pass).
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Federation's ids on the test client's own origin (production sets its domain).
os.environ.setdefault("SITE_URL", "http://testserver")

from .settings import *  # noqa: F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file (not memory) so threads in concurrency tests share it; one per
    # process so parallel runs never share a file.
    DATABASES["default"]["TEST"] = {"NAME": BASE_DIR / f"test-db-{os.getpid()}.sqlite3"}  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks run at once after the commit; tests of the worker switch to the database backend.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# pytest-xdist workers each get their own Redis database, so one worker
# clearing the cache between tests never touches another's keys.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
if REDIS_URL:  # noqa: F405
    _base, _, _db = REDIS_URL.rpartition("/")  # noqa: F405
    _db_number = int(_db) if _db.isdigit() else 0
    CACHES["default"]["LOCATION"] = f"{_base}/{_db_number + int(_worker.removeprefix('gw'))}"  # noqa: F405

# Most tests write rows with factories, past the services that bump the
# generations; tests/caching/test_pages.py turns both caches on where they are tested.
PAGE_CACHE = False
FRAGMENT_CACHE = False
