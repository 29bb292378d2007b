"""The principles table of a workshop's exports and imports (see workshops.records.exports and
workshops.records.imports); registered from PrinciplesConfig.ready()."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshops.events import timestamp
from workshops.records.exports import ExportContext, ExportPart
from workshops.records.imports import (
    ImportContext,
    clean_whole_number,
    refused,
    refusing_at,
    restore_times,
)
from workshops.text import POSITION_MAX, clean_text

from .models import Principle
from .services import SOURCES_MAX, TITLE_MAX, _clean_body, principle_data

COLUMNS = (
    "id",
    "title",
    "body",
    "status",
    "position",
    "author",
    "created_at",
    "sources",
    "votes",
)


def principles_rows(context: ExportContext) -> list[dict[str, Any]]:
    """Every principle, hidden ones too (flagged), in the agreed order: two queries."""
    sources: dict[int, list[int]] = defaultdict(list)
    links = (
        Principle.sources.through.objects.filter(principle__workshop=context.workshop)
        .order_by("statement_id")
        .values_list("principle_id", "statement_id")
    )
    for principle_id, statement_id in links:
        sources[principle_id].append(statement_id)
    principles = Principle.objects.filter(workshop=context.workshop).order_by("position", "id")
    return [
        {
            "id": p.pk,
            "title": p.title,
            "body": p.body,
            "status": p.status,
            "position": p.position,
            "author": context.author(p.author_id),
            "created_at": timestamp(p.created_at),
            "hidden": p.hidden,
            "sources": sources.get(p.pk, []),
            "votes": context.vote_totals[("principle", p.pk)],
        }
        for p in principles
    ]


EXPORT_PART = ExportPart(table="principles", columns=COLUMNS, rows=principles_rows)


def principles_import(context: ImportContext, data: dict[str, Any]) -> None:
    """Restore the file's principles with their sources, and log them."""
    items = sorted(data.get("principles", []), key=lambda item: item["id"])
    if len({item["id"] for item in items}) != len(items):
        raise refused(_("Two principles in the file have the same id."))
    rows = []
    for item in items:
        missing = [i for i in item.get("sources", []) if i not in context.statements]
        if missing:
            raise refused(
                _("Principle %(id)s grows from statement %(source)s, which is not in the file.")
                % {"id": item["id"], "source": missing[0]}
            )
        if len(set(item.get("sources", []))) > SOURCES_MAX:
            raise refused(
                _("Principle %(id)s grows from more than %(n)d statements.")
                % {"id": item["id"], "n": SOURCES_MAX}
            )
        with refusing_at(_("Principle %(id)s") % {"id": item["id"]}):
            title = clean_text(item["title"], field=gettext_lazy("title"), max_length=TITLE_MAX)
            body = _clean_body(item.get("body", ""))
            position = clean_whole_number(
                item.get("position", 0), field=_("position"), maximum=POSITION_MAX
            )
        rows.append(
            Principle(
                workshop=context.workshop,
                author=context.author(item.get("author"), _("A principle")),
                title=title,
                body=body,
                status=item.get("status", Principle.Status.DRAFT),
                position=position,
                hidden=item.get("hidden", False),
            )
        )
    Principle.objects.bulk_create(rows, batch_size=500)
    restore_times(Principle, rows, items, _("A principle"))
    Link = Principle.sources.through
    Link.objects.bulk_create(
        [
            Link(principle_id=row.pk, statement_id=context.statements[source].pk)
            for item, row in zip(items, rows, strict=True)
            for source in dict.fromkeys(item.get("sources", []))
        ],
        batch_size=500,
    )
    context.targets["principle"] = {
        item["id"]: row.pk for item, row in zip(items, rows, strict=True)
    }
    for item, row in zip(items, rows, strict=True):
        if row.hidden:
            continue  # there is no event for a hidden principle; the room never sees it
        sources = [context.statements[i].pk for i in dict.fromkeys(item.get("sources", []))]
        context.event("principle.proposed", principle_data(row, sources), row.author)
        if row.status == Principle.Status.FINAL:
            context.event("principle.finalized", {"id": row.pk})
