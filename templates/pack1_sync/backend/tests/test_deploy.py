"""Production readiness: deploy checks, migrations in sync, a valid OpenAPI schema."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "app.example.com",
    "DJANGO_SECURE_SSL_REDIRECT": "True",
    "DJANGO_SECURE_COOKIES": "True",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process, so settings are read from this environment."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_SECURE_", "DJANGO_TRUST_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key():
    key = "django-insecure-development-only-key-never-use-it-in-production"
    result = manage("check", **{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_openapi_schema_is_valid_without_warnings(tmp_path):
    schema = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))
    text = schema.read_text()
    for path in ["/api/auth/login/", "/api/reports/{id}/", "/api/lookup/", "/api/health/"]:
        assert f"  {path}:" in text


def test_the_schema_endpoint_is_public(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
