from django.core.management.base import BaseCommand, CommandError

from workshops import services
from workshops.management.options import facilitator_named
from workshops.records.imports import workshop_import_file


class Command(BaseCommand):
    help = (
        "Restore a JSON export as a new workshop; prints its new join code alone on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a JSON export (export_workshop --format json)")
        parser.add_argument("--facilitator", help="username of the facilitator of the new workshop")

    def handle(self, *args, path, facilitator, **options):
        user = facilitator_named(facilitator)
        try:
            workshop = workshop_import_file(path, facilitator=user)
        except services.Refused as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(f"Imported {workshop.title!r} as a new workshop.")
        self.stdout.write(workshop.code)
