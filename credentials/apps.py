from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Plug into the live workshop without workshops importing credentials.
        from workshops import extensions

        from .extension import CREDENTIALS

        extensions.register(CREDENTIALS)
