"""Text as people type it, made safe to store and to compare, and the limits of each field."""

from __future__ import annotations

import functools
import unicodedata
import zoneinfo
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import Refused

VALUE_MAX = 80
ACTIVITY_MAX = 80
NAME_MAX = 60
TABLE_NAME_MAX = 40
STATEMENT_TEMPLATE_MAX = 300
SUGGESTIONS_MAX = 30
PHASE_TITLE_MAX = 120
PROMPT_MAX = 500
# A phase's facilitator notes (its script), and the longest suggested duration.
NOTES_MAX = 4000
MINUTES_MAX = 600
WORKSHOP_TITLE_MAX = 200
DESCRIPTION_MAX = 2000
LICENCE_MAX = 100
# An idea's card (phase kind `ideas`), and the columns an ideas phase may have.
IDEA_MAX = 280
COLUMNS_MAX = 12
COLUMN_KEY_MAX = 40
COLUMN_TITLE_MAX = 80
# A statement's whole question, as its workshop's wording made it (Statement.text).
STATEMENT_TEXT_MAX = 400
# The largest position (of a phase, of a principle) every supported database stores.
POSITION_MAX = 2**31 - 1


def normalise_key(text: str) -> str:
    """The grouping key of a text: "Equity", " equity " and "EQUITY!" share one.

    Text with no letter or digit at all ("!!!", "---", "🌍") keeps its marks as its key,
    so "---" and "!!!" stay two ideas instead of sharing one empty key. Invisible
    characters (zero-width spaces and joiners) are no part of any key.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch for ch in text if not _unseen_in_keys(ch))
    words = " ".join(
        "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text).split()
    )
    if any(unicodedata.category(ch)[0] in "LN" for ch in words):
        return words
    return " ".join(text.split())


def statement_key(activity: str, value: str) -> str:
    """The grouping key of a statement a participant typed, before any merge."""
    return f"{normalise_key(activity)}|{normalise_key(value)}"


def _unseen_in_keys(ch: str) -> bool:
    """Zero-width characters and emoji variation selectors: "❤️" and "❤" are one idea."""
    return unicodedata.category(ch) == "Cf" or "\ufe00" <= ch <= "\ufe0f"


def invisible(ch: str) -> bool:
    """A character that shows nothing: white space, control and format characters
    (zero-width space, zero-width joiner, the byte-order mark…)."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def time_zone_clean(raw: Any) -> str:
    """An IANA time zone name ("Europe/Paris"), checked; a clear error otherwise."""
    if not isinstance(raw, str) or raw not in available_time_zones():
        raise Refused(
            "invalid", _("%(zone)s is not a time zone, like Europe/Paris.") % {"zone": raw}
        )
    return raw


@functools.cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


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
        raise Refused("invalid", _("The %(field)s must be text.") % {"field": field})
    if multiline:
        text = without_controls(raw, keep="\n\t").strip()
    else:
        text = " ".join(without_controls(raw, keep=" \t\n\r").split())
    # Text made only of invisible characters (zero-width spaces) is empty to a reader.
    if required and all(invisible(ch) for ch in text):
        raise Refused("empty", _("Please write a %(field)s first.") % {"field": field})
    if len(text) > max_length:
        raise Refused(
            "too_long",
            _("The %(field)s is %(length)d characters long; the limit is %(max)d.")
            % {"field": field, "length": len(text), "max": max_length},
        )
    return text
