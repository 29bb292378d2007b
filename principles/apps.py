from django.apps import AppConfig


class PrinciplesConfig(AppConfig):
    name = "principles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Plug into the live workshop without workshops importing principles.
        from workshops import extensions

        from .extension import PRINCIPLES

        extensions.register(PRINCIPLES)
