"""Production configuration: the deploy checks, and the project's own check that the
cache holding rate limits and view counts is shared between app processes.

tests/test_settings.py runs ``check --deploy`` on the README's production
environment (0 issues); these tests add what makes that environment safe.
"""

import json

import pytest
from django.core.checks import Tags, run_checks

from blogplatform.checks import check_cache_is_shared, check_tasks_run_in_background
from tests.test_settings import check_deploy, production_environment, run_python

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    "backend",
    [
        LOCMEM,
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_an_unshared_cache_with_debug_off_is_a_deploy_warning(settings, tmp_path, backend):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": str(tmp_path)}}

    (warning,) = check_cache_is_shared(None)

    assert warning.id == "blogplatform.W001"
    assert "per-process" in warning.msg
    assert "rate limits and view counts are not shared" in warning.msg
    assert "REDIS_URL" in warning.hint


def test_redis_passes_the_check(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:6379/0"}}

    assert check_cache_is_shared(None) == []


def test_the_in_process_cache_is_fine_in_development(settings):
    settings.DEBUG = True
    settings.CACHES = {"default": {"BACKEND": LOCMEM}}

    assert check_cache_is_shared(None) == []


def test_the_check_runs_with_the_deploy_checks_only(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": LOCMEM}}

    deploy = run_checks(tags=[Tags.caches], include_deployment_checks=True)
    everyday = run_checks(tags=[Tags.caches])

    assert "blogplatform.W001" in [message.id for message in deploy]
    assert "blogplatform.W001" not in [message.id for message in everyday]


def test_check_deploy_fails_production_without_redis():
    environment = production_environment(EMAIL_HOST="smtp.example.net")
    del environment["REDIS_URL"]

    result = check_deploy(**environment)
    output = result.stdout + result.stderr

    assert result.returncode != 0
    assert "blogplatform.W001" in output
    assert "1 issue" in output


def _production_setting(expression: str, **environment):
    result = run_python(
        "-c",
        f"import json, blogplatform.settings as s; print(json.dumps({expression}))",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_trusts_one_proxy_for_client_addresses():
    environment = production_environment()
    both = "[s.TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_PROXY_COUNT]"

    assert _production_setting(both, **environment) == [1, 1]
    assert _production_setting(both, DEBUG="true") == [0, 0]
    assert _production_setting(both, **environment, TRUSTED_PROXY_COUNT="2") == [2, 2]


@pytest.mark.parametrize("value", ["-1", "one", "1.5", "²"])
def test_a_proxy_count_that_is_not_a_number_stops_the_start(value):
    result = run_python(
        "-c",
        "import blogplatform.settings",
        **production_environment(),
        TRUSTED_PROXY_COUNT=value,
    )

    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be a number of proxies, 0 or more" in result.stderr


def test_production_cookies_and_hsts():
    values = _production_setting(
        "[s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
        " s.SECURE_CONTENT_TYPE_NOSNIFF, s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY]",
        **production_environment(),
    )

    assert values == [
        True, True, True,
        True, True, True,
        "Lax", "Lax", True,
        31536000, True, True,
        True, "DENY", "strict-origin-when-cross-origin",
    ]  # fmt: skip


IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_tasks_run_in_the_request_are_a_deploy_warning(settings):
    settings.DEBUG = False
    settings.TASKS = IMMEDIATE

    [warning] = check_tasks_run_in_background(None)

    assert warning.id == "blogplatform.W002"


@pytest.mark.parametrize("debug, tasks", [(False, DATABASE), (True, IMMEDIATE)])
def test_queued_tasks_or_development_pass_the_tasks_check(settings, debug, tasks):
    settings.DEBUG = debug
    settings.TASKS = tasks

    assert check_tasks_run_in_background(None) == []


def test_production_queues_tasks_for_the_worker_unless_told_otherwise():
    environment = production_environment()

    assert "django_tasks_db" in _production_setting("s.TASKS['default']['BACKEND']", **environment)
    immediate = _production_setting(
        "s.TASKS['default']['BACKEND']", **environment, TASKS_BACKEND="immediate"
    )
    assert immediate.endswith("ImmediateBackend")
    assert _production_setting("s.TASKS['default']['BACKEND']", DEBUG="true").endswith(
        "ImmediateBackend"
    )
