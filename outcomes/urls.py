from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<int:pk>/", views.OutcomeDetailView.as_view(), name="detail"),
    path("import/", views.OutcomeImportView.as_view(), name="import"),
    path("imports/", views.OutcomeImportRecordsView.as_view(), name="imports"),
]
