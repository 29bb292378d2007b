from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from workshops import services
from workshops.designs import TEMPLATES


class Command(BaseCommand):
    help = "Create a workshop; prints its join code alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("title")
        parser.add_argument("--template", default="open-values", choices=sorted(TEMPLATES))
        parser.add_argument("--facilitator", help="username of the facilitator")
        parser.add_argument("--description", default="")

    def handle(self, *args, title, template, facilitator, description, **options):
        user = None
        if facilitator:
            user = get_user_model().objects.filter(username=facilitator).first()
            if user is None:
                raise CommandError(f"No user named {facilitator!r}.")
        try:
            workshop = services.workshop_create(
                title=title, template=template, facilitator=user, description=description
            )
        except services.CommandError as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(f"Created {workshop.title!r} from the {template} template.")
        self.stdout.write(workshop.code)
