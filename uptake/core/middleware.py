"""Keep what a signed-in person sees out of shared caches (a proxy between them and Uptake).

A response made for a signed-in person that says nothing of caching gets
`Cache-Control: private`: their browser may keep it, a proxy may not. A response that sets
its own Cache-Control (`never_cache` pages, /healthz) is left as it is, and so is the public
site, which shows everyone the same thing. Static files never reach this middleware:
WhiteNoise answers them first, with its own headers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

PUBLIC_API_PREFIX = "/api/v1/public/"


def is_public_site(path: str) -> bool:
    """True for the public site's addresses: /public/, /LANG/public/… and /api/v1/public/…."""
    if path.startswith(PUBLIC_API_PREFIX) or path.startswith("/public/"):
        return True
    return any(path.startswith(f"/{code}/public/") for code, _name in settings.LANGUAGES)


class PrivateCacheControlMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # Cheap checks first: asking who is signed in reads the session, which adds
        # `Vary: Cookie` to the response.
        if response.has_header("Cache-Control") or is_public_site(request.path_info):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response
