"""Settings from the environment, each case in a fresh Python process.

Development needs nothing set; production (TANDEM_ENV=production) refuses to start without a
real SECRET_KEY, in one plain line, and passes ``manage.py check --deploy``.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(settings.BASE_DIR)
# Every variable config/settings.py reads that would change what these tests see.
SETTINGS_VARIABLES = [
    "TANDEM_ENV",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "EMAIL_BACKEND",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_AGE",
    "LOG_LEVEL",
]
PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECRET_KEY": s.SECRET_KEY,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "EMAIL_BACKEND": s.EMAIL_BACKEND,
    "DATABASE_ENGINE": s.DATABASES["default"]["ENGINE"],
    "DATABASE_NAME": str(s.DATABASES["default"]["NAME"]),
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "STATICFILES_BACKEND": s.STORAGES["staticfiles"]["BACKEND"],
    "ACCOUNT_RATE_LIMITS": s.ACCOUNT_RATE_LIMITS,
}))
"""


def clean_env(**variables: str) -> dict[str, str]:
    # Nothing of the test run's own environment that Django's checks would object to.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_VARIABLES and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(variables)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def production(tmp_path) -> dict[str, str]:
    return clean_env(
        TANDEM_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="tandem.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'tandem.sqlite3'}",
    )


def test_the_generated_key_is_64_characters(production):
    assert len(production["SECRET_KEY"]) == 64


@pytest.mark.parametrize(
    "secret_key",
    [
        None,
        "",
        "too-short-" + "x" * 20,
        "django-insecure-" + secrets.token_urlsafe(48),
        "a" * 64,
    ],
    ids=["unset", "empty", "short", "django-insecure", "one-character"],
)
def test_production_refuses_to_start_without_a_real_secret_key(production, secret_key):
    env = dict(production)
    if secret_key is None:
        del env["SECRET_KEY"]
    else:
        env["SECRET_KEY"] = secret_key

    result = run(["manage.py", "check"], env)

    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Tandem cannot start: SECRET_KEY must be set to a random value")
    assert "Traceback" not in result.stderr


def test_production_passes_the_deployment_checks(production):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("change", "warning"),
    [({"DEBUG": "true"}, "security.W018"), ({"SECURE_SSL_REDIRECT": "false"}, "security.W008")],
)
def test_the_deployment_checks_catch_an_unsafe_override(production, change, warning):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], {**production, **change}
    )

    assert result.returncode != 0
    assert warning in result.stderr + result.stdout


def test_production_settings(production):
    result = run(["-c", PRINT_SETTINGS], production)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == production["SECRET_KEY"]
    assert values["ALLOWED_HOSTS"] == ["tandem.example.org"]
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["DATABASE_NAME"] == production["DATABASE_URL"].removeprefix("sqlite:///")
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["STATICFILES_BACKEND"].startswith("whitenoise.")
    assert values["ACCOUNT_RATE_LIMITS"]


def test_development_defaults_need_nothing_set():
    result = run(["-c", PRINT_SETTINGS], clean_env())

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is True
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["SECRET_KEY"].startswith("django-insecure-")
    assert {"127.0.0.1", "localhost"} <= set(values["ALLOWED_HOSTS"])
    assert values["DATABASE_ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASE_NAME"] == str(REPO / "tandem.sqlite3")
    assert not values["SESSION_COOKIE_SECURE"] and not values["SECURE_SSL_REDIRECT"]
    assert values["ACCOUNT_RATE_LIMITS"] is False


def test_development_settings_follow_the_environment():
    result = run(
        ["-c", PRINT_SETTINGS],
        clean_env(DEBUG="off", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
    )

    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.locmem.EmailBackend"
