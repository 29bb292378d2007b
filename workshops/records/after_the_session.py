"""What the exports say about materials (links given to the room) and about what was
contributed after the live session (`afterwards`), beside what exports.py lays out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models import Idea, Statement, Value, Workshop
from ..services.materials import material_data

if TYPE_CHECKING:
    from .report import ReportPart

MATERIAL_COLUMNS = ("id", "title", "url", "created_at")
# Published contributions of each kind, in the order the Markdown lists them.
CONTRIBUTION_TABLES = (("values", "Value"), ("statements", "Statement"), ("ideas", "Idea"))


def material_rows(workshop: Workshop, time: Any) -> list[dict[str, Any]]:
    """The JSON export's `materials`: every link, oldest first (`time` tells a moment as
    the export does)."""
    return [
        {**material_data(material), "created_at": time(material.created_at)}
        for material in workshop.materials.order_by("id")
    ]


def markdown_materials(data: dict[str, Any], escape: Any) -> list[str]:
    """A "Materials" section: each link under its title (the address as given, an
    http(s) one: services.materials.clean_url)."""
    materials = data.get("materials") or []
    if not materials:
        return []
    lines = ["## Materials", ""]
    lines += [f"- [{escape(m['title'])}](<{_angle_safe(m['url'])}>)" for m in materials]
    return [*lines, ""]


def markdown_afterwards(data: dict[str, Any], escape: Any, published: Any) -> list[str]:
    """What people added after the live session ended (a phase its schedule opened): a
    section of its own, so the session's results read as the room left them."""
    lines: list[str] = []
    for table, label in CONTRIBUTION_TABLES:
        lines += [
            f"- {label}: {escape(' '.join(item['text'].split()))}"
            for item in data.get(table, [])
            if item.get("afterwards") and published(item)
        ]
    if not lines:
        return []
    return ["## After the session", "", "Added after the live session ended:", "", *lines, ""]


def _angle_safe(url: str) -> str:
    # A link's address between <...> may hold anything but these two.
    return url.replace("<", "%3C").replace(">", "%3E")


def report_part(workshop: Workshop, state: dict[str, Any]) -> ReportPart | None:
    """The report's section for the links given to the room and what was added after the
    live session, apart from what the room said during it; None when there is neither."""
    from .report import ReportPart  # the report reads the exports, which read this module

    materials = list(workshop.materials.order_by("id"))
    late = [
        model.objects.filter(workshop=workshop, afterwards=True)
        .live()
        .order_by()
        .values_list("created_at", "text")
        for model in (Value, Statement, Idea)
    ]
    # One query for the three kinds, then in the order they were added.
    afterwards = [text for _at, text in sorted(late[0].union(late[1], late[2], all=True))]
    if not materials and not afterwards:
        return None
    data = {"materials": materials, "afterwards": afterwards}
    return ReportPart(template="workshops/_report_after.html", data=data)
