from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="index"),
    path("<int:pk>/", views.IndicatorDetailView.as_view(), name="detail"),
    path("<int:pk>/values/new/", views.MeasurementCreateView.as_view(), name="measurement_add"),
    path("<int:pk>/targets/new/", views.TargetCreateView.as_view(), name="target_add"),
    path("import/indicators/", views.ImportIndicatorsView.as_view(), name="import_indicators"),
    path("import/targets/", views.ImportTargetsView.as_view(), name="import_targets"),
    path("import/measurements/", views.ImportMeasurementsView.as_view(), name="import_measurements"),
    path("import/benchmarks/", views.ImportBenchmarksView.as_view(), name="import_benchmarks"),
    path("import/framework/", views.ImportFrameworkView.as_view(), name="import_framework"),
    path("imports/", views.KpiImportRecordsView.as_view(), name="imports"),
]
