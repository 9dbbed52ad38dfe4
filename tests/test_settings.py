"""The settings module, imported fresh in a subprocess with a chosen environment."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

# Variables that would leak the test run's configuration into the subprocess.
_RUN_SPECIFIC = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests in this process
    "ALLOWED_HOSTS",
    "EMAIL_HOST",
    "SECURE_SSL_REDIRECT",
    "SITE_URL",
}


def run_python(*args, **environment):
    env = {key: value for key, value in os.environ.items() if key not in _RUN_SPECIFIC}
    env.update(environment)
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_environment(**extra):
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.com",
        # Rate limits and view counts need a cache every process shares.
        "REDIS_URL": "redis://redis-host:6379/0",
        "SITE_URL": "https://example.com",
        **extra,
    }


def test_secret_key_is_required_when_debug_is_off():
    result = run_python("-c", "import blogplatform.settings", DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_set():
    result = run_python(
        "-c",
        "import blogplatform.settings as s; print(s.DEBUG)",
        SECRET_KEY="x" * 50,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_debug_runs_without_a_secret_key():
    result = run_python("-c", "import blogplatform.settings", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_sqlite_uses_wal_immediate_transactions_and_a_busy_timeout():
    result = run_python(
        "-c",
        "import json, blogplatform.settings as s;"
        "print(json.dumps(s.DATABASES['default']['OPTIONS']))",
        DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)
    assert "journal_mode=wal" in options["init_command"].lower().replace(" ", "")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


@pytest.mark.django_db
def test_the_sqlite_connection_runs_in_wal_mode():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def check_deploy(**environment):
    return run_python("manage.py", "check", "--deploy", "--fail-level", "WARNING", **environment)


def test_production_settings_pass_check_deploy():
    # The production environment the README documents: it sets EMAIL_HOST.
    result = check_deploy(**production_environment(EMAIL_HOST="smtp.example.net"))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output


def test_check_deploy_catches_production_without_a_mail_server():
    # Without EMAIL_HOST the settings fall back to the console mailer, so
    # sign-up confirmations would never leave the server: the deploy check
    # must say so, and that must be the only thing it finds.
    result = check_deploy(**production_environment())
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "mail.E001" in output
    assert "1 issue" in output


def test_check_deploy_flags_a_short_secret_key():
    result = check_deploy(
        **production_environment(SECRET_KEY="short", EMAIL_HOST="smtp.example.net")
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_media_goes_to_object_storage_when_a_bucket_is_named():
    result = run_python(
        "-c",
        "import django, json; django.setup();"
        "from django.conf import settings; from django.core.files.storage import storages;"
        "storage = storages['default'];"
        "print(json.dumps([settings.STORAGES['default']['BACKEND'], settings.SERVE_MEDIA,"
        " storage.bucket_name, storage.endpoint_url, storage.querystring_auth,"
        " storage.url('covers/2026/12/abc.jpg')]))",
        DJANGO_SETTINGS_MODULE="blogplatform.settings",
        **production_environment(
            MEDIA_S3_BUCKET="kolomwarga-media",
            MEDIA_S3_ENDPOINT_URL="https://objects.example.net",
            MEDIA_S3_CUSTOM_DOMAIN="media.example.com",
            AWS_ACCESS_KEY_ID="test-key",
            AWS_SECRET_ACCESS_KEY="test-secret",
        ),
    )
    assert result.returncode == 0, result.stderr
    backend, serve_media, bucket, endpoint, signed, url = json.loads(result.stdout)
    assert backend == "storages.backends.s3.S3Storage"
    assert serve_media is False
    assert (bucket, endpoint, signed) == (
        "kolomwarga-media",
        "https://objects.example.net",
        False,
    )
    assert url == "https://media.example.com/covers/2026/12/abc.jpg"


def test_media_stays_on_the_local_disk_without_a_bucket():
    result = run_python(
        "-c",
        "import blogplatform.settings as s; print(s.STORAGES['default']['BACKEND'])",
        **production_environment(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.files.storage.FileSystemStorage"


def print_setting(name: str, **environment):
    result = run_python("-c", f"import blogplatform.settings as s; print(s.{name})", **environment)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_site_url_defaults_to_the_development_server_under_debug():
    assert print_setting("SITE_URL", DEBUG="true") == "http://127.0.0.1:8000"


def test_the_site_url_is_the_first_named_allowed_host_over_https_in_production():
    environment = production_environment(ALLOWED_HOSTS="*,.kolomwarga.example,www.example.org")
    del environment["SITE_URL"]

    assert print_setting("SITE_URL", **environment) == "https://kolomwarga.example"


def test_a_site_url_with_a_path_or_without_a_scheme_is_refused():
    for wrong in ("kolomwarga.example", "https://kolomwarga.example/blog"):
        result = run_python("-c", "import blogplatform.settings", DEBUG="true", SITE_URL=wrong)
        assert result.returncode != 0
        assert "SITE_URL must be a scheme and a host" in result.stderr


def test_check_deploy_warns_when_the_site_url_is_guessed():
    environment = production_environment(EMAIL_HOST="smtp.example.net")
    del environment["SITE_URL"]

    result = check_deploy(**environment)

    assert result.returncode != 0
    assert "blogplatform.W003" in result.stdout + result.stderr
