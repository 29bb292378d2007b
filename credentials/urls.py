from django.urls import path

import workshops.urls  # noqa: F401  (registers the join code's path converter, "code")

from . import views

app_name = "credentials"

urlpatterns = [
    path("issuer", views.issuer, name="issuer"),
    path("keys/<int:key_id>", views.key, name="key"),
    path("status/1", views.status_list, name="status_list"),
    path("<uuid:credential_uuid>.json", views.document, name="document"),
    path("<uuid:credential_uuid>.svg", views.badge_svg, name="badge"),
    path("<uuid:credential_uuid>/", views.page, name="page"),
    path("w/<code:code>/settings", views.control_settings, name="control_settings"),
    path("w/<code:code>/revoke", views.control_revoke, name="control_revoke"),
]
