from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workshops import selectors
from workshops.records import exports


class Command(BaseCommand):
    help = (
        "Export a workshop as JSON, CSV (a zip of CSV files), XLSX or Markdown. "
        "Text formats go to stdout without --output; binary ones need --output "
        "or a stdout that is not a terminal."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="the workshop's join code")
        parser.add_argument("--format", required=True, choices=exports.FORMATS)
        parser.add_argument("--output", help="the file to write (default: stdout)")
        parser.add_argument(
            "--anonymize",
            action="store_true",
            help='replace names with "Participant 1", "Participant 2"… and leave out authors',
        )

    def handle(self, *args, code, format, output, anonymize, **options):
        workshop = selectors.workshop_by_code(code)
        if workshop is None:
            raise CommandError(f"There is no workshop with the code {code!r}.")
        content = exports.workshop_export(workshop, format=format, anonymize=anonymize)
        if output:
            Path(output).write_bytes(content)
            self.stderr.write(f"Wrote {len(content)} bytes to {output}.")
        elif format in exports.TEXT_FORMATS:
            self.stdout.write(content.decode(), ending="")
        else:
            stream = getattr(self.stdout._out, "buffer", None)
            if stream is None or self.stdout.isatty():
                raise CommandError(
                    f"The {format} export is binary: give --output PATH, "
                    "or redirect stdout to a file."
                )
            stream.write(content)
            stream.flush()
