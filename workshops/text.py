"""Text as people type it, made safe to store and to compare, and the limits of each field."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import CommandError

VALUE_MAX = 80
ACTIVITY_MAX = 80
NAME_MAX = 60
STATEMENT_TEMPLATE_MAX = 300
SUGGESTIONS_MAX = 30
PHASE_TITLE_MAX = 120
PROMPT_MAX = 500
WORKSHOP_TITLE_MAX = 200
DESCRIPTION_MAX = 2000
LICENCE_MAX = 100
# A statement's whole question, as its workshop's wording made it (Statement.text).
STATEMENT_TEXT_MAX = 400
# The largest position (of a phase, of a principle) every supported database stores.
POSITION_MAX = 2**31 - 1


def normalise_key(text: str) -> str:
    """The grouping key of a text: "Equity", " equity " and "EQUITY!" share one."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)
    return " ".join(text.split())


def without_controls(text: str, keep: str = "") -> str:
    """Drop control characters (NUL and the like), which no person types and PostgreSQL
    refuses to store."""
    return "".join(ch for ch in text if ch in keep or unicodedata.category(ch) != "Cc")


def clean_text(
    raw: Any,
    *,
    field: str | Promise,
    max_length: int,
    required: bool = True,
    multiline: bool = False,
) -> str:
    """Trimmed text, checked: white space folded to single spaces, unless `multiline`
    (a principle's body), where line breaks are kept."""
    if not isinstance(raw, str):
        raise CommandError("invalid", _("The %(field)s must be text.") % {"field": field})
    if multiline:
        text = without_controls(raw, keep="\n\t").strip()
    else:
        text = " ".join(without_controls(raw, keep=" \t\n\r").split())
    if required and not text:
        raise CommandError("empty", _("Please write a %(field)s first.") % {"field": field})
    if len(text) > max_length:
        raise CommandError(
            "too_long",
            _("The %(field)s is %(length)d characters long; the limit is %(max)d.")
            % {"field": field, "length": len(text), "max": max_length},
        )
    return text


def statement_key(activity: str, value: str) -> str:
    """The grouping key of a statement: equal activity and value keys count as one."""
    return f"{normalise_key(activity)}|{normalise_key(value)}"
