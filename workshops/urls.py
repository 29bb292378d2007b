from django.urls import path, register_converter

from . import views


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
    path("j/<code:code>/qr.svg", views.qr_svg, name="qr"),
    path("facilitate/", views.facilitate, name="facilitate"),
    path("facilitate/<code:code>/", views.control_room, name="control_room"),
    path("facilitate/<code:code>/duplicate/", views.duplicate, name="duplicate"),
    path(
        "facilitate/<code:code>/suggestions.json",
        views.merge_suggestions,
        name="merge_suggestions",
    ),
]
