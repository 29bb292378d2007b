import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from workshops.demo import demo_workshop_ensure

USERNAME = "demo"
CREDENTIALS = Path(settings.BASE_DIR) / ".demo-credentials"


class Command(BaseCommand):
    help = "Make sure the demo facilitator and demo workshop exist, and say how to use them."

    def handle(self, *args, **options):
        User = get_user_model()
        user = User.objects.filter(username=USERNAME).first()
        password = CREDENTIALS.read_text().strip() if CREDENTIALS.exists() else ""
        if user is None or not password or not user.check_password(password):
            password = secrets.token_urlsafe(9)
            if user is None:
                user = User.objects.create_user(USERNAME, password=password)
            else:
                user.set_password(password)
                user.save()
            CREDENTIALS.write_text(password + "\n")
            CREDENTIALS.chmod(0o600)
        workshop = demo_workshop_ensure(user)
        self.stdout.write(
            "\n"
            "  Open Visioning is running at http://127.0.0.1:8000/\n"
            f"  Facilitator sign-in: http://127.0.0.1:8000/accounts/login/  "
            f"user {USERNAME}  password {password}\n"
            f"  Demo workshop: {workshop.title}  join code {workshop.code}\n"
            f"  Participants join at http://127.0.0.1:8000/j/{workshop.code}/\n"
        )
