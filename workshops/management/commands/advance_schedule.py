from django.core.management.base import BaseCommand

from workshops import services
from workshops.models import Workshop


class Command(BaseCommand):
    help = (
        "Open and close the phases whose scheduled time has come (every minute from cron "
        "where no server process runs; the servers do it by themselves)."
    )

    def handle(self, *args, **options):
        events = services.schedule_advance()
        codes = dict(Workshop.objects.values_list("pk", "code"))
        for event in events:
            what = "Opened" if event.kind == "phase.opened" else "Closed"
            self.stdout.write(f"{what} {codes[event.workshop_id]}/{event.data['phase']}.")
        self.stdout.write(f"{len(events)} phase(s) opened or closed.")
