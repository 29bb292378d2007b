import pytest

pytestmark = pytest.mark.django_db


def test_pages_forbid_inline_scripts(client, workshop):
    for path in ["/", f"/j/{workshop.code}/"]:
        policy = client.get(path).headers["Content-Security-Policy"]
        script_src = next(p for p in policy.split("; ") if p.startswith("script-src"))
        assert script_src == "script-src 'self'"
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
