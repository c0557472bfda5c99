from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import history, views

admin.site.site_header = f"{settings.AUTHORITY_NAME}: {settings.SERVICE_NAME}"
admin.site.site_title = settings.SERVICE_NAME
admin.site.index_title = "Administration"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sign-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("system-status/", views.SystemStatusView.as_view(), name="system_status"),
    # Strategies, the action plan and committee reports (reports helper)
    path("strategy/", views.StrategyListView.as_view(), name="strategy"),
    path("strategy/new/", views.StrategyCreateView.as_view(), name="strategy_create"),
    path("strategy/<int:pk>/", views.StrategyDetailView.as_view(), name="strategy_detail"),
    path("strategy/<int:pk>/edit/", views.StrategyEditView.as_view(), name="strategy_edit"),
    path("strategy/<int:pk>/priorities/new/", views.PriorityCreateView.as_view(), name="strategy_priority_create"),
    path("strategy/priorities/<int:pk>/edit/", views.PriorityEditView.as_view(), name="strategy_priority_edit"),
    path("actions/", views.ActionPlanView.as_view(), name="actions"),
    path("actions/new/", views.ActionCreateView.as_view(), name="actions_create"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="actions_detail"),
    path("actions/<int:pk>/edit/", views.ActionEditView.as_view(), name="actions_edit"),
    path("actions/<int:pk>/progress/", views.ActionProgressView.as_view(), name="actions_progress"),
    path("reports/", views.ReportListView.as_view(), name="reports"),
    path("reports/new/", views.ReportRequestView.as_view(), name="reports_new"),
    path("reports/subscription/", views.ReportSubscribeView.as_view(), name="reports_subscribe"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="reports_detail"),
    path("reports/<int:pk>/status/", views.ReportStatusView.as_view(), name="reports_status"),
    path("reports/<int:pk>/preview/", views.ReportPreviewView.as_view(), name="reports_preview"),
    path("reports/<int:pk>/download/", views.ReportDownloadView.as_view(), name="reports_download"),
    path("reports/<int:pk>/retry/", views.ReportRetryView.as_view(), name="reports_retry"),
    path("history/<str:app_label>/<str:model_name>/<int:pk>/", history.record_history, name="record_history"),
    path("outcomes/", include("outcomes.urls")),
    path("kpis/", include("kpis.urls")),
    path("contracts/", include("contracts.urls")),
    path("placements/", include("placements.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "commissioning.views.error_403"
handler404 = "commissioning.views.error_404"
handler500 = "commissioning.views.error_500"
