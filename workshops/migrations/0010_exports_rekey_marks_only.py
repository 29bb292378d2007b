"""Give values and statements made only of marks ("!!!", "---", "🌍") the key of their own
that normalise_key now gives them: before, they all shared one empty key and counted as
one idea. Only rows with an empty key (or an empty half of a statement's key) change."""

from django.db import migrations
from django.db.models import Q


def rekey(apps, schema_editor):
    from workshops.text import normalise_key

    Value = apps.get_model("workshops", "Value")
    Statement = apps.get_model("workshops", "Statement")
    values = list(Value.objects.filter(key=""))
    for value in values:
        value.key = normalise_key(value.text)
    Value.objects.bulk_update(values, ["key"], batch_size=500)
    statements = list(Statement.objects.filter(Q(key__startswith="|") | Q(key__endswith="|")))
    for statement in statements:
        statement.key = f"{normalise_key(statement.activity)}|{normalise_key(statement.value_text)}"
    Statement.objects.bulk_update(statements, ["key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0009_projector_session_end"),
    ]

    operations = [
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
