"""ASGI entry point: `daphne config.asgi:application` serves HTTP, static files and websockets."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application

# Django must be set up before anything imports models.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from workshops.live import collector, schedule_ticker  # noqa: E402
from workshops.live.middleware import OriginValidator, SessionUserMiddleware  # noqa: E402
from workshops.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # A missing, "null" or foreign Origin (scheme, host and port) is refused before
        # the consumer runs.
        "websocket": OriginValidator(SessionUserMiddleware(URLRouter(websocket_urlpatterns))),
    }
)

# Everything loaded so far lives as long as the process: keep it out of the garbage
# collector's passes, which otherwise pause delivery to every socket. Later, the hubs
# freeze what survives whenever the process is quiet (workshops/live/collector.py).
collector.install()

# Phases open and close on schedule whether or not anyone is connected.
schedule_ticker.install()
