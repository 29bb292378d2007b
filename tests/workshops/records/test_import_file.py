"""Reading the file to import: a size limit, and one clear line and exit status 1 for
whatever is not a workshop export, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from workshops.records.exports import export_data
from workshops.records.imports import IMPORT_MAX_BYTES

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def _import(path: Path | str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("import_workshop", str(path))
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_reading_dev_zero_stops_at_the_size_limit():
    assert "limit" in _import("/dev/zero")


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.json"
    with path.open("wb") as file:
        file.truncate(IMPORT_MAX_BYTES + 1)  # sparse: 100 MB files need no real disk
    assert f"{IMPORT_MAX_BYTES // 2**20} MiB" in _import(path)


def test_a_deeply_nested_file_is_refused_in_one_line(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert "deep" in _import(path)


def test_a_number_with_ten_thousand_digits_is_refused(tmp_path, rich):
    path = tmp_path / "huge.json"
    text = json.dumps(export_data(rich.workshop)).replace(
        '"position": 0', '"position": ' + "9" * 10_000, 1
    )
    path.write_text(text)
    assert "JSON" in _import(path) or "position" in _import(path)


def test_nan_is_refused(tmp_path, rich):
    path = tmp_path / "nan.json"
    text = json.dumps(export_data(rich.workshop))
    path.write_text(text.replace('"position": 0', '"position": NaN', 1))
    assert "NaN" in _import(path)


def test_the_command_exits_with_status_1_and_no_traceback(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"format": "visioning-workshop", "version": "1"}')
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_workshop", str(path)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0
    assert "the number 1" in done.stderr
