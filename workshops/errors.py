"""The domain's refusal: what a service raises when it will not do what was asked."""

from __future__ import annotations


class Refused(Exception):
    """A command refused: `code` is one of the protocol's error codes, `message` is for a person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
