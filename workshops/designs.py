"""Workshop designs to start from: their phases, prompts and activity suggestions."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PhaseDesign:
    key: str
    kind: str
    title: str | Promise
    prompt: str | Promise
    open_at_start: bool = False


@dataclass(frozen=True)
class WorkshopDesign:
    name: str | Promise
    phases: tuple[PhaseDesign, ...]
    activity_suggestions: tuple[str | Promise, ...] = ()


TEMPLATES: dict[str, WorkshopDesign] = {
    # The OE Global 2021 "Open Futures for Micro-credentialing" visioning session.
    "open-values": WorkshopDesign(
        name=_("Open values"),
        phases=(
            PhaseDesign("values", "values", _("Values"), _("What are your open values?"), True),
            PhaseDesign(
                "statements",
                "statements",
                _("Statements"),
                _(
                    "Situate your values in an activity statement: "
                    "What might (ACTIVITY) look like as a practice of (VALUE)?"
                ),
            ),
            PhaseDesign(
                "principles",
                "principles",
                _("Principles"),
                _("Co-create a set of principles grounded in what the group said."),
            ),
        ),
        activity_suggestions=(
            _("assessment"),
            _("recognition"),
            _("accessibility"),
            _("PLAR/RPL"),
            _("co-creation"),
            _("micro-credential policy"),
        ),
    ),
    "blank": WorkshopDesign(
        name=_("Blank"),
        phases=(
            PhaseDesign("values", "values", _("Ideas"), _("Share a word or a short idea."), True),
            PhaseDesign("statements", "statements", _("Statements"), ""),
            PhaseDesign("principles", "principles", _("Principles"), ""),
        ),
    ),
}
