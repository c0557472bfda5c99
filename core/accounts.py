"""Signing in safely with a local account: the idle timeout and the second factor (TOTP, through django-otp).

A person who has set up an authenticator app is asked for its code at every sign-in; administrators must
set one up before they can do anything else (settings.SECOND_FACTOR_FOR_ADMINISTRATORS). A sign-in through
the council's identity provider brings that provider's own second factor, so this applies to local
accounts only.
"""

from __future__ import annotations

import io
import time
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import ADMINISTRATOR

IDLE_SESSION_KEY = "last_active"
# When this sign-in began: it ends SESSION_COOKIE_AGE seconds later however active the person is.
SIGNED_IN_SESSION_KEY = "signed_in_at"
# Set at sign-in, so that the pages of the many people who need no second factor ask the database nothing more.
SECOND_FACTOR_SESSION_KEY = "second_factor_required"
DEVICE_NAME = "Authenticator app"
# Written here rather than imported from core.oidc, so that local sign-in never loads the OpenID Connect client.
COUNCIL_SIGN_IN_BACKEND = "core.oidc.CouncilAccountBackend"
COUNCIL_SIGN_IN_SESSION_KEY = "signed_in_with_council_account"


def second_factor_required(user) -> bool:
    """Whether this person must give an authenticator code before using the service."""
    if not user.is_authenticated:
        return False
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return True
    if not settings.SECOND_FACTOR_FOR_ADMINISTRATORS:
        return False
    return user.is_staff or user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


@transaction.atomic
def totp_setup_start(*, user) -> TOTPDevice:
    """The unconfirmed device a person is setting up, with a new secret the first time they ask."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_secret_for_typing(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed: base32 in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address (named for the council by OTP_TOTP_ISSUER) as an inline SVG QR code: no image
    file, no outside service."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    return svg.replace("<svg", '<svg role="img" aria-label="QR code for your authenticator app"', 1)


def _check(device: TOTPDevice, code: str) -> bool:
    code = "".join(code.split())
    return code.isdigit() and len(code) == 6 and device.verify_token(code)


@transaction.atomic
def totp_setup_confirm(*, request, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm the device with a code from the app, and count this session as verified."""
    if not _check(device, code):
        raise ValidationError({"code": "Enter the 6-digit code your authenticator app shows now"})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One device a person: the app they confirmed replaces any they had before.
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    return device


def totp_verify(*, request, code: str) -> TOTPDevice:
    """Check a sign-in's code against the person's confirmed device."""
    device = confirmed_device(request.user)
    if device is None or not _check(device, code):
        raise ValidationError({"code": "The code is not right. Enter the 6-digit code your app shows now"})
    otp_login(request, device)
    return device


def start_session_clocks(sender, request, user, **kwargs):
    """user_logged_in receiver: note in the session whether this person must give a code, and start the idle
    clock (so the first page after signing in saves nothing more to the session). A sign-in through the council's
    identity provider (core.oidc) is marked as such and needs no code: the provider asked for its own."""
    if request is not None and hasattr(request, "session"):
        council = getattr(user, "backend", None) == COUNCIL_SIGN_IN_BACKEND
        if council:
            request.session[COUNCIL_SIGN_IN_SESSION_KEY] = True
        request.session[SECOND_FACTOR_SESSION_KEY] = not council and second_factor_required(user)
        request.session[IDLE_SESSION_KEY] = request.session[SIGNED_IN_SESSION_KEY] = int(time.time())
