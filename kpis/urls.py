from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="index"),
    path("<int:pk>/", views.IndicatorDetailView.as_view(), name="detail"),
    path("<int:pk>/values/new/", views.MeasurementCreateView.as_view(), name="measurement_add"),
    path("<int:pk>/values/<int:measurement_pk>/commentary/", views.MeasurementCommentaryView.as_view(),
         name="measurement_commentary"),
    path("<int:pk>/values/<int:measurement_pk>/approve/", views.MeasurementApproveView.as_view(),
         name="measurement_approve"),
    path("awaiting-approval/", views.AwaitingApprovalView.as_view(), name="awaiting_approval"),
    path("<int:pk>/targets/new/", views.TargetCreateView.as_view(), name="target_add"),
    path("import/indicators/", views.ImportIndicatorsView.as_view(), name="import_indicators"),
    path("import/targets/", views.ImportTargetsView.as_view(), name="import_targets"),
    path("import/measurements/", views.ImportMeasurementsView.as_view(), name="import_measurements"),
    path("import/benchmarks/", views.ImportBenchmarksView.as_view(), name="import_benchmarks"),
    path("import/framework/", views.ImportFrameworkView.as_view(), name="import_framework"),
    path("imports/", views.KpiImportRecordsView.as_view(), name="imports"),
]
