from django.urls import path, register_converter

from . import views
from .records import export_views, exports, report_views


class JoinCodeConverter:
    """Six letters or digits, any case: /j/abc234/ redirects to /j/ABC234/."""

    regex = "[A-Za-z0-9]{6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(JoinCodeConverter, "code")

urlpatterns = [
    path("", views.home, name="home"),
    path("j/<code:code>/", views.join, name="join"),
    path("j/<code:code>/screen/", views.screen, name="screen"),
    path("facilitate/<code:code>/screen/share/", views.screen_link_new, name="screen_link_new"),
    path(
        "facilitate/<code:code>/screen/unshare/",
        views.screen_link_revoke,
        name="screen_link_revoke",
    ),
    path("j/<code:code>/qr.svg", views.qr_svg, name="qr"),
    path("j/<code:code>/materials/<int:id>/qr.svg", views.material_qr_svg, name="material_qr"),
    path("facilitate/", views.facilitate, name="facilitate"),
    path("facilitate/<code:code>/", views.control_room, name="control_room"),
    path("facilitate/<code:code>/duplicate/", views.duplicate, name="duplicate"),
    path("facilitate/<code:code>/people/", views.member_add, name="member_add"),
    path(
        "facilitate/<code:code>/people/<int:user_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("facilitate/<code:code>/retention/", views.retention, name="retention"),
    path("facilitate/<code:code>/delete/", views.delete, name="delete"),
    path("facilitate/<code:code>/events.json", views.event_log, name="event_log"),
    path(
        "facilitate/<code:code>/suggestions.json",
        views.merge_suggestions,
        name="merge_suggestions",
    ),
    path("facilitate/<code:code>/report/", report_views.report, name="report"),
    path(
        "facilitate/<code:code>/report/share/", report_views.report_link_new, name="report_link_new"
    ),
    path(
        "facilitate/<code:code>/report/unshare/",
        report_views.report_link_revoke,
        name="report_link_revoke",
    ),
    path("r/<code:code>/<str:key>/", report_views.report_shared, name="report_shared"),
    path("facilitate/<code:code>/replay/", report_views.replay, name="replay"),
    *(
        path(
            f"facilitate/<code:code>/export.{format}",
            export_views.export,
            {"format": format},
            name=f"export_{format}",
        )
        for format in exports.FORMATS
    ),
]
