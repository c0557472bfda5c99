"""Response headers every page and download carries, decided in one place rather than per view.

* ``PermissionsPolicyMiddleware``: the browser features the service never uses (camera, microphone,
  location, payment...) are switched off for every page, so injected content cannot ask for them.
* ``NoStoreMiddleware``: child-level pages and every file download are never kept by the browser or a
  proxy (``Cache-Control: no-store``), so a shared or lost laptop's cache holds no child's record and
  no exported register.

The Content-Security-Policy itself comes from django-csp (settings).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers

from .registry import registry

DOWNLOAD_TYPES = (
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/pdf",
)


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def is_download(response) -> bool:
    disposition = response.headers.get("Content-Disposition", "")
    if disposition.lower().startswith("attachment"):
        return True
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in DOWNLOAD_TYPES


def is_child_level(request) -> bool:
    """Whether the page may show child-level data: any page of the placements app, the history of one
    of its records, or a view elsewhere marked ``child_level = True``."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    child_level_apps = {a.app_label for a in registry.app_access.values() if a.kind == "child_level"}
    if child_level_apps & set(match.namespaces) or match.kwargs.get("app_label") in child_level_apps:
        return True
    view = getattr(match.func, "view_class", match.func)
    return bool(getattr(view, "child_level", False))


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_download(response) or is_child_level(request):
            # max-age=0, no-cache, no-store, must-revalidate, private (what never_cache sends)
            add_never_cache_headers(response)
        return response
