"""Pages every app shares: the home page, system status, health check and error pages."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import UserPassesTestMixin
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.generic import TemplateView

from .dashboard import dashboard_items, home_panels
from .models import WorkerHeartbeat


class HomeView(TemplateView):
    template_name = "core/home.html"
    nav_section = "home"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user = self.request.user
        return super().get_context_data(
            items=dashboard_items(user=user, as_of=today),
            panels=home_panels(user=user, as_of=today),
            today=today,
            **kwargs,
        )


class SystemStatusView(UserPassesTestMixin, TemplateView):
    """For administrators: is the background worker alive?"""

    template_name = "core/system_status.html"

    def test_func(self):
        return self.request.user.is_staff

    def get_context_data(self, **kwargs):
        now = timezone.now()
        workers = [
            {"hostname": h.hostname, "last_seen": h.last_seen, "alive": (now - h.last_seen).total_seconds() < 180}
            for h in WorkerHeartbeat.objects.all()
        ]
        return super().get_context_data(workers=workers, **kwargs)


@login_not_required
def healthz(request):
    """For the load balancer and `docker compose` health checks: the app is up and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
