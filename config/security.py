"""Content-Security-Policy: scripts and styles only from our own static files.

No inline scripts are allowed anywhere, so text that slipped into markup could not run.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        host = request.get_host()
        policy = "; ".join(
            [
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self' data:",
                "font-src 'self'",
                f"connect-src 'self' ws://{host} wss://{host}",
                "frame-ancestors 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "object-src 'none'",
            ]
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
