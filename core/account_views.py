"""A person's own account: changing their password, the authenticator app (second factor), and staying
signed in when the idle-timeout warning asks."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from .accounts import (
    confirmed_device,
    second_factor_required,
    totp_qr_svg,
    totp_secret_for_typing,
    totp_setup_confirm,
    totp_setup_start,
    totp_verify,
)
from .oidc import council_sign_in_enabled
from .views import errors_to_form


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now, for example 123456",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false",
                   "class": "govuk-input govuk-input--width-10"}
        ),
        error_messages={"required": "Enter the 6-digit code your authenticator app shows now"},
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


class SignInView(auth_views.LoginView):
    """The local username and password form, with the council's own sign-in above it once it is set up."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(council_sign_in=council_sign_in_enabled(), **kwargs)


class AccountView(TemplateView):
    template_name = "core/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            device=confirmed_device(user), second_factor_required=second_factor_required(user),
            idle_minutes=settings.SESSION_IDLE_TIMEOUT // 60, **kwargs,
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/form_page.html"
    success_url = reverse_lazy("account")
    extra_context = {
        "heading": "Change your password",
        "button": "Change password",
        "crumbs": [("Your account", reverse_lazy("account"))],
    }

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


class TwoFactorSetupView(FormView):
    """Set up an authenticator app: scan the QR code (or type the key), then give a code to confirm."""

    template_name = "core/two_factor_setup.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        self.device = totp_setup_start(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            qr_svg=totp_qr_svg(self.device),
            secret=totp_secret_for_typing(self.device),
            required=second_factor_required(self.request.user),
            next=_next_url(self.request),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            totp_setup_confirm(request=self.request, device=self.device, code=form.cleaned_data["code"])
        except ValidationError as exc:
            errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, "Your authenticator app is set up. You will be asked for a code when you sign in."
        )
        return redirect(_next_url(self.request))


class TwoFactorVerifyView(FormView):
    template_name = "core/form_page.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if confirmed_device(request.user) is None:
            return redirect(f"{reverse('two_factor_setup')}?{request.META.get('QUERY_STRING', '')}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading="Enter the code from your authenticator app", button="Continue",
                                        next=_next_url(self.request), **kwargs)

    def form_valid(self, form):
        try:
            totp_verify(request=self.request, code=form.cleaned_data["code"])
        except ValidationError as exc:
            errors_to_form(form, exc)
            return self.form_invalid(form)
        return redirect(_next_url(self.request))


@require_POST
def session_keep_alive(request):
    """The idle-timeout warning's "Stay signed in": IdleTimeoutMiddleware has already noted the activity."""
    if request.headers.get("HX-Request") or request.headers.get("Accept") == "application/json":
        return HttpResponse(status=204)
    return redirect(_next_url(request))


