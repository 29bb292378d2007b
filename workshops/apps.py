from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)
        from .live import hub
        from .services import announce

        # The live engine hears every committed event; services never import it.
        announce.connect(hub)
