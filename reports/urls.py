from django.urls import path

from . import views

# Unnamespaced, as these pages have always been: "reports", "reports_detail"...
urlpatterns = [
    path("", views.ReportListView.as_view(), name="reports"),
    path("new/", views.ReportRequestView.as_view(), name="reports_new"),
    path("subscription/", views.ReportSubscribeView.as_view(), name="reports_subscribe"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="reports_detail"),
    path("<int:pk>/status/", views.ReportStatusView.as_view(), name="reports_status"),
    path("<int:pk>/preview/", views.ReportPreviewView.as_view(), name="reports_preview"),
    path("<int:pk>/download/", views.ReportDownloadView.as_view(), name="reports_download"),
    path("<int:pk>/retry/", views.ReportRetryView.as_view(), name="reports_retry"),
]
