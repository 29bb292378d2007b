from django.apps import AppConfig


class PrinciplesConfig(AppConfig):
    name = "principles"
    default_auto_field = "django.db.models.BigAutoField"
