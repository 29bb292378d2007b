from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from workshops.views import ThrottledLoginView

urlpatterns = [
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("credentials/", include("credentials.urls")),
    path("", include("workshops.urls")),
]

# Error pages in the site's layout, with the form to enter a join code (workshops/views.py).
handler403 = "workshops.views.permission_denied"
handler404 = "workshops.views.page_not_found"
handler500 = "workshops.views.server_error"
