from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """The workshop's records (exports, imports, the report): no models of their own."""

    name = "workshops.records"
    label = "records"

    def ready(self) -> None:
        from . import after_the_session, report

        # Materials and what came after the session: a section beside the extensions'.
        report.REPORT_PARTS.append(after_the_session.report_part)
