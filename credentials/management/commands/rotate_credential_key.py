"""manage.py rotate_credential_key: sign from now on with a new issuer key."""

from typing import Any

from django.core.management.base import BaseCommand

from credentials import documents, keys


class Command(BaseCommand):
    help = (
        "Retire the issuer key and sign with a new one. The old key is still served, so "
        "what it signed still verifies."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        key = keys.key_rotate()
        self.stdout.write(f"{documents.key_id(key)} {key.public_multibase}")
