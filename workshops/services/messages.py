"""The facilitator's message to the room: one short line every screen shows at once
(each participant's page, at every table, and the projector), until it is cleared,
replaced or the session ends. "Five minutes left: pick your table's top two."

The workshop row holds the current one, so a late joiner's welcome carries it.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import events
from ..errors import Refused
from ..models import Event, Participant, Workshop
from ..text import clean_text
from .core import event_append, require_facilitator, workshop_write

MESSAGE_MAX = 280


@workshop_write
def message_send(*, participant: Participant, text: str, ref: str = "") -> Event:
    """Show `text` on every screen of the workshop, in place of the message before it."""
    require_facilitator(participant)
    text = clean_text(text, field=gettext_lazy("message"), max_length=MESSAGE_MAX)
    now = timezone.now()
    Workshop.objects.filter(pk=participant.workshop_id).update(message=text, message_at=now)
    data = {"text": text, "at": events.timestamp(now)}
    return event_append(participant.workshop_id, "message.sent", data, actor=participant, ref=ref)


@workshop_write
def message_clear(*, participant: Participant, ref: str = "") -> Event:
    """Take the message off every screen."""
    require_facilitator(participant)
    shown = Workshop.objects.filter(pk=participant.workshop_id).exclude(message="")
    if not shown.update(message="", message_at=None):
        raise Refused("invalid", _("No message is shown right now."))
    return event_append(participant.workshop_id, "message.cleared", {}, actor=participant, ref=ref)
