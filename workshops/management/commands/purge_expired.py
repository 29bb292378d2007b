from django.core.management.base import BaseCommand

from workshops import services


class Command(BaseCommand):
    help = "Delete every workshop whose deletion date has come (run it daily from cron)."

    def handle(self, *args, **options):
        codes = services.purge_expired()
        for code in codes:
            self.stdout.write(f"Deleted workshop {code}.")
        self.stdout.write(f"{len(codes)} workshop(s) deleted.")
