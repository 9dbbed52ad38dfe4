"""The schema is the contract: OpenAPI 3.1 generated from the code, a readable
page, and schemathesis (from PyPI) run against a live server with 0 failures."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from api import services
from api.models import Scope
from comments import services as comment_services
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def test_the_schema_is_openapi_3_1_with_every_operation():
    schema = Client().get("/api/v1/openapi.json").json()

    assert schema["openapi"] == "3.1.0"
    paths = schema["paths"]
    assert {"/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/topics"} <= set(paths)
    assert "/api/v1/articles/{article_id}/comments" in paths
    assert set(paths["/api/v1/articles"]) == {"get", "post"}
    errors = paths["/api/v1/articles"]["get"]["responses"]["400"]["content"]
    assert list(errors) == ["application/problem+json"]
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_the_documentation_page_is_plain_html_under_the_sites_csp():
    response = Client().get("/api/v1/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "GET /api/v1/articles" in page and "POST /api/v1/articles/{article_id}/publish" in page
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert "cdn" not in page.lower()


def test_the_swagger_page_loads_its_assets_from_our_static_files():
    page = Client().get("/api/v1/docs").content.decode()

    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "<script>" not in page


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_failure_against_a_live_server(live_server, settings, tmp_path):
    settings.API_RATE_LIMIT_ADDRESS = 0
    settings.API_RATE_LIMIT_TOKEN = 0
    topic = make_topic("kebijakan", name="Kebijakan")
    writer = make_user(username="penulis")
    articles = [make_article(author=writer, topic=topic, tags=["subsidi"]) for _ in range(3)]
    for n in range(3):
        comment_services.post_comment(
            articles[-1], author=writer, body=f"Komentar {n}", enforce_limits=False
        )
    _token, secret = services.create_token(writer, name="schemathesis", scopes=Scope.values)

    result = subprocess.run(  # noqa: S603 - our own virtualenv's schemathesis
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(Path(__file__).parent / "schemathesis.toml"),
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--checks",
            "all",
            "--header",
            f"Authorization: Bearer {secret}",
            "--max-examples",
            "15",
            "--seed",
            "20261202",
            "--workers",
            "1",
            "--phases",
            "examples,coverage,fuzzing",
            "--no-color",
            "--report-dir",
            str(tmp_path),
            "--generation-database",
            "none",
        ],
        cwd=tmp_path,  # schemathesis keeps its crash files in the working directory
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    summary = result.stdout[-8000:]
    assert result.returncode == 0, summary
    counts = next(line for line in result.stdout.splitlines() if " generated, " in line)
    assert " passed" in counts and "fail" not in counts, summary
