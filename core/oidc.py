"""Signing in with the council's own account, through its identity provider (OpenID Connect, e.g. Microsoft
Entra ID), with mozilla-django-oidc.

Off until the client and the provider's endpoints are set (settings.OIDC_*). A person who signs in this way is
created or updated from the ID token's claims (and the provider's userinfo, where it has one): the username is
their preferred_username (or email), the account has no usable password, and their roles are set from the
groups claim through settings.OIDC_ROLE_GROUPS at every sign-in, so a change of group at the provider is a
change of role here. A person whose groups give no role is refused with the reason. The provider's own second
factor stands for ours: the session is marked (core.accounts.COUNCIL_SIGN_IN_SESSION_KEY) and no authenticator code is
asked for.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .roles import ADMINISTRATOR, ROLES, user_roles

logger = logging.getLogger(__name__)

REQUIRED_SETTINGS = (
    "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)
NO_ROLE_MESSAGE = (
    "You signed in with your council account as {name}, but you are not in any of the groups that give a role "
    "in this service, so you cannot use it yet. Ask the service's administrator to add you to the right group."
)
FAILED_MESSAGE = (
    "Signing in with your council account did not work. Try again; if it still does not work, ask the "
    "service's administrator."
)


def council_sign_in_enabled() -> bool:
    """Whether the sign-in page offers the council's own account: the client and endpoints are all set."""
    return all(getattr(settings, name, "") for name in REQUIRED_SETTINGS)


def role_groups_parse(text: str) -> dict[str, str]:
    """"Commissioners=Commissioner, 3f2a...=Viewer" -> {group name or id: role}. Unknown roles are refused, so
    a typing mistake in the setting does not silently leave people without a role."""
    mapping = {}
    for item in text.split(","):
        if not item.strip():
            continue
        group, sep, role = item.rpartition("=")
        group, role = group.strip(), role.strip()
        if not sep or not group:
            raise ImproperlyConfigured(f"OIDC_ROLE_GROUPS: {item.strip()!r} is not group=role")
        if role not in ROLES:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_GROUPS: {role!r} is not a role (the roles are {', '.join(ROLES)})"
            )
        mapping[group] = role
    return mapping


def roles_for_groups(groups, mapping: dict[str, str]) -> set[str]:
    """The roles a person's identity-provider groups give. Group names and ids are matched exactly, as the
    provider sends them; a claim of one group as a plain string counts as a list of one."""
    if isinstance(groups, str):
        groups = [groups]
    return {mapping[group] for group in groups or [] if group in mapping}


def username_from_claims(claims: dict) -> str:
    return (claims.get("preferred_username") or claims.get("email") or "").strip().lower()


@transaction.atomic
def user_roles_set(*, user, roles: set[str]) -> None:
    """Make the person's role groups exactly `roles` (groups that are not roles are left alone), with staff status
    (the Django admin) for administrators only, as for local accounts. A superuser stays staff."""
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name__in=roles))
    user.groups.add(*Group.objects.filter(name__in=roles))
    is_staff = ADMINISTRATOR in roles or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


def not_a_password_attempt(request, credentials) -> bool:
    """django-axes' AXES_WHITELIST_CALLABLE: it throttles password guessing only. A council sign-in carries no
    password (the provider throttles its own); counted, a few refused ones would lock everyone behind the
    council's one address out of the council sign-in."""
    return not (credentials or {}).get("password")


@checks.register(checks.Tags.security)
def council_sign_in_check(app_configs=None, **kwargs):
    """A half-set-up council sign-in, or a role mapping that names no role, is found at start-up, not at the first
    person's sign-in."""
    errors = []
    named = [name for name in REQUIRED_SETTINGS if getattr(settings, name, "")]
    if named and len(named) < len(REQUIRED_SETTINGS):
        missing = ", ".join(name for name in REQUIRED_SETTINGS if name not in named)
        errors.append(checks.Warning(
            f"Sign-in with the council's account is off: {missing} not set", id="core.W101"))
    try:
        mapping = role_groups_parse(settings.OIDC_ROLE_GROUPS)
    except ImproperlyConfigured as error:
        errors.append(checks.Error(str(error), id="core.E101"))
    else:
        if council_sign_in_enabled() and not mapping:
            errors.append(checks.Warning(
                "OIDC_ROLE_GROUPS is empty: nobody can sign in with a council account", id="core.W102"))
    return errors


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, matching people by username and setting their roles from their groups."""

    def authenticate(self, request, **kwargs):
        if not council_sign_in_enabled():
            return None
        return super().authenticate(request, **kwargs)

    def get_userinfo(self, access_token, id_token, payload):
        # Entra ID puts the groups claim in the ID token only (its userinfo endpoint leaves it out): start from
        # the verified ID token and add what a userinfo endpoint, where one is set, says.
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            claims.update(super().get_userinfo(access_token, id_token, payload))
        return claims

    def verify_claims(self, claims):
        # The token comes straight from the token endpoint, but check it was issued to this service by this
        # provider all the same (the library does not check the audience).
        audience = claims.get("aud")
        audiences = [audience] if isinstance(audience, str) else audience or []
        if self.OIDC_RP_CLIENT_ID not in audiences:
            logger.warning("Council sign-in refused: the ID token is for %r, not this service", audience)
            return False
        issuer = settings.OIDC_OP_ISSUER
        if issuer and claims.get("iss") != issuer:
            logger.warning("Council sign-in refused: the ID token is from %r, not %r", claims.get("iss"), issuer)
            return False
        return bool(username_from_claims(claims))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username__iexact=username_from_claims(claims))

    def describe_user_by_claims(self, claims):
        return f"username {username_from_claims(claims)}"

    def create_user(self, claims):
        user = self.UserModel(username=username_from_claims(claims))
        user.set_unusable_password()
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        self._update_from_claims(user, claims)
        if not user_roles(user):
            # Refused after the update is saved, so a person taken out of every group loses the roles they had.
            logger.info("Council sign-in refused: %s has no group that gives a role", user.username)
            messages.error(self.request, NO_ROLE_MESSAGE.format(name=user.username))
            raise SuspiciousOperation("no role")
        return user

    @transaction.atomic
    def _update_from_claims(self, user, claims):
        email = claims.get("email") or (user.username if "@" in user.username else user.email)
        first, last = claims.get("given_name"), claims.get("family_name")
        if not (first or last) and claims.get("name"):
            first, _, last = claims["name"].partition(" ")
        user.email = email or ""
        user.first_name = (first or user.first_name)[:150]
        user.last_name = (last or user.last_name)[:150]
        user.save()
        roles = roles_for_groups(claims.get(settings.OIDC_GROUPS_CLAIM), role_groups_parse(settings.OIDC_ROLE_GROUPS))
        user_roles_set(user=user, roles=roles)


class _CouncilSignInOnly:
    def dispatch(self, request, *args, **kwargs):
        if not council_sign_in_enabled():
            raise Http404("Sign-in with a council account is not set up")
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class CouncilSignInView(_CouncilSignInOnly, OIDCAuthenticationRequestView):
    """Sends the person to the identity provider."""


@method_decorator(login_not_required, name="dispatch")
class CouncilSignInCallbackView(_CouncilSignInOnly, OIDCAuthenticationCallbackView):
    """Where the identity provider sends the person back; a failure returns to the sign-in page, saying so."""

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_URL)

    def login_failure(self):
        if not len(messages.get_messages(self.request)):  # the backend may have said why already
            messages.error(self.request, FAILED_MESSAGE)
        return super().login_failure()
