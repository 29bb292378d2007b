from django.core.management.base import BaseCommand, CommandError

from workshops import services
from workshops.designs import DESIGNS
from workshops.management.options import facilitator_named


class Command(BaseCommand):
    help = (
        "Create a workshop; prints its join code alone on the last line. "
        "--list-templates prints the designs to start from, one a line: KEY<TAB>title."
    )

    def add_arguments(self, parser):
        parser.add_argument("title", nargs="?")
        parser.add_argument("--template", default="open-values", choices=sorted(DESIGNS))
        parser.add_argument("--facilitator", help="username of the facilitator")
        parser.add_argument("--description", default="")
        parser.add_argument(
            "--list-templates", action="store_true", help="list the designs and exit"
        )

    def handle(self, *args, title, template, facilitator, description, list_templates, **options):
        if list_templates:
            for key, design in DESIGNS.items():
                self.stdout.write(f"{key}\t{design.name}")
            return
        if title is None:
            raise CommandError("Give the workshop a title (or --list-templates).")
        user = facilitator_named(facilitator)
        try:
            workshop = services.workshop_create(
                title=title, template=template, facilitator=user, description=description
            )
        except services.Refused as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(f"Created {workshop.title!r} from the {template} template.")
        self.stdout.write(workshop.code)
