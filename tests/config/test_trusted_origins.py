"""TRUSTED_ORIGINS (a proxy's public origins) is read from the environment, checked, and
trusted by Django's CSRF check as by websockets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_value(name: str, **env: str) -> subprocess.CompletedProcess[str]:
    code = f"from django.conf import settings; print(settings.{name})"
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_proxys_origin_is_trusted_by_the_login_forms_csrf_check_too():
    result = settings_value(
        "CSRF_TRUSTED_ORIGINS", TRUSTED_ORIGINS="https://visioning.example.org, https://*.ex.org"
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip().splitlines()[-1]
        == "['https://visioning.example.org', 'https://*.ex.org']"
    )


def test_an_origin_without_a_scheme_stops_the_server_with_a_clear_error():
    result = settings_value("TRUSTED_ORIGINS", TRUSTED_ORIGINS="visioning.example.org")
    assert result.returncode != 0
    assert "TRUSTED_ORIGINS are scheme://host[:port]" in result.stderr
