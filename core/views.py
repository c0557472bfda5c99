"""Pages every app shares: the home page, system status, health check and error pages; and the
base of every form page whose answers go to a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView

from . import outbox
from .dashboard import dashboard_items, home_panels
from .roles import ROLES, user_roles
from .selectors import system_health


def errors_to_form(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form as the form's own errors are shown: each message
    against the field it names, the rest (and plain messages) at the top, all in the error summary."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ServiceFormView(PermissionRequiredMixin, FormView):
    """A form page whose valid answers go to a service.

    `load(**kwargs)` fetches and authorises what the form is about; it runs only for a user with the
    permission, so a missing object and a forbidden one look the same. `save(form)` calls the service
    and returns what it saved; `success_message(obj)` says what happened and `success_url_for(obj)`
    where to go next. A ValidationError from the service re-shows the form with its messages.
    """

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs):
        """Fetch and authorise the object(s) the form is about (404 if not visible)."""

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with outbox.watch() as sending:
                obj = self.save(form)
        except ValidationError as exc:
            errors_to_form(form, exc)
            return self.form_invalid(form)
        self.notify(obj, delayed=bool(sending.failed))
        return redirect(self.success_url_for(obj))

    def notify(self, obj, *, delayed: bool = False) -> None:
        """Say what was saved; and, when its follow-up job could not reach the broker, that it will run later."""
        messages.success(self.request, self.success_message(obj))
        if delayed:
            messages.warning(self.request, outbox.DELAYED_MESSAGE.format(job=self.delayed_job(obj)))

    def delayed_job(self, obj) -> str:
        """The follow-up work, for the message shown when the broker is down ("The KPI's status")."""
        return "The follow-up work"

    def success_message(self, obj) -> str:
        raise NotImplementedError

    def success_url_for(self, obj):
        return obj.get_absolute_url()


class HomeView(TemplateView):
    template_name = "core/home.html"
    nav_section = "home"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user = self.request.user
        roles = user_roles(user)
        items = dashboard_items(user=user, as_of=today, roles=roles)
        return super().get_context_data(
            items=items,
            acts=any(item.can_act for item in items),
            panels=home_panels(user=user, as_of=today, roles=roles),
            roles=[role for role in ROLES if role in roles],
            today=today,
            **kwargs,
        )


class SystemStatusView(UserPassesTestMixin, TemplateView):
    """For administrators: is the background worker alive?"""

    template_name = "core/system_status.html"

    def test_func(self):
        return self.request.user.is_staff

    def get_context_data(self, **kwargs):
        return super().get_context_data(workers=system_health()["workers"], **kwargs)


@login_not_required
def healthz(request):
    """For the load balancer and `docker compose` health checks: the app is up and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def favicon(request):
    # The static URL is looked up per request: in production it needs the collected files' manifest.
    return redirect(static("govuk/assets/images/favicon.ico"), permanent=True)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form refused because its CSRF token no longer matches (the page was open
    across a sign-in, or for longer than the session). CsrfViewMiddleware logs the refusal, with its reason, in
    one line; the page says what to do and links back to the page the form was on."""
    referer = request.META.get("HTTP_REFERER", "")
    back_url = reverse("home")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back_url = referer
    return render(request, "csrf_failure.html", {"back_url": back_url}, status=403)
