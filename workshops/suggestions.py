"""Likely duplicate values for the facilitator to merge in one click.

Two values are likely the same idea when their words share stems, in English or in
French ("care" / "caring", "transparent" / "transparency", "équité" / "équitable").
The facilitator decides; nothing is merged automatically.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

import snowballstemmer

from .models import Value, Workshop

LANGUAGES = ("english", "french")


@cache
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(language)


def _signatures(key: str) -> set[tuple[str, ...]]:
    words = key.split()
    signatures = {tuple(_stemmer(language).stemWords(words)) for language in LANGUAGES}
    # "transparent" and "transparency" stem apart in English; trimming the usual
    # suffixes to a common root catches them without matching unrelated short words.
    signatures.add(tuple(_root(stem) for stem in _stemmer("english").stemWords(words)))
    return signatures


def _root(stem: str) -> str:
    for suffix in ("enci", "anci", "ent", "ant", "ity", "iti", "i"):
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 5:
            return stem[: -len(suffix)]
    return stem


def merge_suggestions(workshop: Workshop) -> list[dict[str, Any]]:
    """Pairs of value groups to merge: the smaller group into the larger one."""
    groups: dict[str, list[Value]] = defaultdict(list)
    for value in (
        Value.objects.filter(workshop=workshop, merged_into__isnull=True).live().order_by("id")
    ):
        groups[value.key].append(value)
    by_signature: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key in groups:
        for signature in _signatures(key):
            by_signature[signature].append(key)
    pairs: set[tuple[str, str]] = set()
    for keys in by_signature.values():
        for other in keys[1:]:
            pairs.add((keys[0], other))
    suggestions = []
    for first, second in sorted(pairs):
        keep, fold = sorted((first, second), key=lambda k: (-len(groups[k]), groups[k][0].pk))
        suggestions.append(
            {
                "into": {
                    "id": groups[keep][0].pk,
                    "text": groups[keep][0].text,
                    "count": len(groups[keep]),
                },
                "merge": [{"id": v.pk, "text": v.text} for v in groups[fold]],
                "count": len(groups[fold]),
            }
        )
    return suggestions
