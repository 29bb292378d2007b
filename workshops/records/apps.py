from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """The workshop's records (exports, imports, the report): no models of their own."""

    name = "workshops.records"
    label = "records"
