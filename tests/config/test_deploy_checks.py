"""A production configuration passes Django's deploy checks; risky ones are flagged."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Y-" + "x9Qv7Lm2Zp8Rt5Wn4Bc6Hd1Jf0Gs3Ty" * 2


def run_check(**env):
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_passes_with_https_a_strong_key_and_real_hosts():
    result = run_check(
        DEBUG="0", HTTPS="1", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="visioning.example.org"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_warns_about_a_wildcard_host():
    result = run_check(DEBUG="0", HTTPS="1", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="*")
    assert result.returncode != 0
    assert "workshops.W001" in result.stdout + result.stderr


def test_it_fails_with_the_development_key():
    result = run_check(DEBUG="0", HTTPS="1", ALLOWED_HOSTS="visioning.example.org", SECRET_KEY="")
    assert result.returncode != 0
