from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from workshops.models import Workshop

from .conftest import assert_valid

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_prints_json_to_stdout(rich):
    data = json.loads(_run("export_workshop", rich.workshop.code, "--format", "json"))
    assert_valid(data)


def test_it_prints_markdown_to_stdout(rich):
    text = _run("export_workshop", rich.workshop.code.lower(), "--format", "md")
    assert "**Activity One: What are your open values?**" in text


def test_it_anonymizes(rich):
    text = _run("export_workshop", rich.workshop.code, "--format", "json", "--anonymize")
    assert "Ada" not in text


@pytest.mark.parametrize("format", ["csv", "xlsx", "json", "md"])
def test_it_writes_to_a_file(rich, tmp_path, format):
    path = tmp_path / f"out.{format}"
    out = _run("export_workshop", rich.workshop.code, "--format", format, "--output", str(path))
    assert out == ""
    content = path.read_bytes()
    if format == "csv":
        assert zipfile.is_zipfile(io.BytesIO(content))
    elif format == "xlsx":
        assert content.startswith(b"PK")
    else:
        assert b"Open Futures" in content


def test_it_writes_binary_to_a_redirected_stdout(rich):
    class Redirected(io.StringIO):
        def __init__(self) -> None:
            super().__init__()
            # The binary side a real stdout has; typeshed calls TextIO.buffer read-only.
            self.buffer = io.BytesIO()  # type: ignore[misc]

    out = Redirected()
    call_command("export_workshop", rich.workshop.code, "--format", "csv", stdout=out)
    assert zipfile.is_zipfile(io.BytesIO(out.buffer.getvalue()))


def test_it_refuses_binary_without_somewhere_to_write(rich):
    with pytest.raises(CommandError, match="--output"):
        _run("export_workshop", rich.workshop.code, "--format", "xlsx")


def test_it_refuses_an_unknown_code(db):
    with pytest.raises(CommandError, match="no workshop"):
        _run("export_workshop", "ZZZZZZ", "--format", "json")


def test_it_imports_and_prints_the_new_code_last(rich, tmp_path, facilitator):
    path = tmp_path / "export.json"
    _run("export_workshop", rich.workshop.code, "--format", "json", "--output", str(path))
    output = _run("import_workshop", str(path), "--facilitator", "alice")
    code = output.rstrip("\n").splitlines()[-1]
    imported = Workshop.objects.get(code=code)
    assert imported.title == rich.workshop.title
    assert imported.facilitators.get() == facilitator


def test_it_refuses_a_file_that_is_not_json(tmp_path, db):
    path = tmp_path / "export.json"
    path.write_text("not json")
    with pytest.raises(CommandError, match="not JSON"):
        _run("import_workshop", str(path))


def test_it_refuses_a_missing_file(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot read"):
        _run("import_workshop", str(tmp_path / "nothing.json"))
