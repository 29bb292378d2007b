"""How an import restores principles and consent rounds (see workshops.records.imports):
after the statements they grow from, before the votes on them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection, models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshops.records.imports import (
    ImportContext,
    clean_whole_number,
    parse_time,
    refused,
    refusing_at,
    restore_times,
)
from workshops.text import POSITION_MAX, clean_text

from ..models import ConsentResponse, ConsentRound, Principle
from ..services import SOURCES_MAX, TITLE_MAX, _clean_body, consent_summary, principle_data


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


def consent_import(context: ImportContext, data: dict[str, Any]) -> None:
    """Restore every consent round with the places taken in it (runs after the
    principles), with their original times, and log each round as it ended."""
    items = sorted(data.get("consent", []), key=lambda item: item["id"])
    if len({item["id"] for item in items}) != len(items):
        raise refused(_("Two consent rounds in the file have the same id."))
    rounds = _import_rounds(context, items)
    places = _import_places(context, items, rounds)
    _restore_consent_times(items, rounds, places)
    _log_rounds(context, rounds, places)


def _import_rounds(context: ImportContext, items: list[dict[str, Any]]) -> list[ConsentRound]:
    principles = context.targets.get("principle", {})
    rounds = []
    for item in items:
        if item["principle"] not in principles:
            raise refused(
                _("Consent round %(id)s is on principle %(principle)s, which is not in the file.")
                % {"id": item["id"], "principle": item["principle"]}
            )
        rounds.append(
            ConsentRound(
                principle_id=principles[item["principle"]],
                status=item["status"],
                reasons_shown=item.get("reasons_shown", False),
            )
        )
    open_principles = [r.principle_id for r in rounds if r.status == ConsentRound.Status.OPEN]
    if len(set(open_principles)) != len(open_principles):
        raise refused(_("A principle in the file has two consent rounds open at once."))
    ConsentRound.objects.bulk_create(rounds, batch_size=500)
    return rounds


def _import_places(
    context: ImportContext, items: list[dict[str, Any]], rounds: list[ConsentRound]
) -> list[ConsentResponse]:
    """The places taken in each round, one per participant, in the file's order."""
    responses = []
    for item, round in zip(items, rounds, strict=True):
        placed = [response["participant"] for response in item.get("responses", [])]
        if len(set(placed)) != len(placed):
            raise refused(
                _("Someone takes two places in consent round %(id)s.") % {"id": item["id"]}
            )
        where = _("Consent round %(id)s") % {"id": item["id"]}
        for response in item.get("responses", []):
            participant = context.author(response["participant"], where)
            responses.append(
                ConsentResponse(
                    round=round,
                    participant=participant,
                    level=response["level"],
                    reason=response.get("reason", ""),
                )
            )
    ConsentResponse.objects.bulk_create(responses, batch_size=500)
    return responses


def _restore_consent_times(
    items: list[dict[str, Any]], rounds: list[ConsentRound], responses: list[ConsentResponse]
) -> None:
    what = _("A consent round")
    _restore_column(
        ConsentRound,
        "opened_at",
        [
            (parse_time(item["opened_at"], what), round.pk)
            for item, round in zip(items, rounds, strict=True)
        ],
    )
    _restore_column(
        ConsentResponse,
        "updated_at",
        [
            (parse_time(response["updated_at"], what), row.pk)
            for response, row in zip(
                (r for item in items for r in item.get("responses", [])), responses, strict=True
            )
        ],
    )


def _log_rounds(
    context: ImportContext, rounds: list[ConsentRound], responses: list[ConsentResponse]
) -> None:
    """Each round opened, and closed if it was, as the live log tells it."""
    by_round: dict[int, list[ConsentResponse]] = defaultdict(list)
    for row in responses:
        by_round[row.round_id].append(row)
    for round in rounds:
        round._prefetched_objects_cache = {"responses": by_round[round.pk]}  # type: ignore[attr-defined]
        context.event("consent.opened", consent_summary(round))
        if round.status == ConsentRound.Status.CLOSED:
            context.event("consent.closed", consent_summary(round))


def _restore_column(model: type[models.Model], column: str, moments: list[tuple[Any, int]]) -> None:
    """Put back the original times that auto_now(_add) replaced on insert: one prepared
    UPDATE run for every row, as imports.restore_times does for created_at."""
    if not moments:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {ops.quote_name(column)} = %s WHERE id = %s",
            [(ops.adapt_datetimefield_value(moment), pk) for moment, pk in moments],
        )
