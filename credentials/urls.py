from django.urls import path

from . import views

app_name = "credentials"

urlpatterns = [
    path("issuer", views.issuer, name="issuer"),
    path("keys/<int:key_id>", views.key, name="key"),
    path("status/1", views.status_list, name="status_list"),
    path("<uuid:credential_uuid>.json", views.document, name="document"),
    path("<uuid:credential_uuid>.svg", views.badge_svg, name="badge"),
    path("<uuid:credential_uuid>/", views.page, name="page"),
]
