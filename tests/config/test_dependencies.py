"""No dependency at a version with a known vulnerability.

pip-audit needs an advisory service this CI cannot reach, so the advisories that concern
us are listed here, and the installed versions are checked against them. Add a line when
an advisory appears; pyproject.toml excludes the same versions.
"""

from importlib.metadata import version

import pytest

# package: (first safe version, why)
ADVISORIES = {
    "daphne": ((4, 2, 2), "CVE-2026-44545 and CVE-2026-44546 (fixed in 4.2.2)"),
    "django": ((5, 2, 8), "security releases of the 5.2 series up to 5.2.8"),
    "channels": ((4, 2, 0), "4.2 is the oldest release still maintained"),
}


def as_tuple(text):
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


@pytest.mark.parametrize("package", sorted(ADVISORIES))
def test_installed_versions_are_past_known_advisories(package):
    safe, why = ADVISORIES[package]
    installed = version(package)
    assert as_tuple(installed) >= safe, f"{package} {installed} is affected by {why}"
