"""Cut from the logs already stored the text of what authors took back before
value.remove / statement.remove did it themselves (docs/protocol.md, "What the log
replays"): an event that carried the text of an item whose row is gone keeps its seq,
and its data shrinks to {"id", "redacted": true}."""

from typing import Any

from django.db import migrations

# Frozen here: the kinds as they were when this migration was written.
TEXT_KINDS = {
    "value.added": "value",
    "value.submitted": "value",
    "value.restored": "value",
    "statement.added": "statement",
    "statement.submitted": "statement",
    "statement.restored": "statement",
}


def redact_removed(apps: Any, schema_editor: Any) -> None:
    Event = apps.get_model("workshops", "Event")
    Value = apps.get_model("workshops", "Value")
    Statement = apps.get_model("workshops", "Statement")
    workshops = Event.objects.values_list("workshop_id", flat=True).distinct()
    for workshop_id in workshops:
        existing = {
            "value": set(Value.objects.filter(workshop_id=workshop_id).values_list("pk", flat=True)),
            "statement": set(
                Statement.objects.filter(workshop_id=workshop_id).values_list("pk", flat=True)
            ),
        }
        kinds = [*TEXT_KINDS, "value.merged"]
        for event in Event.objects.filter(workshop_id=workshop_id, kind__in=kinds).iterator():
            data = event.data
            if not isinstance(data, dict) or data.get("redacted") is True:
                continue
            if event.kind == "value.merged":
                gone = data.get("into") not in existing["value"]
            else:
                gone = data.get("id") not in existing[TEXT_KINDS[event.kind]]
            if gone:
                event.data = {"id": data.get("id"), "redacted": True}
                event.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0007_outage_contribution_limit"),
    ]

    operations = [
        migrations.RunPython(redact_removed, migrations.RunPython.noop),
    ]
