from django.urls import re_path

from .consumer import WorkshopConsumer

websocket_urlpatterns = [
    re_path(r"^ws/j/(?P<code>[A-Za-z0-9]{6})/$", WorkshopConsumer.as_asgi()),
]
