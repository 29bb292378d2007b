"""Materials: links the facilitator gives the room (the slides, the recording, related
work), which participants' pages, the report and every export show."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import Refused
from ..models import Event, Material, Participant
from ..text import clean_text
from .core import event_append, require_facilitator, workshop_write

MATERIAL_TITLE_MAX = 200
MATERIAL_URL_MAX = 2000
# Every welcome carries them all: a bound on what they can make it weigh.
MATERIALS_MAX = 50

_web_address = URLValidator(schemes=["http", "https"])


def clean_url(url: object) -> str:
    """A web address people can open from the page: http or https, nothing else (no
    javascript:, no data:), at most MATERIAL_URL_MAX characters."""
    if not isinstance(url, str):
        raise Refused("invalid", _("The link must be a text."))
    url = url.strip()
    if not url:
        raise Refused("empty", _("Give the link's address."))
    if len(url) > MATERIAL_URL_MAX:
        raise Refused(
            "too_long",
            _("The link is at most %(max)d characters.") % {"max": MATERIAL_URL_MAX},
        )
    try:
        _web_address(url)
    except ValidationError:
        raise Refused(
            "invalid", _("The link must be a web address starting with https:// or http://.")
        ) from None
    return url


def clean_material_title(title: object) -> str:
    return clean_text(title, field=gettext_lazy("title"), max_length=MATERIAL_TITLE_MAX)


def material_data(material: Material) -> dict[str, object]:
    """A material as its event, the state and the export carry it."""
    return {"id": material.pk, "title": material.title, "url": material.url}


@workshop_write
def material_add(*, participant: Participant, title: str, url: str, ref: str = "") -> Event:
    require_facilitator(participant)
    title = clean_material_title(title)
    url = clean_url(url)
    if Material.objects.filter(workshop_id=participant.workshop_id).count() >= MATERIALS_MAX:
        raise Refused(
            "invalid",
            _("A workshop has at most %(max)d links; remove one first.") % {"max": MATERIALS_MAX},
        )
    material = Material.objects.create(workshop_id=participant.workshop_id, title=title, url=url)
    return event_append(
        participant.workshop_id,
        "material.added",
        material_data(material),
        actor=participant,
        ref=ref,
    )


@workshop_write
def material_remove(*, participant: Participant, id: int, ref: str = "") -> Event:
    require_facilitator(participant)
    deleted, _rows = Material.objects.filter(workshop_id=participant.workshop_id, pk=id).delete()
    if not deleted:
        raise Refused("not_found", _("There is no link %(id)s here.") % {"id": id})
    data = {"id": id}
    return event_append(
        participant.workshop_id, "material.removed", data, actor=participant, ref=ref
    )
