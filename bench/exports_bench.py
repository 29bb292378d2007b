"""How long each export takes on a large workshop, and how many queries it makes.

    .venv/bin/python bench/exports_bench.py [--values 10000] [--statements 5000]
        [--principles 200] [--keep PATH]

Builds a workshop directly with bulk_create on a fresh SQLite file (10,000 values,
5,000 statements, 200 principles by default, with votes, merges and hidden items), then
times every format and counts its queries, and does the same on a workshop a tenth that
size: the query counts must be equal (they do not grow with the items). Target: under
2 s per format on the large workshop.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=5_000)
    parser.add_argument("--principles", type=int, default=200)
    parser.add_argument("--keep", help="keep the SQLite file at this path")
    parser.add_argument(
        "--write", action="store_true", help="write the table into docs/benchmarks.md"
    )
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="exports-bench-")
    database = Path(args.keep) if args.keep else Path(folder) / "bench.sqlite3"
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    sizes = [
        ("small", args.values // 10, args.statements // 10, args.principles // 10),
        ("large", args.values, args.statements, args.principles),
    ]
    results = []
    imports = []
    for label, values, statements, principles in sizes:
        started = time.perf_counter()
        workshop = build(label, values, statements, principles)
        built = time.perf_counter() - started
        print(
            f"{label}: {values} values, {statements} statements, {principles} principles "
            f"built in {built:.1f} s",
            file=sys.stderr,
        )
        results.append((label, measure(workshop)))
        imports.append((label, measure_import(workshop)))

    lines = [f"{'format':<12}{'size':<8}{'seconds':>10}{'queries':>10}{'bytes':>12}"]
    for label, rows in results:
        for format, seconds, queries, size in rows:
            lines.append(f"{format:<12}{label:<8}{seconds:>10.3f}{queries:>10}{size:>12,}")
    lines.append(f"\n{'restore':<12}{'size':<8}{'seconds':>10}{'queries':>10}{'events':>12}")
    for label, (name, seconds, queries, events) in imports:
        lines.append(f"{name:<12}{label:<8}{seconds:>10.3f}{queries:>10}{events:>12,}")
    small, large = (dict((r[0], r[2]) for r in rows) for _label, rows in results)
    slow = [r for r in results[-1][1] if r[1] > TARGET_SECONDS]
    growing = [f for f in large if large[f] != small[f]]
    lines.append("")
    lines.append(
        f"target under {TARGET_SECONDS:.0f} s per format: " + ("missed" if slow else "met")
    )
    lines.append(
        "query counts equal at both sizes: " + ("no: " + ", ".join(growing) if growing else "yes")
    )
    report = "\n".join(lines)
    print("\n" + report)
    if args.write:
        write_docs(args, report)
    return 1 if slow or growing else 0


def write_docs(args: argparse.Namespace, report: str) -> None:
    """Replace the exports section of docs/benchmarks.md with this run."""
    docs = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
    begin, end = "<!-- exports:begin -->", "<!-- exports:end -->"
    section = (
        f"{begin}\n## Exports ({time.strftime('%Y-%m-%d')})\n\n"
        f"`make bench` (`python bench/exports_bench.py --write`): a workshop of "
        f"{args.values:,} values, {args.statements:,} statements and {args.principles:,} "
        f"principles (and one a tenth the size, to show the query count does not grow), "
        f"exported in each format, then a JSON export imported back.\n\n"
        f"```\n{report}\n```\n{end}"
    )
    text = docs.read_text()
    if begin in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    docs.write_text(text)


def build(label: str, n_values: int, n_statements: int, n_principles: int):
    from django.contrib.auth.models import User

    from principles.models import Principle
    from workshops import services
    from workshops.models import Participant, Phase, Statement, Value, Vote

    rng = random.Random(42)
    user = User.objects.create_user(f"bench-{label}")
    workshop = services.workshop_create(title=f"Bench {label}", facilitator=user)
    phases = {p.kind: p for p in Phase.objects.filter(workshop=workshop)}
    n_people = max(10, n_values // 20)
    Participant.objects.bulk_create(
        Participant(
            workshop=workshop,
            name=f"Person {i}",
            token_hash=f"{label}-{i:060d}"[-64:],
        )
        for i in range(n_people)
    )
    people = list(Participant.objects.filter(workshop=workshop).values_list("pk", flat=True))
    words = ["equity", "care", "openness", "trust", "respect", "=formula", "*emphasis*"]
    Value.objects.bulk_create(
        Value(
            workshop=workshop,
            author_id=rng.choice(people),
            text=f"{rng.choice(words)} {i % 500}",
            key=f"value {i % 500}",
            hidden=i % 97 == 0,
        )
        for i in range(n_values)
    )
    values = list(Value.objects.filter(workshop=workshop).values_list("pk", flat=True))
    merged = [Value(pk=pk, merged_into_id=values[0]) for pk in values[1 : 1 + n_values // 100]]
    Value.objects.bulk_update(merged, ["merged_into"], batch_size=500)
    Statement.objects.bulk_create(
        Statement(
            workshop=workshop,
            author_id=rng.choice(people),
            activity=f"activity {i % 50}",
            value_text=f"value {i % 500}",
            value_id=values[i % len(values)],
            text=f"What might activity {i % 50} look like as a practice of value {i % 500}?",
            key=f"activity {i % 50}|value {i % 500}",
            hidden=i % 89 == 0,
        )
        for i in range(n_statements)
    )
    statements = list(Statement.objects.filter(workshop=workshop).values_list("pk", flat=True))
    Principle.objects.bulk_create(
        Principle(
            workshop=workshop,
            author_id=rng.choice(people),
            title=f"Principle {i}",
            body=f"Why principle {i} matters.\nIt grows from what the group said.",
            position=i,
            status=Principle.Status.FINAL if i % 3 == 0 else Principle.Status.DRAFT,
        )
        for i in range(n_principles)
    )
    principles = list(Principle.objects.filter(workshop=workshop).values_list("pk", flat=True))
    Link = Principle.sources.through
    Link.objects.bulk_create(
        Link(principle_id=p, statement_id=s)
        for p in principles
        for s in rng.sample(statements, min(3, len(statements)))
    )
    votes = [
        Vote(
            participant_id=rng.choice(people),
            phase=phases["statements"],
            target_kind="statement",
            target_id=rng.choice(statements),
        )
        for _ in range(n_statements // 2)
    ] + [
        Vote(
            participant_id=rng.choice(people),
            phase=phases["principles"],
            target_kind="principle",
            target_id=rng.choice(principles),
        )
        for _ in range(n_principles * 2)
    ]
    Vote.objects.bulk_create(votes, batch_size=1000)
    Phase.objects.filter(workshop=workshop).update(status=Phase.Status.CLOSED)
    return workshop


def measure(workshop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workshops.records import exports

    rows = []
    for format in exports.FORMATS:
        for anonymize in (False, True):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                content = exports.workshop_export(workshop, format=format, anonymize=anonymize)
                seconds = time.perf_counter() - started
            name = format + (" anon" if anonymize else "")
            rows.append((name, seconds, len(queries), len(content)))
    return rows


def measure_import(workshop):
    """Restoring the JSON export: its queries grow with the items, in batches of 500."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workshops.records.exports import export_data
    from workshops.records.imports import workshop_import

    data = export_data(workshop)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        imported = workshop_import(data=data)
        seconds = time.perf_counter() - started
    return ("import", seconds, len(queries), imported.last_seq)


if __name__ == "__main__":
    sys.exit(main())
