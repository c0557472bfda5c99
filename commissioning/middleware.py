"""Response headers every page and download carries, decided in one place rather than per view.

* ``PermissionsPolicyMiddleware``: the browser features the service never uses (camera, microphone,
  location, payment...) are switched off for every page, so injected content cannot ask for them.

The Content-Security-Policy itself comes from django-csp (settings).
"""

from __future__ import annotations

from django.conf import settings


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
