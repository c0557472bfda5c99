"""Response headers every page and download carries, decided in one place rather than per view.

* ``PermissionsPolicyMiddleware``: the browser features the service never uses (camera, microphone,
  location, payment...) are switched off for every page, so injected content cannot ask for them.
* ``NoStoreMiddleware``: child-level pages and every file download are never kept by the browser or a
  proxy (``Cache-Control: no-store``), so a shared or lost laptop's cache holds no child's record and
  no exported register.

The Content-Security-Policy itself comes from django-csp (settings). The sign-in safeguards
(``IdleTimeoutMiddleware``, ``SecondFactorMiddleware``) are at the end.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from .accounts import (
    COUNCIL_SIGN_IN_SESSION_KEY,
    IDLE_SESSION_KEY,
    SECOND_FACTOR_SESSION_KEY,
    SIGNED_IN_SESSION_KEY,
    confirmed_device,
    second_factor_required,
)
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


class IdleTimeoutMiddleware:
    """Sign a person out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and ``SESSION_COOKIE_AGE``
    seconds after they signed in however active they are (a working day). A page warns a couple of minutes
    before the idle timeout and lets the person stay signed in (static/js/session-timeout.js, which posts to the
    keep-alive address). Django alone would not end a busy day: saving the session (as the idle clock does)
    pushes its expiry on by ``SESSION_COOKIE_AGE`` each time."""

    # The last-active time is written at most once a minute, so most requests do not save the session.
    RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            reason = self.sign_out_reason(request, now)
            if reason:
                logout(request)
                messages.info(request, f"You were signed out because {reason}. Sign in again to carry on.")
                return redirect_to_login(request.get_full_path())
            last = request.session.get(IDLE_SESSION_KEY)
            if settings.SESSION_IDLE_TIMEOUT and (
                last is None or now - last >= self.RESOLUTION or request.path == reverse("session_keep_alive")
            ):
                request.session[IDLE_SESSION_KEY] = now
        response = self.get_response(request)
        # After the view, so that the sign-in request itself (the user is set by login()) starts the clock.
        if request.user.is_authenticated and SIGNED_IN_SESSION_KEY not in request.session:
            request.session[SIGNED_IN_SESSION_KEY] = int(time.time())
        return response

    @staticmethod
    def sign_out_reason(request, now: int) -> str | None:
        timeout = settings.SESSION_IDLE_TIMEOUT
        last = request.session.get(IDLE_SESSION_KEY)
        if timeout and last is not None and now - last > timeout:
            return f"you had done nothing for {duration(timeout)}"
        signed_in_at = request.session.get(SIGNED_IN_SESSION_KEY)
        if signed_in_at is not None and now - signed_in_at > settings.SESSION_COOKIE_AGE:
            return f"you signed in more than {duration(settings.SESSION_COOKIE_AGE)} ago"
        return None


def duration(seconds: int) -> str:
    """1800 -> '30 minutes', 28800 -> '8 hours', 5400 -> '90 minutes'."""
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class SecondFactorMiddleware:
    """Send a person who must give an authenticator code (core.accounts) to set one up or to give it,
    before any other page. Runs after django-otp's OTPMiddleware, which tells whether this session has."""

    OPEN_TO_UNVERIFIED = {"two_factor_setup", "two_factor_verify", "logout", "session_keep_alive"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.session.get(COUNCIL_SIGN_IN_SESSION_KEY):  # the identity provider asked for its own
            return None
        if SECOND_FACTOR_SESSION_KEY not in request.session:
            request.session[SECOND_FACTOR_SESSION_KEY] = second_factor_required(user)
        if not request.session[SECOND_FACTOR_SESSION_KEY]:
            return None
        match = request.resolver_match
        if match is None or match.url_name in self.OPEN_TO_UNVERIFIED or match.url_name in ("login",):
            return None
        target = "two_factor_verify" if confirmed_device(user) else "two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
