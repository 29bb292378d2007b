"""The records' workshops with principles and consent rounds, shared with the
workshop's own records tests."""

from tests.workshops.records.conftest import rich, said  # noqa: F401 (fixtures)
